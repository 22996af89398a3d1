"""Where a write came from (request IP, user agent, path, or the command line), kept in a context
variable so services can record it in the audit trail without taking a ``request`` argument."""

from __future__ import annotations

import contextvars
import sys
from contextlib import contextmanager

_origin: contextvars.ContextVar[dict | None] = contextvars.ContextVar("openenforce_origin", default=None)


def current_origin() -> dict:
    value = _origin.get()
    if value is not None:
        return value
    return {"channel": "cli", "argv": " ".join(sys.argv[:3])[:200]}


@contextmanager
def origin_scope(**origin):
    token = _origin.set({k: v for k, v in origin.items() if v not in (None, "")})
    try:
        yield
    finally:
        _origin.reset(token)


def client_ip(request) -> str:
    """The client's address. X-Forwarded-For is read only when the request comes from a trusted proxy
    (``OPENENFORCE_TRUSTED_PROXIES``), right to left, skipping the trusted proxies: the left-most entries
    are whatever the client wrote and cannot be believed."""
    from django.conf import settings

    trusted = set(getattr(settings, "OPENENFORCE_TRUSTED_PROXIES", ()))
    ip = request.META.get("REMOTE_ADDR", "")
    if ip not in trusted:
        return ip
    for hop in reversed([h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]):
        if hop not in trusted:
            return hop[:45]
    return ip


def origin_from_request(request) -> dict:
    ip = client_ip(request)
    return {
        "channel": "web",
        "ip": ip,
        "method": request.method,
        "path": request.path[:200],
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
    }

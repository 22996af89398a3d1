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


def origin_from_request(request) -> dict:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
    return {
        "channel": "web",
        "ip": ip,
        "method": request.method,
        "path": request.path[:200],
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
    }

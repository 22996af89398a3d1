"""The current time for services. ``frozen(at)`` makes services act as at a given moment (used to
replay a year of demo history and in tests); otherwise it is ``django.utils.timezone.now()``."""

from __future__ import annotations

import contextvars
import datetime as dt
from contextlib import contextmanager

from django.utils import timezone

_frozen: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("openenforce_clock", default=None)


def now() -> dt.datetime:
    return _frozen.get() or timezone.now()


def today() -> dt.date:
    """The local date of :func:`now`."""
    return timezone.localtime(now()).date()


@contextmanager
def frozen(at: dt.datetime):
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    token = _frozen.set(at)
    try:
        yield
    finally:
        _frozen.reset(token)

"""Background tasks (Tasks API, django-tasks backport with the database backend).

Tasks take ids or nothing, call one service, and are idempotent. ``sweep_deadlines`` re-enqueues itself
``SWEEP_SECONDS`` later, so one worker command keeps the deadline sweep running; several workers on
several hosts share the queue, and the sweep's compare-and-set updates make a double run harmless.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)
SWEEP_SECONDS = 60


def _backend_defers(t) -> bool:
    return bool(getattr(t.get_backend(), "supports_defer", False))


def sweep_pending() -> bool:
    """Is a sweep already queued (ready or running)? Keeps exactly one in the queue."""
    try:
        from django_tasks_db.models import DBTaskResult
    except Exception:  # pragma: no cover - other backends
        return False
    return DBTaskResult.objects.filter(task_path__endswith="sweep_deadlines", status__in=["READY", "RUNNING"]).exists()


def ensure_sweep_scheduled() -> None:
    if _backend_defers(sweep_deadlines) and not sweep_pending():
        sweep_deadlines.using(run_after=timezone.now()).enqueue()


@task()
def sweep_deadlines() -> dict:
    from dispatch.services import sweep_all

    counts = sweep_all()
    if _backend_defers(sweep_deadlines):
        sweep_deadlines.using(run_after=timezone.now() + dt.timedelta(seconds=SWEEP_SECONDS)).enqueue()
    log.info("deadline sweep: %s", counts)
    return counts


@task()
def retrain_routing_model(min_events: int = 50) -> dict:
    """Retrain the routing classifier from closed events' text and category (the county's own history)."""
    from dispatch.training import retrain_from_history

    return retrain_from_history(min_events=min_events)

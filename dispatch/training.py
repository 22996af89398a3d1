"""Retraining the routing model from the county's own history of handled events."""

from __future__ import annotations

import time

from dispatch.classifier import TextClassifier
from dispatch.routing import _load_model, model_path
from intake.choices import EventStatus
from intake.models import Event


def retrain_from_history(*, min_events: int = 50, max_events: int = 50_000) -> dict:
    rows = list(Event.objects.filter(status__in=[EventStatus.CLOSED, EventStatus.RESOLVED, EventStatus.ACCEPTED,
                                                  EventStatus.ROUTED], category__isnull=False)
                .order_by("-received_at").values_list("title", "text", "category__code")[:max_events])
    labels = [c for _t, _x, c in rows]
    if len(rows) < min_events or len(set(labels)) < 2:
        return {"trained": False, "events": len(rows), "reason": "not enough labelled history"}
    started = time.perf_counter()
    model = TextClassifier().fit([f"{t} {x}" for t, x, _c in rows], labels, source="history")
    path = model_path()
    tmp = path.with_suffix(".tmp")
    model.save(tmp)
    tmp.replace(path)  # atomic swap: readers never see a half-written model
    _load_model.cache_clear()
    return {"trained": True, "events": len(rows), "classes": len(model.classes),
            "seconds": round(time.perf_counter() - started, 1), "path": str(path)}

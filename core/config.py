"""Configurable values: the rulebook's UNVERIFIED numbers, with documented defaults.

The guidance office (指导办) changes a value with :func:`core.services.config_set`, which keeps
history (a new row with its effective date and reason) and is audited. ``config_get(key, on=date)``
returns the value in force on that date. Every key is listed in ``docs/configuration.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigDefault:
    key: str
    default: object
    description: str
    rule: str
    status: str = "UNVERIFIED"


DEFAULTS: dict[str, ConfigDefault] = {
    c.key: c
    for c in [
        ConfigDefault("catalogue.dormant_years", 3, "无案件即视为“沉睡”事项的年数", "ZJ-010"),
        ConfigDefault("import.max_rows", 200_000, "一次导入允许的最大行数", "—", "PRACTICE"),
        ConfigDefault("import.max_bytes", 50 * 1024 * 1024, "导入文件大小上限（字节）", "—", "PRACTICE"),
        ConfigDefault("referral.business_to_enforcement.max_working_days", 5, "业务部门移送线索时限（工作日）", "§4.9"),
        ConfigDefault("referral.acceptance_decision.max_working_days", 5, "移送受理决定时限（工作日）", "§4.9"),
        ConfigDefault("assist.reply.max_working_days", 5, "协助请求答复时限（工作日）", "XF-026"),
        ConfigDefault("result_feedback.max_working_days", 5, "结果反馈时限（工作日）", "ZJ-016"),
        ConfigDefault("out_of_scope_lead.handover.max_working_days", 3, "非本部门线索移交时限（工作日）", "ZJ-018"),
    ]
}


def register(default: ConfigDefault) -> None:
    """Apps add their own keys at import time (e.g. case handling's hearing thresholds)."""
    DEFAULTS[default.key] = default


CACHE_SECONDS = 30
_cache: dict = {"expires": 0.0, "rows": None}


def clear_cache() -> None:
    _cache["expires"] = 0.0
    _cache["rows"] = None


def _rows() -> dict[str, list[tuple[dt.date, int, object]]]:
    """All configured values, newest first per key, cached in-process for CACHE_SECONDS (a change made in
    another process is seen within that time; in this process immediately)."""
    import time

    from core.models import ConfigValue

    if _cache["rows"] is None or time.monotonic() > _cache["expires"]:
        rows: dict[str, list] = {}
        for key, valid_from, pk, value in ConfigValue.objects.order_by("key", "-valid_from", "-id").values_list(
                "key", "valid_from", "id", "value"):
            rows.setdefault(key, []).append((valid_from, pk, value))
        _cache["rows"] = rows
        _cache["expires"] = time.monotonic() + CACHE_SECONDS
    return _cache["rows"]


def config_get(key: str, *, on: dt.date | None = None):
    if key not in DEFAULTS:
        raise KeyError(f"unknown configuration key {key!r}")
    on = on or dt.date.today()
    for valid_from, _pk, value in _rows().get(key, []):
        if valid_from <= on:
            return value
    return DEFAULTS[key].default

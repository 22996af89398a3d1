"""Core write services: holiday notices and configuration values (both audited)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.config import DEFAULTS, clear_cache
from core.exceptions import ValidationFailed
from core.models import CalendarDay, ConfigValue, HolidayNotice


@transaction.atomic
def holiday_notice_load(
    *,
    actor,
    year: int,
    title: str,
    days: list[tuple[dt.date, str, str]],
    document_no: str = "",
    published_on: dt.date | None = None,
    source_url: str = "",
) -> HolidayNotice:
    """Load (or replace) a year's official notice. ``days``: (date, "holiday"|"workday", name).

    Only the days the notice names are listed; all other weekdays are working days and all other
    weekend days rest days."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors.setdefault("title", []).append(_("通知标题不能为空"))
    seen = set()
    for i, (day, kind, _name) in enumerate(days, start=1):
        if day.year != year:
            errors.setdefault(f"days[{i}]", []).append(_("日期 %(day)s 不属于 %(year)s 年") % {"day": day, "year": year})
        if kind not in CalendarDay.Kind.values:
            errors.setdefault(f"days[{i}]", []).append(_("类型“%(kind)s”无效，应为 holiday 或 workday") % {"kind": kind})
        if day in seen:
            errors.setdefault(f"days[{i}]", []).append(_("日期 %(day)s 重复") % {"day": day})
        seen.add(day)
    if errors:
        raise ValidationFailed(_("节假日通知数据有误"), errors=errors)
    before = None
    existing = HolidayNotice.objects.filter(year=year).first()
    if existing:
        before = {"title": existing.title, "days": [[str(d.date), d.kind] for d in existing.days.all()]}
        existing.delete()
    notice = HolidayNotice.objects.create(
        year=year, title=title, document_no=document_no, published_on=published_on, source_url=source_url
    )
    CalendarDay.objects.bulk_create(CalendarDay(notice=notice, date=d, kind=k, name=n) for d, k, n in days)
    audit_log(
        actor=actor,
        action="core.holiday_notice.load",
        obj=notice,
        before=before,
        after={"title": title, "document_no": document_no, "days": [[str(d), k, n] for d, k, n in days]},
    )
    return notice


@transaction.atomic
def config_set(*, actor, key: str, value, valid_from: dt.date, reason: str) -> ConfigValue:
    from org.access import require

    require(actor, "org.manage")  # the guidance office (指导办) or an administrator
    if key not in DEFAULTS:
        raise ValidationFailed(_("未知配置项"), errors={"key": [_("配置项“%(key)s”不存在") % {"key": key}]})
    default = DEFAULTS[key].default
    if isinstance(default, bool) and not isinstance(value, bool):
        raise ValidationFailed(_("配置值类型错误"), errors={"value": [_("应为 true 或 false")]})
    if isinstance(default, int | float) and not isinstance(value, int | float):
        raise ValidationFailed(_("配置值类型错误"), errors={"value": [_("应为数字")]})
    if not reason.strip():
        raise ValidationFailed(_("请填写依据"), errors={"reason": [_("修改配置必须写明依据或理由")]})
    row = ConfigValue.objects.create(key=key, value=value, valid_from=valid_from, reason=reason, set_by=actor)
    transaction.on_commit(clear_cache)
    clear_cache()
    audit_log(actor=actor, action="core.config.set", obj=row, after={"key": key, "value": value,
              "valid_from": valid_from, "reason": reason})
    return row

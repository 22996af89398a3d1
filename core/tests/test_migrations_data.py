"""Data migrations do what they say on rows written before them."""

import importlib

import pytest
from django.apps import apps

from core.models import Notification


@pytest.mark.django_db
def test_0011_flags_older_notices_about_dispatched_work_by_what_they_say():
    migration = importlib.import_module("core.migrations.0011_notification_field_work")
    field = ["新指令：请处置：人民路占道经营（CS123）", "即将超期：指令#12（CS123） 签收，时限 12-06 10:00",
             "督办：指令#12（CS123） 反馈 已超期（时限 12-01 23:59）", "天马片区综合行政执法队吹哨：联合拆违，请于12-06 10:00前报到",
             "督办：吹哨报到：联合拆违 已超期（时限 12-06 10:00）", "职责争议已裁定：CS123 由天马街道负责。"]
    other = ["即将超期：常综执案〔2026〕6号 90日内作出决定，时限 01-04 23:59", "期间届满：常综执案〔2026〕17号 陈述申辩期限",
             "待核查：CS123", "待审批：立案审批 线索#3", "督办：本轮新增超期 6 件（天马街道 2件、…）"]
    for text in field + other:
        Notification.objects.create(text=text)
    migration.flag_field_work(apps, None)
    flagged = set(Notification.objects.filter(field_work=True).values_list("text", flat=True))
    assert flagged == set(field)

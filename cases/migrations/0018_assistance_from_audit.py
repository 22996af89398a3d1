"""Backfill 协助调查 requests (cases.AssistanceRequest) from the audit trail: before 0017 a request was only a
deadline row and an audit record, and the asked body's answer only an audit record — nothing showed it to the
handlers. Each ``cases.assist.request`` record becomes a request (its date read from its deadline's basis,
"2026-11-20 + 5 个工作日", else the record's day), tied to its deadline row in order; each ``cases.assist.reply``
record answers that body's unanswered requests on the case, dated the record's day. Nothing is deleted."""

import datetime as dt
import re

from django.conf import settings
from django.db import migrations
from django.utils import timezone

DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def backfill(apps, schema_editor):
    AuditRecord = apps.get_model("core", "AuditRecord")
    Deadline = apps.get_model("core", "Deadline")
    Case = apps.get_model("cases", "Case")
    Department = apps.get_model("org", "Department")
    Request = apps.get_model("cases", "AssistanceRequest")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    users = set(User.objects.values_list("pk", flat=True))
    used = set()
    for record in AuditRecord.objects.filter(action__in=["cases.assist.request", "cases.assist.reply"]).order_by("seq"):
        case = Case.objects.filter(pk=record.object_id).first() if str(record.object_id).isdigit() else None
        after = record.after or {}
        if case is None:
            continue
        day = timezone.localtime(record.at).date()
        if record.action == "cases.assist.request":
            to = Department.objects.filter(pk=after.get("to")).first()
            if to is None:
                continue
            row = (Deadline.objects.filter(kind=f"case.assist.{to.pk}", object_type="cases.case",
                                           object_id=str(case.pk)).exclude(pk__in=used).order_by("id").first())
            if row is not None:
                used.add(row.pk)
            m = DATE.match(row.basis if row is not None else "")
            Request.objects.create(case=case, to_department=to, matter=str(after.get("matter", ""))[:300],
                                   basis=str(after.get("basis", ""))[:300],
                                   requested_on=dt.date.fromisoformat(m.group(1)) if m else day,
                                   requested_by_id=record.actor_id if record.actor_id in users else None,
                                   deadline=row)
        else:
            Request.objects.filter(case=case, to_department_id=after.get("from"), replied_on__isnull=True).update(
                reply=str(after.get("reply", "")), replied_on=day,
                replied_by_id=record.actor_id if record.actor_id in users else None)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0017_assistance_request"),
        ("core", "0011_notification_field_work"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

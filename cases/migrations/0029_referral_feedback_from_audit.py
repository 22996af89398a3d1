"""Backfill 结果反馈 rows (cases.ReferralFeedback) from the audit trail and the notices: before 0028 an answer told
to the referring department (ZJ-016) was a notice to it and a ``cases.referral.feedback`` audit record only, so the
department's own system (``GET /api/cases/referral-feedback``) never saw it. For each case with such records and no
feedback row, the records (in order) are paired with the notices the department was sent about the case (贵单位移送的…,
in order); each pair becomes a row with the notice's words (its catalogue message and parts, to be said again in
another language), the record's status and date and the notice's time. A case whose records and notices do not pair
one to one is left alone rather than guessed at. Nothing is deleted."""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    AuditRecord = apps.get_model("core", "AuditRecord")
    Notification = apps.get_model("core", "Notification")
    Case = apps.get_model("cases", "Case")
    Feedback = apps.get_model("cases", "ReferralFeedback")
    records: dict[str, list] = {}
    for record in AuditRecord.objects.filter(action="cases.referral.feedback").order_by("seq"):
        records.setdefault(str(record.object_id), []).append(record)
    answered = {str(pk) for pk in Feedback.objects.values_list("case_id", flat=True).distinct()}
    for case_id, told in records.items():
        case = Case.objects.filter(pk=case_id).first() if case_id.isdigit() and case_id not in answered else None
        if case is None or case.referring_department_id is None:
            continue
        notices = list(Notification.objects.filter(department_id=case.referring_department_id,
                                                   link=f"/cases/{case.pk}/", text__startswith="贵单位移送的")
                       .order_by("pk"))
        if len(notices) != len(told):
            continue
        for record, notice in zip(told, notices, strict=True):
            after = record.after or {}
            try:
                on = dt.date.fromisoformat(str(after.get("on")))
            except ValueError:
                on = timezone.localtime(notice.created_at).date()
            Feedback.objects.create(case=case, department_id=case.referring_department_id,
                                    status=str(after.get("status", ""))[:24], text=notice.text, message=notice.message,
                                    params=notice.params, on=on, at=notice.created_at)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0028_referral_feedback"),
        ("core", "0011_notification_field_work"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

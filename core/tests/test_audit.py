from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from core.audit import audit_log, verify_chain
from core.models import AuditRecord


def _append(n, actor=None):
    for i in range(n):
        with transaction.atomic():
            audit_log(actor=actor, action="test.write", object_type="test", object_id=i, after={"i": i, "x": "中文"})


@pytest.mark.django_db(transaction=True)
def test_audit_log_requires_transaction():
    with pytest.raises(RuntimeError):
        audit_log(actor=None, action="x", object_type="t", object_id=1)
    assert AuditRecord.objects.count() == 0


def test_intact_chain_verifies(db):
    _append(5)
    result = verify_chain()
    assert result.ok and result.checked == 5
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit chain intact: 5 records" in out.getvalue()


def test_edited_record_is_named(db):
    _append(5)
    AuditRecord.objects.filter(seq=3).update(after={"i": 99})  # behind the application's back
    with pytest.raises(CommandError) as exc:
        call_command("audit_verify")
    assert "record #3" in str(exc.value) and "altered" in str(exc.value)


def test_deleted_middle_record_is_named(db):
    _append(5)
    AuditRecord.objects.filter(seq=2).delete()
    result = verify_chain()
    assert not result.ok and result.first_broken_seq == 2


def test_deleted_last_record_is_detected(db):
    _append(4)
    AuditRecord.objects.filter(seq=4).delete()
    result = verify_chain()
    assert not result.ok
    assert "head records #4" in result.problem


def test_rehashed_record_breaks_the_link(db):
    from core.audit import compute_hash

    _append(4)
    rec = AuditRecord.objects.get(seq=2)
    rec.after = {"i": 42}
    rec.hash = compute_hash(rec)  # a forger recomputes this record's hash...
    rec.save()
    result = verify_chain()  # ...but record 3 still points at the old one
    assert not result.ok and result.first_broken_seq == 3

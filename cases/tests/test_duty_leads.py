"""职务违法犯罪线索移送 (YS-310 第十九条, ZJ-019): a lead of a state employee's misconduct found while handling a case
goes to the 监察机关 or the 人民检察院; the case goes on. Until 2026-12-07 the platform could send a suspected crime
only to the police."""

import pytest
from django.urls import reverse
from django.utils import translation

from cases import services as S
from cases.choices import CaseStatus
from cases.models import DutyLeadTransfer
from cases.steps import steps_for
from cases.tests.helpers import D, file_case, open_case
from core.exceptions import NotPermitted, ValidationFailed
from core.models import AuditRecord

pytestmark = pytest.mark.django_db

LEAD = "当事人称其经营许可由县某局工作人员张某收受好处后违规办理，相关询问笔录复印件一并移送"


def test_the_officers_send_a_lead_and_the_case_goes_on(cw):
    case = open_case(cw)
    file_case(cw, case)
    assert "duty_lead" in {s.key for s in steps_for(case, cw.bureau_officer, D(2026, 3, 9))}
    lead = S.duty_lead_transfer(actor=cw.bureau_officer, case=case, on=D(2026, 3, 9), to_kind="supervision",
                                to_body="常山县监察委员会", content=LEAD, receipt_no="常监收〔2026〕4号")
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING  # not a transfer of the case
    assert (lead.to_body, lead.transferred_on, lead.receipt_no, lead.recorded_by) == (
        "常山县监察委员会", D(2026, 3, 9), "常监收〔2026〕4号", cw.bureau_officer)
    record = AuditRecord.objects.get(action="cases.duty_lead.transfer")
    assert record.after["to_kind"] == "supervision" and record.after["case"] == case.pk
    exported = S.export_history(case)
    assert exported["duty_leads"] == [{"to_kind": "supervision", "to": "常山县监察委员会", "on": "2026-03-09",
                                       "content": LEAD, "receipt_no": "常监收〔2026〕4号"}]
    assert "cases.duty_lead.transfer" in {r["action"] for r in exported["audit"]}


def test_bad_input_names_the_field_and_writes_nothing(cw):
    case = open_case(cw)
    file_case(cw, case)
    good = dict(actor=cw.bureau_officer, case=case, on=D(2026, 3, 9), to_kind="procuratorate", to_body="常山县人民检察院",
                content=LEAD)
    for change, field in ((dict(to_kind="police"), "to_kind"), (dict(to_body=" "), "to_body"),
                          (dict(content=""), "content"), (dict(content="线" * 2001), "content"),
                          (dict(to_body="院" * 101), "to_body"), (dict(receipt_no="号" * 61), "receipt_no"),
                          (dict(on=D(2026, 3, 1)), "on")):  # before the violation was discovered (03-05)
        with pytest.raises(ValidationFailed) as refused:
            S.duty_lead_transfer(**{**good, **change})
        assert field in refused.value.errors, change
    with translation.override("en"), pytest.raises(ValidationFailed) as in_english:
        S.duty_lead_transfer(**{**good, "to_kind": "police"})
    assert in_english.value.errors["to_kind"] == ["Must be Supervisory commission/People's procuratorate"]
    with pytest.raises(NotPermitted):  # the case's own officers record it
        S.duty_lead_transfer(**{**good, "actor": cw.tianma_officer})
    assert not DutyLeadTransfer.objects.exists()
    assert not AuditRecord.objects.filter(action="cases.duty_lead.transfer").exists()


def test_through_the_case_page(cw, client):
    case = open_case(cw)
    file_case(cw, case)
    client.force_login(cw.bureau_officer)
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert reverse("cases:step", args=[case.pk, "duty_lead"]) in page and "职务违法犯罪线索移送" not in page
    r = client.post(reverse("cases:step", args=[case.pk, "duty_lead"]), {
        "on": "2026-03-09", "to_kind": "supervision", "to_body": "常山县监察委员会", "content": LEAD, "receipt_no": ""})
    assert r.status_code == 302, r.content.decode()[-2000:]
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "职务违法犯罪线索移送" in page and LEAD in page and "常山县监察委员会（监察机关）" in page
    refused = client.post(reverse("cases:step", args=[case.pk, "duty_lead"]), {
        "on": "2026-03-09", "to_kind": "supervision", "to_body": "", "content": LEAD})
    assert refused.status_code == 422 and DutyLeadTransfer.objects.count() == 1

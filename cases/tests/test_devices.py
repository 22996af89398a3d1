"""XF-041 electronic monitoring devices (非现场执法): only reviewed, signposted, published devices give
evidence, and each record is usable only after the agency reviewed it and told the party."""

import datetime as dt

import pytest
from django.urls import reverse

from cases import services as S
from cases.choices import EvidenceKind, Outcome
from cases.models import Evidence, MonitoringDevice
from cases.tests.helpers import D, file_case, open_case, to_review
from core.exceptions import RuleViolation


def device(cw, **kw):
    fields = dict(code="CS-TM-001", name="人民路违停抓拍", department=cw.zf, town=cw.tianma, location="人民路与定阳路口",
                  purpose="机动车违法停放", legal_review_ref="常综执法审〔2026〕3号", technical_review_ref="衢计检〔2026〕88号",
                  standard="GA/T 832-2014", signposted=True, published_on=D(2026, 1, 5))
    fields.update(kw)
    return MonitoringDevice.objects.create(**fields)


def add_record(cw, case, dev, on=None):
    return S.evidence_add(actor=cw.bureau_officer, case=case, kind=EvidenceKind.ELECTRONIC, description="抓拍照片3张",
                          collected_on=on or D(2026, 3, 9), collectors=[cw.o1, cw.o2], method="设备自动记录，人工调取",
                          data=b"jpeg", filename="shot.jpg", device=dev)


def test_XF_041_records_from_an_unreviewed_or_unpublished_device_are_refused(cw):
    case = open_case(cw)
    file_case(cw, case)
    for kw, missing in (({"legal_review_ref": ""}, "未经法制审核"), ({"signposted": False}, "未设置明显可见的标识"),
                        ({"published_on": D(2026, 3, 10)}, "设置地点未向社会公布")):
        dev = device(cw, code=f"X-{missing}", **kw)
        with pytest.raises(RuleViolation) as exc:
            add_record(cw, case, dev)
        assert exc.value.rule == "XF-041" and missing in exc.value.message
    assert not Evidence.objects.filter(case=case).exists()


def test_XF_041_a_record_is_evidence_only_after_review_and_telling_the_party(cw):
    case = open_case(cw)
    file_case(cw, case)
    ev = add_record(cw, case, device(cw))
    S.evidence_verify(actor=cw.bureau_officer, evidence=ev, on=D(2026, 3, 9))
    to_review(cw, case)
    with pytest.raises(RuleViolation) as exc:  # the only evidence is an unreviewed device record
        S.case_propose(actor=cw.bureau_officer, case=case, on=D(2026, 3, 17), outcome=Outcome.PENALTY,
                       types=["fine"], fine=60000)
    assert exc.value.rule == "XF-040"
    with pytest.raises(RuleViolation) as exc:
        S.device_record_review(actor=cw.bureau_officer, evidence=ev, result="pass", on=D(2026, 3, 10))
    assert exc.value.rule == "XF-041"
    S.device_record_review(actor=cw.bureau_officer, evidence=ev, result="pass", on=D(2026, 3, 10),
                           party_informed_via="短信+浙里办")
    ev.refresh_from_db()
    assert ev.party_informed_on == D(2026, 3, 10) and ev.device_review == "pass"
    S.case_propose(actor=cw.bureau_officer, case=case, on=D(2026, 3, 17), outcome=Outcome.PENALTY, types=["fine"],
                   fine=60000)
    assert case.__class__.objects.get(pk=case.pk).status == "penalty_proposed"


def test_XF_041_review_through_the_case_form_and_the_public_device_list(cw, client):
    case = open_case(cw)
    file_case(cw, case)
    dev = device(cw)
    device(cw, code="CS-TM-002", name="未公布设备", published_on=None)
    ev = add_record(cw, case, dev)
    client.force_login(cw.bureau_officer)
    url = reverse("cases:step", args=[case.pk, "device_review"])
    assert url in client.get(case.get_absolute_url()).content.decode()
    resp = client.post(url, {"evidence": ev.pk, "result": "fail", "on": "2026-03-10", "note": ""})
    assert resp.status_code == 422 and "请写明不符合要求之处" in resp.content.decode()
    assert Evidence.objects.get(pk=ev.pk).device_review == ""
    resp = client.post(url, {"evidence": ev.pk, "result": "fail", "on": "2026-03-10", "note": "车牌不清晰"})
    assert resp.status_code == 302
    ev.refresh_from_db()
    assert ev.device_review == "fail" and ev.device_reviewed_on == dt.date(2026, 3, 10)
    client.logout()
    page = client.get(reverse("cases:devices"))
    body = page.content.decode()
    assert page.status_code == 200 and "CS-TM-001" in body and "人民路与定阳路口" in body and "CS-TM-002" not in body


def test_FY_022_032_application_via_the_agency_is_forwarded_within_5_working_days(cw, client):
    from decimal import Decimal

    from cases.choices import PartyKind
    from cases.tests.helpers import at, ready_to_decide
    from core.exceptions import RuleViolation as RV
    from core.models import Deadline

    general = ready_to_decide(cw, n=2)
    S.case_decide(actor=cw.zf_head, case=general, decided_on=D(2026, 3, 20), types=["fine"], fine=Decimal(60000))
    with pytest.raises(RV) as exc:  # an ordinary general-procedure decision: the application goes to the body itself
        S.remedy_file(actor=cw.bureau_officer, case=general, kind="reconsideration", body="常山县人民政府",
                      filed_on=D(2026, 3, 20), via_agency=True)
    assert exc.value.rule == "FY-022-032"
    spot = S.spot_decide(actor=cw.bureau_officer, department=cw.zf, item=cw.item_litter, party_kind=PartyKind.PERSON,
                         party_name="张三", party_code="", party_address="天马街道", violation="乱扔垃圾", place="人民路",
                         at=at(D(2026, 9, 28)), officers=[cw.o1, cw.o2], types=["fine"], fine=Decimal(50))
    client.force_login(cw.bureau_officer)
    resp = client.post(reverse("cases:step", args=[spot.pk, "remedy_file"]), {
        "kind": "reconsideration", "body": "常山县人民政府", "filed_on": "2026-09-29", "via_agency": "on"})
    assert resp.status_code == 302, resp.content.decode()[-2000:]
    row = Deadline.objects.get(object_id=str(spot.pk), kind__startswith="case.remedy_forward.")
    assert row.rule == "FY-022-032" and row.due_at.date() == D(2026, 10, 12)  # National Day: 9-30, 10-8…10-12
    remedy = spot.remedies.get()
    resp = client.post(reverse("cases:step", args=[spot.pk, "remedy_forward"]), {"remedy": remedy.pk,
                                                                                 "on": "2026-10-09"})
    assert resp.status_code == 302
    row.refresh_from_db()
    remedy.refresh_from_db()
    assert row.state == "met" and remedy.forwarded_on == D(2026, 10, 9)
    from core.exceptions import InvalidTransition

    with pytest.raises(InvalidTransition):  # forwarded once only
        S.remedy_forward(actor=cw.bureau_officer, remedy=remedy, on=D(2026, 10, 10))

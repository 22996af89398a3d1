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

"""网上陈述申辩 (XF-041, ZJ-005; XF-044-045-062, XF-064): a party with no account opens the 告知书 it was served by
number and 核验码, and sends a statement or a hearing request; the case's officers are told, the step forms carry
what came, and recording it marks it heard. Until 2026-12-07 the notice named an online channel (浙里办) that
nothing here received."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cases import services as S
from cases.choices import CaseStatus, DocType
from cases.models import Case, PartySubmission
from cases.tests.helpers import D, at, notice, propose, ready_for_notice
from core import clock
from core.exceptions import RuleViolation, TooManyRequests, ValidationFailed
from core.models import AuditRecord, Notification

pytestmark = pytest.mark.django_db
URL = "/public/statement/"


def _noticed(cw, fine=Decimal(60000)):
    case = ready_for_notice(cw)
    propose(cw, case, fine=fine)
    notice(cw, case, on=D(2026, 3, 18))
    case.refresh_from_db()
    return case, case.documents.get(doc_type=DocType.NOTICE)


def test_the_party_sends_a_statement_and_the_officers_record_it(cw, client):
    case, doc = _noticed(cw)
    assert "网上陈述申辩" in doc.fields["channels"] and "核验码" in doc.fields["channels"]
    with clock.frozen(at(D(2026, 3, 20), 15)):
        page = client.get(URL, {"number": doc.number, "code": doc.check_code.lower()})
        body = page.content.decode()
        assert page.status_code == 200 and case.cause in body and "60000 元" in body and "2026-03-25" in body
        assert "听证申请" not in body.split("<form method=\"post\" class=\"card step-form\"")[1]  # 60,000 yuan: no hearing right
        resp = client.post(URL, {"number": doc.number, "code": doc.check_code, "kind": "statement",
                                 "text": "我店已于3月10日取得食品经营许可证，违法行为已改正", "contact": "138 1234 5678"})
    assert resp.status_code == 200 and "已收到" in resp.content.decode()
    sub = PartySubmission.objects.get(case=case)
    assert (sub.kind, sub.contact, sub.handled_at) == ("statement", "13812345678", None)
    told = Notification.objects.get(department=case.department, text__startswith="当事人网上提交")
    assert told.text == f"当事人网上提交陈述、申辩：{case.number}，须在作出决定前记录并复核" and told.link == case.get_absolute_url()
    assert AuditRecord.objects.filter(action="cases.submission.receive").count() == 1
    client.force_login(cw.bureau_officer)  # it waits on the officers' workbench
    bench = client.get(reverse("cases:workbench")).content.decode()
    assert "当事人网上提交，待记录并复核" in bench and f"{case.get_absolute_url()}#submissions" in bench
    client.logout()
    # no decision while it is not heard, even after the period ran out
    blockers = S.decision_blockers(case, decided_on=D(2026, 3, 30), types=["fine"], fine=Decimal(60000), confiscation=None)
    assert ("XF-044-045-062", "当事人于2026-03-20 15:00网上提交的陈述、申辩尚未记录复核") in blockers
    # the officers' form carries it; recording it with their 复核 marks it heard
    client.force_login(cw.bureau_officer)
    with clock.frozen(at(D(2026, 3, 21))):
        form = client.get(reverse("cases:step", args=[case.pk, "representations"])).content.decode()
        assert "我店已于3月10日取得食品经营许可证" in form and 'value="2026-03-20"' in form
        assert "网上提交" in client.get(case.get_absolute_url()).content.decode()
    S.representations_record(actor=cw.bureau_officer, case=case, text=sub.text, received_on=D(2026, 3, 20),
                             review_opinion="经复核，改正情节属实，拟从轻")
    sub.refresh_from_db()
    assert sub.handled_by == cw.bureau_officer and sub.handled_at is not None
    assert "当事人网上提交，待记录并复核" not in client.get(reverse("cases:workbench")).content.decode()
    blockers = S.decision_blockers(case, decided_on=D(2026, 3, 30), types=["fine"], fine=Decimal(60000), confiscation=None)
    assert not [b for b in blockers if "网上" in b[1]]


def test_wrong_codes_and_wrong_moments_write_nothing(cw, client):
    case, doc = _noticed(cw)
    wrong = "".join("2" if ch != "2" else "3" for ch in doc.check_code)
    for code in (wrong, "", "ABC"):
        resp = client.get(URL, {"number": doc.number, "code": code})
        assert case.cause not in resp.content.decode()
    resp = client.post(URL, {"number": doc.number, "code": wrong, "kind": "statement", "text": "x"})
    assert case.cause not in resp.content.decode()
    with pytest.raises(ValidationFailed) as exc:  # the same answer as an unknown number
        S.party_submit(number=doc.number, code=wrong, kind="statement", text="x")
    assert "code" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        S.party_submit(number=doc.number, code=doc.check_code, kind="statement", text=" ")
    assert "text" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        S.party_submit(number=doc.number, code=doc.check_code, kind="statement", text="x" * 2001)
    assert "text" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        S.party_submit(number=doc.number, code=doc.check_code, kind="statement", text="意见", contact="12345")
    assert "contact" in exc.value.errors
    with pytest.raises(RuleViolation) as exc:  # no hearing right on 60,000 yuan to an organisation
        S.party_submit(number=doc.number, code=doc.check_code, kind="hearing", text="")
    assert exc.value.rule == "XF-063"
    # a new proposal, told again, supersedes this notice
    S.case_propose(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), outcome="penalty", types=["fine"],
                   fine=Decimal(50000), band=cw.band_light)
    notice(cw, case, on=D(2026, 3, 20))
    with pytest.raises(RuleViolation) as exc:
        S.party_submit(number=doc.number, code=doc.check_code, kind="statement", text="意见")
    assert "取代" in exc.value.message
    assert not PartySubmission.objects.exists()
    newer = case.documents.filter(doc_type=DocType.NOTICE).order_by("-pk").first()
    for i in range(S.SUBMISSIONS_PER_DAY):
        assert S.party_submit(number=newer.number, code=newer.check_code, kind="statement", text=f"意见{i}").pk
    with pytest.raises(TooManyRequests):  # a flood would bury the officers' notices
        S.party_submit(number=newer.number, code=newer.check_code, kind="statement", text="又一条")
    assert PartySubmission.objects.count() == S.SUBMISSIONS_PER_DAY


def test_a_hearing_request_online_reaches_the_hearing_step(cw, client):
    case, doc = _noticed(cw, fine=Decimal(100000))  # the organisation threshold: a hearing right
    with clock.frozen(at(D(2026, 3, 24), 9)):
        page = client.get(URL, {"number": doc.number, "code": doc.check_code}).content.decode()
        assert "听证申请期限" in page and "2026-03-25" in page
        resp = client.post(URL, {"number": doc.number, "code": doc.check_code, "kind": "hearing", "text": ""})
    assert resp.status_code == 200 and "已收到" in resp.content.decode()
    sub = PartySubmission.objects.get(case=case, kind="hearing")
    assert sub.text == "申请听证"
    client.force_login(cw.bureau_officer)
    with clock.frozen(at(D(2026, 3, 26))):
        form = client.get(reverse("cases:step", args=[case.pk, "hearing_request"])).content.decode()
        assert 'value="2026-03-24"' in form
    S.hearing_request(actor=cw.bureau_officer, case=case, requested_on=D(2026, 3, 24))
    sub.refresh_from_db()
    assert sub.handled_at is not None
    assert Case.objects.get(pk=case.pk).status == CaseStatus.HEARING_REQUESTED
    # the case no longer waits after the notice: nothing more is taken online, and the page says why
    with pytest.raises(RuleViolation):
        S.party_submit(number=doc.number, code=doc.check_code, kind="statement", text="补充意见")
    page = client.get(URL, {"number": doc.number, "code": doc.check_code}).content.decode()
    assert "本案已不在告知后待决定的阶段" in page and "<form method=\"post\" class=\"card step-form\"" not in page

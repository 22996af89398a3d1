"""XF-060 办案期限: 90 days from filing to the decision, extended only before it runs out — once by the head's
approval of the officers' request (``case.decision_extension_days``, default 30, UNVERIFIED for Zhejiang), again only
by the heads' collective discussion, which sets the period. Until 2026-12-07 a case past its 90 days could not be
decided at all and had no lawful way forward."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cases import services as S
from cases.models import CaseApproval
from cases.steps import steps_for
from cases.tests.helpers import D, at, file_case, head_of, open_case, ready_for_notice, ready_to_decide
from core import clock
from core.exceptions import NotPermitted, RuleViolation, ValidationFailed
from core.models import Deadline

pytestmark = pytest.mark.django_db


def _decide_rows(case):
    return list(Deadline.objects.filter(object_type="cases.case", object_id=str(case.pk), kind="case.decide")
                .order_by("pk").values_list("state", "due_at__date"))


def test_the_head_extends_once_then_only_a_collective_discussion_does(cw):
    case = open_case(cw)
    file_case(cw, case)
    head = head_of(cw.zf)
    assert S.decision_due(case).due == D(2026, 6, 4)  # 2026-03-06 + 90 days
    with pytest.raises(ValidationFailed) as exc:  # the first extension is the configured 30 days at most
        S.decision_extension_request(actor=cw.bureau_officer, case=case, on=D(2026, 5, 20), reason="需检测鉴定", days=31)
    assert exc.value.errors == {"days": ["不超过30日"]}
    with pytest.raises(ValidationFailed) as exc:
        S.decision_extension_request(actor=cw.bureau_officer, case=case, on=D(2026, 5, 20), reason=" ", days=30)
    assert "reason" in exc.value.errors
    assert not CaseApproval.objects.filter(kind="extension").exists()
    S.decision_extension_request(actor=cw.bureau_officer, case=case, on=D(2026, 5, 20), reason="涉案产品需送检，检测周期较长",
                                 days=30)
    assert "extension_request" not in {s.key for s in steps_for(case, cw.bureau_officer, D(2026, 5, 20))}  # one at a time
    assert "extension_approve" in {s.key for s in steps_for(case, head, D(2026, 5, 20))}
    case = S.decision_extension_approve(actor=head, case=case, on=D(2026, 5, 21))
    due = S.decision_due(case)
    assert (due.due, due.extended_days, due.extensions) == (D(2026, 7, 6), 30, 1)  # 07-04 is a Saturday
    # the decision clock moved: the 90-day row cancelled, one to the extended day
    assert _decide_rows(case) == [("cancelled", D(2026, 6, 4)), ("open", D(2026, 7, 6))]
    # a further extension: the heads' collective discussion decides, and sets the period
    S.decision_extension_request(actor=cw.bureau_officer, case=case, on=D(2026, 7, 1), reason="鉴定结论尚未出具", days=60)
    with pytest.raises(ValidationFailed) as exc:
        S.decision_extension_approve(actor=head, case=case, on=D(2026, 7, 2), attendees=["局长甲"])
    assert exc.value.errors == {"attendees": ["至少三人"]}
    S.decision_extension_approve(actor=head, case=case, on=D(2026, 7, 2), attendees=["局长甲", "副局长乙", "副局长丙"])
    assert S.decision_due(case).due == D(2026, 9, 2)  # filed + 180
    assert CaseApproval.objects.filter(kind="extension").order_by("pk").last().details == {
        "days": 60, "collective": ["局长甲", "副局长乙", "副局长丙"]}


def test_a_limit_that_ran_out_is_not_revived_and_a_refusal_changes_nothing(cw):
    case = open_case(cw)
    file_case(cw, case)
    head = head_of(cw.zf)
    S.decision_extension_request(actor=cw.bureau_officer, case=case, on=D(2026, 6, 1), reason="需检测鉴定", days=30)
    with pytest.raises(RuleViolation) as exc:  # the head decides after the 90 days ran out: too late
        S.decision_extension_approve(actor=head, case=case, on=D(2026, 6, 5))
    assert exc.value.rule == "XF-060" and "2026-06-04" in exc.value.message
    S.decision_extension_refuse(actor=head, case=case, on=D(2026, 6, 2), opinion="检测可在期限内完成，不予延长")
    assert S.decision_due(case).due == D(2026, 6, 4)
    assert _decide_rows(case) == [("open", D(2026, 6, 4))]
    S.decision_extension_request(actor=cw.bureau_officer, case=case, on=D(2026, 6, 3), reason="检测机构排期延后", days=20)
    with pytest.raises(NotPermitted):  # only the head extends
        S.decision_extension_approve(actor=cw.bureau_officer, case=case, on=D(2026, 6, 3))
    S.decision_extension_refuse(actor=head, case=case, on=D(2026, 6, 4), opinion="不予延长")
    with pytest.raises(RuleViolation):  # asked after the limit ran out
        S.decision_extension_request(actor=cw.bureau_officer, case=case, on=D(2026, 6, 5), reason="需检测鉴定", days=30)
    assert "extension_request" not in {s.key for s in steps_for(case, cw.bureau_officer, D(2026, 6, 5))}
    assert "extension_request" in {s.key for s in steps_for(case, cw.bureau_officer, D(2026, 6, 4))}


def test_an_extended_case_may_be_decided_after_its_ninety_days(cw):
    case = ready_for_notice(cw)  # filed 2026-03-06
    head = head_of(cw.zf)
    S.decision_extension_request(actor=cw.bureau_officer, case=case, on=D(2026, 3, 17), reason="需听取相关部门意见",
                                 days=30)
    S.decision_extension_approve(actor=head, case=case, on=D(2026, 3, 17))
    from cases.tests.helpers import notice, propose

    propose(cw, case)
    notice(cw, case, on=D(2026, 5, 29))
    case.refresh_from_db()
    late = D(2026, 6, 20)  # past the 90 days, within the 120
    blockers = S.decision_blockers(case, decided_on=late, types=["fine"], fine=Decimal(60000), confiscation=None)
    assert not [b for b in blockers if b[0] == "XF-060"]
    blockers = S.decision_blockers(case, decided_on=D(2026, 7, 7), types=["fine"], fine=Decimal(60000), confiscation=None)
    assert ("XF-060", "已超过经批准延长后的决定期限（2026-07-06，立案之日起九十日又延长30日）：逾期作出决定的，须写明逾期原因") in blockers


def test_through_the_pages(cw, client):
    case = open_case(cw)
    file_case(cw, case)
    with clock.frozen(at(D(2026, 5, 21))):  # within the 90 days
        client.force_login(cw.bureau_officer)
        assert reverse("cases:step", args=[case.pk, "extension_request"]) in client.get(case.get_absolute_url()).content.decode()
        url = reverse("cases:step", args=[case.pk, "extension_request"])
        resp = client.post(url, {"on": "2026-05-20", "days": "45", "reason": "需检测"})
        assert resp.status_code == 422 and "不超过30日" in resp.content.decode()
        resp = client.post(url, {"on": "2026-05-20", "days": "30", "reason": "涉案产品需送检"})
        assert resp.status_code == 302
        client.force_login(head_of(cw.zf))
        approve = reverse("cases:step", args=[case.pk, "extension_approve"])
        page = client.get(approve).content.decode()  # the request the head decides on, and what approving it does
        assert "涉案产品需送检" in page and "申请延长 30 日：办案期限现至 2026-06-04，批准后至 2026-07-06" in page
        assert client.post(approve, {"approved": "1", "on": "2026-05-21", "opinion": ""}).status_code == 302
        page = client.get(case.get_absolute_url()).content.decode()
        assert "作出决定（立案之日起九十日，经批准延长30日）" in page
    with clock.frozen(at(D(2026, 7, 7))):  # the extended limit ran out: the page says so, offers nothing
        client.force_login(cw.bureau_officer)
        page = client.get(case.get_absolute_url()).content.decode()
        assert "还不能“申请延长办案期限（报负责人审批）”" in page and "办案期限已于2026-07-06届满，不能再延长（XF-060）" in page
        assert reverse("cases:step", args=[case.pk, "extension_request"]) not in page


def _to_hearing(cw, *, excluded: bool):
    """A case filed 2026-03-06 whose party asks for a hearing on 03-24; held 04-10 (17 days later)."""
    from cases.tests.helpers import notice, propose
    from core.services import config_set

    if excluded:
        config_set(actor=cw.guidance, key="case.decision_excludes_hearing", value=True, valid_from=D(2026, 1, 1),
                   reason="参照市场监管总局《市场监督管理行政处罚程序规定》第六十四条")
    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(100000))  # a hearing right
    notice(cw, case, on=D(2026, 3, 18))
    S.hearing_request(actor=cw.bureau_officer, case=case, requested_on=D(2026, 3, 24))
    return case


def _hold(cw, case):
    S.hearing_schedule(actor=cw.bureau_officer, case=case, notice_served_on=D(2026, 3, 26),
                       scheduled_for=at(D(2026, 4, 10)), place="听证室", presider=cw.o3)
    S.hearing_hold(actor=cw.bureau_officer, case=case, held_on=D(2026, 4, 10), attended=True, record="听证记录…",
                   party_signed=True)
    case.refresh_from_db()
    return case


def test_hearings_count_in_the_limit_unless_configured_otherwise(cw):
    """行政处罚法 第六十条 gives 90 days and leaves exceptions to other rules: by default the hearing's days count
    and the decision clock is untouched by it."""
    case = _hold(cw, _to_hearing(cw, excluded=False))
    due = S.decision_due(case, D(2026, 4, 20))
    assert (due.due, due.excluded_days, due.paused) == (D(2026, 6, 4), 0, "")
    assert _decide_rows(case) == [("open", D(2026, 6, 4))]


def test_where_configured_the_hearing_pauses_the_limit_and_moves_it(cw):
    """``case.decision_excludes_hearing`` (the SAMR rule's 听证…时间不计入): from the request (03-24) to the hearing
    (04-10) the clock stands still — no open row to be reminded or escalated — then runs to a day 17 days later."""
    case = _to_hearing(cw, excluded=True)
    assert _decide_rows(case) == [("cancelled", D(2026, 6, 4))]
    paused = S.decision_due(case, D(2026, 4, 1))
    assert (paused.due, paused.excluded_days, paused.paused) == (D(2026, 6, 12), 8, "hearing")  # 8 days into the pause
    assert S.extension_blocker(case, D(2026, 6, 10)) is None  # not run out while paused
    case = _hold(cw, case)
    due = S.decision_due(case, D(2026, 6, 20))
    assert (due.due, due.excluded_days, due.paused) == (D(2026, 6, 22), 17, "")  # 06-21 is a Sunday
    assert _decide_rows(case) == [("cancelled", D(2026, 6, 4)), ("open", D(2026, 6, 22))]
    row = Deadline.objects.get(object_id=str(case.pk), kind="case.decide", state="open")
    assert "作出决定（立案之日起九十日，不计入17日）" in row.label
    blockers = S.decision_blockers(case, decided_on=D(2026, 6, 23), types=["fine"], fine=Decimal(100000), confiscation=None)
    assert ("XF-060", "已超过决定期限（2026-06-22：立案之日起九十日，延长0日，不计入17日）：逾期作出决定的，须写明逾期原因") in blockers
    # an extension adds to it; the extended clock keeps the hearing's days
    S.decision_extension_request(actor=cw.bureau_officer, case=case, on=D(2026, 6, 15), reason="需补充鉴定", days=10)
    case = S.decision_extension_approve(actor=head_of(cw.zf), case=case, on=D(2026, 6, 16))
    assert S.decision_due(case).due == D(2026, 7, 1)
    assert "作出决定（立案之日起九十日，经批准延长10日，不计入17日）" in Deadline.objects.get(
        object_id=str(case.pk), kind="case.decide", state="open").label


def test_a_hearing_asked_for_after_the_limit_ran_out_does_not_revive_it(cw):
    from cases.tests.helpers import notice, propose
    from core.services import config_set

    config_set(actor=cw.guidance, key="case.decision_excludes_hearing", value=True, valid_from=D(2026, 1, 1),
               reason="参照部门规章")
    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(100000))
    notice(cw, case, on=D(2026, 6, 1))
    S.hearing_request(actor=cw.bureau_officer, case=case, requested_on=D(2026, 6, 5))  # the 90 days ended 06-04
    due = S.decision_due(case, D(2026, 6, 20))
    assert (due.due, due.excluded_days, due.paused) == (D(2026, 6, 4), 0, "")
    assert _decide_rows(case) == [("open", D(2026, 6, 4))]  # the overdue row stands, as it was


def test_the_case_page_says_the_limit_is_paused(cw, client):
    case = _to_hearing(cw, excluded=True)
    client.force_login(cw.bureau_officer)
    with clock.frozen(at(D(2026, 4, 1))):
        page = client.get(case.get_absolute_url()).content.decode()
    assert "办案期限暂停计算" in page and "已不计入8日，若今日举行听证，须于2026-06-12前作出决定" in page
    case = _hold(cw, case)
    with clock.frozen(at(D(2026, 4, 11))):
        page = client.get(case.get_absolute_url()).content.decode()
    assert "办案期限暂停计算" not in page and "作出决定（立案之日起九十日，不计入17日）" in page


def test_past_the_limit_the_head_decides_only_saying_why_and_it_counts_late(cw, client):
    """XF-060 is a timer with warnings (rulebook): a limit that ran out is a breach on the record, not a case that can
    never be concluded. The head's decision after it needs the reasons for the delay (kept on the case, shown on
    its page); the decision clock closes late. Where ``case.late_decision_allowed`` is off, no decision at all."""
    from core.services import config_set

    case = ready_to_decide(cw)  # filed 2026-03-06: due 06-04
    late = D(2026, 6, 8)
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=late, types=["fine"], fine=Decimal(60000))
    assert exc.value.rule == "XF-060" and "须写明逾期原因" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:  # the reasons fit their column
        S.case_decide(actor=cw.zf_head, case=case, decided_on=late, types=["fine"], fine=Decimal(60000),
                      late_reason="因" * 301)
    assert "late_reason" in exc.value.errors
    config_set(actor=cw.guidance, key="case.late_decision_allowed", value=False, valid_from=D(2026, 6, 1),
               reason="本县法制机构要求：期限届满不得再作出处罚决定")
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=late, types=["fine"], fine=Decimal(60000),
                      late_reason="当事人下落不明，送达告知书延误")
    assert exc.value.message == "不能作出处罚决定：已超过立案之日起九十日的决定期限（2026-06-04）（XF-060）"
    config_set(actor=cw.guidance, key="case.late_decision_allowed", value=True, valid_from=D(2026, 6, 2),
               reason="恢复默认")
    assert not case.documents.filter(doc_type="decision").exists()  # nothing was written by the refusals
    with clock.frozen(at(D(2026, 6, 8))):
        client.force_login(cw.zf_head)
        page = client.get(case.get_absolute_url()).content.decode()
        assert "已超过立案之日起九十日的决定期限（2026-06-04）：逾期作出决定的，须写明逾期原因" in page
        resp = client.post(reverse("cases:step", args=[case.pk, "decide"]), {
            "decided_on": "2026-06-08", "types": ["fine"], "fine": "60000",
            "late_reason": "当事人下落不明，告知书公告送达延误"})
        assert resp.status_code == 302, resp.content.decode()[-800:]
        case.refresh_from_db()
        assert (case.status, case.late_decision_reason) == ("decided", "当事人下落不明，告知书公告送达延误")
        assert _decide_rows(case) == [("late", D(2026, 6, 4))]
        page = client.get(case.get_absolute_url()).content.decode()
        assert "逾期作出决定" in page and "当事人下落不明，告知书公告送达延误" in page


def test_within_the_limit_no_reason_is_kept(cw):
    case = ready_to_decide(cw)
    case = S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000),
                         late_reason="不需要")
    assert case.late_decision_reason == "" and _decide_rows(case) == [("met", D(2026, 6, 4))]


def test_a_late_no_penalty_decision_says_why_and_is_never_refused_for_lateness(cw):
    """第六十条 speaks of penalty decisions; a no-penalty decision after the limit states the reasons for the delay
    too (kept, shown as 逾期作出决定), even where ``case.late_decision_allowed`` is off — a case must be able to end."""
    from cases.tests.helpers import investigate, to_review
    from core.services import config_set

    case = open_case(cw)
    file_case(cw, case)  # due 06-04
    investigate(cw, case)
    to_review(cw, case)
    S.case_propose(actor=cw.bureau_officer, case=case, on=D(2026, 3, 17), outcome="no_penalty_not_established")
    config_set(actor=cw.guidance, key="case.late_decision_allowed", value=False, valid_from=D(2026, 1, 1),
               reason="硬性期限")
    with pytest.raises(ValidationFailed) as exc:
        S.case_decide_no_penalty(actor=cw.zf_head, case=case, decided_on=D(2026, 6, 10), grounds="违法事实不能成立")
    assert "late_reason" in exc.value.errors and "2026-06-04" in exc.value.message
    case = S.case_decide_no_penalty(actor=cw.zf_head, case=case, decided_on=D(2026, 6, 10), grounds="违法事实不能成立",
                                    late_reason="鉴定机构出具结论延迟")
    assert (case.status, case.late_decision_reason) == ("decided", "鉴定机构出具结论延迟")
    assert _decide_rows(case) == [("late", D(2026, 6, 4))]

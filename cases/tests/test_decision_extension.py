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
from cases.tests.helpers import D, at, file_case, head_of, open_case, ready_for_notice
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
    assert ("XF-060", "已超过经批准延长后的决定期限（2026-07-06，立案之日起九十日又延长30日）") in blockers


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

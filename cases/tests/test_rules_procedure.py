"""One test (at least) per PRIMARY case rule of legal-rulebook.md, named after its id (dashes → underscores).
Each shows the guard refusing, and the lawful path passing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from cases import rules
from cases import services as S
from cases.choices import (
    ActKind,
    CaseStatus,
    DocType,
    EvidenceKind,
    Outcome,
    PartyKind,
    RemedyResult,
    ServiceMethod,
)
from cases.models import Case, CaseTransition, Document, LegalReview
from cases.tests.helpers import (
    TZ,
    D,
    at,
    close_case,
    file_case,
    investigate,
    not_file,
    notice,
    open_case,
    propose,
    ready_for_notice,
    ready_to_decide,
    review_pass,
    to_review,
)
from catalogue.services import item_transfer
from core import clock
from core.exceptions import NotPermitted, RuleViolation, ValidationFailed
from core.models import AuditRecord, Deadline

# ------------------------------------------------------------------ filing


def test_XF_017_018_and_ZJ_006_007_008_item_must_be_in_deciding_bodys_catalogue(cw):
    """XF-017-018, ZJ-006-007-008: the market department does not hold the food item here → refused."""
    case = open_case(cw, department=cw.scjg, actor=cw.scjg_officer)
    s1 = cw.make_officer("市监甲", cw.scjg_team, user=cw.scjg_officer)
    s2 = cw.make_officer("市监乙", cw.scjg_team)
    for o in (s1, s2):
        S.case_assign(actor=cw.scjg_officer, case=case, officer=o, on=D(2026, 3, 6), no_conflict_declared=True)
    with pytest.raises(RuleViolation) as exc:
        S.case_file_request(actor=cw.scjg_officer, case=case, on=D(2026, 3, 6), basis="x")
    assert exc.value.rule == "ZJ-006-007-008"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLUE


def test_ZJ_009_town_decides_a_delegated_item_only_from_the_delegation_date(cw):
    """ZJ-009: 天马街道 holds the 占道 item by delegation from 2022-01-01."""
    assert S.in_catalogue(cw.tianma_gov, cw.item_stall, cw.tianma, D(2022, 1, 1))
    assert not S.in_catalogue(cw.tianma_gov, cw.item_stall, cw.tianma, D(2021, 12, 31))
    assert not S.in_catalogue(cw.huibu_gov, cw.item_stall, cw.huibu, D(2023, 1, 1))


def test_ZJ_010_open_case_keeps_the_catalogue_version_of_its_filing_date(cw):
    """ZJ-010: a transfer after filing does not stop the case."""
    case = ready_for_notice(cw)
    propose(cw, case)
    item_transfer(actor=cw.guidance, item=cw.item_food, to_department=cw.scjg, to_team=cw.scjg_team,
                  effective_date=D(2026, 3, 20), document_no="划转")
    notice(cw, case)
    review_pass(cw, case)
    S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), statement=b"%PDF-1.4 waiver")
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECIDED


def test_XF_036_limitation_two_years(cw):
    """XF-036: discovered more than two years after the act → no filing."""
    case = open_case(cw, act_date=D(2023, 3, 1), discovery=D(2025, 3, 2))
    with pytest.raises(RuleViolation) as exc:
        file_case(cw, case)
    assert exc.value.rule == "XF-036"
    assert rules.limitation_end(D(2023, 3, 1), None, life_health_with_harm=False) == D(2025, 3, 1)


def test_XF_036_five_years_with_harm_and_continuing_act_from_its_end(cw):
    """XF-036: 5 years for life/health/financial safety with harm; a continuing act from its end."""
    case = open_case(cw, act_date=D(2022, 3, 1), discovery=D(2026, 3, 5), life_health_with_harm=True)
    file_case(cw, case)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INVESTIGATING
    assert rules.within_limitation(act_date=D(2020, 1, 1), act_end_date=D(2025, 1, 1), discovery_date=D(2026, 12, 1),
                                   life_health_with_harm=False)


def test_XF_042_two_qualified_officers_and_ZJ_028_029_030_auxiliary_never_counted(cw):
    """XF-042 / ZJ-028-029-030: one officer, an auxiliary, an expired certificate: all refused."""
    case = open_case(cw)
    with pytest.raises(RuleViolation) as exc:
        S.case_assign(actor=cw.bureau_officer, case=case, officer=cw.aux, on=D(2026, 3, 6), no_conflict_declared=True)
    assert exc.value.rule == "ZJ-030"
    with pytest.raises(RuleViolation) as exc:
        S.case_assign(actor=cw.bureau_officer, case=case, officer=cw.expired, on=D(2026, 3, 6), no_conflict_declared=True)
    assert exc.value.rule == "XF-042"
    S.case_assign(actor=cw.bureau_officer, case=case, officer=cw.o1, on=D(2026, 3, 6), no_conflict_declared=True)
    with pytest.raises(RuleViolation) as exc:
        S.case_file_request(actor=cw.bureau_officer, case=case, on=D(2026, 3, 6), basis="x")
    assert exc.value.rule == "XF-042"
    with pytest.raises(RuleViolation):  # an act with an auxiliary as the second person
        file_case(cw, case, officers=[cw.o2])
        S.act_record(actor=cw.bureau_officer, case=case, kind=ActKind.INSPECTION, started_at=at(D(2026, 3, 9)),
                     ended_at=at(D(2026, 3, 9), 11), place="x", officers=[cw.o1, cw.aux], id_shown=True, record="r",
                     party_signed=True)


def test_XF_043_conflict_declaration_and_recusal(cw):
    """XF-043: no declaration → refused; a granted recusal releases the officer, the case goes on."""
    case = open_case(cw)
    with pytest.raises(RuleViolation) as exc:
        S.case_assign(actor=cw.bureau_officer, case=case, officer=cw.o1, on=D(2026, 3, 6), no_conflict_declared=False)
    assert exc.value.rule == "XF-043"
    file_case(cw, case, officers=[cw.o1, cw.o2, cw.o3])
    r = S.recusal_apply(actor=cw.bureau_officer, case=case, officer=cw.o3, applicant="party", reason="亲属关系",
                        on=D(2026, 3, 10))
    with pytest.raises(NotPermitted):  # the head decides, not the investigators
        S.recusal_decide(actor=cw.bureau_officer, recusal=r, granted=True, on=D(2026, 3, 10))
    S.recusal_decide(actor=cw.zf_head, recusal=r, granted=True, on=D(2026, 3, 10))
    assert cw.o3 not in S.investigators(case)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INVESTIGATING


def test_XF_022_025_first_body_to_file_keeps_the_case(cw):
    """XF-022-025: another body already filed the same act of the same party."""
    first = open_case(cw)
    file_case(cw, first)
    Case.objects.filter(pk=first.pk).update(department=cw.scjg)
    second = open_case(cw)
    with pytest.raises(RuleViolation) as exc:
        file_case(cw, second, officers=[cw.o1, cw.o2])
    assert exc.value.rule == "XF-022-025"


def test_XF_054_filing_issues_the_approval_form_and_starts_the_90_day_timer_XF_060(cw):
    """XF-054 / XF-060: 立案审批表 names two officers with certificate numbers; 90-day timer with warning."""
    case = open_case(cw)
    file_case(cw, case)
    form = Document.objects.get(case=case, doc_type=DocType.FILING)
    assert any("33082200001" in o for o in form.fields["officers"]) and len(form.fields["officers"]) == 2
    d = Deadline.objects.get(object_id=str(case.pk), kind="case.decide")
    assert d.rule == "XF-060" and d.due_at.date() == D(2026, 6, 4)  # 2026-03-06 + 90 days
    assert d.remind_at.date() == D(2026, 5, 5)  # warned at day 60
    assert d.remind2_at.date() == D(2026, 5, 25)  # and again at day 80 (the rulebook's two warnings)


def test_XF_060_the_sweep_warns_twice_then_escalates(cw):
    """Day 60 and day 80 each bring one reminder to the deciding body; a sweep that finds both come at once sends
    one; the due day passed brings 督办. Until 2026-12-07 the day-80 warning was configured but never sent."""
    from core.models import Notification
    from dispatch.services import deadlines_sweep

    def reminders():
        return Notification.objects.filter(department=case.department, level="remind", text__contains="90日内作出决定")

    case = open_case(cw)
    file_case(cw, case)
    other = open_case(cw, n=2)
    file_case(cw, other)
    assert deadlines_sweep(now=at(D(2026, 5, 4)))["reminded"] == 0
    deadlines_sweep(now=at(D(2026, 5, 6)))
    assert reminders().count() == 2  # each case's day-60 warning
    deadlines_sweep(now=at(D(2026, 5, 7)))
    assert reminders().count() == 2
    deadlines_sweep(now=at(D(2026, 5, 26)))
    assert reminders().count() == 4  # and day 80
    deadlines_sweep(now=at(D(2026, 5, 27)))
    assert reminders().count() == 4
    d = Deadline.objects.get(object_id=str(case.pk), kind="case.decide")
    assert d.reminded_at is not None and d.reminded2_at is not None and d.escalation_level == 0
    deadlines_sweep(now=at(D(2026, 6, 5)))
    d.refresh_from_db()
    assert d.escalation_level == 1
    late = open_case(cw, n=3)  # a body whose worker was down: day 85, both warnings due, one is sent
    file_case(cw, late)
    before = reminders().count()
    deadlines_sweep(now=at(D(2026, 5, 31)))
    assert reminders().count() == before + 1


# ------------------------------------------------------------------ investigation


def test_XF_055_certificate_shown_and_record_made(cw):
    """XF-055: an inspection without showing the certificate, or without a record, is refused."""
    case = open_case(cw)
    file_case(cw, case)
    base = dict(actor=cw.bureau_officer, case=case, kind=ActKind.INSPECTION, started_at=at(D(2026, 3, 9)),
                ended_at=at(D(2026, 3, 9), 11), place="x", officers=[cw.o1, cw.o2], party_signed=True)
    with pytest.raises(RuleViolation) as exc:
        S.act_record(id_shown=False, record="检查", **base)
    assert exc.value.rule == "XF-055"
    with pytest.raises(RuleViolation):
        S.act_record(id_shown=True, record=" ", **base)
    with pytest.raises(RuleViolation) as exc:  # inquiry without telling the rights
        S.act_record(**{**base, "kind": ActKind.INQUIRY}, id_shown=True, record="问：…答：…", interviewee="张三")
    assert exc.value.rule == "XF-043"
    act = S.act_record(id_shown=True, record="现场检查情况", **base)
    assert act.warnings == ["SX-4：建议对该环节进行音像记录"]
    assert Document.objects.filter(case=case, doc_type=DocType.ONSITE).count() == 1


def test_SX_4_audio_video_required_for_seizure_and_QZ_018_019_approval_and_witness(cw):
    """SX-4 / QZ-018-019: seizure needs approval (or emergency), AV covering the act, a witness if absent."""
    case = open_case(cw)
    file_case(cw, case)
    base = dict(actor=cw.bureau_officer, case=case, kind=ActKind.SEIZE, started_at=at(D(2026, 3, 9), 9),
                ended_at=at(D(2026, 3, 9), 10), place="x", officers=[cw.o1, cw.o2], id_shown=True,
                record="扣押清单：熟食20公斤", party_signed=True)
    with pytest.raises(RuleViolation) as exc:
        S.act_record(**base)
    assert exc.value.rule == "QZ-018-019"
    with pytest.raises(RuleViolation) as exc:
        S.act_record(approval_ref="负责人批准2026-03-09", **base)
    assert exc.value.rule == "SX-4"
    with pytest.raises(RuleViolation):  # recording starts after the act started
        S.act_record(approval_ref="批准", av_sha256="a" * 64, av_started_at=at(D(2026, 3, 9), 9) + dt.timedelta(minutes=5),
                     av_ended_at=at(D(2026, 3, 9), 11), **base)
    with pytest.raises(RuleViolation):  # party absent, no witness
        S.act_record(**{**base, "party_present": False, "party_signed": False, "refusal_note": "不在场"},
                     approval_ref="批准", av_sha256="a" * 64, av_started_at=at(D(2026, 3, 9), 8),
                     av_ended_at=at(D(2026, 3, 9), 11))
    act = S.act_record(emergency=True, av_sha256="a" * 64, av_started_at=at(D(2026, 3, 9), 8),
                       av_ended_at=at(D(2026, 3, 9), 11), **base)
    row = Deadline.objects.get(object_id=str(case.pk), kind=f"case.emergency_approval.{act.pk}")
    assert row.rule == "QZ-018-019" and row.state == "open"
    # reported to the head at once; the head approves the next day: the 24-hour row is met, the act approved
    from cases.models import Act, CaseApproval
    from cases.selectors import awaiting_head

    request = CaseApproval.objects.get(case=case, kind="emergency", status="pending")
    assert request.details == {"act": act.pk} and "当场实施扣押" in request.opinion
    assert any("紧急强制措施补办批准" in what for _c, what in awaiting_head(cw.zf_head))
    with pytest.raises(NotPermitted):
        S.emergency_approval_decide(actor=cw.bureau_officer, case=case, approval=request, on=D(2026, 3, 10),
                                    approved=True)
    S.emergency_approval_decide(actor=cw.zf_head, case=case, approval=request, on=D(2026, 3, 10), approved=True)
    row.refresh_from_db()
    assert row.state == "met" and Act.objects.get(pk=act.pk).approval_ref == "补办批准：zf_head，2026-03-10"
    assert Deadline.objects.get(object_id=str(case.pk), kind=f"case.seizure.{act.pk}").state == "open"
    with pytest.raises(ValidationFailed):  # decided once
        S.emergency_approval_decide(actor=cw.zf_head, case=case, approval=request, on=D(2026, 3, 10), approved=False,
                                    opinion="x")


def test_QZ_018_019_an_emergency_measure_the_head_refuses_is_released_at_once(cw):
    case = open_case(cw)
    file_case(cw, case)
    act = S.act_record(actor=cw.bureau_officer, case=case, kind=ActKind.SEIZE, started_at=at(D(2026, 3, 9), 9),
                       ended_at=at(D(2026, 3, 9), 10), place="人民路1号", officers=[cw.o1, cw.o2], id_shown=True,
                       record="扣押清单：熟食20公斤", party_signed=True, emergency=True, av_sha256="a" * 64,
                       av_started_at=at(D(2026, 3, 9), 8), av_ended_at=at(D(2026, 3, 9), 11))
    from cases.models import CaseApproval

    request = CaseApproval.objects.get(case=case, kind="emergency")
    with pytest.raises(ValidationFailed) as exc:  # a refusal gives reasons
        S.emergency_approval_decide(actor=cw.zf_head, case=case, approval=request, on=D(2026, 3, 11), approved=False)
    assert "opinion" in exc.value.errors
    S.emergency_approval_decide(actor=cw.zf_head, case=case, approval=request, on=D(2026, 3, 11), approved=False,
                                opinion="不属于紧急情况")
    rows = {d.kind: d.state for d in Deadline.objects.filter(object_id=str(case.pk), kind__contains=f".{act.pk}")}
    assert rows == {f"case.emergency_approval.{act.pk}": "late", f"case.seizure.{act.pk}": "met"}
    assert AuditRecord.objects.filter(action="cases.seizure.release", object_id=str(act.pk)).exists()


def test_XF_056_preservation_needs_approval_and_a_7_working_day_decision(cw):
    """XF-056: 先行登记保存 with the head's approval; decide within 7 working days (warned on day 5)."""
    case = open_case(cw)
    file_case(cw, case)
    base = dict(actor=cw.bureau_officer, case=case, kind=ActKind.PRESERVATION, started_at=at(D(2026, 9, 29)),
                ended_at=at(D(2026, 9, 29), 11), place="仓库", officers=[cw.o1, cw.o2], id_shown=True,
                record="保存物品：账册3本", party_signed=True)
    with pytest.raises(RuleViolation) as exc:
        S.act_record(**base)
    assert exc.value.rule == "XF-056"
    S.act_record(approval_ref="负责人批准", **base)
    d = Deadline.objects.get(object_id=str(case.pk), kind="case.preservation")
    assert d.rule == "XF-056" and d.due_at.date() == D(2026, 10, 14)  # 9-30, 10-8, 10-9, 10-10(调休), 10-12..14


def test_XF_056_QZ_018_019_the_heads_prior_approval_in_the_system_is_used_once(cw):
    """The officers ask before the act; the head approves; the act cites that approval, once."""
    from cases.models import CaseApproval
    from cases.selectors import awaiting_head

    case = open_case(cw)
    file_case(cw, case)
    asked = S.measure_approval_request(actor=cw.bureau_officer, case=case, kind=ActKind.PRESERVATION,
                                       on=D(2026, 3, 9), reason="账册3本，可能灭失")
    assert any("先行登记保存/强制措施审批" in what for _c, what in awaiting_head(cw.zf_head))
    with pytest.raises(NotPermitted):
        S.measure_approval_decide(actor=cw.bureau_officer, case=case, approval=asked, on=D(2026, 3, 9), approved=True)
    base = dict(actor=cw.bureau_officer, case=case, started_at=at(D(2026, 3, 10)), ended_at=at(D(2026, 3, 10), 11),
                place="仓库", officers=[cw.o1, cw.o2], id_shown=True, record="保存物品：账册3本", party_signed=True)
    with pytest.raises(RuleViolation) as exc:  # not yet approved
        S.act_record(kind=ActKind.PRESERVATION, approval=asked, **base)
    assert exc.value.rule == "XF-056"
    S.measure_approval_decide(actor=cw.zf_head, case=case, approval=asked, on=D(2026, 3, 9), approved=True)
    with pytest.raises(RuleViolation) as exc:  # approved for a preservation, not a seizure
        S.act_record(kind=ActKind.SEIZE, approval=asked, emergency=False, **base)
    assert exc.value.rule == "QZ-018-019"
    act = S.act_record(kind=ActKind.PRESERVATION, approval=asked, **base)
    assert act.approval_ref == f"zf_head于2026-03-09批准（审批#{asked.pk}）"
    assert CaseApproval.objects.get(pk=asked.pk).details["used_by_act"] == act.pk
    assert case.documents.filter(doc_type=DocType.PRESERVATION, fields__approval=act.approval_ref).exists()
    with pytest.raises(RuleViolation):  # used once
        S.act_record(kind=ActKind.PRESERVATION, approval=asked, **base)
    refused = S.measure_approval_request(actor=cw.bureau_officer, case=case, kind=ActKind.SEIZE, on=D(2026, 3, 10),
                                         reason="扣押熟食")
    with pytest.raises(ValidationFailed):  # a refusal gives reasons
        S.measure_approval_decide(actor=cw.zf_head, case=case, approval=refused, on=D(2026, 3, 10), approved=False)
    S.measure_approval_decide(actor=cw.zf_head, case=case, approval=refused, on=D(2026, 3, 10), approved=False,
                              opinion="证据已足，无须扣押")
    with pytest.raises(RuleViolation):
        S.act_record(kind=ActKind.SEIZE, approval=refused, av_sha256="a" * 64, av_started_at=at(D(2026, 3, 10), 8),
                     av_ended_at=at(D(2026, 3, 10), 12), **base)


def test_XF_046_evidence_kinds_and_only_verified_lawful_evidence_counts(cw):
    """XF-046: eight kinds; unverified or unlawfully obtained evidence cannot support a decision."""
    case = open_case(cw)
    file_case(cw, case)
    with pytest.raises(RuleViolation):
        S.evidence_add(actor=cw.bureau_officer, case=case, kind="rumour", description="x", collected_on=D(2026, 3, 9),
                       collectors=[cw.o1], method="x")
    ev = S.evidence_add(actor=cw.bureau_officer, case=case, kind=EvidenceKind.WITNESS, description="证人证言",
                        collected_on=D(2026, 3, 9), collectors=[cw.o1, cw.o2], method="询问", lawful=False,
                        data=b"statement", filename="s.txt")
    assert len(ev.sha256) == 64
    S.evidence_verify(actor=cw.bureau_officer, evidence=ev, on=D(2026, 3, 10))
    to_review(cw, case)
    with pytest.raises(RuleViolation) as exc:  # XF-040: facts not established without usable evidence
        propose(cw, case)
    assert exc.value.rule == "XF-040"


def test_XF_040_facts_not_established_gives_no_penalty_decision(cw):
    """XF-040 / XF-057(三): outcome NOT_ESTABLISHED issues a 不予行政处罚决定书."""
    case = open_case(cw)
    file_case(cw, case)
    investigate(cw, case)
    to_review(cw, case)
    S.case_propose(actor=cw.bureau_officer, case=case, on=D(2026, 3, 17), outcome=Outcome.NO_PENALTY_NOT_ESTABLISHED)
    S.case_decide_no_penalty(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 18), grounds="证据不足")
    assert Document.objects.filter(case=case, doc_type=DocType.NO_PENALTY).exists()


# ------------------------------------------------------------------ proposal


def test_XF_009_closed_list_and_no_detention(cw):
    """XF-009: only the 第九条 types; 行政拘留 never on this platform."""
    case = ready_for_notice(cw)
    with pytest.raises(RuleViolation) as exc:
        propose(cw, case, types=["fine", "detention"])
    assert exc.value.rule == "XF-009" and "行政拘留" in exc.value.message
    with pytest.raises(RuleViolation):
        propose(cw, case, types=["public_shaming"])


def test_XF_030_032_under_14_no_penalty_14_to_18_mitigation(cw):
    """XF-030-032: age on the act date from the ID number."""
    young = ready_for_notice(cw, party_kind=PartyKind.PERSON, code="330822201301010018", party_name="小明")
    with pytest.raises(RuleViolation) as exc:  # born 2013-01-01: 13 on 2026-03-02
        propose(cw, young, fine=Decimal(60000))
    assert exc.value.rule == "XF-030-032"
    teen = ready_for_notice(cw, party_kind=PartyKind.PERSON, code="330822201001010016", party_name="小红", n=2)
    with pytest.raises(RuleViolation):
        propose(cw, teen, fine=Decimal(60000))
    propose(cw, teen, fine=Decimal(50000), mitigation_reasoning="未成年人，依法从轻")
    assert Case.objects.get(pk=teen.pk).status == CaseStatus.PENALTY_PROPOSED


def test_XF_029_one_fine_per_act(cw):
    """XF-029: a second fine for the same act of the same party is refused."""
    first = ready_for_notice(cw)
    Case.objects.filter(pk=first.pk).update(final_fine=Decimal(60000))
    second = ready_for_notice(cw, n=1)
    Case.objects.filter(pk=second.pk).update(department=cw.zf)
    with pytest.raises(RuleViolation) as exc:
        propose(cw, second)
    assert exc.value.rule == "XF-029"


def test_XF_034_discretion_band_and_XF_038_legal_range(cw):
    """XF-034: the fine must fall in the chosen published band; XF-038: never above the legal maximum."""
    case = ready_for_notice(cw)
    with pytest.raises(RuleViolation) as exc:
        propose(cw, case, fine=Decimal(70000), band=cw.band_light)
    assert exc.value.rule == "XF-034"
    with pytest.raises(RuleViolation) as exc:
        propose(cw, case, fine=Decimal(150000))
    assert exc.value.rule == "XF-038"
    with pytest.raises(RuleViolation) as exc:  # the article provides fines and confiscation, not revocation
        propose(cw, case, fine=Decimal(55000), types=["fine", "revoke_permit"])
    assert exc.value.rule == "XF-038"
    propose(cw, case, fine=Decimal(55000), band=cw.band_light)
    assert Case.objects.get(pk=case.pk).discretion_band == cw.band_light


def test_XF_063_hearing_right_by_type_and_amount(cw):
    """XF-063: heavy types always; fines from the configured 较大数额 thresholds."""
    on = D(2026, 3, 1)
    assert rules.hearing_right(party_kind="org", types=["revoke_permit"], fine=None, confiscation=None, on=on)
    assert rules.hearing_right(party_kind="org", types=["fine"], fine=Decimal(100000), confiscation=None, on=on)
    assert not rules.hearing_right(party_kind="org", types=["fine"], fine=Decimal(99999), confiscation=None, on=on)
    assert rules.hearing_right(party_kind="person", types=["fine"], fine=Decimal(10000), confiscation=None, on=on)
    assert not rules.hearing_right(party_kind="person", types=["warning"], fine=None, confiscation=None, on=on)


# ------------------------------------------------------------------ notice, representations, hearing, decision


def test_XF_044_045_062_no_decision_before_notice_and_period(cw):
    """XF-044-045-062: no decision before the notice is served and the period has run (or representations
    re-examined, or a written waiver); never heavier than notified."""
    case = ready_for_notice(cw)
    propose(cw, case)
    review_pass(cw, case, on=D(2026, 3, 17))
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 18), types=["fine"], fine=Decimal(60000))
    assert exc.value.rule == "XF-044-045-062"
    notice(cw, case, on=D(2026, 3, 18))  # representation period: 5 working days → 2026-03-25
    assert Case.objects.get(pk=case.pk).representation_due == D(2026, 3, 25)
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 25), types=["fine"], fine=Decimal(60000))
    assert exc.value.rule == "XF-044-045-062"
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 26), types=["fine"], fine=Decimal(70000))
    assert "重新告知" in exc.value.message
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 26), types=["fine"], fine=Decimal(60000))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECIDED


def test_XF_044_045_062_representations_are_re_examined(cw):
    """XF-044-045-062: representations need a 复核意见; then the decision may come before the period ends."""
    case = ready_for_notice(cw)
    propose(cw, case)
    notice(cw, case)
    with pytest.raises(ValidationFailed):
        S.representations_record(actor=cw.bureau_officer, case=case, text="我不知道需要许可", received_on=D(2026, 3, 19),
                                 review_opinion="")
    S.representations_record(actor=cw.bureau_officer, case=case, text="我不知道需要许可", received_on=D(2026, 3, 19),
                             review_opinion="不知法不构成免责事由，不予采纳")
    review_pass(cw, case)
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 20), types=["fine"], fine=Decimal(55000))


def test_XF_064_a_late_hearing_request_is_the_heads_to_accept(cw):
    from cases.models import CaseApproval, Hearing

    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(100000))
    notice(cw, case, on=D(2026, 3, 18))
    with pytest.raises(ValidationFailed) as exc:  # the party's reasons are put to the head
        S.hearing_request_late(actor=cw.bureau_officer, case=case, requested_on=D(2026, 3, 26), reason="")
    assert "reason" in exc.value.errors
    S.hearing_request_late(actor=cw.bureau_officer, case=case, requested_on=D(2026, 3, 26), reason="住院，附诊断证明")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NOTICE_SERVED
    with pytest.raises(NotPermitted):
        S.late_hearing_decide(actor=cw.bureau_officer, case=case, on=D(2026, 3, 27), approved=True)
    with pytest.raises(ValidationFailed):  # a refusal needs reasons
        S.late_hearing_decide(actor=cw.zf_head, case=case, on=D(2026, 3, 27), approved=False)
    S.late_hearing_decide(actor=cw.zf_head, case=case, on=D(2026, 3, 27), approved=True, opinion="理由正当，受理")
    case.refresh_from_db()
    hearing = Hearing.objects.get(case=case)
    assert case.status == CaseStatus.HEARING_REQUESTED
    assert (hearing.requested_on, hearing.late_request_approved) == (D(2026, 3, 26), True)
    assert CaseApproval.objects.get(case=case, kind="hearing").decided_by == cw.zf_head


def test_XF_064_hearing_request_notice_presider_agents(cw):
    """XF-064: request within 5 working days; notice 7 working days before; presider not an investigator;
    at most two agents; then XF-058 legal review is required before deciding."""
    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(100000))  # ≥ the organisation threshold → hearing right
    notice(cw, case, on=D(2026, 3, 18))
    c = Case.objects.get(pk=case.pk)
    assert c.hearing_right and c.hearing_request_due == D(2026, 3, 25)
    with pytest.raises(RuleViolation) as exc:
        S.hearing_request(actor=cw.bureau_officer, case=case, requested_on=D(2026, 3, 26))
    assert exc.value.rule == "XF-064"
    S.hearing_request(actor=cw.bureau_officer, case=case, requested_on=D(2026, 3, 24))
    with pytest.raises(RuleViolation):  # too early: notice 03-26 → earliest 04-07 (7 wd incl. 清明 4-4..4-6)
        S.hearing_schedule(actor=cw.bureau_officer, case=case, notice_served_on=D(2026, 3, 26),
                           scheduled_for=at(D(2026, 4, 3)), place="听证室", presider=cw.o3)
    with pytest.raises(RuleViolation):
        S.hearing_schedule(actor=cw.bureau_officer, case=case, notice_served_on=D(2026, 3, 26),
                           scheduled_for=at(D(2026, 4, 10)), place="听证室", presider=cw.o1)
    with pytest.raises(RuleViolation):
        S.hearing_schedule(actor=cw.bureau_officer, case=case, notice_served_on=D(2026, 3, 26),
                           scheduled_for=at(D(2026, 4, 10)), place="听证室", presider=cw.o3, agents=["甲", "乙", "丙"])
    assert rules.earliest_hearing_date(D(2026, 3, 26)) == D(2026, 4, 8)
    S.hearing_schedule(actor=cw.bureau_officer, case=case, notice_served_on=D(2026, 3, 26),
                       scheduled_for=at(D(2026, 4, 10)), place="听证室", presider=cw.o3, agents=["律师甲"])
    S.hearing_hold(actor=cw.bureau_officer, case=case, held_on=D(2026, 4, 10), attended=True, record="听证记录…",
                   party_signed=True)
    # the review waited for since the proposal (100,000 yuan) is still the one clock after the hearing
    assert Deadline.objects.filter(object_id=str(case.pk), kind="case.legal_review", state="open").count() == 1
    closed = case.transitions.get(new=CaseStatus.HEARING_CLOSED)
    assert closed.reason == "听证结束"
    with translation.override("en"):
        assert closed.said_again(closed.reason, 500) == "Hearing closed"
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 4, 14), types=["fine"],
                      fine=Decimal(100000))
    assert exc.value.rule == "XF-058"


def test_XF_058_a_later_return_undoes_an_earlier_pass_everywhere(cw):
    """The last review is the one that counts: a pass followed by a return (the reviewer looked again) leaves
    the decision refused and the case with its handlers — out of the reviewer's queue, no review clock —
    until they answer; a new proposal answers it, puts it back in the queue and starts a clock."""
    from cases.selectors import review_queue

    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(60000))
    review_pass(cw, case, on=D(2026, 3, 17))
    assert case not in review_queue()
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="return", opinion="裁量理由需补充",
                          checklist={"裁量适当": False}, on=D(2026, 3, 18))
    assert case not in review_queue() and not S.awaiting_review(case)
    notice(cw, case)
    S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), statement=b"%PDF-1.4 waiver")
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    assert exc.value.rule == "XF-058" and "须经法制审核且审核通过（2026-03-18审核结论：退回补正）" in exc.value.message
    propose(cw, case, on=D(2026, 3, 20), fine=Decimal(60000))
    assert case in review_queue() and S.awaiting_review(case)
    assert LegalReview.objects.get(case=case, result="return").resubmitted_on == D(2026, 3, 20)
    assert Deadline.objects.filter(object_id=str(case.pk), kind="case.legal_review", state="open").exists()


RETURNED_ON = D(2026, 3, 18)


def _queue_agrees(case, expected: bool):
    """The reviewers' queue (SQL) and the step's condition (Python) read "waiting for review" alike."""
    from cases.selectors import review_queue

    case.refresh_from_db()
    assert S.awaiting_review(case) is expected
    assert review_queue().filter(pk=case.pk).exists() is expected


def _returned(cw, on=RETURNED_ON):
    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(60000))
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="return", opinion="当事人陈述笔录未签名，请补正",
                          checklist={"程序合法": False}, on=on)
    return case


def test_XF_058_a_returned_case_is_the_handlers_until_they_resubmit_it(cw):
    """退回补正 sends the case back to its handlers: the reviewer's queue and clock wait for them. They answer
    with what they corrected (补正后重新提请): the case is back in the queue with its review clock running from
    that day, the answer is kept on the review and audited. Refused, writing nothing: someone who does not
    handle the case, no account of the correction, a date before the return, resubmitting twice."""
    from cases.selectors import review_queue
    from cases.steps import steps_for

    case = _returned(cw)
    assert case not in review_queue()
    assert "legal_review" not in [s.key for s in steps_for(case, cw.legal_reviewer)]  # not offered to review again
    assert not Deadline.objects.filter(object_id=str(case.pk), kind="case.legal_review", state="open").exists()
    with pytest.raises(RuleViolation) as exc:  # nor reviewed again before the handlers answer, by any path
        S.legal_review_record(actor=cw.legal_reviewer, case=case, result="pass", opinion="复核通过",
                              checklist={"程序合法": True}, on=D(2026, 3, 19))
    assert exc.value.rule == "XF-058" and "2026-03-18已退回补正" in exc.value.message
    assert LegalReview.objects.filter(case=case).count() == 1
    with pytest.raises(NotPermitted):
        S.legal_review_resubmit(actor=cw.legal_reviewer, case=case, on=D(2026, 3, 20), note="已补正")
    with pytest.raises(ValidationFailed) as exc:
        S.legal_review_resubmit(actor=cw.bureau_officer, case=case, on=D(2026, 3, 20), note="  ")
    assert "note" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        S.legal_review_resubmit(actor=cw.bureau_officer, case=case, on=D(2026, 3, 17), note="已补正")
    assert "on" in exc.value.errors
    review = LegalReview.objects.get(case=case)
    assert review.resubmitted_on is None and case not in review_queue()
    assert not AuditRecord.objects.filter(action="cases.legal_review.resubmit").exists()

    S.legal_review_resubmit(actor=cw.bureau_officer, case=case, on=D(2026, 3, 20), note="已由当事人补签陈述笔录")
    review.refresh_from_db()
    assert (review.resubmitted_on, review.resubmission_note, review.resubmitted_by) == (
        D(2026, 3, 20), "已由当事人补签陈述笔录", cw.bureau_officer)
    row = review_queue().get(pk=case.pk)
    assert row.last_result == "return" and row.last_resubmitted_on == D(2026, 3, 20)
    assert "legal_review" in [s.key for s in steps_for(case, cw.legal_reviewer)]
    clock_row = Deadline.objects.get(object_id=str(case.pk), kind="case.legal_review", state="open")
    assert clock_row.basis == "2026-03-20 + 10 个工作日"
    assert AuditRecord.objects.filter(action="cases.legal_review.resubmit", object_id=str(review.pk)).exists()
    with pytest.raises(RuleViolation) as exc:
        S.legal_review_resubmit(actor=cw.bureau_officer, case=case, on=D(2026, 3, 20), note="再次提请")
    assert exc.value.rule == "XF-058"
    _queue_agrees(case, True)
    review_pass(cw, case, on=D(2026, 3, 23))
    _queue_agrees(case, False)
    assert Deadline.objects.get(pk=clock_row.pk).state == "met"


def test_XF_058_a_failed_proposal_is_withdrawn_and_proposed_again(cw):
    """不通过 is not answered by resubmitting the same proposal: before 告知 the handlers withdraw it to the
    review stage (the review clock stops) and propose again, which puts the case back with the reviewers."""

    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(60000))
    _queue_agrees(case, True)
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="fail", opinion="罚款超出裁量基准幅度",
                          checklist={"裁量适当": False}, on=D(2026, 3, 18))
    _queue_agrees(case, False)
    with pytest.raises(RuleViolation) as exc:
        S.legal_review_resubmit(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), note="已补正")
    assert "须重新拟定处理意见" in exc.value.message
    with pytest.raises(RuleViolation) as exc:  # the same proposal is not reviewed again either
        S.legal_review_record(actor=cw.legal_reviewer, case=case, result="pass", opinion="经再次审查，同意",
                              checklist={"裁量适当": True}, on=D(2026, 3, 19))
    assert "2026-03-18审核不通过" in exc.value.message and LegalReview.objects.filter(case=case).count() == 1
    with pytest.raises(ValidationFailed) as exc:
        S.proposal_withdraw(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), reason="")
    assert "reason" in exc.value.errors and Case.objects.get(pk=case.pk).status == CaseStatus.PENALTY_PROPOSED
    S.proposal_withdraw(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), reason="按审核意见重新确定罚款数额")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REVIEW
    assert case.transitions.last().reason == "撤回拟处理意见：按审核意见重新确定罚款数额"
    assert not Deadline.objects.filter(object_id=str(case.pk), kind="case.legal_review", state="open").exists()
    _queue_agrees(case, False)
    propose(cw, case, on=D(2026, 3, 20), fine=Decimal(55000))
    _queue_agrees(case, True)
    assert LegalReview.objects.get(case=case).resubmitted_on == D(2026, 3, 20)
    notice(cw, case, on=D(2026, 3, 20))
    with pytest.raises(RuleViolation):  # once the party is told, a changed proposal is 重新拟定 and told again
        S.proposal_withdraw(actor=cw.bureau_officer, case=case, on=D(2026, 3, 21), reason="再次调整")


def test_XF_058_resubmitting_through_the_form_speaks_the_officers_language(cw, client):
    """The step's form and its confirmation in English: a step said what it had done in Chinese to everyone."""
    case = _returned(cw)
    client.force_login(cw.bureau_officer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "Awaiting correction and resubmission" in page and "Resubmit for legal review after correction" in page
    resp = client.post(reverse("cases:step", args=[case.pk, "review_resubmit"]),
                       {"on": "2026-03-20", "note": "已补签笔录"}, follow=True)
    page = resp.content.decode()
    assert "Resubmitted for legal review" in page and "已重新提请法制审核" not in page
    assert "Resubmitted after correction" in page and "已补签笔录" in page
    resp = client.post(reverse("cases:step", args=[case.pk, "review_resubmit"]), {"on": "2026-03-20", "note": "x"})
    assert resp.status_code == 409  # answered once: no longer offered, and the refusal is in English too
    assert "cannot take the step “Resubmit for legal review after correction”" in resp.content.decode()


def test_XF_058_the_handler_is_told_what_the_review_sent_back(cw, client):
    """The handling officer's 我的待办 lists the cases a review returned or failed, with the opinion, until they
    answer; other officers of the body who do not handle the case, and the reviewer, are not shown it."""
    case = _returned(cw)
    client.force_login(cw.bureau_officer)
    home = client.get("/").content.decode()
    assert "法制审核未通过，待补正或重新拟定" in home and case.number in home and "当事人陈述笔录未签名" in home
    assert reverse("cases:case", args=[case.pk]) in home
    from org.choices import Role
    from org.models import User

    other = User.objects.create_user("zf_other", password="x", role=Role.BUREAU_OFFICER, department=cw.zf,
                                     team=cw.bureau_team)
    cw.make_officer("洪其他", cw.bureau_team, user=other, no="33082200077")
    for who in (other, cw.legal_reviewer):
        client.force_login(who)
        assert "法制审核未通过" not in client.get("/").content.decode()
    S.legal_review_resubmit(actor=cw.bureau_officer, case=case, on=D(2026, 3, 20), note="已补签")
    client.force_login(cw.bureau_officer)
    assert "法制审核未通过" not in client.get("/").content.decode()
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="fail", opinion="罚款明显不当",
                          checklist={"裁量适当": False}, on=D(2026, 3, 21))
    home = client.get("/").content.decode()
    assert "法制审核未通过，待补正或重新拟定" in home and "不通过" in home and "罚款明显不当" in home


def test_XF_058_the_case_export_holds_its_legal_reviews(cw):
    """The history exported for reconsideration or a court carries each review, its answer and its audit."""
    case = _returned(cw)
    S.legal_review_resubmit(actor=cw.bureau_officer, case=case, on=D(2026, 3, 20), note="已补签")
    out = S.export_history(case)
    assert out["legal_reviews"] == [{"reviewed_on": "2026-03-18", "reviewer": str(cw.legal_reviewer),
                                     "result": "return", "triggers": out["legal_reviews"][0]["triggers"],
                                     "opinion": "当事人陈述笔录未签名，请补正", "resubmitted_on": "2026-03-20",
                                     "resubmission_note": "已补签"}]
    assert out["legal_reviews"][0]["triggers"]
    assert {"cases.legal_review", "cases.legal_review.resubmit"} <= {r["action"] for r in out["audit"]}


def test_XF_058_after_a_hearing_the_review_must_have_read_it(cw):
    """XF-058 (二) with 第六十五条: the decision after a hearing rests on its record, so a review passed before
    the hearing does not let the head decide; the hearing starts the review's clock again."""
    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(100000))
    review_pass(cw, case, on=D(2026, 3, 17))
    notice(cw, case, on=D(2026, 3, 18))
    S.hearing_request(actor=cw.bureau_officer, case=case, requested_on=D(2026, 3, 24))
    S.hearing_schedule(actor=cw.bureau_officer, case=case, notice_served_on=D(2026, 3, 26),
                       scheduled_for=at(D(2026, 4, 10)), place="听证室", presider=cw.o3)
    assert not Deadline.objects.filter(object_id=str(case.pk), kind="case.legal_review", state="open").exists()
    from cases.selectors import review_queue

    assert case not in review_queue()
    S.hearing_hold(actor=cw.bureau_officer, case=case, held_on=D(2026, 4, 10), attended=True, record="听证记录…",
                   party_signed=True)
    assert case in review_queue()  # back in the reviewer's queue
    clock_row = Deadline.objects.get(object_id=str(case.pk), kind="case.legal_review", state="open")
    assert clock_row.basis == "2026-04-10 + 10 个工作日"
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 4, 14), types=["fine"], fine=Decimal(100000))
    assert exc.value.rule == "XF-058" and "听证后须重新法制审核" in exc.value.message
    review_pass(cw, case, on=D(2026, 4, 13))
    assert case not in review_queue()
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 4, 14), types=["fine"], fine=Decimal(100000))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECIDED
    assert Deadline.objects.get(pk=clock_row.pk).state == "met"


def test_XF_058_legal_review_needs_a_qualified_reviewer_and_a_pass(cw):
    """XF-058: reviewer must be a legal reviewer with the 法律职业资格; RETURN does not allow deciding."""
    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(60000), is_complex=True)
    with pytest.raises(RuleViolation):
        S.legal_review_record(actor=cw.bureau_officer, case=case, result="pass", opinion="同意", checklist={},
                              on=D(2026, 3, 18))
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="return", opinion="证据需补充",
                          checklist={"证据": False}, on=D(2026, 3, 18))
    notice(cw, case)
    S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), statement=b"%PDF-1.4 waiver")
    S.collective_discussion_record(actor=cw.bureau_officer, case=case, held_on=D(2026, 3, 20),
                                   attendees=["局长", "副局长", "法制科长"], opinions="同意", conclusion="罚款6万元")
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    assert exc.value.rule == "XF-058"
    S.legal_review_resubmit(actor=cw.bureau_officer, case=case, on=D(2026, 3, 20), note="已补充现场检查笔录")
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="pass", opinion="同意",
                          checklist={"主体合法": True, "程序合法": True}, on=D(2026, 3, 23))
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    assert LegalReview.objects.filter(case=case).count() == 2
    # the review comes before the decision: once decided, none can be added (found by test_properties: a
    # "return" recorded on the decision day made the decision look unreviewed, or an unreviewed one reviewed)
    with pytest.raises(RuleViolation) as exc:
        S.legal_review_record(actor=cw.legal_reviewer, case=case, result="return", opinion="补充审核",
                              checklist={"主体合法": True}, on=D(2026, 3, 23))
    assert exc.value.rule == "XF-058" and "已作出决定" in exc.value.message
    assert LegalReview.objects.filter(case=case).count() == 2


def test_XF_058_the_review_has_its_own_clock_when_the_decision_needs_one(cw):
    """XF-058 timer (UNVERIFIED; ``case.legal_review_working_days``, default 10): a proposal that needs
    review waits for the reviewers from the day it is made; a return ends that clock and a new proposal starts
    another; a proposal that needs none has none; the decision leaves nothing waiting."""
    from core.services import config_set

    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(60000))  # from 50,000 yuan: on the county's review list
    row = Deadline.objects.get(object_id=str(case.pk), kind="case.legal_review", state="open")
    assert row.rule == "XF-058" and row.label == f"{case.number} 法制审核" and not row.party_period
    # proposed on 2026-03-17 (Tuesday) + 10 working days
    assert row.due_at.astimezone(TZ).date() == D(2026, 3, 31) and row.basis == "2026-03-17 + 10 个工作日"
    with translation.override("en"):
        assert row.shown == f"{case.number}: legal review"
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="return", opinion="证据需补充",
                          checklist={"证据": False}, on=D(2026, 3, 18))
    row.refresh_from_db()
    assert row.state == "met"
    config_set(actor=cw.guidance, key="case.legal_review_working_days", value=5, valid_from=D(2026, 1, 1),
               reason="本县规定5个工作日")
    notice(cw, case)
    propose(cw, case, on=D(2026, 3, 20), fine=Decimal(55000))  # re-proposed after the return: a new clock
    again = Deadline.objects.get(object_id=str(case.pk), kind="case.legal_review", state="open")
    assert again.due_at.astimezone(TZ).date() == D(2026, 3, 27)
    notice(cw, case, on=D(2026, 3, 20))
    S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 20), statement=b"%PDF-1.4 waiver")
    review_pass(cw, case, on=D(2026, 3, 23))
    assert Deadline.objects.get(pk=again.pk).state == "met"
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(55000))
    assert not Deadline.objects.filter(object_id=str(case.pk), kind="case.legal_review", state="open").exists()
    small = ready_for_notice(cw, n=2)
    propose(cw, small, fine=Decimal(2000))  # not on the list, not complex, no hearing: no review needed
    assert not Deadline.objects.filter(object_id=str(small.pk), kind="case.legal_review").exists()


def test_XF_058_the_reviewer_is_told_what_waits_for_review(cw, client):
    """XF-058: the legal reviewer's 我的待办 counts the cases waiting for review and links the queue; a passing
    review takes the case off it; nobody else is shown the count or let into the queue."""
    case = ready_for_notice(cw)
    propose(cw, case)
    client.force_login(cw.legal_reviewer)
    home = client.get("/").content.decode()
    assert "待法制审核" in home and reverse("cases:reviews") in home
    queue = client.get(reverse("cases:reviews")).content.decode()
    decide = Deadline.objects.get(object_id=str(case.pk), kind="case.decide")  # XF-060's 90 days, shown to plan by
    assert case.number in queue and decide.due_at.astimezone(TZ).strftime("%Y-%m-%d") in queue and "未审核" in queue
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="return", opinion="证据需补充",
                          checklist={"证据": False}, on=D(2026, 3, 17))
    assert case.number not in client.get(reverse("cases:reviews")).content.decode()  # the handlers' turn
    assert reverse("cases:reviews") in client.get(reverse("cases:workbench")).content.decode()
    for who in (cw.bureau_officer, cw.zf_head):
        client.force_login(who)
        assert "待法制审核" not in client.get("/").content.decode()
        assert client.get(reverse("cases:reviews")).status_code == 404
        assert reverse("cases:reviews") not in client.get(reverse("cases:workbench")).content.decode()
    client.force_login(cw.bureau_officer)  # the handler sees why, and answers on the case page
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "证据需补充" in page and "待补正后重新提请" in page
    assert reverse("cases:step", args=[case.pk, "review_resubmit"]) in page
    resp = client.post(reverse("cases:step", args=[case.pk, "review_resubmit"]),
                       {"on": "2026-03-18", "note": "已补充现场检查笔录"})
    assert resp.status_code == 302, resp.content.decode()[-2000:]
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "补正后重新提请" in page and "已补充现场检查笔录" in page and "待补正后重新提请" not in page
    client.force_login(cw.legal_reviewer)
    queue = client.get(reverse("cases:reviews")).content.decode()
    assert case.number in queue and "退回补正" in queue and "03-17" in queue and "重新提请 03-18" in queue
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="pass", opinion="同意",
                          checklist={"主体合法": True, "程序合法": True}, on=D(2026, 3, 18))
    client.force_login(cw.legal_reviewer)
    assert "待法制审核" not in client.get("/").content.decode()

def test_XF_057_complex_cases_need_collective_discussion(cw):
    """XF-057: 情节复杂或者重大违法 → 集体讨论记录 before the decision."""
    case = ready_for_notice(cw)
    propose(cw, case, is_complex=True)
    notice(cw, case)
    S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), statement=b"%PDF-1.4 waiver")
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="pass", opinion="同意", checklist={}, on=D(2026, 3, 19))
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    assert exc.value.rule == "XF-057"


def test_XF_057_the_head_decides_not_the_handling_officer(cw, client):
    """XF-057: 调查终结，行政机关负责人应当对调查结果进行审查，根据不同情况，分别作出如下决定."""
    case = ready_to_decide(cw)
    before = AuditRecord.objects.count()
    for who in (cw.bureau_officer, cw.legal_reviewer):
        with pytest.raises(NotPermitted) as exc:
            S.case_decide(actor=who, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
        assert "XF-057" in exc.value.message
    assert AuditRecord.objects.count() == before and Case.objects.get(pk=case.pk).status == CaseStatus.NOTICE_SERVED
    from cases.selectors import awaiting_head

    assert [(c.pk, "XF-057" in what) for c, what in awaiting_head(cw.zf_head)] == [(case.pk, True)]
    assert awaiting_head(cw.bureau_officer) == []
    client.force_login(cw.zf_head)
    assert "待负责人决定" in client.get("/").content.decode()
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decided_by == cw.zf_head
    assert awaiting_head(cw.zf_head) == []


def test_XF_060_decision_within_90_days(cw):
    """XF-060: no decision after filing + 90 days without the head's reasons for the delay (test_decision_extension)."""
    case = ready_to_decide(cw)
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 6, 5), types=["fine"], fine=Decimal(60000))
    assert exc.value.rule == "XF-060"


def test_XF_059_decision_document_carries_every_required_field_FY_020_FY_024_027_SS_046_045(cw):
    """XF-059 + remedies: party, address, facts and evidence, penalty and basis, performance, surcharge
    standard, remedy naming the county government, 60 days and 6 months, agency and date."""
    case = ready_to_decide(cw)
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000),
                  order_correction="立即停止无证经营", correction_due=D(2026, 3, 23))
    doc = Document.objects.get(case=case, doc_type=DocType.DECISION)
    f = doc.fields
    for key in ("party", "address", "facts", "evidence", "penalty", "performance", "surcharge", "remedy", "agency", "date"):
        assert f[key], key
    assert "常山县人民政府" in f["remedy"] and "六十日" in f["remedy"] and "六个月" in f["remedy"]
    assert "百分之三" in f["surcharge"] and "《城市市容和环境卫生管理条例》第三十四条" in f["penalty"]
    assert doc.number == "常综执罚决字〔2026〕第1号"
    assert Document.objects.filter(case=case, doc_type=DocType.ORDER).exists()  # XF-028


def test_SS_064_remedy_text_must_name_body_and_periods(cw):
    """SS-064: a decision cannot be issued without body + 60日 + 6个月 (or reconsideration first)."""
    good = rules.remedy_text(reconsideration_body="常山县人民政府", simple=False).text
    assert rules.remedy_text_problems(good, body="常山县人民政府", simple=False) == []
    assert rules.remedy_text_problems("可以申请复议", body="常山县人民政府", simple=False)


# ------------------------------------------------------------------ service, payment, surcharge, remedies


def decided(w, n=1, fine=Decimal(60000)):
    case = ready_for_notice(w, n=n)
    propose(w, case, fine=fine)
    notice(w, case)
    review_pass(w, case)
    S.waiver_record(actor=w.bureau_officer, case=case, on=D(2026, 3, 19), statement=b"%PDF-1.4 waiver")
    S.case_decide(actor=w.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=fine)
    return Case.objects.get(pk=case.pk)


def test_XF_061_service_methods(cw):
    """XF-061: 7 working days to serve; electronic needs consent; public notice = served after 30 days."""
    case = decided(cw)
    d = Deadline.objects.get(object_id=str(case.pk), kind="case.serve")
    assert d.rule == "XF-061" and d.due_at.date() == D(2026, 4, 1)
    # the body's legal reviewer reviewed the decision; serving it is the handling officers' work
    with pytest.raises(RuleViolation) as exc:
        S.case_serve(actor=cw.legal_reviewer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT,
                     receiver="当事人")
    assert exc.value.rule == "XF-061" and Case.objects.get(pk=case.pk).served_on is None
    with pytest.raises(RuleViolation):
        S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.ELECTRONIC,
                     receiver="当事人")
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 1), method=ServiceMethod.PUBLIC_NOTICE,
                 receiver="当事人", public_notice_on=D(2026, 3, 24))
    assert Case.objects.get(pk=case.pk).served_on == D(2026, 4, 23)


def test_XF_067_payment_within_15_days_with_DAY_4_rollover(cw):
    """XF-067: 15 days from service; a last day on the National Day holiday moves to 10-08."""
    assert rules.payment_deadline(D(2026, 9, 16)).due == D(2026, 10, 8)
    case = decided(cw)
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT, receiver="x")
    assert Case.objects.get(pk=case.pk).payment_due == D(2026, 4, 8)
    with pytest.raises(RuleViolation) as exc:  # registering the payment is the handling officers' work too
        S.payment_record(actor=cw.legal_reviewer, case=case, amount=Decimal(60000), paid_on=D(2026, 3, 30))
    assert exc.value.rule == "XF-067" and not case.payments.exists()


def test_XF_072_surcharge_3_percent_a_day_capped_at_the_fine(cw):
    """XF-072: from the day after the due date; cap reached after 34 days."""
    fine = Decimal(1000)
    assert rules.surcharge(fine=fine, due_on=D(2026, 4, 8), on=D(2026, 4, 8)) == Decimal("0.00")
    assert rules.surcharge(fine=fine, due_on=D(2026, 4, 8), on=D(2026, 4, 9)) == Decimal("30.00")
    assert rules.surcharge(fine=fine, due_on=D(2026, 4, 8), on=D(2026, 5, 11)) == Decimal("990.00")  # 33 days
    assert rules.surcharge(fine=fine, due_on=D(2026, 4, 8), on=D(2026, 5, 12)) == Decimal("1000.00")  # 34 → cap
    assert rules.surcharge(fine=fine, due_on=D(2026, 4, 8), on=D(2026, 12, 31)) == fine


def test_XF_073_surcharge_paused_during_remedy_and_XF_066_deferral(cw):
    """XF-073: reconsideration days do not count; XF-066: an approved deferral moves the due date."""
    assert rules.surcharge(fine=Decimal(1000), due_on=D(2026, 4, 8), on=D(2026, 4, 18),
                           paused=[(D(2026, 4, 10), D(2026, 4, 15))]) == Decimal("120.00")  # 10 days − 6 paused
    case = decided(cw)
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT, receiver="x")
    with pytest.raises(RuleViolation):
        S.deferral_approve(actor=cw.zf_head, case=case, reason="经营困难", on=D(2026, 4, 1),
                           schedule=[(D(2026, 5, 1), Decimal(30000))])
    with pytest.raises(NotPermitted):  # approved by the agency's head, not the officer
        S.deferral_approve(actor=cw.bureau_officer, case=case, reason="经营困难", on=D(2026, 4, 1),
                           schedule=[(D(2026, 5, 1), Decimal(30000)), (D(2026, 6, 1), Decimal(30000))])
    S.deferral_approve(actor=cw.zf_head, case=case, reason="经营困难", on=D(2026, 4, 1),
                       schedule=[(D(2026, 5, 1), Decimal(30000)), (D(2026, 6, 1), Decimal(30000))])
    case.refresh_from_db()
    assert case.payment_due == D(2026, 6, 1)
    assert S.current_surcharge(case, D(2026, 6, 1)) == Decimal("0.00")
    assert S.current_surcharge(case, D(2026, 6, 3)) == Decimal("3600.00")


def test_QZ_035_037_reminder_and_QZ_046_053_054_court_window(cw):
    """QZ-035-037: the 催告书 states the amount with surcharge; QZ-046-053-054: apply only after the
    litigation period and 10 working days after the reminder, within 3 months."""
    case = decided(cw, fine=Decimal(60000))
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT, receiver="x")
    S.mark_overdue(case=case, on=D(2026, 4, 9))
    S.reminder_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 4, 20))
    reminder = Document.objects.get(case=case, doc_type=DocType.REMINDER)
    assert "合计" in reminder.fields["amount"] and reminder.fields["rights"]
    opens, closes = rules.court_application_window(served_on=D(2026, 3, 24), reminder_served_on=D(2026, 4, 20))
    assert opens == D(2026, 9, 25) and closes == D(2026, 12, 24)
    with pytest.raises(RuleViolation) as exc:
        S.court_apply(actor=cw.bureau_officer, case=case, applied_on=D(2026, 6, 1))
    assert exc.value.rule == "QZ-046-053-054"
    with pytest.raises(RuleViolation):
        S.court_apply(actor=cw.bureau_officer, case=case, applied_on=D(2026, 12, 25))
    S.court_apply(actor=cw.bureau_officer, case=case, applied_on=D(2026, 10, 9))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.COURT_APPLIED


def test_FY_048_054_no_new_evidence_during_reconsideration_and_answer_deadline(cw):
    """FY-048-054: answer within 10 working days; no evidence collected meanwhile — here a reconsideration of a
    measure taken while the case is investigated, when evidence could otherwise be collected."""
    case = file_case(cw, open_case(cw))
    S.act_record(actor=cw.bureau_officer, case=case, kind=ActKind.SEIZE, started_at=at(D(2026, 3, 9), 9),
                 ended_at=at(D(2026, 3, 9), 10), place="人民路1号", officers=[cw.o1, cw.o2], id_shown=True,
                 record="扣押清单：熟食20公斤", party_signed=True, approval_ref="负责人批准2026-03-09", av_sha256="a" * 64,
                 av_started_at=at(D(2026, 3, 9), 8), av_ended_at=at(D(2026, 3, 9), 11))
    S.remedy_file(actor=cw.bureau_officer, case=case, kind="reconsideration", body="常山县人民政府",
                  filed_on=D(2026, 3, 20), copy_received_on=D(2026, 3, 23))
    from cases.steps import steps_for  # its outcome is recorded from the case page while the case is handled

    assert "remedy_close" in {s.key for s in steps_for(Case.objects.get(pk=case.pk), cw.bureau_officer)}
    assert case.remedies.get().answer_due == D(2026, 4, 7)  # 10 working days, 清明 4-4..4-6 off
    with pytest.raises(RuleViolation) as exc:
        S.evidence_add(actor=cw.bureau_officer, case=case, kind=EvidenceKind.DOCUMENTARY, description="补充",
                       collected_on=D(2026, 3, 24), collectors=[cw.o1], method="调取")
    assert exc.value.rule == "FY-048-054"


def test_SS_026_067_court_evidence_within_15_days(cw):
    """SS-026-067: the defendant's evidence within 15 days of receiving the complaint."""
    assert rules.court_evidence_deadline(D(2026, 9, 16)).due == D(2026, 10, 8)


def test_FY_020_reconsideration_period_60_days(cw):
    """FY-020: 60 days from service."""
    assert rules.reconsideration_deadline(D(2026, 3, 24)).due == D(2026, 5, 25)  # 05-23 is a Saturday


def test_SX_3_publication_and_XF_048_039_withdrawal(cw):
    """SX-3: publish within 7 working days, redacted; XF-048-039: withdraw within 3 working days after change."""
    case = decided(cw)
    pub = case.publication
    assert pub.due_on == D(2026, 4, 1)
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT, receiver="x")
    S.publication_publish(actor=cw.bureau_officer, case=case, on=D(2026, 3, 30))
    remedy = S.remedy_file(actor=cw.bureau_officer, case=case, kind="reconsideration", body="常山县人民政府",
                           filed_on=D(2026, 4, 10))
    S.remedy_close(actor=cw.bureau_officer, remedy=remedy, result=RemedyResult.CHANGED, closed_on=D(2026, 6, 1))
    pub.refresh_from_db()
    assert pub.withdraw_due == D(2026, 6, 4)
    with pytest.raises(ValidationFailed):
        S.publication_withdraw(actor=cw.bureau_officer, case=case, on=D(2026, 6, 2), reason="")
    S.publication_withdraw(actor=cw.bureau_officer, case=case, on=D(2026, 6, 2), reason="复议决定变更")


def test_XF_050_redaction_removes_personal_data(cw):
    """XF-050 / SX-3: ID numbers, phones, accounts and a person's address are removed."""
    text = "当事人张三，身份证号330822199001011234，电话13912345678，住址：天马街道1号，账号6222021234567890123"
    out = rules.redact(text, party_name="张三", is_person=True, other_names=["李四"])
    assert "330822199001011234" not in out and "13912345678" not in out and "6222021234567890123" not in out
    assert "天马街道1号" not in out and "张三" in out


def test_XF_033_no_penalty_minor_needs_education_record(cw):
    """XF-033: every no-penalty case for a minor violation records the education given; the proposal names which
    of 第三十三条's grounds applies, and the printed decision says it."""
    case = ready_for_notice(cw)
    with pytest.raises(ValidationFailed) as exc:
        S.case_propose(actor=cw.bureau_officer, case=case, on=D(2026, 3, 17), outcome=Outcome.NO_PENALTY_MINOR)
    assert "ground" in exc.value.errors
    S.case_propose(actor=cw.bureau_officer, case=case, on=D(2026, 3, 17), outcome=Outcome.NO_PENALTY_MINOR, ground="first")
    with pytest.raises(RuleViolation) as exc:
        S.case_decide_no_penalty(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 18), grounds="首次违法且及时改正")
    assert exc.value.rule == "XF-033"
    S.case_decide_no_penalty(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 18), grounds="首次违法且及时改正",
                             education_method="当面教育", education_content="讲解食品安全法许可规定")
    doc = Document.objects.get(case=case, doc_type=DocType.NO_PENALTY)
    assert "当面教育" in doc.fields["education"] and case.education.count() == 1
    assert doc.fields["grounds"] == "初次违法且危害后果轻微并及时改正（可以不予处罚）。首次违法且及时改正"


def test_XF_033_a_first_violation_is_checked_against_the_partys_earlier_penalties(cw):
    """首违不罚 (XF-033): "初次违法" is looked up — a penalty on the same party (by USCC) for an act within
    ``case.first_violation_lookback_years`` (2) before this one refuses the ground, at the proposal and again at
    the decision; an older one, another party's, or one revoked on review does not. Other grounds are not checked."""
    from cases.models import Remedy
    from cases.tests.helpers import uscc
    from core.services import config_set

    earlier = ready_to_decide(cw, n=5, code=uscc(7))  # the same organisation (its USCC), an act of 2026-03-02
    S.case_decide(actor=cw.zf_head, case=earlier, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    case = ready_for_notice(cw, n=6, code=uscc(7))
    Case.objects.filter(pk=case.pk).update(act_date=D(2026, 3, 4))
    case.refresh_from_db()
    assert case.party_code == earlier.party_code
    with pytest.raises(RuleViolation) as exc:
        S.case_propose(actor=cw.bureau_officer, case=case, on=D(2026, 3, 24), outcome=Outcome.NO_PENALTY_MINOR,
                       ground="first")
    assert exc.value.rule == "XF-033" and "2年内已有违法行为受到行政处罚" in exc.value.message
    assert earlier.number in exc.value.message and "ground" in exc.value.errors
    assert Case.objects.get(pk=case.pk).outcome == ""  # nothing written
    S.case_propose(actor=cw.bureau_officer, case=case, on=D(2026, 3, 24), outcome=Outcome.NO_PENALTY_MINOR,
                   ground="minor")  # 轻微并及时改正、没有危害后果: not a matter of first or not
    # revoked on reconsideration: the earlier penalty no longer counts
    Remedy.objects.create(case=earlier, kind="reconsideration", body="常山县人民政府", filed_on=D(2026, 3, 25),
                          result="revoked")
    assert S.first_violation_blocker(case) is None
    Remedy.objects.filter(case=earlier).update(result="upheld")
    assert S.first_violation_blocker(case) is not None
    config_set(actor=cw.guidance, key="case.first_violation_lookback_years", value=0, valid_from=D(2026, 1, 1),
               reason="本地不予处罚清单：只看本案")
    assert S.first_violation_blocker(case) is None


def test_ZJ_016_referral_outcome_fed_back_and_XY_ZJ_credit_event(cw):
    """ZJ-016: the referring department hears the outcome at closure; XY-ZJ: a final general-procedure
    penalty raises the credit event."""
    case = ready_to_decide(cw, referring_department=cw.scjg)
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT, receiver="x")
    S.payment_record(actor=cw.bureau_officer, case=case, amount=Decimal(60000), paid_on=D(2026, 4, 1))
    close_case(cw, case, D(2026, 10, 1))
    c = Case.objects.get(pk=case.pk)
    assert c.referral_feedback_on == D(2026, 10, 1) and c.credit_pushed_on == D(2026, 10, 1)
    assert cw.scjg.notifications.filter(text__contains="已结案").exists()
    cw.item_food.refresh_from_db()
    assert cw.item_food.last_case_on == D(2026, 10, 1)  # the dormant-item analysis sees it


def test_XF_067_cannot_close_before_payment(cw):
    """XF-067: a served fine must be paid (or enforced) before closure."""
    case = decided(cw)
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT, receiver="x")
    with pytest.raises(RuleViolation):
        S.case_close_request(actor=cw.bureau_officer, case=case, on=D(2026, 3, 30), reason="结案")
    with pytest.raises(ValidationFailed):
        S.payment_record(actor=cw.bureau_officer, case=case, amount=Decimal(60000), paid_on=D(2026, 4, 10))  # +surcharge


# ------------------------------------------------------------------ simple procedure


def test_XF_051_simple_procedure_limits(cw):
    """XF-051: ≤200 yuan for a citizen, ≤3,000 for an organisation; warning or fine only."""
    base = dict(actor=cw.bureau_officer, department=cw.zf, item=cw.item_litter, party_address="天马街道",
                violation="乱扔垃圾", place="人民路", at=at(D(2026, 3, 9)), officers=[cw.o1, cw.o2])
    with pytest.raises(RuleViolation) as exc:
        S.spot_decide(party_kind=PartyKind.PERSON, party_name="张三", party_code="", types=["fine"],
                      fine=Decimal(201), **base)
    assert exc.value.rule == "XF-051" and set(exc.value.errors) == {"fine"}
    with pytest.raises(RuleViolation) as exc:
        S.spot_decide(party_kind=PartyKind.ORG, party_name="某公司", party_code="", types=["fine", "revoke_permit"],
                      fine=Decimal(100), **base)
    assert exc.value.rule == "XF-051" and set(exc.value.errors) == {"types"}
    # each problem carries its own rule and field: a type outside 第九条 is XF-009, named on the types
    with pytest.raises(RuleViolation) as exc:
        S.spot_decide(party_kind=PartyKind.PERSON, party_name="张三", party_code="", types=["detention", "fine"],
                      fine=Decimal(500), **base)
    assert exc.value.rule == "XF-009" and set(exc.value.errors) == {"types", "fine"}
    assert "行政拘留" in exc.value.errors["types"][0] and "200" in exc.value.errors["fine"][0]
    case = S.spot_decide(party_kind=PartyKind.ORG, party_name="某公司", party_code="", types=["fine"],
                         fine=Decimal(3000), **base)
    assert case.status == CaseStatus.SPOT_DECIDED and case.payment_due == D(2026, 3, 24)
    # the body's legal reviewer and head act for it, but the on-the-spot decision is an officer's
    for who in (cw.legal_reviewer, cw.zf_head):
        with pytest.raises(NotPermitted):
            S.spot_decide(**{**base, "actor": who}, party_kind=PartyKind.PERSON, party_name="李四", party_code="",
                          types=["warning"])
        with pytest.raises(NotPermitted):
            open_case(cw, actor=who, n=9)
    assert not Case.objects.filter(party_name__in=["李四", "常山测试9食品有限公司"]).exists()


def test_XF_052_numbered_spot_decision_refusal_noted_and_filed_FY_023(cw):
    """XF-052 / FY-023: numbered from a controlled sequence; refusal noted; filed with the agency;
    remedy text says reconsideration first, with no direct lawsuit."""
    base = dict(actor=cw.bureau_officer, department=cw.zf, item=cw.item_litter, party_kind=PartyKind.PERSON,
                party_name="张三", party_code="", party_address="天马街道", violation="乱扔垃圾", place="人民路",
                at=at(D(2026, 3, 9)), officers=[cw.o1, cw.o2], types=["fine"], fine=Decimal(50))
    with pytest.raises(RuleViolation) as exc:
        S.spot_decide(party_refused_to_sign=True, **base)
    assert exc.value.rule == "XF-052"
    c1 = S.spot_decide(**base)
    c2 = S.spot_decide(party_refused_to_sign=True, refusal_note="当事人拒绝签收，已注明", **base)
    assert (c1.number, c2.number) == ("常综执当罚字〔2026〕第1号", "常综执当罚字〔2026〕第2号")
    assert "应当" in c1.remedy_text and "六个月" not in c1.remedy_text
    filing = Deadline.objects.get(object_id=str(c1.pk), kind="case.spot_filing")
    assert filing.rule == "XF-052" and filing.label == f"{c1.number} 当场处罚决定备案"
    decided = c1.transitions.get(new=CaseStatus.SPOT_DECIDED)
    assert decided.reason == "当场处罚"
    with translation.override("en"):  # a thing due and a thing done, not the step's button
        assert filing.shown == f"{c1.number}: filing of the on-the-spot decision with the agency"
        assert decided.said_again(decided.reason, 500) == "On-the-spot penalty"
    with pytest.raises(ValidationFailed) as exc:  # not before the decision
        S.spot_file_with_agency(actor=cw.bureau_officer, case=c1, on=c1.decided_on - dt.timedelta(days=1))
    assert "on" in exc.value.errors
    S.spot_file_with_agency(actor=cw.bureau_officer, case=c1, on=D(2026, 3, 10))
    assert Case.objects.get(pk=c1.pk).filed_with_agency_on == D(2026, 3, 10)
    with pytest.raises(RuleViolation) as exc:  # once
        S.spot_file_with_agency(actor=cw.bureau_officer, case=c1, on=D(2026, 3, 11))
    assert "已于2026-03-10备案" in exc.value.message and Case.objects.get(pk=c1.pk).filed_with_agency_on == D(2026, 3, 10)
    assert AuditRecord.objects.filter(action="cases.spot.file").count() == 1


def test_XF_052_a_general_procedure_decision_is_not_filed_as_an_on_the_spot_one(cw):
    """备案 with the agency is the on-the-spot decision's (XF-052): a decided general-procedure case is not offered
    the step, and the service refuses it, writing nothing."""
    from cases.steps import steps_for

    case = ready_to_decide(cw)
    S.case_decide(actor=cw.zf_head, case=Case.objects.get(pk=case.pk), decided_on=D(2026, 3, 23), types=["fine"],
                  fine=Decimal(60000))
    case = Case.objects.get(pk=case.pk)
    with clock.frozen(at(D(2026, 3, 24))):
        assert "spot_file" not in [s.key for s in steps_for(case, cw.bureau_officer)]
        with pytest.raises(RuleViolation) as exc:
            S.spot_file_with_agency(actor=cw.bureau_officer, case=case, on=D(2026, 3, 24))
    assert exc.value.rule == "XF-052" and Case.objects.get(pk=case.pk).filed_with_agency_on is None


def test_XF_053_on_the_spot_collection_and_XF_070_071_handover(cw):
    """XF-053: collect on the spot only ≤100 yuan or with a reason; XF-070-071: receipt; 2+2 working days."""
    base = dict(actor=cw.bureau_officer, department=cw.zf, item=cw.item_litter, party_kind=PartyKind.PERSON,
                party_name="张三", party_code="", party_address="天马街道", violation="乱扔垃圾", place="人民路",
                at=at(D(2026, 9, 30)), officers=[cw.o1, cw.o2], types=["fine"])
    with pytest.raises(RuleViolation) as exc:
        S.spot_decide(fine=Decimal(150), collected_on_spot=True, receipt_no="R1", **base)
    assert exc.value.rule == "XF-053"
    with pytest.raises(RuleViolation) as exc:
        S.spot_decide(fine=Decimal(50), collected_on_spot=True, receipt_no="", **base)
    assert exc.value.rule == "XF-070-071"
    S.spot_decide(fine=Decimal(150), collected_on_spot=True, receipt_no="R2", hard_to_enforce_reason="外地游客当日离开", **base)
    case = S.spot_decide(fine=Decimal(50), collected_on_spot=True, receipt_no="R3", **base)
    pay = case.payments.get()
    assert pay.handover_due == D(2026, 10, 9) and pay.deposit_due == D(2026, 10, 12)  # 10-10 is a 调休 working day


# ------------------------------------------------------------------ crime transfer and the record


def test_YS_310_and_XF_027_transfer_of_a_suspected_crime(cw):
    """YS-310 / XF-027: report by two officers; head decides within 3 days; transfer within 24 hours."""
    case = open_case(cw)
    file_case(cw, case)
    S.crime_report(actor=cw.bureau_officer, case=case, report_at=at(D(2026, 3, 10)))
    d = Deadline.objects.get(object_id=str(case.pk), kind="case.crime_head_decision")
    assert d.rule == "YS-310" and d.due_at == at(D(2026, 3, 13))
    with pytest.raises(RuleViolation):
        S.crime_decide(actor=cw.zf_head, case=case, approved=False, at=at(D(2026, 3, 11)))
    with pytest.raises(NotPermitted):  # the principal head approves, not the reporting officers
        S.crime_decide(actor=cw.bureau_officer, case=case, approved=True, at=at(D(2026, 3, 11)))
    S.crime_decide(actor=cw.zf_head, case=case, approved=True, at=at(D(2026, 3, 11)))
    with pytest.raises(RuleViolation):
        S.crime_transfer(actor=cw.bureau_officer, case=case, at=at(D(2026, 3, 12), 11), receipt_no="公安回执1", police="常山县公安局")
    S.crime_transfer(actor=cw.bureau_officer, case=case, at=at(D(2026, 3, 12), 9), receipt_no="公安回执1", police="常山县公安局")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.TRANSFERRED_JUDICIAL


def test_YS_310_a_crime_is_reported_once_while_the_case_is_handled(cw):
    """A second report on the same case is refused with its reason (it was a database error, a 500); so is a
    report before filing, or dated in the future. Nothing is written."""
    from cases.models import CrimeTransfer

    clue = open_case(cw, n=2)
    with pytest.raises(RuleViolation) as exc:
        S.crime_report(actor=cw.bureau_officer, case=clue, report_at=at(D(2026, 3, 10)))
    assert exc.value.rule == "YS-310" and "立案后" in exc.value.message
    case = open_case(cw)
    file_case(cw, case)
    with clock.frozen(at(D(2026, 3, 10), 12)):
        with pytest.raises(ValidationFailed) as exc:
            S.crime_report(actor=cw.bureau_officer, case=case, report_at=at(D(2026, 3, 11)))
        assert "report_at" in exc.value.errors and not CrimeTransfer.objects.exists()
        S.crime_report(actor=cw.bureau_officer, case=case, report_at=at(D(2026, 3, 10)))
        with pytest.raises(RuleViolation) as exc:
            S.crime_report(actor=cw.bureau_officer, case=case, report_at=at(D(2026, 3, 10), 11))
    assert "已于2026-03-10 10:00报告涉嫌犯罪" in exc.value.message and CrimeTransfer.objects.count() == 1


def test_XF_067_a_fine_paid_is_not_paid_again(cw):
    """A second payment on a paid case is refused with its reason, not with a state error."""
    from cases.models import Payment

    case = decided(cw)
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT,
                 receiver="当事人")
    S.payment_record(actor=cw.bureau_officer, case=Case.objects.get(pk=case.pk), amount=Decimal(60000),
                     paid_on=D(2026, 3, 25))
    with pytest.raises(RuleViolation) as exc:
        S.payment_record(actor=cw.bureau_officer, case=Case.objects.get(pk=case.pk), amount=Decimal(60000),
                         paid_on=D(2026, 3, 26))
    assert "罚款已于2026-03-25缴清" in exc.value.message and Payment.objects.filter(case=case).count() == 1


def test_XF_047_every_transition_is_audited_and_exported(cw):
    """XF-047: full-process record; the export for a court carries documents and evidence with hashes."""
    case = decided(cw)
    actions = set(AuditRecord.objects.filter(object_type="cases.case", object_id=str(case.pk))
                  .values_list("action", flat=True))
    assert {"cases.case.open", "cases.case.filed", "cases.case.decided"} <= actions
    assert CaseTransition.objects.filter(case=case).count() >= 8
    export = S.export_history(case)
    assert all(len(d["sha256"]) == 64 for d in export["documents"])
    assert export["evidence"][0]["sha256"] and export["audit"]


def test_documents_are_gap_free_voids_kept_and_required_fields_enforced(cw):
    """WS numbering: gap-free per body/type/year; a voided number stays; missing fields block issue."""
    from cases import documents as docs

    a = decided(cw, n=1)
    b = decided(cw, n=2)
    numbers = list(Document.objects.filter(doc_type=DocType.DECISION).order_by("seq").values_list("seq", flat=True))
    assert numbers == [1, 2]
    doc = Document.objects.get(case=a, doc_type=DocType.DECISION)
    docs.void(actor=cw.bureau_officer, document=doc, reason="当事人名称错误")
    doc.refresh_from_db()
    assert doc.state == "voided" and doc.seq == 1
    from django.db import transaction

    with pytest.raises(RuleViolation) as exc, transaction.atomic():
        docs.issue(case=b, doc_type=DocType.DECISION, on=D(2026, 3, 25), fields={"party": "x"})
    assert "救济途径" in exc.value.message


def test_handler_permission_denials_change_nothing(cw):
    """Only the deciding body's officers act on a case; a denial writes nothing."""
    case = open_case(cw)
    audit = AuditRecord.objects.count()
    with pytest.raises(NotPermitted):
        S.case_assign(actor=cw.tianma_officer, case=case, officer=cw.o1, on=D(2026, 3, 6), no_conflict_declared=True)
    with pytest.raises(NotPermitted):
        S.case_file_request(actor=cw.scjg_officer, case=case, on=D(2026, 3, 6), basis="x")
    assert AuditRecord.objects.count() == audit and Case.objects.get(pk=case.pk).status == CaseStatus.CLUE


def test_XF_054_verification_timer_and_not_filed(cw):
    """XF-054: the verification deadline (configurable) closes when the case is filed or not filed."""
    case = open_case(cw)
    d = Deadline.objects.get(object_id=str(case.pk), kind="case.verify")
    assert d.rule == "XF-054"
    not_file(cw, case, D(2026, 3, 6))
    d.refresh_from_db()
    assert d.state == "met"




def test_QZ_024_028_seizure_period_30_days_extended_once(cw):
    """QZ-024-028: 30 days from the seizure; one extension of at most 30 days with approval and reasons."""
    case = open_case(cw)
    file_case(cw, case)
    act = S.act_record(actor=cw.bureau_officer, case=case, kind=ActKind.SEIZE, started_at=at(D(2026, 3, 9), 9),
                       ended_at=at(D(2026, 3, 9), 10), place="仓库", officers=[cw.o1, cw.o2], id_shown=True,
                       record="扣押清单一式两份：熟食20公斤", party_signed=True, approval_ref="负责人批准",
                       av_sha256="b" * 64, av_started_at=at(D(2026, 3, 9), 8), av_ended_at=at(D(2026, 3, 9), 11))
    row = Deadline.objects.get(object_id=str(case.pk), kind=f"case.seizure.{act.pk}")
    assert row.rule == "QZ-024-028" and row.due_at.date() == D(2026, 4, 8)
    with pytest.raises(NotPermitted):  # the head extends, not the officers
        S.seizure_extend(actor=cw.bureau_officer, case=case, act=act, on=D(2026, 4, 1), reason="需检测")
    with pytest.raises(RuleViolation):
        S.seizure_extend(actor=cw.zf_head, case=case, act=act, on=D(2026, 4, 1), reason="")
    row = S.seizure_extend(actor=cw.zf_head, case=case, act=act, on=D(2026, 4, 1), approval_ref="审批表12号",
                           reason="需检测")
    assert row.due_at.date() == D(2026, 5, 8)
    assert AuditRecord.objects.get(action="cases.seizure.extend").after["approval"] == "zf_head于2026-04-01批准（审批表12号）"
    with pytest.raises(RuleViolation):
        S.seizure_extend(actor=cw.zf_head, case=case, act=act, on=D(2026, 4, 2), reason="再延")
    S.seizure_release(actor=cw.bureau_officer, case=case, act=act, on=D(2026, 4, 20), reason="检测合格，解除扣押")
    row.refresh_from_db()
    assert row.state == "met"


def test_XF_026_assistance_request_with_reply_timer(cw):
    """XF-026 / ZJ-017: an assistance request to another body starts a configurable reply timer
    (5 working days by default); only the requested body replies; a late reply is kept as LATE."""
    case = open_case(cw)
    file_case(cw, case)
    row = S.assistance_request(actor=cw.bureau_officer, case=case, to_department=cw.scjg, matter="提供当事人登记信息",
                               basis="《行政处罚法》第二十六条", on=D(2026, 9, 29))
    assert row.rule == "XF-026" and row.due_at.date() == D(2026, 10, 12)  # 9-30, 10-8, 10-9, 10-10(调休), 10-12
    assert row.label.endswith("协助（县市场监管局）：提供当事人登记信息")  # which body: two requests, two rows
    assert cw.scjg.notifications.filter(text__contains="请求协助").exists()
    with pytest.raises(NotPermitted):
        S.assistance_reply(actor=cw.tianma_officer, case=case, on=D(2026, 10, 9), reply="x")
    S.assistance_reply(actor=cw.scjg_supervisor, case=case, on=D(2026, 10, 14), reply="登记信息已提供")
    row.refresh_from_db()
    assert row.state == "late"


def test_XF_026_the_request_and_its_answer_are_part_of_the_case_file(cw, client):
    """The request (what, on which basis, to whom, when) and the asked body's answer are kept on the case and
    shown to its handlers; the request is made between filing and the decision, dated in the case's order; the
    answer is dated between the request and today. A refusal writes nothing."""
    from cases.models import AssistanceRequest

    clue = open_case(cw, n=2)
    with pytest.raises(RuleViolation) as exc:  # not before filing
        S.assistance_request(actor=cw.bureau_officer, case=clue, to_department=cw.scjg, matter="提供登记信息",
                             basis="《行政处罚法》第二十六条", on=D(2026, 3, 5))
    assert exc.value.rule == "XF-026" and not AssistanceRequest.objects.exists()
    case = open_case(cw)
    file_case(cw, case)
    with pytest.raises(ValidationFailed) as exc:  # before the case's last step
        S.assistance_request(actor=cw.bureau_officer, case=case, to_department=cw.scjg, matter="提供登记信息",
                             basis="《行政处罚法》第二十六条", on=D(2026, 3, 1))
    assert "on" in exc.value.errors and not AssistanceRequest.objects.exists()
    row = S.assistance_request(actor=cw.bureau_officer, case=case, to_department=cw.scjg, matter="提供当事人登记信息",
                               basis="《行政处罚法》第二十六条", on=D(2026, 3, 9))
    asked = AssistanceRequest.objects.get(case=case)
    assert (asked.to_department, asked.matter, asked.requested_on, asked.deadline, asked.requested_by) == (
        cw.scjg, "提供当事人登记信息", D(2026, 3, 9), row, cw.bureau_officer)
    with pytest.raises(ValidationFailed) as exc:  # before the request
        S.assistance_reply(actor=cw.scjg_supervisor, case=case, on=D(2026, 3, 8), reply="已提供")
    assert "on" in exc.value.errors
    assert AssistanceRequest.objects.get(pk=asked.pk).replied_on is None
    S.assistance_reply(actor=cw.scjg_supervisor, case=case, on=D(2026, 3, 10), reply="当事人系个体工商户，登记信息附后")
    asked.refresh_from_db()
    assert (asked.reply, asked.replied_on, asked.replied_by) == ("当事人系个体工商户，登记信息附后", D(2026, 3, 10),
                                                                cw.scjg_supervisor)
    client.force_login(cw.bureau_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "协助调查" in page and "当事人系个体工商户，登记信息附后" in page and "提供当事人登记信息" in page
    assert S.export_history(case)["assistance"] == [{
        "to": cw.scjg.name, "matter": "提供当事人登记信息", "basis": "《行政处罚法》第二十六条",
        "requested_on": "2026-03-09", "reply": "当事人系个体工商户，登记信息附后", "replied_on": "2026-03-10"}]


def test_XF_037_a_law_changed_after_the_act_needs_the_temporal_choice_stated(cw):
    """XF-037 从旧兼从轻: when a version of the basis law took effect after the act, the decision must say
    which text it applies (the old one, or the lighter new one)."""
    from catalogue.models import Law

    case = ready_to_decide(cw)
    Law.objects.create(title=cw.law.title, short_title=cw.law.short_title, level=cw.law.level,
                       version_date=D(2026, 2, 1), effective_from=D(2026, 3, 10))  # act: 2026-03-02
    blockers = S.decision_blockers(Case.objects.get(pk=case.pk), decided_on=D(2026, 3, 23), types=["fine"],
                                   fine=Decimal(60000), confiscation=None)
    assert [r for r, _m in blockers] == ["XF-037"] and "2026-03-10" in blockers[0][1]
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    assert exc.value.rule == "XF-037"
    note = "新条例对本行为的罚款幅度未减轻，依从旧原则适用行为时施行的条例"
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000),
                  temporal_note=note)
    decision = case.documents.get(doc_type="decision")
    assert decision.fields["temporal"] == note


def test_ZJ_024_025_a_reviewer_of_another_body_may_review_and_complex_cases_take_the_slow_track(cw):
    """ZJ-024-025: legal review may come from a reviewer pool outside the deciding body; a case marked
    complex (繁) is decided only after collective discussion (XF-057)."""
    from conftest import make_user
    from org.choices import Role

    outside = make_user("county_reviewer", Role.LEGAL_REVIEWER, department=cw.guidance_office)
    officer = cw.make_officer("县法制审核员", cw.bureau_team, user=outside, no="33082200099")
    type(officer).objects.filter(pk=officer.pk).update(legal_qualification_no="A20183308220009")
    outside.refresh_from_db()
    case = ready_for_notice(cw)
    propose(cw, case, is_complex=True)
    notice(cw, case)
    S.legal_review_record(actor=outside, case=case, result="pass", opinion="合法", on=D(2026, 3, 18),
                          checklist={"主体合法": True, "程序合法": True})
    S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), statement=b"%PDF-1.4 waiver")
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    assert exc.value.rule == "XF-057"
    S.collective_discussion_record(actor=cw.bureau_officer, case=case, held_on=D(2026, 3, 20),
                                   attendees=["局长", "副局长", "法制科长"], opinions="同意", conclusion="同意拟处罚意见")
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    assert case.legal_reviews.get().reviewer == outside


def test_XF_047_the_record_reads_in_order_no_future_or_back_dated_steps(cw):
    """The services, not only the forms, refuse a step dated in the future or before the previous step."""
    import datetime as _dt

    case = open_case(cw)
    for o in (cw.o1, cw.o2):
        S.case_assign(actor=cw.bureau_officer, case=case, officer=o, on=D(2026, 3, 6), no_conflict_declared=True)
    with pytest.raises(ValidationFailed) as exc:
        S.case_file_request(actor=cw.bureau_officer, case=case, on=_dt.date.today() + _dt.timedelta(days=2), basis="符合")
    assert "on" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        S.case_file_request(actor=cw.bureau_officer, case=case, on=D(2026, 3, 1), basis="符合")  # clue registered 03-05
    assert "不能早于本案上一步骤的日期" in exc.value.errors["on"][0]
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLUE


def test_XF_058_a_passing_review_needs_every_checklist_point(cw):
    case = ready_for_notice(cw)
    propose(cw, case)
    with pytest.raises(RuleViolation) as exc:
        S.legal_review_record(actor=cw.legal_reviewer, case=case, result="pass", opinion="通过", on=D(2026, 3, 18),
                              checklist={"程序合法": True, "裁量适当": False})
    assert exc.value.rule == "XF-058" and "裁量适当" in exc.value.message
    assert not case.legal_reviews.exists()


def test_XF_058_the_queue_says_which_reviews_the_decision_needs(cw, client):
    """A proposal of 60,000 yuan is on the county's review list (决定前必审, with the review's time limit); one of
    12,000 needs none, and the queue says so (非必审) rather than showing an empty limit."""
    big = ready_for_notice(cw)
    propose(cw, big, fine=Decimal(60000))
    small = ready_for_notice(cw, n=2)
    propose(cw, small, fine=Decimal(12000))
    client.force_login(cw.legal_reviewer)
    page = client.get(reverse("cases:reviews")).content.decode()
    rows = {c.number: page[page.index(c.number):].split("</tr>")[0] for c in (Case.objects.get(pk=big.pk),
                                                                           Case.objects.get(pk=small.pk))}
    assert "决定前必审" in rows[Case.objects.get(pk=big.pk).number]
    assert "非必审" in rows[Case.objects.get(pk=small.pk).number]
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cases:reviews")).content.decode()
    assert "Required before the decision" in page and "Optional" in page


def test_XF_026_requests_made_before_the_model_are_recovered_from_the_audit_trail(cw):
    """0018 backfills a request made before 0017 (a deadline row and an audit record only) and its answer
    (an audit record only), so that old cases show them too."""
    import importlib

    from django.apps import apps

    from cases.models import AssistanceRequest
    from core.audit import audit_log

    backfill = importlib.import_module("cases.migrations.0018_assistance_from_audit").backfill
    case = open_case(cw)
    file_case(cw, case)
    row = S.assistance_request(actor=cw.bureau_officer, case=case, to_department=cw.scjg, matter="提供登记信息",
                               basis="《行政处罚法》第二十六条", on=D(2026, 3, 9))
    AssistanceRequest.objects.all().delete()  # as it was before 0017
    audit_log(actor=cw.scjg_supervisor, action="cases.assist.reply", obj=case,
              after={"from": cw.scjg.pk, "reply": "登记信息已提供"})
    backfill(apps, None)
    asked = AssistanceRequest.objects.get(case=case)
    assert (asked.to_department, asked.matter, asked.basis, asked.deadline, asked.requested_on) == (
        cw.scjg, "提供登记信息", "《行政处罚法》第二十六条", row, D(2026, 3, 9))
    assert asked.reply == "登记信息已提供" and asked.replied_by == cw.scjg_supervisor and asked.replied_on


def test_XF_063_064_a_new_proposal_after_a_hearing_may_be_heard_again(cw, client):
    """After a hearing the body may propose again (重新拟定, told to the party again, XF-044); the party may ask
    for a hearing on the new proposal. That was a database error (one hearing per case, a 500); now the case
    has two hearings, the second one is scheduled and held, and the legal review must come after it."""
    from cases.models import Hearing

    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(100000))
    notice(cw, case)
    S.hearing_request(actor=cw.bureau_officer, case=case, requested_on=D(2026, 3, 18))
    S.hearing_schedule(actor=cw.bureau_officer, case=case, notice_served_on=D(2026, 3, 19),
                       scheduled_for=at(D(2026, 4, 10)), place="听证室", presider=cw.o3, agents=["律师甲"])
    S.hearing_hold(actor=cw.bureau_officer, case=case, held_on=D(2026, 4, 10), attended=True, record="听证记录…",
                   party_signed=True)
    review_pass(cw, case, on=D(2026, 4, 10))
    propose(cw, case, on=D(2026, 4, 13), fine=Decimal(100000))  # the facts were restated after the hearing
    S.notice_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 4, 14))
    S.hearing_request(actor=cw.bureau_officer, case=case, requested_on=D(2026, 4, 15))
    S.hearing_schedule(actor=cw.bureau_officer, case=case, notice_served_on=D(2026, 4, 16),
                       scheduled_for=at(D(2026, 4, 30)), place="听证室", presider=cw.o3)
    S.hearing_hold(actor=cw.bureau_officer, case=case, held_on=D(2026, 4, 30), attended=True, record="第二次听证记录",
                   party_signed=True)
    # the representation period ran out before the first hearing heard the party: 期间届满, not "late" — a
    # party's period makes nobody late (it showed 超期完成 in red on the demo's heard case)
    rep = Deadline.objects.filter(object_id=str(case.pk), kind="case.representation").order_by("id").first()
    assert rep.party_period and rep.state == "elapsed" and rep.closed_at == rep.due_at  # ended when it ran out
    hearings = list(Hearing.objects.filter(case=case))
    assert [h.held_on for h in hearings] == [D(2026, 4, 10), D(2026, 4, 30)]
    assert "听证后须重新法制审核" in S._review_gap(Case.objects.get(pk=case.pk))  # the April 10 review no longer holds
    client.force_login(cw.bureau_officer)  # the case page lists both hearings
    page = client.get(case.get_absolute_url()).content.decode()
    section = page[page.index('id="hearings"'):page.index("</table>", page.index('id="hearings"'))]
    assert section.count("已举行") == 2 and "2026-04-30" in section and "律师甲" in section


def test_XF_026_the_asked_body_keeps_its_register_of_requests_and_answers(cw, client):
    """协助请求: the asked body's notice leads to its list of requests, which outlasts the answer — open, a request
    links to the case where it is answered; answered, the case is no longer the body's to see (404) and the list
    shows the answer, late or not. Another body sees none of it; a citizen has no such page."""
    from django.urls import reverse

    from conftest import make_user
    from org.choices import Role

    case = open_case(cw)
    file_case(cw, case)
    S.assistance_request(actor=cw.bureau_officer, case=case, to_department=cw.scjg, matter="提供当事人登记信息",
                         basis="《行政处罚法》第二十六条", on=D(2026, 9, 29))
    asked = case.assistance_requests.get()
    notice = cw.scjg.notifications.get(text__contains="请求协助")
    assert notice.link == f"{reverse('cases:assistance')}#assist-{asked.pk}"
    client.force_login(cw.scjg_supervisor)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("cases:assistance")}"' in home  # the menu entry
    page = client.get(reverse("cases:assistance")).content.decode()
    row = page.split(f'id="assist-{asked.pk}"')[1].split("</tr>")[0]
    assert "提供当事人登记信息" in row and f'href="{case.get_absolute_url()}"' in row and "待答复" in row
    assert client.get(case.get_absolute_url()).status_code == 200
    S.assistance_reply(actor=cw.scjg_supervisor, case=case, on=D(2026, 10, 14), reply="登记信息已提供")
    assert client.get(case.get_absolute_url()).status_code == 404
    page = client.get(notice.link.split("#")[0]).content.decode()
    row = page.split(f'id="assist-{asked.pk}"')[1].split("</tr>")[0]
    assert "登记信息已提供" in row and "2026-10-14" in row and "超期答复" in row
    assert f'href="{case.get_absolute_url()}"' not in row and case.shown_label in row
    scjg_head = make_user("scjg_head", Role.AGENCY_HEAD, department=cw.scjg)  # reads its body's register
    client.force_login(scjg_head)
    assert "登记信息已提供" in client.get(reverse("cases:assistance")).content.decode()
    client.force_login(cw.huibu_officer)
    assert "登记信息已提供" not in client.get(reverse("cases:assistance")).content.decode()
    client.force_login(cw.citizen)
    assert client.get(reverse("cases:assistance")).status_code == 404

"""The steps an officer can take on a case page: for each, the states it is offered in, who may take
it, its form and the service it calls. Offering a step is only a convenience; the service decides
(every guard lives in cases/services.py and is checked again on submit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import forms as F
from cases import services as S
from cases.choices import ASSIST_ANSWERERS, AWAITING_REVIEW, HANDLER_ROLES, NO_PENALTY, CaseStatus, Outcome
from cases.models import Case
from cases.selectors import assist_rows_for, case_rows, coercive_acts_in_force, recusable_officers
from core import clock
from org.choices import Role

C = CaseStatus
HANDLERS = HANDLER_ROLES
HEAD = (Role.AGENCY_HEAD,)
LOCAL = S.LOCAL


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    statuses: tuple[str, ...]
    form: type[F.StepForm]
    run: Callable  # (actor, case, cleaned_data, files) -> str (a success message)
    roles: tuple[str, ...] = HANDLERS
    when: Callable[[Case], bool] = lambda case: True
    rule: str = ""
    primary: bool = False  # on the main path of the procedure: shown first, as a solid button
    who: Callable | None = None  # (case, user) -> bool, when the step belongs to a particular body
    approval: str = ""  # the head's decision on a pending request of this CaseApproval kind: offered only then
    request: Callable | None = None  # (case) -> the CaseApproval the step answers, shown above its form
    held: Callable | None = None  # (case, today) -> [(rule, why)]: while not empty, the page shows why instead of the step


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=LOCAL)


def _assign(actor, case, d, files):
    S.case_assign(actor=actor, case=case, officer=d["officer"], on=d["on"], role=d["role"],
                  no_conflict_declared=d["no_conflict_declared"])
    return gettext("已指派 %(name)s") % {"name": d["officer"].name}


def _file(actor, case, d, files):
    S.case_file_request(actor=actor, case=case, on=d["on"], basis=d["basis"],
                        limitation_citation=d["limitation_citation"])
    return gettext("已提交立案申请，等待负责人审批")


def _file_approve(actor, case, d, files):
    if not d["approved"]:
        S.case_file_refuse(actor=actor, case=case, on=d["on"], opinion=d["opinion"])
        return gettext("已作出不同意立案的审批意见")
    S.case_file(actor=actor, case=case, on=d["on"], opinion=d["opinion"] or "同意立案")
    case.refresh_from_db()
    return gettext("已批准立案，案号 %(number)s") % {"number": case.number}


def _filing_question_pending(case) -> bool:
    """To file or not to file is before the head."""
    return _pending(case, "filing") or _pending(case, "not_filing")


def _act(actor, case, d, files):
    S.act_record(actor=actor, case=case, kind=d["kind"], started_at=_aware(d["started_at"]),
                 ended_at=_aware(d["ended_at"]), place=d["place"], officers=list(d["officers"]), id_shown=d["id_shown"],
                 record=d["record"], interviewee=d["interviewee"], rights_told=d["rights_told"],
                 party_present=d["party_present"], party_signed=d["party_signed"], refusal_note=d["refusal_note"],
                 witness=d["witness"], av_sha256=(d["av_sha256"] or "").lower(), av_started_at=_aware(d["av_started_at"]),
                 av_ended_at=_aware(d["av_ended_at"]), approval_ref=d["approval_ref"], emergency=d["emergency"],
                 approval=d["approval"])
    return gettext("笔录已制作")


def _evidence(actor, case, d, files):
    upload = d.get("file")
    S.evidence_add(actor=actor, case=case, kind=d["kind"], description=d["description"], collected_on=d["collected_on"],
                   collectors=list(d["collectors"]), method=d["method"], lawful=d["lawful"], source=d["source"],
                   data=upload.read() if upload else None, filename=upload.name if upload else "",
                   device=d.get("device"), report_file=d.get("report_file"))
    return gettext("证据已登记，设备记录须经审核后方可使用（XF-041）") if d.get("device") else gettext("证据已登记")


def _device_review(actor, case, d, files):
    S.device_record_review(actor=actor, evidence=d["evidence"], result=d["result"], on=d["on"], note=d["note"],
                           party_informed_via=d["party_informed_via"])
    return gettext("设备记录审核完成")


def _verify(actor, case, d, files):
    S.evidence_verify(actor=actor, evidence=d["evidence"], on=d["on"])
    return gettext("证据已查证")


def _close_investigation(actor, case, d, files):
    S.investigation_close(actor=actor, case=case, on=d["on"], facts=d["facts"])
    return gettext("调查终结，已提交审查")


def _propose(actor, case, d, files):
    S.case_propose(actor=actor, case=case, on=d["on"], outcome=d["outcome"], types=d["types"], fine=d["fine"],
                   confiscation=d["confiscation"], band=d["band"], reasons=d["reasons"],
                   mitigation_reasoning=d["mitigation_reasoning"], is_complex=d["is_complex"], ground=d["ground"])
    return gettext("已拟定处理意见")


def _no_penalty(actor, case, d, files):
    S.case_decide_no_penalty(actor=actor, case=case, decided_on=d["on"], grounds=d["grounds"],
                             education_method=d["education_method"], education_content=d["education_content"],
                             late_reason=d["late_reason"])
    return gettext("已作出不予行政处罚决定")


def _notice(actor, case, d, files):
    S.notice_serve(actor=actor, case=case, served_on=d["served_on"], method=d["method"])
    return gettext("告知书已送达，陈述申辩期限已开始计算")


def _representations(actor, case, d, files):
    S.representations_record(actor=actor, case=case, text=d["text"], received_on=d["received_on"],
                             review_opinion=d["review_opinion"])
    return gettext("陈述申辩及复核意见已记录")


def _waiver(actor, case, d, files):
    S.waiver_record(actor=actor, case=case, on=d["on"], statement=d["statement"].read(),
                    filename=d["statement"].name)
    return gettext("已记录书面放弃")


def _hearing_request(actor, case, d, files):
    if case.hearing_request_due and d["requested_on"] > case.hearing_request_due:
        S.hearing_request_late(actor=actor, case=case, requested_on=d["requested_on"], reason=d["late_reason"])
        return gettext("逾期听证申请已报负责人决定是否受理")
    S.hearing_request(actor=actor, case=case, requested_on=d["requested_on"])
    return gettext("已登记听证申请")


def _late_hearing(actor, case, d, files):
    a = S.late_hearing_decide(actor=actor, case=case, on=d["on"], approved=d["approved"], opinion=d["opinion"])
    return gettext("已受理逾期听证申请") if a.status == "approved" else gettext("不予受理，理由已记录")


def _hearing_schedule(actor, case, d, files):
    S.hearing_schedule(actor=actor, case=case, notice_served_on=d["notice_served_on"],
                       scheduled_for=_aware(d["scheduled_for"]), place=d["place"], presider=d["presider"],
                       public=d["public"], secrecy_reason=d["secrecy_reason"], agents=F.lines(d["agents"]))
    return gettext("听证通知书已送达")


def _hearing_hold(actor, case, d, files):
    S.hearing_hold(actor=actor, case=case, held_on=d["held_on"], attended=d["attended"], record=d["record"],
                   party_signed=d["party_signed"], refusal_note=d["refusal_note"], report=d["report"])
    return gettext("听证结束")


def _legal_review(actor, case, d, files):
    ticked = set(d["checklist"])
    S.legal_review_record(actor=actor, case=case, result=d["result"], opinion=d["opinion"], on=d["on"],
                          checklist={c: c in ticked for c in F.CHECKLIST})
    return gettext("法制审核意见已提交")


def _review_resubmit(actor, case, d, files):
    S.legal_review_resubmit(actor=actor, case=case, on=d["on"], note=d["note"])
    return gettext("已重新提请法制审核")


def _proposal_withdraw(actor, case, d, files):
    S.proposal_withdraw(actor=actor, case=case, on=d["on"], reason=d["reason"])
    return gettext("已撤回拟处理意见，案件回到审查阶段，可重新拟定")


def _collective(actor, case, d, files):
    S.collective_discussion_record(actor=actor, case=case, held_on=d["held_on"], attendees=F.lines(d["attendees"]),
                                   opinions=d["opinions"], conclusion=d["conclusion"])
    return gettext("集体讨论记录已保存")


def _decide(actor, case, d, files):
    S.case_decide(actor=actor, case=case, decided_on=d["decided_on"], types=d["types"], fine=d["fine"],
                  confiscation=d["confiscation"], order_correction=d["order_correction"],
                  correction_due=d["correction_due"], temporal_note=d["temporal_note"], late_reason=d["late_reason"])
    return gettext("已作出行政处罚决定，请在七个工作日内送达")


def _serve(actor, case, d, files):
    S.case_serve(actor=actor, case=case, served_on=d["served_on"], method=d["method"], receiver=d["receiver"],
                 signed=d["signed"], refusal_note=d["refusal_note"], witness=d["witness"],
                 e_service_consent=d["e_service_consent"], public_notice_on=d["public_notice_on"])
    return gettext("决定书已送达")


def _payment(actor, case, d, files):
    S.payment_record(actor=actor, case=case, amount=d["amount"], paid_on=d["paid_on"], method=d["method"])
    return gettext("已登记缴款")


def _deferral(actor, case, d, files):
    S.deferral_approve(actor=actor, case=case, reason=d["reason"], schedule=d["schedule"], on=d["on"])
    return gettext("已批准延期/分期缴纳")


def _overdue(actor, case, d, files):
    S.mark_overdue(case=case, on=d["on"])
    return gettext("已登记逾期，开始加处罚款")


def _reminder(actor, case, d, files):
    S.reminder_serve(actor=actor, case=case, served_on=d["on"])
    return gettext("催告书已送达")


def _court(actor, case, d, files):
    S.court_apply(actor=actor, case=case, applied_on=d["applied_on"])
    return gettext("已申请人民法院强制执行")


def _remedy_file(actor, case, d, files):
    S.remedy_file(actor=actor, case=case, kind=d["kind"], body=d["body"], filed_on=d["filed_on"],
                  copy_received_on=d["copy_received_on"], via_agency=d["via_agency"])
    return (gettext("已登记复议/诉讼，加处罚款暂停计算；须在五个工作日内转送复议机关") if d["via_agency"]
            else gettext("已登记复议/诉讼，加处罚款暂停计算"))


def _remedy_forward(actor, case, d, files):
    S.remedy_forward(actor=actor, remedy=d["remedy"], on=d["on"])
    return gettext("已转送复议机关")


def _remedy_close(actor, case, d, files):
    S.remedy_close(actor=actor, remedy=d["remedy"], result=d["result"], closed_on=d["closed_on"])
    return gettext("已登记复议/诉讼结果")


def _publish(actor, case, d, files):
    S.publication_publish(actor=actor, case=case, on=d["on"])
    return gettext("处罚决定已公开")


def _exclude(actor, case, d, files):
    S.publication_exclude(actor=actor, case=case, on=d["on"], ground=d["ground"], reason=d["reason"])
    return gettext("已决定不予公开")


def _withdraw(actor, case, d, files):
    S.publication_withdraw(actor=actor, case=case, on=d["on"], reason=d["reason"])
    return gettext("已撤回公开")


def _recusal_apply(actor, case, d, files):
    S.recusal_apply(actor=actor, case=case, officer=d["officer"], applicant=d["applicant"], reason=d["reason"],
                    on=d["on"])
    return gettext("已登记回避申请，调查不停止")


def _recusal_decide(actor, case, d, files):
    r = S.recusal_decide(actor=actor, recusal=d["recusal"], granted=d["granted"], on=d["on"])
    return gettext("已准予回避，请另行指派承办人员") if r.granted else gettext("已驳回回避申请")


def _seizure_extend(actor, case, d, files):
    row = S.seizure_extend(actor=actor, case=case, act=d["act"], on=d["on"], approval_ref=d["approval_ref"],
                           reason=d["reason"])
    return gettext("查封/扣押期限已延长至 %(date)s") % {"date": f"{row.due_at.astimezone(LOCAL):%Y-%m-%d}"}


def _seizure_testing(actor, case, d, files):
    row = S.seizure_testing(actor=actor, case=case, act=d["act"], started_on=d["started_on"], ended_on=d["ended_on"],
                            lab=d["lab"], party_notified_on=d["party_notified_on"])
    return gettext("检测期间不计入，查封/扣押期限顺延至 %(date)s") % {"date": f"{row.due_at.astimezone(LOCAL):%Y-%m-%d}"}


def _measure_request(actor, case, d, files):
    S.measure_approval_request(actor=actor, case=case, kind=d["kind"], on=d["on"], reason=d["reason"])
    return gettext("已报负责人审批")


def _measure_approve(actor, case, d, files):
    a = S.measure_approval_decide(actor=actor, case=case, approval=d["approval"], on=d["on"], approved=d["approved"],
                                  opinion=d["opinion"])
    return gettext("已批准，可实施") if a.status == "approved" else gettext("不批准，理由已记录")


def _emergency_approve(actor, case, d, files):
    a = S.emergency_approval_decide(actor=actor, case=case, approval=d["approval"], on=d["on"],
                                    approved=d["approved"], opinion=d["opinion"])
    return gettext("已补办批准") if a.status == "approved" else gettext("不批准，强制措施已解除")


def _seizure_release(actor, case, d, files):
    S.seizure_release(actor=actor, case=case, act=d["act"], on=d["on"], reason=d["reason"])
    return gettext("已解除/处理查封扣押")


def _assist_request(actor, case, d, files):
    row = S.assistance_request(actor=actor, case=case, to_department=d["to_department"], matter=d["matter"],
                               basis=d["basis"], on=d["on"])
    return gettext("已请求%(department)s协助，答复时限 %(date)s") % {
        "department": d["to_department"], "date": f"{row.due_at.astimezone(LOCAL):%Y-%m-%d}"}


def _assist_reply(actor, case, d, files):
    S.assistance_reply(actor=actor, case=case, on=d["on"], reply=d["reply"])
    return gettext("已答复协助请求")


def _crime_report(actor, case, d, files):
    S.crime_report(actor=actor, case=case, report_at=_aware(d["report_at"]))
    return gettext("已报告涉嫌犯罪，负责人须在3日内决定是否移送")


def _crime_decide(actor, case, d, files):
    ct = S.crime_decide(actor=actor, case=case, approved=d["approved"], at=_aware(d["at"]), reason=d["reason"])
    return gettext("已批准移送，须在24小时内移送公安机关") if ct.approved else gettext("不批准移送，理由已记录")


def _crime_transfer(actor, case, d, files):
    S.crime_transfer(actor=actor, case=case, at=_aware(d["at"]), receipt_no=d["receipt_no"], police=d["police"],
                     items=d["items"])
    return gettext("已移送公安机关")


def _police_answer(actor, case, d, files):
    ct = S.crime_police_answer(actor=actor, case=case, on=d["on"], filed=d["filed"], notice_no=d["notice_no"])
    if ct.police_answer == "filed":
        return gettext("已登记公安机关立案，须在3日内移交涉案物品和有关材料")
    return gettext("已登记公安机关不予立案，可在3日内提请复议，或者退回重新审查")


def _crime_reconsider(actor, case, d, files):
    S.crime_reconsideration(actor=actor, case=case, on=d["on"])
    return gettext("已提请公安机关复议")


def _crime_handover(actor, case, d, files):
    S.crime_handover(actor=actor, case=case, on=d["on"], items=d["items"])
    return gettext("已登记移交涉案物品和有关材料")


def _crime_return(actor, case, d, files):
    S.crime_return(actor=actor, case=case, on=d["on"], basis=d["basis"])
    return gettext("案件已退回，重新审查")


def _duty_lead(actor, case, d, files):
    lead = S.duty_lead_transfer(actor=actor, case=case, on=d["on"], to_kind=d["to_kind"], to_body=d["to_body"],
                                content=d["content"], receipt_no=d["receipt_no"])
    return gettext("线索已移送%(body)s") % {"body": lead.to_body}


def _crime(case: Case):
    from cases.models import CrimeTransfer

    return CrimeTransfer.objects.filter(case=case).first()


def _cash(actor, case, d, files):
    S.cash_handover(actor=actor, payment=d["payment"], handed_over_on=d["handed_over_on"],
                    deposited_on=d["deposited_on"])
    return gettext("已登记罚款交回/缴存")


def _transfer_out(actor, case, d, files):
    S.case_transfer_out(actor=actor, case=case, to_department=d["to_department"], on=d["on"], reason=d["reason"])
    return gettext("已移送%(department)s") % {"department": d["to_department"]}


def _dispute(actor, case, d, files):
    S.jurisdiction_dispute(actor=actor, case=case, other=d["other"], on=d["on"], reason=d["reason"])
    return gettext("已提交指导办协调管辖争议")


def _ruling(actor, case, d, files):
    S.jurisdiction_rule(actor=actor, case=case, handler=d["handler"], on=d["on"], reason=d["reason"])
    return gettext("已协调：由%(handler)s管辖") % {"handler": d["handler"]}


def _correction_check(actor, case, d, files):
    S.correction_check_record(actor=actor, case=case, on=d["on"], corrected=d["corrected"], note=d["note"])
    return gettext("已记录改正复查") if d["corrected"] else gettext("已记录：逾期未改正，请依法处理")


def _share(actor, case, d, files):
    S.evidence_share(actor=actor, evidence=d["evidence"], to_case=d["to_case_number"], on=d["on"])
    return gettext("已向%(department)s共享证据") % {"department": d["to_case_number"].department}


def _spot_file(actor, case, d, files):
    S.spot_file_with_agency(actor=actor, case=case, on=d["on"])
    return gettext("当场处罚决定已备案")


def _not_file(actor, case, d, files):
    S.case_not_file_request(actor=actor, case=case, on=d["on"], reason=d["reason"])
    return gettext("已提交不予立案申请，等待负责人审批")


def _not_file_approve(actor, case, d, files):
    if not d["approved"]:
        S.case_not_file_refuse(actor=actor, case=case, on=d["on"], opinion=d["opinion"])
        return gettext("已作出不同意不予立案的审批意见")
    S.case_not_file(actor=actor, case=case, on=d["on"], opinion=d["opinion"] or "同意不予立案")
    return gettext("已批准不予立案")


def _close(actor, case, d, files):
    S.case_close(actor=actor, case=case, on=d["on"], reason=d["reason"])
    return gettext("已结案")


def _close_request(actor, case, d, files):
    S.case_close_request(actor=actor, case=case, on=d["on"], reason=d["reason"])
    return gettext("已提交结案申请，等待负责人审批")


def _close_approve(actor, case, d, files):
    if not d["approved"]:
        S.case_close_refuse(actor=actor, case=case, on=d["on"], opinion=d["opinion"])
        return gettext("已作出不同意结案的审批意见")
    S.case_close(actor=actor, case=case, on=d["on"], opinion=d["opinion"] or "同意结案")
    return gettext("已批准结案")


def _extension_request(actor, case, d, files):
    S.decision_extension_request(actor=actor, case=case, on=d["on"], reason=d["reason"], days=d["days"])
    return gettext("已提交延长办案期限申请，等待负责人审批")


def _extension_approve(actor, case, d, files):
    if not d["approved"]:
        S.decision_extension_refuse(actor=actor, case=case, on=d["on"], opinion=d["opinion"])
        return gettext("已作出不同意延长办案期限的审批意见")
    case = S.decision_extension_approve(actor=actor, case=case, on=d["on"], opinion=d["opinion"], attendees=d["attendees"])
    return gettext("已批准延长办案期限，须于%(due)s前作出决定") % {"due": S.decision_due(case, d["on"]).due}


def _pending(case, kind) -> bool:
    return S.pending_approval(case, kind) is not None


def _closable(case) -> bool:
    return not (case.status == C.SERVED and case.final_fine and case.paid_on is None) and \
        S.judicial_close_blocker(case) is None


def _archive(actor, case, d, files):
    S.case_archive(actor=actor, case=case, on=d["on"])
    return gettext("已归档，卷宗已生成")


def _free(blocker: Callable[[Case], S.Blocker]) -> Callable[[Case], bool]:
    """A step's condition from its service's ``*_blocker``: offered exactly when the service would take it."""
    return lambda case: blocker(case) is None


ANY = tuple(C.values)
HEARD = (C.NOTICE_SERVED, C.HEARING_CLOSED)
OPEN_WORK = (C.FILED, C.INVESTIGATING, C.INVESTIGATION_CLOSED, C.REVIEW, C.PENALTY_PROPOSED, C.NOTICE_SERVED,
             C.HEARING_REQUESTED, C.HEARING_SCHEDULED, C.HEARING_CLOSED)
CLOSE_FROM = (C.SERVED, C.EXECUTED, C.SPOT_DECIDED, C.NOT_FILED, C.TRANSFERRED_JUDICIAL, C.TRANSFERRED_OUT)
AFTER_DECISION = (C.DECIDED, C.SERVED, C.OVERDUE, C.REMINDED, C.COURT_APPLIED, C.EXECUTED, C.CLOSED)
STEPS: list[Step] = [
    Step("assign", _("指派承办人员"), S.ASSIGNABLE, F.AssignForm, _assign,
         rule="XF-042 XF-043"),
    Step("file", _("申请立案（报负责人审批）"), (C.CLUE, C.VERIFYING), F.FileForm, _file,
         when=lambda c: not _filing_question_pending(c), held=S.filing_blockers, rule="XF-054 XF-036 ZJ-006-007-008",
         primary=True),
    Step("file_approve", _("审批立案"), (C.CLUE, C.VERIFYING), F.FileApproveForm, _file_approve, roles=HEAD,
         approval="filing", rule="XF-054 WS-FILE", primary=True),
    Step("not_file", _("申请不予立案（报负责人审批）"), (C.CLUE, C.VERIFYING), F.NotFileForm, _not_file,
         when=lambda c: not _filing_question_pending(c), rule="XF-054"),
    Step("not_file_approve", _("审批不予立案"), (C.CLUE, C.VERIFYING), F.NotFileApproveForm, _not_file_approve,
         roles=HEAD, approval="not_filing", rule="XF-054 WS-FILE", primary=True),
    Step("act", _("现场检查/询问/强制措施"), S.INVESTIGATION_OPEN, F.ActForm, _act, rule="XF-055 QZ-018-019 SX-4"),
    Step("evidence", _("登记证据"), S.INVESTIGATION_OPEN, F.EvidenceForm, _evidence, rule="XF-046"),
    Step("device_review", _("审核电子监控记录"), S.VERIFIABLE, F.DeviceReviewForm,
         _device_review, when=lambda c: c.evidence.filter(device__isnull=False, device_review="").exists(),
         rule="XF-041"),
    Step("verify", _("查证证据"), S.VERIFIABLE, F.VerifyForm, _verify,
         when=lambda c: c.evidence.filter(verified=False).exists(), rule="XF-046"),
    Step("close_investigation", _("调查终结"), (C.INVESTIGATING,), F.CloseInvestigationForm, _close_investigation, primary=True),
    Step("propose", _("拟定处理意见"), (C.REVIEW,), F.ProposeForm, _propose, rule="XF-057 XF-040", primary=True),
    Step("repropose", _("重新拟定处罚（须重新告知）"), HEARD, F.ProposeForm, _propose, rule="XF-044-045-062 XF-057"),
    Step("no_penalty", _("作出不予行政处罚决定"), (C.REVIEW,), F.NoPenaltyForm, _no_penalty,
         when=lambda c: c.outcome in NO_PENALTY, roles=HEAD, rule="XF-033 XF-057", primary=True),
    Step("notice", _("送达行政处罚告知书"), (C.PENALTY_PROPOSED,), F.NoticeForm, _notice, rule="XF-044-045-062", primary=True),
    Step("representations", _("记录陈述申辩与复核"), S.NOTIFIED, F.RepresentationsForm, _representations,
         rule="XF-044-045-062", primary=True),
    Step("waiver", _("记录书面放弃权利"), S.NOTIFIED, F.WaiverForm, _waiver, when=lambda c: c.waived_on is None),
    Step("late_hearing", _("决定是否受理逾期听证申请"), (C.NOTICE_SERVED,), F.LateHearingForm, _late_hearing, roles=HEAD,
         approval="hearing", rule="XF-064", primary=True),
    Step("hearing_request", _("登记听证申请"), (C.NOTICE_SERVED,), F.HearingRequestForm, _hearing_request,
         when=lambda c: c.hearing_right, rule="XF-063 XF-064"),
    Step("hearing_schedule", _("送达听证通知书"), (C.HEARING_REQUESTED,), F.HearingScheduleForm, _hearing_schedule,
         rule="XF-064", primary=True),
    Step("hearing_hold", _("举行听证"), (C.HEARING_SCHEDULED,), F.HearingHoldForm, _hearing_hold, rule="XF-064", primary=True),
    Step("legal_review", _("法制审核"), tuple(S.REVIEWABLE), F.LegalReviewForm, _legal_review,
         roles=(Role.LEGAL_REVIEWER,), when=S.awaiting_review, rule="XF-058", primary=True,
         request=S.limitation_review_pending),
    Step("legal_review_again", _("重新审核（已通过，决定前）"), AWAITING_REVIEW, F.LegalReviewForm, _legal_review,
         roles=(Role.LEGAL_REVIEWER,), when=S.may_review_again, rule="XF-058"),
    Step("review_resubmit", _("补正后重新提请法制审核"), AWAITING_REVIEW, F.ReviewResubmitForm, _review_resubmit,
         when=S.returned_unanswered, rule="XF-058", primary=True),
    Step("proposal_withdraw", _("撤回拟处理意见（回到审查阶段）"), (C.PENALTY_PROPOSED,), F.ReasonForm,
         _proposal_withdraw, rule="XF-057 XF-058"),
    Step("collective", _("集体讨论"), S.DISCUSSABLE, F.CollectiveForm, _collective,
         when=lambda c: c.is_complex_or_serious, rule="XF-057"),
    Step("decide", _("作出行政处罚决定"), HEARD, F.DecideForm, _decide, when=lambda c: c.outcome == Outcome.PENALTY,
         roles=HEAD, rule="XF-057 XF-059 XF-060", primary=True),
    Step("serve", _("送达决定书"), (C.DECIDED,), F.ServeForm, _serve, rule="XF-061", primary=True),
    Step("spot_file", _("当场处罚决定备案"), ANY, F.DatedForm, _spot_file, when=_free(S.spot_filing_blocker),
         rule="XF-052"),
    Step("cash", _("当场收缴罚款交回/缴存"), (C.SPOT_DECIDED, C.EXECUTED, C.CLOSED, C.ARCHIVED), F.CashHandoverForm,
         _cash, when=lambda c: c.payments.exclude(receipt_no="").filter(deposited_on__isnull=True).exists(),
         primary=True, rule="XF-070-071"),
    Step("payment", _("登记缴款"), (C.SPOT_DECIDED, C.SERVED, C.OVERDUE, C.REMINDED, C.COURT_APPLIED), F.PaymentForm, _payment,
         when=lambda c: bool(c.final_fine) and c.paid_on is None, rule="XF-067 XF-072", primary=True),
    Step("deferral", _("批准延期/分期缴纳"), (C.SERVED, C.SPOT_DECIDED), F.DeferralForm, _deferral, roles=HEAD,
         when=_free(S.deferral_blocker), rule="XF-066"),
    Step("overdue", _("登记逾期未缴"), (C.SERVED, C.SPOT_DECIDED), F.DatedForm, _overdue,
         when=_free(S.overdue_blocker), rule="XF-072"),
    Step("reminder", _("送达催告书"), (C.OVERDUE,), F.DatedForm, _reminder, rule="QZ-046-053-054", primary=True),
    Step("court", _("申请法院强制执行"), (C.REMINDED,), F.CourtApplyForm, _court, rule="QZ-046-053-054"),
    Step("remedy_file", _("登记行政复议/诉讼"), ANY, F.RemedyFileForm, _remedy_file, when=S.remediable,
         rule="XF-073 FY-048-054"),
    Step("remedy_forward", _("转送复议申请"), ANY, F.RemedyForwardForm,
         _remedy_forward, primary=True, rule="FY-022-032",
         when=lambda c: c.remedies.filter(via_agency=True, forwarded_on__isnull=True, closed_on__isnull=True).exists()),
    Step("remedy_close", _("登记复议/诉讼结果"), ANY, F.RemedyCloseForm,
         _remedy_close, when=lambda c: c.remedies.filter(closed_on__isnull=True).exists(), rule="XF-048-039"),
    Step("publish", _("公开处罚决定"), AFTER_DECISION, F.DatedForm, _publish, when=_free(S.publish_blocker),
         rule="SX-3"),
    Step("publication_exclude", _("决定不予公开"), tuple(S.EXCLUDABLE), F.PublicationExcludeForm, _exclude, roles=HEAD,
         when=_free(S.exclusion_blocker), rule="SX-3"),
    Step("withdraw", _("撤回公开"), AFTER_DECISION + (C.ARCHIVED,), F.WithdrawForm, _withdraw,
         when=_free(S.withdrawal_blocker), rule="XF-048-039"),
    Step("close", _("结案"), CLOSE_FROM, F.CloseForm, _close,
         when=lambda c: _closable(c) and not S.needs_close_approval(c), primary=True),
    Step("close_request", _("申请结案（报负责人审批）"), CLOSE_FROM, F.CloseForm, _close_request,
         when=lambda c: _closable(c) and S.needs_close_approval(c) and not _pending(c, "closing"), primary=True,
         rule="WS-CLOSE"),
    Step("close_approve", _("审批结案"), CLOSE_FROM, F.CloseApproveForm, _close_approve, roles=HEAD,
         approval="closing", primary=True, rule="WS-CLOSE"),
    Step("correction_check", _("复查改正情况"), AFTER_DECISION + (C.ARCHIVED,), F.CorrectionCheckForm,
         _correction_check, when=lambda c: case_rows(c, kind="case.correction_check").exists(), rule="XF-028"),
    Step("share_evidence", _("向其他机关共享证据"), OPEN_WORK + AFTER_DECISION + (C.ARCHIVED,), F.ShareEvidenceForm,
         _share, when=lambda c: c.evidence.filter(verified=True, lawful=True).exists(), rule="ZJ-018"),
    Step("transfer_out", _("移送有管辖权的机关"), S.JURISDICTION_OPEN, F.TransferOutForm, _transfer_out,
         rule="XF-022-025"),
    Step("dispute", _("提交管辖争议"), (C.CLUE, C.VERIFYING), F.DisputeForm, _dispute, rule="XF-022-025 ZJ-017"),
    Step("ruling", _("协调管辖争议"), (C.JURISDICTION_DISPUTE,), F.RulingForm, _ruling, roles=(Role.GUIDANCE,),
         primary=True, rule="ZJ-017"),
    Step("extension_request", _("申请延长办案期限（报负责人审批）"), tuple(S.EXTENDABLE), F.ExtensionRequestForm,
         _extension_request, when=lambda c: not _pending(c, "extension"),
         held=lambda c, today: [b] if (b := S.extension_blocker(c, today)) else [], rule="XF-060"),
    Step("extension_approve", _("审批延长办案期限"), tuple(S.EXTENDABLE), F.ExtensionApproveForm, _extension_approve,
         roles=HEAD, approval="extension", rule="XF-060", primary=True),
    Step("recusal_apply", _("登记回避申请"), S.RECUSABLE, F.RecusalApplyForm, _recusal_apply, rule="XF-043",
         when=lambda c: recusable_officers(c).exists()),
    Step("recusal_decide", _("作出回避决定"), S.RECUSABLE, F.RecusalDecideForm, _recusal_decide, roles=HEAD,
         when=lambda c: c.recusals.filter(granted__isnull=True).exists(), rule="XF-043", primary=True),
    Step("seizure_extend", _("延长查封/扣押期限"), OPEN_WORK, F.SeizureExtendForm, _seizure_extend, roles=HEAD,
         when=lambda c: coercive_acts_in_force(c).exists(), rule="QZ-024-028"),
    Step("seizure_testing", _("登记检测期间（不计入查封扣押期限）"), OPEN_WORK, F.SeizureTestingForm, _seizure_testing,
         when=lambda c: coercive_acts_in_force(c).exists(), rule="QZ-024-028"),
    Step("measure_request", _("报批先行登记保存/查封扣押"), S.INVESTIGATION_OPEN, F.MeasureRequestForm,
         _measure_request, rule="XF-056 QZ-018-019"),
    Step("measure_approve", _("审批先行登记保存/查封扣押"), S.INVESTIGATION_OPEN, F.MeasureApproveForm,
         _measure_approve, roles=HEAD, approval="measure", primary=True, rule="XF-056 QZ-018-019"),
    Step("emergency_approve", _("紧急强制措施补办批准"), OPEN_WORK + AFTER_DECISION, F.EmergencyApproveForm,
         _emergency_approve, roles=HEAD, approval="emergency", primary=True, rule="QZ-018-019"),
    Step("seizure_release", _("解除/处理查封扣押"), OPEN_WORK + AFTER_DECISION, F.SeizureReleaseForm,
         _seizure_release, when=lambda c: coercive_acts_in_force(c).exists(), rule="QZ-024-028"),
    Step("assist_request", _("请求其他机关协助"), tuple(S.ASSISTABLE), F.AssistanceRequestForm,
         _assist_request, when=_free(S.assistance_blocker), rule="XF-026 ZJ-017"),
    Step("assist_reply", _("答复协助请求"), ANY, F.AssistanceReplyForm, _assist_reply,
         roles=ASSIST_ANSWERERS, who=lambda c, u: bool(assist_rows_for(c, u)), rule="XF-026"),
    Step("crime_report", _("报告涉嫌犯罪（移送审批）"), tuple(S.CRIME_REPORTABLE),
         F.CrimeReportForm, _crime_report, when=_free(S.crime_report_blocker), rule="YS-310"),
    Step("crime_decide", _("负责人决定是否移送"), (C.FILED, C.INVESTIGATING, C.REVIEW, C.NOTICE_SERVED),
         F.CrimeDecideForm, _crime_decide, roles=HEAD, primary=True, when=lambda c: (ct := _crime(c)) is not None and ct.head_decided_at is None,
         rule="YS-310"),
    Step("crime_transfer", _("移送公安机关"), (C.FILED, C.INVESTIGATING, C.REVIEW, C.NOTICE_SERVED),
         F.CrimeTransferForm, _crime_transfer,
         when=lambda c: (ct := _crime(c)) is not None and ct.approved is True and ct.transferred_at is None,
         rule="YS-310 XF-027", primary=True),
    Step("police_answer", _("登记公安机关立案或不予立案"), (C.TRANSFERRED_JUDICIAL,), F.PoliceAnswerForm, _police_answer,
         when=_free(S.police_answer_blocker), rule="YS-310", primary=True),
    Step("crime_reconsider", _("提请公安机关复议"), (C.TRANSFERRED_JUDICIAL,), F.DatedForm, _crime_reconsider,
         when=lambda c: (ct := _crime(c)) is not None and ct.police_answer == "refused" and ct.reconsideration_on is None,
         held=lambda c, today: [b] if (b := S.reconsideration_blocker(c, today)) else [], rule="YS-310"),
    Step("crime_handover", _("移交涉案物品和有关材料"), (C.TRANSFERRED_JUDICIAL,), F.CrimeHandoverForm, _crime_handover,
         when=_free(S.handover_blocker), rule="YS-310", primary=True),
    Step("crime_return", _("退回重新审查（不予立案、不起诉等）"), (C.TRANSFERRED_JUDICIAL,), F.CrimeReturnForm, _crime_return,
         when=_free(S.return_blocker), rule="XF-027"),
    Step("duty_lead", _("移送职务违法犯罪线索（监察机关/检察院）"), tuple(c for c in C.values if c != C.ARCHIVED),
         F.DutyLeadForm, _duty_lead, rule="YS-310 ZJ-019"),
    Step("archive", _("归档（生成卷宗）"), (C.CLOSED,), F.DatedForm, _archive, rule="XF-047", primary=True),
]
BY_KEY = {s.key: s for s in STEPS}


def request_for(case: Case, step: Step):
    """The request (``CaseApproval``) the step decides on, if any: the head's pending request of its kind, or
    the filing request whose limitation citation the reviewers review (XF-036)."""
    if step.request is not None:
        return step.request(case)
    return S.pending_approval(case, step.approval) if step.approval else None


def may_take(user, step: Step) -> bool:
    return bool(user.is_superuser or user.role in step.roles)


def _candidates(case: Case, user) -> list[Step]:
    handler = S.may_handle(user, case)
    return [s for s in STEPS if case.status in s.statuses and may_take(user, s) and s.when(case)
            and (not s.approval or _pending(case, s.approval))
            and (s.who(case, user) if s.who else (handler or s.roles != HANDLERS))]


def page_steps(case: Case, user, today: dt.date | None = None) -> tuple[list[Step], list[tuple[Step, list]]]:
    """The steps the case page offers this user (:func:`steps_for`) and those it holds (:func:`held_steps`), read once."""
    today = today or clock.today()
    offered, held = [], []
    for s in _candidates(case, user):
        why = s.held(case, today) if s.held else []
        (held.append((s, why)) if why else offered.append(s))
    return sorted(offered, key=lambda s: not s.primary), held


def steps_for(case: Case, user, today: dt.date | None = None) -> list[Step]:
    """The steps offered on the case page: allowed in this state, by this user's role, relevant, and not held
    (:func:`held_steps`) today."""
    return page_steps(case, user, today)[0]


def held_steps(case: Case, user, today: dt.date | None = None) -> list[tuple[Step, list[tuple[str, str]]]]:
    """The steps this user would be offered but for what the service would refuse today (``Step.held``), each with
    those reasons: the page says what is missing instead of offering a form that cannot succeed."""
    return page_steps(case, user, today)[1]

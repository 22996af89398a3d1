"""Case-handling services: every guard, timer, required field and document of the procedure.

Each service is one transaction: it checks the transition table and the rulebook's guards (raising
``RuleViolation`` with the rule id), writes the case, its transition row, the documents it issues and
the deadline rows it starts, and appends the audit record. Nothing is written when a guard refuses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from cases import documents as docs
from cases import rules
from cases.choices import (
    ASSIST_ANSWERERS,
    AV_REQUIRED,
    AV_WARN,
    AWAITING_REVIEW,
    BEFORE_FILING,
    COERCIVE,
    HANDLER_ROLES,
    LIMITATION_REVIEW,
    NO_PENALTY,
    TRANSITIONS,
    ActKind,
    CaseStatus,
    DocType,
    DutyLeadBody,
    EvidenceKind,
    NoPenaltyGround,
    OfficerRole,
    Outcome,
    PartyKind,
    PoliceAnswer,
    Procedure,
    PublicationExclusion,
    RecusalApplicant,
    RemedyKind,
    RemedyResult,
    ServiceMethod,
    SubmissionKind,
)
from cases.models import (
    Act,
    AssistanceRequest,
    Case,
    CaseApproval,
    CaseOfficer,
    CaseTransition,
    CollectiveDiscussion,
    CrimeTransfer,
    Deferral,
    Document,
    DutyLeadTransfer,
    EducationRecord,
    Evidence,
    Hearing,
    LegalReview,
    PartySubmission,
    Payment,
    Publication,
    Recusal,
    ReferralFeedback,
    Remedy,
)
from cases.selectors import (
    assist_rows_for,
    case_rows,
    coercive_acts_in_force,
    limitation_review_of,
    normalized_number,
)
from catalogue.choices import PenaltyType
from catalogue.models import DiscretionBand, EnforcementItem
from catalogue.selectors import active_on
from core import clock
from core.audit import audit_log, snapshot
from core.config import config_get
from core.exceptions import (
    Conflict,
    InvalidTransition,
    NotPermitted,
    RuleViolation,
    TooManyRequests,
    ValidationFailed,
)
from core.models import Deadline, Notification
from core.records import as_recorded, inside, pgettext_noop, recorded_display, said, said_as
from core.validators import (
    id_birth_date,
    length_error,
    too_long,
    validate_enterprise_code,
    validate_id_number,
    validate_phone,
)
from core.workdays import Deadline as Due
from core.workdays import end_of_day
from dispatch.access import acts_for, events_visible_to
from org.access import has_perm
from org.choices import Role
from org.models import Department, Officer, User

LOCAL = dt.timezone(dt.timedelta(hours=8))
PENALTY_LABELS = dict(PenaltyType.choices)


# ------------------------------------------------------------------ helpers


def _guard(ok: bool, rule: str, message: str, field: str = "__all__") -> None:
    if not ok:
        said = _("%(message)s（%(rule)s）") % {"message": message, "rule": rule}
        raise RuleViolation(said, errors={field: [said]}, rule=rule)


def _check_length(value: str, model, column: str, label: str, field: str) -> None:
    """Text longer than its column (``model.column``) is refused, naming the form's ``field`` and its ``label`` —
    never cut short in the record, never a database error (PostgreSQL enforces the length; SQLite does not)."""
    _refuse_too_long(length_error(value, model, column), label, field)


def _refuse_too_long(error: str | None, label: str, field: str) -> None:
    if error is not None:
        raise ValidationFailed(_("%(label)s太长：%(error)s") % {"label": label, "error": error}, errors={field: [error]})


Blocker = tuple[str, str] | None  # (rule, why) a step cannot be taken on a case now, or None when it can


def _deny(blocker: Blocker, field: str = "__all__") -> None:
    """Refuse with a ``*_blocker`` function's reason. Those functions are the one reading of "may this step be
    taken now": the case page offers the step when they say None (cases/steps.py), the service refuses here."""
    if blocker is not None:
        _guard(False, blocker[0], blocker[1], field)


def _handling_as(actor, case: Case) -> str:
    """How ``actor`` may handle ``case``: "body" (the deciding body's officer), "entrusted" (the entrusted
    organisation under a 委托 in force today covering the item, XF-020-021), "lapsed" (it was entrusted,
    but the entrustment no longer covers it) or "" (not at all)."""
    from catalogue.selectors import entrustment_for

    if actor.is_superuser:
        return "body"
    if actor.role not in HANDLER_ROLES:
        return ""
    if acts_for(actor, case.department):
        return "body"
    if case.entrustment_id and actor.department_id == case.entrustment.agent_id:
        today = clock.now().astimezone(LOCAL).date()
        found = entrustment_for(agent_id=actor.department_id, principal=case.department, item=case.item, on=today)
        return "entrusted" if found else "lapsed"
    return ""


def may_open_cases(user) -> bool:
    """Who registers a clue (案件来源登记) or decides on the spot (当场处罚): enforcement officers — not the
    body's legal reviewer, head or supervisors, who review, approve and refer."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in HANDLER_ROLES))


def may_handle(actor, case: Case) -> bool:
    return _handling_as(actor, case) in ("body", "entrusted")


def _require_handler(actor, case: Case) -> None:
    """The deciding body's officers — or, under a published 委托 in force today that covers the case's item,
    the entrusted organisation's (XF-020-021), acting in the deciding body's name."""
    how = _handling_as(actor, case)
    if how in ("body", "entrusted"):
        return
    if how == "lapsed":
        raise RuleViolation(_("委托已到期、终止或不包括本案事项，受委托组织不得继续办理（XF-020-021）"),
                            errors={"__all__": [_("本案由%(department)s办理")
                                                  % {"department": case.department}]}, rule="XF-020-021")
    raise NotPermitted(_("只有办案机关的执法人员可以办理本案"),
                       errors={"__all__": [_("本案由%(department)s办理") % {"department": case.department}]})


def _require_head(actor, case: Case, rule: str, what: str) -> None:
    """Decisions the law gives to the agency's head (行政机关负责人): only the deciding body's head."""
    if actor.is_superuser:
        return
    if actor.role != Role.AGENCY_HEAD or not acts_for(actor, case.department):
        raise NotPermitted(_("%(what)s由%(department)s负责人决定（%(rule)s）")
                             % {"what": what, "department": case.department, "rule": rule},
                           errors={"__all__": [_("%(what)s须由行政机关负责人作出（%(rule)s）") % {"what": what, "rule": rule}]})


def _check_step_date(case: Case, on: dt.date, field: str = "on") -> None:
    """A recorded step is dated neither in the future nor before the case's previous step (XF-047)."""
    today = clock.now().astimezone(LOCAL).date()
    if on > today:
        raise ValidationFailed(_("日期%(on)s晚于今天") % {"on": on}, errors={field: [_("不能晚于今天")]})
    last = CaseTransition.objects.filter(case=case).order_by("-on").values_list("on", flat=True).first()
    if last and on < last:
        raise ValidationFailed(_("日期%(on)s早于本案上一步骤的日期（%(last)s）") % {"on": on, "last": last},
                               errors={field: [_("不能早于本案上一步骤的日期（%(last)s）") % {"last": last}]})


def _check_dated(on: dt.date, after: dt.date | None = None, after_what: str = "", *, field: str = "on") -> None:
    """A date typed for a step that follows another (an evidence's collection, a remedy's filing, a publication,
    the decision …): neither in the future nor before what it follows."""
    today = clock.now().astimezone(LOCAL).date()
    if on > today:
        raise ValidationFailed(_("日期%(on)s晚于今天") % {"on": on}, errors={field: [_("不能晚于今天")]})
    if after and on < after:
        raise ValidationFailed(_("日期%(on)s早于%(what)s（%(after)s）") % {"on": on, "what": after_what, "after": after},
                               errors={field: [_("不能早于%(on)s") % {"on": after}]})


def _transition(case: Case, new: str, *, actor, on: dt.date, reason: str = "", message: str = "",
                params: dict | None = None, **fields) -> Case:
    """Every state change: allowed by TRANSITIONS, dated neither in the future nor before the case's previous
    step (the record must read in order, XF-047), compare-and-set, with its transition row and audit."""
    old = case.status
    _check_step_date(case, on)
    if new not in TRANSITIONS.get(old, set()):
        raise InvalidTransition(_("案件状态“%(status)s”不能变为“%(label)s”")
                                  % {"status": case.get_status_display(), "label": CaseStatus(new).label},
                                errors={"status": [_("%(old)s → %(new)s 不允许") % {"old": old, "new": new}]})
    moved = Case.objects.filter(pk=case.pk, status=old).update(status=new, **fields)
    if not moved:
        raise InvalidTransition(_("案件已被他人处理，请刷新后重试"), errors={"status": [_("状态已变化")]})
    if new not in REVIEWABLE:  # decided, transferred, not filed …: no review is waited for any more
        _review_clock_stop(case)
    case.status = new
    for k, v in fields.items():
        setattr(case, k, v)
    CaseTransition.objects.create(case=case, old=old, new=new, actor=actor if getattr(actor, "pk", None) else None,
                                  reason=reason[:500], message=message, params=params or {}, on=on)
    audit_log(actor=actor, action=f"cases.case.{new}", obj=case, before={"status": old},
              after={"status": new, "reason": reason, "on": on, **{k: v for k, v in fields.items()}})
    if case.referring_department_id and new in REFERRAL_FEEDBACK:
        _referral_feedback(case, new, actor=actor, on=on, reason=reason)
    return case


# 结果反馈 (ZJ-016): what a department that referred the case hears of it, at each step that answers it — taken on
# or not, decided, passed on, closed — on the day, in its notices.
REFERRAL_FEEDBACK = {
    CaseStatus.FILED: gettext_noop("贵单位移送的%(cause)s已立案（%(number)s）"),
    CaseStatus.NOT_FILED: gettext_noop("贵单位移送的%(cause)s不予立案：%(reason)s"),
    CaseStatus.DECIDED: gettext_noop("贵单位移送的%(cause)s已作出决定：%(reason)s"),
    CaseStatus.SPOT_DECIDED: gettext_noop("贵单位移送的%(cause)s已当场作出处罚决定（%(number)s）：%(reason)s"),
    CaseStatus.TRANSFERRED_OUT: gettext_noop("贵单位移送的%(cause)s已移送其他机关：%(reason)s"),
    CaseStatus.TRANSFERRED_JUDICIAL: gettext_noop("贵单位移送的%(cause)s已移送司法机关：%(reason)s"),
    CaseStatus.CLOSED: gettext_noop("贵单位移送的%(cause)s已结案：%(reason)s"),
}


def _referral_feedback(case: Case, new: str, *, actor, on: dt.date, reason: str) -> None:
    if new in (CaseStatus.DECIDED, CaseStatus.SPOT_DECIDED) and case.final_types:  # the penalty, as decided
        reason = _penalty_text(case.final_types, case.final_fine, case.final_confiscation, case.item)
    told = said(REFERRAL_FEEDBACK[new], cause=case.cause, number=case.number, reason=reason[:150])
    Notification.objects.create(department_id=case.referring_department_id, level=Notification.Level.INFO,
                                link=case.get_absolute_url(), **told)
    ReferralFeedback.objects.create(case=case, department_id=case.referring_department_id, status=new, on=on, **told)
    Case.objects.filter(pk=case.pk).update(referral_feedback_on=on)
    case.referral_feedback_on = on
    audit_log(actor=actor, action="cases.referral.feedback", obj=case,
              after={"to": case.referring_department_id, "status": new, "on": on})


# Periods the party has: when they run out nobody is late (the sweep marks them elapsed, never 督办).
PARTY_PERIODS = {"case.representation", "case.hearing_request", "case.payment", "case.reconsideration_period",
                 "case.litigation_period",
                 "case.crime_reconsider",  # and the window of an option the agency has: unused, nobody is late
                 "case.crime_police_review"}  # and the police's time to decide (YS-310): not the agency's to keep


def _label(case: Case, what, *, name: str = "") -> dict:
    """A case deadline's label, kept to be said again: the case (``name``, else its label) and what is due
    (``what``: a catalogue msgid marked with ``gettext_noop``, or a :func:`said` message)."""
    # before 立案 a case is its clue's register number, said again too ("Clue #3")
    name = name or case.number or inside(said(gettext_noop("线索#%(n)s"), n=case.pk))
    if isinstance(what, dict):
        return said(gettext_noop("%(case)s %(what)s"), case=name, what=inside(what))
    return said(gettext_noop("%(case)s %(what)s"), labels=("what",), case=name, what=what)


def _deadline(case: Case, kind: str, due: Due, what, *, warn_at: dt.date | None = None,
              warn2_at: dt.date | None = None) -> Deadline:
    """``what`` is due: a catalogue msgid (``gettext_noop``) or a :func:`said` message (see :func:`_label`).
    Reminded on ``warn_at`` (default the day before) and, where a rule asks for a second warning, ``warn2_at``."""
    due_at = end_of_day(due.due)
    return Deadline.objects.create(kind=kind, object_type="cases.case", object_id=str(case.pk),
                                   party_period=kind in PARTY_PERIODS, **Deadline.label_columns(_label(case, what)),
                                   department=case.department,
                                   due_at=due_at, remind_at=end_of_day(warn_at) if warn_at else due_at -
                                   dt.timedelta(days=1), remind2_at=end_of_day(warn2_at) if warn2_at else None,
                                   escalate2_at=due_at + dt.timedelta(days=1), rule=due.rule,
                                   provisional=due.provisional, **Deadline.basis_columns(due.basis))


def _close_deadlines(case: Case, kind: str, on: dt.date) -> None:
    """Close ``kind``'s open rows as of ``on``: met, or late — except a party's period (陈述申辩期, 听证申请期,
    缴款期 …), where nobody in the administration can be late: closed after it ran out, it is 期间届满."""
    at = end_of_day(on)
    for d in case_rows(case, kind=kind):
        state = Deadline.State.MET if at <= d.due_at else (
            Deadline.State.ELAPSED if d.party_period else Deadline.State.LATE)
        # a period that ran out ended when it ran out, whenever a step notices it (as the sweep would have)
        Deadline.objects.filter(pk=d.pk).update(
            state=state, closed_at=d.due_at if state == Deadline.State.ELAPSED else clock.now())


def case_deadlines(case: Case):
    return case_rows(case, open_only=False).order_by("due_at")


def investigators(case: Case):
    return Officer.objects.filter(
        pk__in=case.case_officers.filter(role=OfficerRole.INVESTIGATOR, released_on__isnull=True).values("officer"))


def qualified_investigators(case: Case, on: dt.date) -> list[Officer]:
    return [o for o in investigators(case) if o.is_qualified_on(on)]


def two_officer_blocker(officers, on: dt.date, what: str) -> Blocker:
    """XF-042 / ZJ-030: why ``officers`` cannot ``what`` on the day, or None: at least two officers with a
    certificate valid on the day; auxiliary staff never count."""
    aux = [o.name for o in officers if o.is_auxiliary]
    if aux:
        return "ZJ-030", _("辅助人员（%(v)s）不能作为执法人员%(what)s") % {"v": '、'.join(aux), "what": what}
    expired = [o.name for o in officers if not o.is_qualified_on(on)]
    if expired:
        return "XF-042", _("%(v)s的执法证在%(on)s无效，不能%(what)s") % {"v": '、'.join(expired), "on": on, "what": what}
    if len(officers) < 2:
        return "XF-042", _("%(what)s须有两名以上持有有效执法证的执法人员") % {"what": what}
    return None


def _check_two_officers(officers, on: dt.date, what: str) -> None:
    _deny(two_officer_blocker(officers, on, what))


def in_catalogue(department: Department, item: EnforcementItem, town, on: dt.date) -> bool:
    """XF-017-018 / ZJ-006-008: the item belongs to the deciding body on that day — as its holder, or as
    the town it is delegated to (ZJ-009)."""
    if item.repealed_on and item.repealed_on <= on:
        return False
    if active_on(item.holdings.filter(department=department), on).exists():
        return True
    return department.kind == "town" and active_on(item.delegations.filter(town_id=department.region_id), on).exists()


def _party_fields(kind: str, code: str) -> dict:
    if not code:
        return {}
    try:
        if kind == PartyKind.PERSON:
            code = validate_id_number(code)
            return {"party_code": code, "party_birth_date": id_birth_date(code)}
        _k, code = validate_enterprise_code(code)
        return {"party_code": code}
    except ValidationError as exc:
        raise ValidationFailed(_("当事人证件号码有误"), errors={"party_code": exc.messages}) from None


def _remedy_body(case: Case) -> str:
    body = case.department.reconsideration_body
    if body is None:
        raise RuleViolation(_("办案机关未配置行政复议机关（FY-024-027）"), errors={"department": [_("缺少复议机关")]},
                            rule="FY-024-027")
    return body.name


def _evidence_locked(case: Case) -> bool:
    """FY-048-054: during reconsideration the respondent may not collect new evidence itself."""
    return case.remedies.filter(kind="reconsideration", result=RemedyResult.PENDING).exists()


def _penalty_text(types: list[str], fine, confiscation, item: EnforcementItem) -> str:
    parts = []
    for t in types:
        label = str(PENALTY_LABELS.get(t, t))
        if t == PenaltyType.FINE and fine is not None:
            label += f"人民币{fine}元"
        if t in (PenaltyType.CONFISCATE_GAINS, PenaltyType.CONFISCATE_PROPERTY) and confiscation:
            label += f"（{confiscation}元）"
        parts.append(label)
    basis = "、".join(f"《{b.article.law.title}》{b.article.label}" for b in item.itembasis_set.select_related(
        "article__law"))
    return f"{'；'.join(parts)}。依据：{basis}"


# ------------------------------------------------------------------ opening and filing


@transaction.atomic
def case_open(*, actor, department: Department, item: EnforcementItem, party_kind: str, party_name: str,
              party_code: str, party_address: str, cause: str, act_date: dt.date, discovery_date: dt.date,
              location: str, source: str, summary: str, town=None, events=(), act_end_date=None,
              referring_department=None, life_health_with_harm=False, party_phone="", synthetic=False) -> Case:
    """案件来源登记 (WS-SOURCE). The discovery date starts the limitation check and the verification timer. A clue
    opened from a department's referral (部门移送) keeps that department, which hears what becomes of it (ZJ-016)."""
    if not may_open_cases(actor):
        raise NotPermitted(_("只有执法人员可以登记案件"), errors={"__all__": [_("只有执法人员可以登记案件")]})
    events = _linkable(actor, events)
    if referring_department is None:
        referring_department = _referrer_of(events)
    entrustment = None
    if not acts_for(actor, department) and not actor.is_superuser:
        from catalogue.selectors import entrustment_for

        entrustment = entrustment_for(agent_id=actor.department_id, principal=department, item=item,
                                      on=clock.now().astimezone(LOCAL).date())
        if entrustment is None:
            raise NotPermitted(_("只能为本单位（或在有效委托范围内为委托机关）登记案件线索"),
                               errors={"department": [str(department)]})
    errors = {}
    today = clock.now().astimezone(LOCAL).date()
    for f, v in (("party_name", party_name), ("cause", cause), ("location", location), ("party_address", party_address),
                 ("source", source), ("summary", summary)):
        if not str(v).strip():
            errors[f] = [_("不能为空")]
    if party_kind not in PartyKind.values:
        errors["party_kind"] = [_("当事人类型无效")]
    if act_date > today:
        errors["act_date"] = [_("违法行为发生日不能晚于今天")]
    if discovery_date > today or discovery_date < act_date:
        errors["discovery_date"] = [_("发现日期应在违法行为发生日之后、今天之前")]
    if errors:
        raise ValidationFailed(_("线索登记信息有误"), errors=errors)
    case = Case.objects.create(
        department=department, item=item, party_kind=party_kind, party_name=party_name, party_address=party_address,
        party_phone=party_phone, cause=cause, facts=summary, act_date=act_date, act_end_date=act_end_date,
        discovery_date=discovery_date, location=location, town=town, referring_department=referring_department,
        life_health_with_harm=life_health_with_harm, synthetic=synthetic, entrustment=entrustment,
        team=department.teams.filter(active=True).first(), **_party_fields(party_kind, party_code))
    case.events.set(events)
    CaseTransition.objects.create(case=case, old="", new=CaseStatus.CLUE, actor=actor, reason=source, on=discovery_date)
    docs.issue(case=case, doc_type=DocType.SOURCE, on=discovery_date, actor=actor, fields={
        "source": source, "summary": summary, "discovery_date": str(discovery_date), "registrar": str(actor),
        "events": [e.ticket for e in events]})
    from core.workdays import add_working_days

    _deadline(case, "case.verify", add_working_days(discovery_date, _cfg("case.verification_working_days"),
                                                    rule="XF-054"), gettext_noop("线索核查立案"))
    audit_log(actor=actor, action="cases.case.open", obj=case, after=snapshot(case, [
        "department", "item", "party_name", "cause", "act_date", "discovery_date", "referring_department"]))
    return case


def referral_ledger_export_record(*, actor, department: Department, state: str, count: int) -> None:
    """Audit an export of a department's 移送台账 (导出): who took which rows out of the system."""
    with transaction.atomic():
        audit_log(actor=actor, action="cases.referrals.export", obj=department,
                  after={"department": department.code, "state": state, "rows": count})


def _linkable(actor, events) -> list:
    """The reports a case or an on-the-spot decision is made of, once each — only ones the officer may see
    (:func:`dispatch.access.events_visible_to`): the pages check it, and so does the service, so that no caller
    links another body's report to its case, nor learns of it by the referral it would then answer."""
    events = list({e.pk: e for e in events}.values())
    seen = set(events_visible_to(actor).filter(pk__in=[e.pk for e in events]).values_list("pk", flat=True))
    hidden = [e.ticket for e in events if e.pk not in seen]
    if hidden:
        message = _("不能关联本人无权查看的事件：%(tickets)s") % {"tickets": pgettext("list", "、").join(hidden)}
        raise NotPermitted(message, errors={"event": [message]})
    return _not_merged(events)


def _not_merged(events) -> list:
    """A report merged into an earlier one (附议) is handled on that one — the case goes where its reporters and
    the command centre look, and a department that referred the merged one is found through it
    (:func:`_referrer_of`)."""
    merged = [e for e in events if e.duplicate_of_id]
    if merged:
        messages = [_("事件%(ticket)s已并入%(holder)s，请在%(holder)s上办理") % {"ticket": e.ticket,
                                                                          "holder": e.duplicate_of.ticket}
                    for e in merged]
        raise ValidationFailed(messages[0], errors={"event": messages})
    return events


def _referrer_of(events) -> Department | None:
    """The department that referred one of the reports a case is made of (部门移送, ZJ-016), or referred one merged
    into them (附议): it hears what becomes of the case."""
    referrals = [*events, *(d for e in events for d in e.duplicates.select_related("source", "reporter"))]
    return next((Department.objects.get(pk=e.referring_department_id) for e in referrals
                 if e.referring_department_id), None)


def _cfg(key):
    return config_get(key)


@transaction.atomic
def case_assign(*, actor, case: Case, officer: Officer, on: dt.date, no_conflict_declared: bool,
                role: str = OfficerRole.INVESTIGATOR) -> CaseOfficer:
    """Assign an officer, who declares no conflict of interest (XF-043). Auxiliary staff cannot be
    assigned as investigators (ZJ-030); the certificate must be valid (XF-042). From the clue to the investigation
    (``ASSIGNABLE``), dated in the case's order."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.status in ASSIGNABLE, "XF-042",
           _("承办人员在线索至调查阶段指派（本案：%(status)s）") % {"status": case.get_status_display()})
    _check_step_date(case, on)
    _guard(not officer.is_auxiliary, "ZJ-030", _("%(name)s是辅助人员，不能承办案件") % {"name": officer.name})
    _guard(officer.is_qualified_on(on), "XF-042", _("%(name)s的执法证在%(on)s无效") % {"name": officer.name, "on": on})
    _guard(no_conflict_declared, "XF-043", _("%(name)s须声明与本案无利害关系") % {"name": officer.name})
    if CaseOfficer.objects.filter(case=case, officer=officer, role=role, released_on__isnull=True).exists():
        raise Conflict(_("%(name)s已是本案承办人员") % {"name": officer.name}, errors={"officer": [_("已指派")]})
    assignment = CaseOfficer.objects.create(case=case, officer=officer, role=role, no_conflict_declared=True,
                                            assigned_on=on)
    audit_log(actor=actor, action="cases.case.assign", obj=case, after={"officer": officer.pk, "role": role})
    return assignment


FILE_FROM = (CaseStatus.CLUE, CaseStatus.VERIFYING)
# Officers are assigned from the clue until the investigation ends (指派承办人员).
ASSIGNABLE = (CaseStatus.CLUE, CaseStatus.VERIFYING, CaseStatus.FILED, CaseStatus.INVESTIGATING)


def _filing_guards(case: Case, on: dt.date, limitation_citation: str, *, asking: bool = False,
                   citation_passed: bool = False) -> None:
    """What must hold to file (立案), checked when the officers ask (``asking``) and again when the head approves:
    the catalogue on that date (XF-017-018, ZJ-006-008), limitation (XF-036: past it, a "法律另有规定" citation,
    which the legal reviewers must pass before the head approves), two qualified investigators (XF-042), no
    undeclared conflict (XF-043), one body per act (XF-022-025). Writes nothing."""
    if case.status not in FILE_FROM:
        raise InvalidTransition(_("案件状态“%(status)s”不能立案") % {"status": case.get_status_display()},
                                errors={"status": [_("不能立案")]})
    _guard(case.procedure == Procedure.GENERAL, "XF-054", _("简易程序案件无须立案"))
    blockers = filing_blockers(case, on)
    if blockers and blockers[0][0] == "ZJ-006-007-008":  # the catalogue first: no other question arises without it
        _deny(blockers.pop(0))
    if past_limitation(case):
        end = rules.limitation_end(case.act_date, case.act_end_date, life_health_with_harm=case.life_health_with_harm)
        if not limitation_citation.strip():
            raise RuleViolation(_("违法行为在%(end)s后才被发现，已超过追责时效（XF-036）") % {"end": end},
                                errors={"discovery_date": [_("时效截止 %(end)s") % {"end": end}]}, rule="XF-036")
        if not asking:  # the request goes to the legal reviewers first (case_file_request); the head needs the
            # pass of the review that answered this request's citation — not of an earlier one
            _guard(citation_passed, "XF-036", _("援引“法律另有规定”的时效须经法制审核通过"))
    if blockers:
        _deny(blockers[0])


def filing_blockers(case: Case, on: dt.date) -> list[tuple[str, str]]:
    """What keeps a clue from being filed (立案) on ``on``, each as (rule, why), in the order the request is
    refused: the catalogue (ZJ-006-008), two qualified investigators (XF-042), their declarations of no conflict
    (XF-043), another body's filing of the same act (XF-022-025). The case page shows these in place of the
    request the service would refuse. Not here: the state, and the limitation, which the request answers with
    its citation (XF-036)."""
    out: list[tuple[str, str]] = []
    if not in_catalogue(case.department, case.item, case.town, on):
        out.append(("ZJ-006-007-008", _("事项%(code)s在%(on)s不属于%(department)s的执法事项目录")
                    % {"code": case.item.code, "on": on, "department": case.department}))
    if (officers := two_officer_blocker(investigators(case), on, pgettext("action", "立案"))) is not None:
        out.append(officers)
    if case.case_officers.filter(no_conflict_declared=False, released_on__isnull=True).exists():
        out.append(("XF-043", _("承办人员须声明无利害关系")))
    other = Case.objects.filter(party_code=case.party_code, item=case.item, act_date=case.act_date,
                                filed_on__isnull=False).exclude(pk=case.pk).exclude(department=case.department)
    if case.party_code and (first := other.select_related("department").first()) is not None:
        out.append(("XF-022-025", _("%(department)s已就同一违法行为立案，由先立案的机关管辖；请提交管辖争议")
                    % {"department": first.department}))
    return out


def pending_approval(case: Case, kind: str) -> CaseApproval | None:
    return case.approvals.filter(kind=kind, status=CaseApproval.Status.PENDING).select_related("requested_by").first()


def past_limitation(case: Case) -> bool:
    """XF-036: the act was discovered after the ordinary limitation period (two years, five with harm to life,
    health or financial safety), so only a law providing otherwise allows filing."""
    return not rules.within_limitation(act_date=case.act_date, act_end_date=case.act_end_date,
                                       discovery_date=case.discovery_date,
                                       life_health_with_harm=case.life_health_with_harm)




def limitation_review_pending(case: Case) -> CaseApproval | None:
    """The filing request (立案申请) whose "法律另有规定" limitation citation waits for legal review (XF-036)."""
    approval = pending_approval(case, CaseApproval.Kind.FILING)
    return approval if approval is not None and approval.details.get(LIMITATION_REVIEW) == "pending" else None


ASK_HEAD = "待审批："  # the prefix of the head's notice of a request; settled when the head decides


def _ask_head(**fields) -> CaseApproval:
    """Create a request (``CaseApproval``) and tell each head of the deciding body at once, by name: an
    emergency measure has 24 hours, a filing the verification period.

    A body with no active head account cannot receive a request, so it is refused, saying so, rather than
    left where nobody sees it; an emergency measure already carried out is recorded all the same (its
    24-hour deadline escalates)."""
    case = fields["case"]
    heads = list(User.objects.filter(role=Role.AGENCY_HEAD, department=case.department, is_active=True))
    if not heads and fields["kind"] != CaseApproval.Kind.EMERGENCY:
        message = _("%(department)s尚无启用的机关负责人账号，%(kind)s申请无人接收；请系统管理员先为本机关设置机关负责人") % {
            "department": case.department.name, "kind": CaseApproval.Kind(fields["kind"]).label}
        raise ValidationFailed(message, errors={"__all__": [message]})
    approval = CaseApproval.objects.create(**fields)
    for head in heads:
        Notification.objects.create(
            user=head, level=Notification.Level.REMIND, link=case.get_absolute_url(),
            **said(gettext_noop("待审批：%(kind)s（%(case)s）%(by)s：%(opinion)s"), labels=("kind",),
                   kind=recorded_display(approval, "kind"),
                   case=case.label, by=str(approval.requested_by), opinion=approval.opinion[:200]))
    return approval


def _record_decision(approval: CaseApproval, *, actor, on: dt.date, approved: bool, opinion: str) -> None:
    """The head's decision on a request, and its notices settled for everyone."""
    CaseApproval.objects.filter(pk=approval.pk).update(
        status=CaseApproval.Status.APPROVED if approved else CaseApproval.Status.REFUSED, decided_by=actor,
        decided_on=on, decision_opinion=opinion.strip()[:300])
    Notification.objects.filter(link=approval.case.get_absolute_url(), read_at__isnull=True,
                                text__startswith=f"{ASK_HEAD}{recorded_display(approval, 'kind')}").update(read_at=clock.now())


def _pending_to_decide(case: Case, kind: str, on: dt.date, *, approval: CaseApproval | None = None,
                       approved: bool = True, opinion: str = "") -> CaseApproval:
    """The request the head decides on ``on`` — the one given (several measures may wait) or the single one
    of its kind — locked; it must be pending, made no later than ``on``, and a refusal must give reasons."""
    label = CaseApproval.Kind(kind).label
    if approval is not None:
        approval = CaseApproval.objects.select_for_update().filter(
            pk=approval.pk, case=case, kind=kind, status=CaseApproval.Status.PENDING).first()
    else:
        approval = case.approvals.select_for_update().filter(kind=kind, status=CaseApproval.Status.PENDING).first()
    if approval is None:
        raise ValidationFailed(_("没有待决定的%(label)s申请") % {"label": label},
                               errors={"__all__": [_("没有待决定的%(label)s申请，承办人员须先提出") % {"label": label}]})
    if on < approval.requested_on:
        raise ValidationFailed(_("决定日期早于申请日期（%(requested_on)s）") % {"requested_on": approval.requested_on},
                               errors={"on": [_("不能早于 %(requested_on)s") % {"requested_on": approval.requested_on}]})
    if not approved and not opinion.strip():
        raise ValidationFailed(_("请写明不批准的理由"), errors={"opinion": [_("不能为空")]})
    _check_step_date(case, on)
    return approval


def _no_pending(case: Case, *kinds: str) -> None:
    """One request of these kinds before the head at a time (to file and not to file count as one)."""
    pending = case.approvals.filter(kind__in=kinds, status=CaseApproval.Status.PENDING).first()
    if pending:
        raise ValidationFailed(_("%(kind)s申请已提交，等待负责人决定") % {"kind": pending.get_kind_display()},
                               errors={"__all__": [_("已有待决定的%(kind)s申请") % {"kind": pending.get_kind_display()}]})


def _approval_fields(approval: CaseApproval, *, actor, on: dt.date, opinion: str) -> dict:
    """What an approval form (审批表) prints: the officers' opinion and the head's, each with name and date."""
    return {"unit_opinion": f"{approval.opinion}（{approval.requested_by}，{approval.requested_on}）",
            "head_approval": f"{opinion.strip()}（{actor}，{on}）"}


@transaction.atomic
def case_file_request(*, actor, case: Case, on: dt.date, basis: str, limitation_citation: str = "") -> CaseApproval:
    """立案申请 (XF-054, WS-FILE): the handling officers ask the head to file, with their opinion (the
    filing basis). Every filing guard is checked now, so the head is never asked to approve what the
    law forbids; the head's approval (``case_file``) checks them again on its own date."""
    case.refresh_from_db()
    _require_handler(actor, case)
    if not basis.strip():
        raise ValidationFailed(_("请写明立案依据（承办人意见）"), errors={"basis": [_("不能为空")]})
    _check_step_date(case, on)
    _no_pending(case, CaseApproval.Kind.FILING, CaseApproval.Kind.NOT_FILING)
    _filing_guards(case, on, limitation_citation, asking=True)
    details = {"limitation_citation": limitation_citation.strip()}
    if past_limitation(case):
        # XF-036: the citation goes to the legal reviewers; this request answers any review of an earlier one
        details[LIMITATION_REVIEW] = "pending"
        _unanswered_reviews(case).update(resubmitted_on=on, resubmitted_by=actor if getattr(actor, "pk", None) else None)
        _deadline(case, "case.legal_review", rules.legal_review_deadline(on),
                  said(pgettext_noop("deadline", "法制审核"), context="deadline"))
    approval = _ask_head(case=case, kind=CaseApproval.Kind.FILING, requested_by=actor, requested_on=on,
                         opinion=basis.strip(), details=details)
    audit_log(actor=actor, action="cases.filing.request", obj=case, after={"on": on, "basis": basis.strip(),
                                                                         "approval": approval.pk})
    return approval


@transaction.atomic
def case_file(*, actor, case: Case, on: dt.date, opinion: str = "同意立案") -> Case:
    """立案: the agency head approves the officers' filing request (WS-FILE: "head approval and date"). The
    filing date is the approval date and starts the 90-day timer (XF-060). Only the head of the deciding
    body — for an entrusted organisation's case, the entrusting body, which answers for it (XF-020-021)."""
    case.refresh_from_db()
    _require_head(actor, case, "XF-054", pgettext("action", "立案"))
    approval = _pending_to_decide(case, CaseApproval.Kind.FILING, on)
    limitation_citation = approval.details.get("limitation_citation", "")
    reviewed = limitation_review_of(approval)
    _filing_guards(case, on, limitation_citation,
                   citation_passed=reviewed is not None and reviewed.result == LegalReview.Result.PASS)
    if limitation_citation:
        Case.objects.filter(pk=case.pk).update(limitation_override=limitation_citation)
    basis = approval.opinion
    prefix = case.department.doc_prefix or case.department.short_name
    number = f"{prefix.removesuffix('罚')}案〔{on.year}〕{case.pk}号"
    _close_deadlines(case, "case.verify", on)
    if case.status == CaseStatus.CLUE:
        _transition(case, CaseStatus.VERIFYING, actor=actor, on=on, **said_as("reason", gettext_noop("核查")))
    _transition(case, CaseStatus.FILED, actor=actor, on=on, reason=basis, filed_on=on, filing_approved_by=actor,
                number=number)
    _record_decision(approval, actor=actor, on=on, approved=True, opinion=opinion)
    officers = [f"{o.name}（执法证号 {o.certificate_no}）" for o in qualified_investigators(case, on)]
    docs.issue(case=case, doc_type=DocType.FILING, on=on, actor=actor, fields={
        "cause": case.cause, "party": case.party_name, "party_code": case.party_code,
        "item": f"{case.item.code} {case.item.name}", "facts": case.facts, "officers": officers, "basis": basis,
        **_approval_fields(approval, actor=actor, on=on, opinion=opinion.strip() or "同意立案")})
    warn = _cfg("case.decision_warn_days")
    _deadline(case, "case.decide", rules.decision_deadline(on), gettext_noop("90日内作出决定"),
              warn_at=on + dt.timedelta(days=warn[0]), warn2_at=on + dt.timedelta(days=warn[-1]) if len(warn) > 1 else None)
    _transition(case, CaseStatus.INVESTIGATING, actor=actor, on=on, **said_as("reason", gettext_noop("开始调查取证")))
    return case


@transaction.atomic
def case_file_refuse(*, actor, case: Case, on: dt.date, opinion: str) -> CaseApproval:
    """The head does not approve the filing request, with reasons; the officers may then decide not to
    file (不予立案) or ask again once the reasons are met. The refused request stays on the case."""
    case.refresh_from_db()
    _require_head(actor, case, "XF-054", pgettext("action", "立案"))
    if limitation_review_pending(case):
        _review_clock_stop(case)  # the refused request's citation is no longer before the reviewers
    return _refuse(actor, case, CaseApproval.Kind.FILING, on, opinion, "cases.filing.refuse")


@transaction.atomic
def case_not_file_request(*, actor, case: Case, on: dt.date, reason: str) -> CaseApproval:
    """不予立案申请 (XF-054, WS-FILE 不予立案审批表): the officers ask the head not to file, with reasons."""
    case.refresh_from_db()
    _require_handler(actor, case)
    if not reason.strip():
        raise ValidationFailed(_("请写明不予立案理由"), errors={"reason": [_("不能为空")]})
    _check_length(reason.strip(), Case, "not_filed_reason", _("不予立案理由"), "reason")
    if case.status not in FILE_FROM:
        raise InvalidTransition(_("案件状态“%(status)s”不能不予立案") % {"status": case.get_status_display()},
                                errors={"status": [_("不能不予立案")]})
    _check_step_date(case, on)
    _no_pending(case, CaseApproval.Kind.FILING, CaseApproval.Kind.NOT_FILING)
    approval = _ask_head(case=case, kind=CaseApproval.Kind.NOT_FILING, requested_by=actor, requested_on=on,
                         opinion=reason.strip())
    audit_log(actor=actor, action="cases.not_filing.request", obj=case, after={"on": on, "reason": reason.strip(),
                                                                             "approval": approval.pk})
    return approval


@transaction.atomic
def case_not_file(*, actor, case: Case, on: dt.date, opinion: str = "同意不予立案") -> Case:
    """不予立案: the deciding body's head approves the officers' request (WS-FILE); the reasons are theirs."""
    case.refresh_from_db()
    _require_head(actor, case, "XF-054", pgettext("action", "不予立案"))
    approval = _pending_to_decide(case, CaseApproval.Kind.NOT_FILING, on)
    reason = approval.opinion
    _transition(case, CaseStatus.NOT_FILED, actor=actor, on=on, reason=reason, not_filed_reason=reason[:300])
    _record_decision(approval, actor=actor, on=on, approved=True, opinion=opinion)
    _close_deadlines(case, "case.verify", on)
    docs.issue(case=case, doc_type=DocType.NOT_FILING, on=on, actor=actor, fields={
        "reason": reason, "party": case.party_name,
        **_approval_fields(approval, actor=actor, on=on, opinion=opinion.strip() or "同意不予立案")})
    return case


@transaction.atomic
def case_not_file_refuse(*, actor, case: Case, on: dt.date, opinion: str) -> CaseApproval:
    case.refresh_from_db()
    _require_head(actor, case, "XF-054", pgettext("action", "不予立案"))
    return _refuse(actor, case, CaseApproval.Kind.NOT_FILING, on, opinion, "cases.not_filing.refuse")


# ------------------------------------------------------------------ jurisdiction (XF-022-025, ZJ-017)

JURISDICTION_OPEN = (CaseStatus.CLUE, CaseStatus.VERIFYING, CaseStatus.FILED, CaseStatus.INVESTIGATING)


@transaction.atomic
def case_transfer_out(*, actor, case: Case, to_department: Department, on: dt.date, reason: str) -> Case:
    """移送有管辖权的机关 (XF-022-025): the matter is another body's. The receiving body is told; the
    case's own timers stop; the case can then be closed."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(to_department.pk != case.department_id, "XF-022-025", _("不能移送本机关"), field="to_department")
    if not reason.strip():
        raise ValidationFailed(_("请写明移送理由和依据"), errors={"reason": [_("不能为空")]})
    _transition(case, CaseStatus.TRANSFERRED_OUT, actor=actor, on=on, **said_as("reason", gettext_noop("移送%(department)s：%(reason)s"), department=str(to_department), reason=reason),
                transferred_to=to_department)
    for kind in ("case.verify", "case.decide"):
        case_rows(case, kind=kind).update(state=Deadline.State.CANCELLED, closed_at=clock.now())
    Notification.objects.create(department=to_department, level=Notification.Level.REMIND, link=case.get_absolute_url(),
                                **said(gettext_noop("%(department)s移送案件线索：%(cause)s（%(reason)s）"),
                                       department=case.department.short_name, cause=case.cause, reason=reason[:150]))
    return case


@transaction.atomic
def jurisdiction_dispute(*, actor, case: Case, other: Department, on: dt.date, reason: str) -> Case:
    """XF-022-025 / ZJ-017: two bodies both claim (or both decline) the matter; the guidance office is asked
    to coordinate and rules who handles it."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(other.pk != case.department_id, "XF-022-025", _("争议对方不能是本机关"), field="other")
    if not reason.strip():
        raise ValidationFailed(_("请写明争议事项"), errors={"reason": [_("不能为空")]})
    _transition(case, CaseStatus.JURISDICTION_DISPUTE, actor=actor, on=on, **said_as("reason", gettext_noop("与%(other)s管辖争议：%(reason)s"), other=str(other), reason=reason),
                dispute_with=other)
    guidance = Department.objects.filter(kind="guidance").first()
    for dept in filter(None, (guidance, other)):
        Notification.objects.create(department=dept, level=Notification.Level.REMIND, link=case.get_absolute_url(),
                                    **said(gettext_noop("管辖争议：%(one)s与%(other)s，%(cause)s"), one=case.department.short_name,
                                           other=other.short_name, cause=case.cause))
    return case


@transaction.atomic
def jurisdiction_rule(*, actor, case: Case, handler: Department, on: dt.date, reason: str) -> Case:
    """The guidance office's ruling (协调/指定管辖): the case stays (back to 核查) or moves to ``handler``."""
    case.refresh_from_db()
    _guard(actor.is_superuser or actor.role == Role.GUIDANCE, "ZJ-017", _("管辖争议由综合行政执法指导机构协调"))
    if not reason.strip():
        raise ValidationFailed(_("请写明协调意见"), errors={"reason": [_("不能为空")]})
    _guard(handler.pk in (case.department_id, case.dispute_with_id), "XF-022-025", _("只能在争议双方中指定"),
           field="handler")
    if handler.pk == case.department_id:
        _transition(case, CaseStatus.VERIFYING, actor=actor, on=on, **said_as("reason", gettext_noop("指导办协调：由%(handler)s管辖。%(reason)s"), handler=str(handler),
                                                                         reason=reason))
    else:
        _transition(case, CaseStatus.TRANSFERRED_OUT, actor=actor, on=on,
                    **said_as("reason", gettext_noop("指导办协调：由%(handler)s管辖，移送。%(reason)s"), handler=str(handler), reason=reason), transferred_to=handler)
        Notification.objects.create(department=handler, level=Notification.Level.REMIND, link=case.get_absolute_url(),
                                    **said(gettext_noop("指导办协调：%(cause)s由贵单位管辖"), cause=case.cause))
    audit_log(actor=actor, action="cases.jurisdiction.rule", obj=case, after={"handler": handler.pk, "reason": reason})
    return case


# ------------------------------------------------------------------ investigation


# Acts, measures and evidence are taken while the filed case is investigated (XF-054); evidence is verified, and
# device records reviewed, until the decision is proposed — review may still find a piece unverified (XF-046).
INVESTIGATION_OPEN = (CaseStatus.FILED, CaseStatus.INVESTIGATING)
VERIFIABLE = (CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.REVIEW)


@transaction.atomic
def act_record(*, actor, case: Case, kind: str, started_at: dt.datetime, ended_at: dt.datetime, place: str,
               officers: list[Officer], id_shown: bool, record: str, interviewee: str = "", rights_told: bool = False,
               party_present: bool = True, party_signed: bool = False, refusal_note: str = "", witness: str = "",
               av_sha256: str = "", av_started_at=None, av_ended_at=None, approval_ref: str = "",
               emergency: bool = False, approval: CaseApproval | None = None) -> Act:
    """An on-site act and its 笔录. Guards: XF-042 (two qualified officers), XF-055 (certificate shown,
    a record), XF-043 (rights told at inquiry), QZ-018-019 (approval or emergency, witness when the
    party is absent), SX-4 (audio-video for seizure, sealing and demolition), FY-048-054 (no new
    evidence while reconsideration is pending)."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.status in INVESTIGATION_OPEN, "XF-054", _("只有立案调查中的案件可以调查取证"))
    _guard(not _evidence_locked(case), "FY-048-054", _("行政复议期间不得自行收集证据"))
    on = started_at.astimezone(LOCAL).date()
    _check_two_officers(officers, on, ActKind(kind).label)
    _guard(id_shown, "XF-055", _("调查检查时须出示执法证件"))
    _guard(bool(record.strip()), "XF-055", _("询问或者检查应当制作笔录"))
    _guard(ended_at >= started_at, "XF-055", _("结束时间早于开始时间"))
    if kind == ActKind.INQUIRY:
        _guard(bool(interviewee.strip()), "XF-055", _("询问笔录须写明被询问人"))
        _guard(rights_told, "XF-043", _("询问前须告知申请回避的权利和如实回答的义务"))
    if not party_present or not party_signed:
        _check_length(refusal_note, Act, "refusal_note", _("不在场/拒签情况"), "refusal_note")
        _guard(bool(refusal_note.strip()) or bool(witness.strip()), "QZ-018-019",
               _("当事人不在场或拒绝签名的，须注明情况并由见证人签名"))
    if approval is not None:
        approval, approval_ref = _use_measure_approval(case, approval, kind, on)
    if kind in COERCIVE:
        _guard(bool(approval_ref.strip()) or emergency, "QZ-018-019", _("实施行政强制措施须事先报经负责人批准"))
        if not party_present:
            _guard(bool(witness.strip()), "QZ-018-019", _("当事人不到场的，须邀请见证人到场"))
    warnings = []
    if kind in AV_REQUIRED:
        ok = bool(av_sha256) and av_started_at is not None and av_ended_at is not None and \
            av_started_at <= started_at and av_ended_at >= ended_at
        _guard(ok, "SX-4", _("查封、扣押、强制拆除须全程音像记录（音像文件哈希及起止时间覆盖整个过程）"))
    elif kind in AV_WARN and not av_sha256:
        warnings.append("SX-4：建议对该环节进行音像记录")
    act = Act.objects.create(case=case, kind=kind, started_at=started_at, ended_at=ended_at, place=place,
                             id_shown=id_shown, record=record, interviewee=interviewee, rights_told=rights_told,
                             party_present=party_present, party_signed=party_signed, refusal_note=refusal_note,
                             witness=witness, av_file_sha256=av_sha256, av_started_at=av_started_at,
                             av_ended_at=av_ended_at, approval_ref=approval_ref, emergency=emergency, warnings=warnings)
    act.officers.set(officers)
    if approval is not None:
        CaseApproval.objects.filter(pk=approval.pk).update(details={**approval.details, "used_by_act": act.pk})
    officer_text = [f"{o.name}（{o.certificate_no}）" for o in officers]
    doc_type = DocType.INQUIRY if kind == ActKind.INQUIRY else DocType.ONSITE
    if kind == ActKind.PRESERVATION:
        _guard(bool(approval_ref.strip()), "XF-056", _("先行登记保存须经行政机关负责人批准"))
        doc_type = DocType.PRESERVATION
        due = rules.preservation_deadline(on)
        from core.workdays import add_working_days

        _deadline(case, "case.preservation", due, gettext_noop("先行登记保存处理决定"),
                  warn_at=add_working_days(on, 5, rule="XF-056").due)
    fields = {"time": f"{started_at.astimezone(LOCAL):%Y-%m-%d %H:%M}—{ended_at.astimezone(LOCAL):%H:%M}",
              "place": place, "officers": officer_text, "id_shown": id_shown, "record": record,
              "interviewee": interviewee, "rights_told": rights_told, "witness": witness,
              "av_record": av_sha256, "approval": approval_ref, "items": record if kind == ActKind.PRESERVATION else "",
              "deadline": f"{rules.preservation_deadline(on).due} 前作出处理决定" if kind == ActKind.PRESERVATION else "",
              "refusal": refusal_note}
    docs.issue(case=case, doc_type=doc_type, on=on, actor=actor, fields=fields)
    if kind in COERCIVE:
        _deadline(case, f"case.seizure.{act.pk}", rules.seizure_deadline(on),
                  said(gettext_noop("%(act)s期限（30日）"), labels=("act",), act=as_recorded(ActKind(kind).label)))
    if kind in COERCIVE and emergency and not approval_ref:
        from core.workdays import Deadline as D2

        _deadline(case, f"case.emergency_approval.{act.pk}", D2(on + dt.timedelta(days=1), "QZ-018-019",
                                                                 said(gettext_noop("24小时内补办批准"))),
                  gettext_noop("紧急措施补办批准"))
        # reported to the head at once: the request waits under 待负责人决定 (emergency_approval_decide)
        _ask_head(case=case, kind=CaseApproval.Kind.EMERGENCY, requested_by=actor, requested_on=on,
                  opinion=f"情况紧急，于{started_at.astimezone(LOCAL):%Y-%m-%d %H:%M}在{place}当场实施"
                          f"{as_recorded(ActKind(kind).label)}：{record[:200]}",
                  details={"act": act.pk})
    audit_log(actor=actor, action="cases.act.record", obj=act, after={"kind": kind, "officers": [o.pk for o in officers],
                                                                     "warnings": warnings})
    return act


MEASURES = COERCIVE | {ActKind.PRESERVATION}


def _use_measure_approval(case: Case, approval: CaseApproval, kind: str, on: dt.date) -> tuple[CaseApproval, str]:
    """The head's prior approval an act relies on (XF-056, QZ-018-019): approved, of this case and this
    measure, given no later than the act, and not used by another act. Returns it, locked until the act
    is recorded, and the reference the documents print."""
    approval = CaseApproval.objects.select_for_update().get(pk=approval.pk)
    rule = "XF-056" if kind == ActKind.PRESERVATION else "QZ-018-019"
    ok = (approval.case_id == case.pk and approval.kind == CaseApproval.Kind.MEASURE
          and approval.status == CaseApproval.Status.APPROVED and approval.details.get("measure") == kind
          and "used_by_act" not in approval.details and approval.decided_on is not None and approval.decided_on <= on)
    if not ok:
        raise RuleViolation(_("所选审批不能用于本次%(label)s（须为本案、同一措施、已批准、未使用且不晚于实施日期）") % {"label": ActKind(kind).label},
                            errors={"approval": [_("审批不适用")]}, rule=rule)
    return approval, f"{approval.decided_by}于{approval.decided_on}批准（审批#{approval.pk}）"[:100]


@transaction.atomic
def measure_approval_request(*, actor, case: Case, kind: str, on: dt.date, reason: str) -> CaseApproval:
    """先行登记保存/强制措施审批 asked before the act (XF-056, QZ-018-019): the measure and why, to the head."""
    case.refresh_from_db()
    _require_handler(actor, case)
    if kind not in MEASURES:
        raise ValidationFailed(_("只有先行登记保存、查封、扣押须事先报批"), errors={"kind": [_("该措施无须报批")]})
    _guard(case.status in INVESTIGATION_OPEN, "XF-054", _("只有立案调查中的案件可以采取措施"))
    if not reason.strip():
        raise ValidationFailed(_("请写明采取措施的理由和对象"), errors={"reason": [_("不能为空")]})
    _check_step_date(case, on)
    approval = _ask_head(case=case, kind=CaseApproval.Kind.MEASURE, requested_by=actor, requested_on=on,
                         opinion=f"拟{as_recorded(ActKind(kind).label)}：{reason.strip()}", details={"measure": kind})
    audit_log(actor=actor, action="cases.measure.request", obj=case, after={"kind": kind, "on": on,
                                                                          "approval": approval.pk})
    return approval


@transaction.atomic
def measure_approval_decide(*, actor, case: Case, approval: CaseApproval, on: dt.date, approved: bool,
                            opinion: str = "") -> CaseApproval:
    """The head approves a preservation or coercive measure before it is taken, or refuses with reasons."""
    case.refresh_from_db()
    rule = "XF-056" if approval.details.get("measure") == ActKind.PRESERVATION else "QZ-018-019"
    _require_head(actor, case, rule, pgettext("action", "先行登记保存和行政强制措施"))
    approval = _pending_to_decide(case, CaseApproval.Kind.MEASURE, on, approval=approval, approved=approved,
                                  opinion=opinion)
    text = opinion.strip() or "同意"
    _record_decision(approval, actor=actor, on=on, approved=approved, opinion=text)
    audit_log(actor=actor, action="cases.measure.approve" if approved else "cases.measure.refuse", obj=case,
              after={"approval": approval.pk, "on": on, "opinion": text})
    approval.refresh_from_db()
    return approval


@transaction.atomic
def emergency_approval_decide(*, actor, case: Case, approval: CaseApproval, on: dt.date, approved: bool,
                              opinion: str = "") -> CaseApproval:
    """QZ-018-019: a coercive measure taken on the spot in an emergency is reported to the head, who
    approves it within 24 hours — or disagrees, and the measure is released at once (its period closes,
    the release is recorded). Late approval is still recorded, and the 24-hour row shows it late."""
    case.refresh_from_db()
    _require_head(actor, case, "QZ-018-019", pgettext("action", "紧急强制措施补办批准"))
    approval = _pending_to_decide(case, CaseApproval.Kind.EMERGENCY, on, approval=approval, approved=approved,
                                  opinion=opinion)
    act = Act.objects.get(pk=approval.details["act"], case=case)
    _close_deadlines(case, f"case.emergency_approval.{act.pk}", on)
    text = opinion.strip() or ("同意" if approved else "")
    _record_decision(approval, actor=actor, on=on, approved=approved, opinion=text)
    if approved:
        Act.objects.filter(pk=act.pk).update(approval_ref=f"补办批准：{actor}，{on}"[:100])
        audit_log(actor=actor, action="cases.emergency.approve", obj=act, after={"on": on, "opinion": text})
    else:
        _close_deadlines(case, f"case.seizure.{act.pk}", on)
        audit_log(actor=actor, action="cases.emergency.refuse", obj=act, after={"on": on, "opinion": text})
        audit_log(actor=actor, action="cases.seizure.release", obj=act,
                  after={"on": on, "reason": f"负责人不批准，立即解除（QZ-018-019）：{text}"})
    approval.refresh_from_db()
    return approval


@transaction.atomic
def seizure_extend(*, actor, case: Case, act: Act, on: dt.date, reason: str, approval_ref: str = "") -> Deadline:
    """QZ-024-028: a complex case may extend a seizure once, by at most 30 days, with the head's approval
    (the head extends it here; ``approval_ref`` is an optional 审批表 number), notified in writing with reasons."""
    case.refresh_from_db()
    _require_head(actor, case, "QZ-024-028", pgettext("action", "延长查封、扣押期限"))
    _guard(act.kind in COERCIVE, "QZ-024-028", _("只有查封、扣押可以延长期限"))
    _guard(bool(reason.strip()), "QZ-024-028", _("延长须书面告知理由"))
    approval_ref = f"{actor}于{on}批准" + (f"（{approval_ref.strip()}）" if approval_ref.strip() else "")
    row = case_rows(case, kind=f"case.seizure.{act.pk}").first()
    _guard(row is not None, "QZ-024-028", _("该措施已解除或已作出处理决定"))
    _guard(not row.rule.endswith("(延长)"), "QZ-024-028", _("查封、扣押期限只能延长一次，延长不得超过30日"))
    _guard(on <= row.due_at.astimezone(LOCAL).date(), "QZ-024-028", _("期限已届满，不能再延长"))
    new_due = rules.seizure_deadline(act.started_at.astimezone(LOCAL).date(), extended=True)
    Deadline.objects.filter(pk=row.pk).update(due_at=end_of_day(new_due.due), remind_at=end_of_day(new_due.due) -
                                              dt.timedelta(days=3), rule="QZ-024-028(延长)",
                                              **Deadline.basis_columns(new_due.basis))
    audit_log(actor=actor, action="cases.seizure.extend", obj=act, after={"approval": approval_ref, "reason": reason,
                                                                          "due": new_due.due})
    row.refresh_from_db()
    return row


@transaction.atomic
def seizure_testing(*, actor, case: Case, act: Act, started_on: dt.date, ended_on: dt.date, lab: str,
                    party_notified_on: dt.date | None) -> Deadline:
    """QZ-024-028 (第二十五条第三款): time for testing, inspection, quarantine or technical appraisal is not
    counted in the seizure period, but its duration must be told to the party in writing. The period row
    moves by the testing days (both ends counted)."""
    _require_handler(actor, case)
    _guard(act.kind in COERCIVE, "QZ-024-028", _("只有查封、扣押期间可以扣除检测期间"))
    _guard(ended_on >= started_on, "QZ-024-028", _("检测结束日期早于开始日期"), field="ended_on")
    _guard(bool(lab.strip()), "QZ-024-028", _("须写明检测、检验、检疫或者技术鉴定机构"), field="lab")
    _guard(party_notified_on is not None, "QZ-024-028", _("检测、检验、检疫或者技术鉴定的期间应当书面告知当事人"),
           field="party_notified_on")
    row = case_rows(case, kind=f"case.seizure.{act.pk}").first()
    _guard(row is not None, "QZ-024-028", _("该措施已解除或已作出处理决定"))
    _guard(started_on <= row.due_at.astimezone(LOCAL).date(), "QZ-024-028", _("检测开始时查封、扣押期限已届满"),
           field="started_on")
    days = (ended_on - started_on).days + 1
    Deadline.objects.filter(pk=row.pk).update(due_at=row.due_at + dt.timedelta(days=days),
                                              remind_at=row.due_at + dt.timedelta(days=days - 3),
                                              escalate2_at=row.due_at + dt.timedelta(days=days + 1),
                                              **Deadline.basis_columns(said(
                                                  gettext_noop("%(basis)s；检测%(days)s日不计入"),
                                                  basis=inside(row.basis_kept), days=days)))
    audit_log(actor=actor, action="cases.seizure.testing", obj=act, after={
        "started_on": started_on, "ended_on": ended_on, "days": days, "lab": lab, "party_notified_on": party_notified_on})
    row.refresh_from_db()
    return row


@transaction.atomic
def seizure_release(*, actor, case: Case, act: Act, on: dt.date, reason: str) -> None:
    """QZ-024-028: release (or decide) within the period; the period row closes."""
    _require_handler(actor, case)
    if not reason.strip():
        raise ValidationFailed(_("请写明解除或处理理由"), errors={"reason": [_("不能为空")]})
    _close_deadlines(case, f"case.seizure.{act.pk}", on)
    audit_log(actor=actor, action="cases.seizure.release", obj=act, after={"on": on, "reason": reason})


@transaction.atomic
def evidence_add(*, actor, case: Case, kind: str, description: str, collected_on: dt.date, collectors: list[Officer],
                 method: str, data: bytes | None = None, filename: str = "", lawful: bool = True, source: str = "",
                 act: Act | None = None, device=None, report_file=None) -> Evidence:
    """XF-046: one of the eight kinds, how it was collected, SHA-256 of the file. A record from an
    electronic monitoring device (XF-041) is accepted only from a device that passed legal and technical
    review, meets a standard, is signposted and whose location was published by the recording day; it
    is not usable until the agency reviewed the record (``device_record_review``).

    ``report_file``: a photo or file of a report linked to this case (调取), copied with its provenance
    (ticket, stage, who provided it) after its stored bytes are checked against the hash taken on intake;
    like any evidence it must still be verified (查证) before it may be relied on."""
    case.refresh_from_db()
    _require_handler(actor, case)
    if report_file is not None:
        _guard(data is None, "XF-046", _("上传文件和调取事件附件只能选一项"), field="report_file")
        _guard(case.events.filter(pk=report_file.event_id).exists(), "XF-046", _("只能调取本案关联事件的附件"),
               field="report_file")
        with report_file.file.open("rb") as handle:
            data = handle.read()
        _guard(hashlib.sha256(data).hexdigest() == report_file.sha256, "XF-046",
               _("附件“%(original_name)s”与受理时的哈希值不符，不能作为证据")
                 % {"original_name": report_file.original_name}, field="report_file")
        event = report_file.event
        provider = report_file.added_by or ("报告人" if report_file.stage == "report" else "")
        source = source.strip() or (f"事件{event.ticket}（{recorded_display(event, 'channel')}）"
                                    f"{recorded_display(report_file, 'stage')}附件，{provider}提供")[:200]
        filename = report_file.original_name or f"{report_file.sha256[:12]}"
    _guard(kind in EvidenceKind.values, "XF-046", _("证据种类“%(kind)s”不是法定的八种之一") % {"kind": kind})
    _guard(case.status in INVESTIGATION_OPEN, "XF-054", _("只有立案调查中的案件可以调查取证"))
    _guard(not _evidence_locked(case), "FY-048-054", _("行政复议期间不得自行收集证据"))
    _guard(bool(method.strip()), "XF-046", _("须写明证据收集方式"))
    if device is not None:
        _guard(kind in (EvidenceKind.AUDIOVISUAL, EvidenceKind.ELECTRONIC), "XF-041",
               _("电子技术监控设备的记录属于视听资料或电子数据"))
        problems = device.problems_on(collected_on)
        _guard(not problems, "XF-041", _("设备%(code)s的记录不能作为证据：%(v)s")
                                         % {"code": device.code, "v": '、'.join(problems)}, field="device")
    ev = Evidence.objects.create(case=case, kind=kind, description=description, collected_on=collected_on,
                                 method=method, lawful=lawful, source=source, act=act, device=device)
    ev.collected_by.set(collectors)
    if data is not None:
        ev.sha256 = hashlib.sha256(data).hexdigest()
        ev.file.save(f"{ev.sha256}-{filename or 'file'}"[-100:], ContentFile(data), save=False)
        Evidence.objects.filter(pk=ev.pk).update(sha256=ev.sha256, file=ev.file.name)
    audit_log(actor=actor, action="cases.evidence.add", obj=ev, after={
        "kind": kind, "sha256": ev.sha256, "lawful": lawful,
        "from_report": {"event": report_file.event.ticket, "attachment": report_file.pk} if report_file else None})
    return ev


@transaction.atomic
def device_record_review(*, actor, evidence: Evidence, result: str, on: dt.date, note: str = "",
                         party_informed_via: str = "") -> Evidence:
    """XF-041: the agency reviews each device record (true, clear, complete, accurate); a record that
    passes may be used once the party has been told of the facts and of the online channel to query,
    state views and defend (the channel used is recorded)."""
    _require_handler(actor, evidence.case)
    _guard(evidence.device_id is not None, "XF-041", _("该证据不是电子技术监控设备的记录"))
    _guard(evidence.case.status in VERIFIABLE, "XF-041", _("设备记录在作出处理意见前审核（本案：%(status)s）")
           % {"status": evidence.case.get_status_display()})
    _check_dated(on, evidence.collected_on, _("证据收集日期"))
    _guard(result in Evidence.DeviceReview.values, "XF-041", _("审核结论无效"))
    if result == Evidence.DeviceReview.PASS:
        _guard(bool(party_informed_via.strip()), "XF-041",
               _("须及时告知当事人违法事实，并提供查询、陈述和申辩的网上途径（记录告知方式）"), field="party_informed_via")
    elif not note.strip():
        raise ValidationFailed(_("请写明不符合要求之处"), errors={"note": [_("不能为空")]})
    moved = Evidence.objects.filter(pk=evidence.pk, device_review="").update(
        device_review=result, device_reviewed_by=actor, device_reviewed_on=on, device_review_note=note,
        party_informed_on=on if result == Evidence.DeviceReview.PASS else None,
        party_informed_via=party_informed_via if result == Evidence.DeviceReview.PASS else "")
    if not moved:
        raise InvalidTransition(_("该记录已审核"), errors={"evidence": [_("已审核")]})
    evidence.refresh_from_db()
    audit_log(actor=actor, action="cases.evidence.device_review", obj=evidence,
              after={"result": result, "on": on, "party_informed_via": party_informed_via})
    return evidence


@transaction.atomic
def evidence_share(*, actor, evidence: Evidence, to_case: Case, on: dt.date) -> Evidence:
    """ZJ-018: evidence lawfully obtained and verified by one body may be used by another. The copy keeps
    its provenance (source body and case, collection record, SHA-256, the same file) and must still be
    verified by the receiving body before it is used (XF-046)."""
    source = evidence.case
    _require_handler(actor, source)
    _guard(to_case.department_id != source.department_id, "ZJ-018", _("本机关案件之间无须共享证据"), field="to_case")
    _guard(evidence.verified and evidence.lawful, "ZJ-018", _("只有经查证属实且合法取得的证据可以共享"), field="evidence")
    _guard(evidence.device_id is None or evidence.device_review == Evidence.DeviceReview.PASS, "XF-041",
           _("电子技术监控设备记录须经审核通过后才能共享"), field="evidence")
    _guard(to_case.status in VERIFIABLE, "ZJ-018",
           _("接收证据的案件须处于调查取证或审查阶段"), field="to_case")
    _guard(not _evidence_locked(to_case), "FY-048-054", _("行政复议期间不得自行收集证据"))
    copy = Evidence.objects.create(
        case=to_case, kind=evidence.kind, description=evidence.description, collected_on=evidence.collected_on,
        method=evidence.method, lawful=True, file=evidence.file.name, sha256=evidence.sha256, shared_from=evidence,
        source=f"{source.department.short_name} {source.label} 共享（ZJ-018），{on}"[:200])
    copy.collected_by.set(evidence.collected_by.all())
    Notification.objects.create(department=to_case.department, level=Notification.Level.INFO,
                                link=to_case.get_absolute_url(),
                                **said(gettext_noop("%(department)s共享证据：%(evidence)s（须查证后使用）"),
                                       department=source.department.short_name, evidence=evidence.description[:200]))
    audit_log(actor=actor, action="cases.evidence.share", obj=copy, after={
        "from_case": source.pk, "from_evidence": evidence.pk, "sha256": evidence.sha256, "to_case": to_case.pk})
    return copy


@transaction.atomic
def evidence_verify(*, actor, evidence: Evidence, on: dt.date) -> Evidence:
    """XF-046: evidence must be verified before it is used — once, while the case is investigated or reviewed,
    on a day from its collection to today."""
    _require_handler(actor, evidence.case)
    _guard(evidence.case.status in VERIFIABLE, "XF-046", _("证据在作出处理意见前查证（本案：%(status)s）")
           % {"status": evidence.case.get_status_display()})
    _check_dated(on, evidence.collected_on, _("证据收集日期"))
    if not Evidence.objects.filter(pk=evidence.pk, verified=False).update(verified=True, verified_by=actor, verified_on=on):
        raise InvalidTransition(_("该证据已于%(on)s查证") % {"on": evidence.verified_on},
                                errors={"evidence": [_("已查证")]})
    evidence.refresh_from_db()
    audit_log(actor=actor, action="cases.evidence.verify", obj=evidence, after={"verified_on": on})
    return evidence


# 回避 (XF-043) concerns whoever handles the case, from the clue (officers are assigned then) until the decision
RECUSABLE = BEFORE_FILING + (CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.INVESTIGATION_CLOSED, CaseStatus.REVIEW,
                             CaseStatus.PENALTY_PROPOSED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING_REQUESTED,
                             CaseStatus.HEARING_SCHEDULED, CaseStatus.HEARING_CLOSED)


@transaction.atomic
def recusal_apply(*, actor, case: Case, officer: Officer, applicant: str, reason: str, on: dt.date) -> Recusal:
    """XF-043: by the party or self-declared, about an officer handling the case, while it is handled (from the
    clue to the decision), recorded by its handlers. The investigation is not paused."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.status in RECUSABLE, "XF-043",
           _("回避申请在作出决定前提出（本案：%(status)s）") % {"status": case.get_status_display()})
    if not case.case_officers.filter(officer=officer, released_on__isnull=True).exists():
        raise ValidationFailed(_("%(name)s不是本案承办人员") % {"name": officer.name},
                               errors={"officer": [_("只能申请本案承办人员回避")]})
    if case.recusals.filter(officer=officer, granted__isnull=True).exists():
        raise ValidationFailed(_("对%(name)s的回避申请尚待决定") % {"name": officer.name},
                               errors={"officer": [_("已有待决定的回避申请")]})
    if applicant not in RecusalApplicant.values:
        raise ValidationFailed(_("请选择由当事人申请还是执法人员自行回避"), errors={"applicant": [_("请选择")]})
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("请写明回避理由"), errors={"reason": [_("不能为空")]})
    _check_length(reason, Recusal, "reason", _("回避理由"), "reason")
    _check_step_date(case, on)
    r = Recusal.objects.create(case=case, officer=officer, applicant=applicant, reason=reason, applied_on=on)
    audit_log(actor=actor, action="cases.recusal.apply", obj=r, after={"officer": officer.pk, "applicant": applicant})
    return r


@transaction.atomic
def recusal_decide(*, actor, recusal: Recusal, granted: bool, on: dt.date) -> Recusal:
    """XF-043: the agency head decides; the investigation is not paused meanwhile."""
    _require_head(actor, recusal.case, "XF-043", pgettext("action", "回避"))
    _guard(recusal.case.status in RECUSABLE, "XF-043",
           _("回避申请在作出决定前决定（本案：%(status)s）") % {"status": recusal.case.get_status_display()})
    _check_step_date(recusal.case, on)
    if on < recusal.applied_on:
        raise ValidationFailed(_("决定日期早于申请日期（%(applied)s）") % {"applied": recusal.applied_on},
                               errors={"on": [_("不能早于%(applied)s") % {"applied": recusal.applied_on}]})
    moved = Recusal.objects.filter(pk=recusal.pk, granted__isnull=True).update(granted=granted, decided_by=actor,
                                                                               decided_on=on)
    if not moved:
        raise InvalidTransition(_("已作出回避决定"), errors={"recusal": [_("已决定")]})
    if granted:
        CaseOfficer.objects.filter(case=recusal.case, officer=recusal.officer, released_on__isnull=True).update(
            released_on=on)
    recusal.refresh_from_db()
    audit_log(actor=actor, action="cases.recusal.decide", obj=recusal, after={"granted": granted})
    return recusal


@transaction.atomic
def investigation_close(*, actor, case: Case, on: dt.date, facts: str) -> Case:
    """案件调查终结 (WS-END) and review."""
    case.refresh_from_db()
    _require_handler(actor, case)
    if len(facts.strip()) < 10:
        raise ValidationFailed(_("请写明调查认定的违法事实"), errors={"facts": [_("不少于10个字")]})
    _transition(case, CaseStatus.INVESTIGATION_CLOSED, actor=actor, on=on, **said_as("reason", gettext_noop("调查终结")), facts=facts)
    return _transition(case, CaseStatus.REVIEW, actor=actor, on=on, **said_as("reason", gettext_noop("提交审查")))


# ------------------------------------------------------------------ proposal, notice, hearing, review


def _usable_evidence(case: Case):
    """Verified, lawfully obtained (XF-046); a device record only after its review passed (XF-041)."""
    return case.evidence.filter(verified=True, lawful=True).filter(
        Q(device__isnull=True) | Q(device_review=Evidence.DeviceReview.PASS))


def prior_violations(case: Case):
    """XF-033 初次违法: the party's penalties for acts within ``case.first_violation_lookback_years`` (in force on
    this act's day) before this case's act — the party known by its ID number or USCC, or as the registered
    enterprise — decided and not revoked or found void on review. The look-back is not set by law (UNVERIFIED,
    the local 不予处罚清单's)."""
    years = config_get("case.first_violation_lookback_years", on=case.act_date)
    try:
        since = case.act_date.replace(year=case.act_date.year - years)
    except ValueError:  # 29 February
        since = case.act_date.replace(year=case.act_date.year - years, day=28)
    same = Q(party_code=case.party_code) if case.party_code else Q(pk__in=[])
    if case.party_enterprise_id:
        same |= Q(party_enterprise_id=case.party_enterprise_id)
    undone = Remedy.objects.filter(case=OuterRef("pk"), result__in=[RemedyResult.REVOKED, RemedyResult.VOID])
    return (Case.objects.filter(same, outcome=Outcome.PENALTY, decided_on__isnull=False, act_date__gte=since,
                                act_date__lt=case.act_date).exclude(pk=case.pk).exclude(Exists(undone))
            .order_by("-act_date"))


def first_violation_blocker(case: Case) -> Blocker:
    """Why the case is not a first violation (XF-033), or None: the party must be identifiable (ID number, USCC or
    the registered enterprise) and have no penalty within the look-back years."""
    if not case.party_code and not case.party_enterprise_id:
        return "XF-033", _("须登记当事人的身份证号码或统一社会信用代码，才能核查是否初次违法")
    if prior := list(prior_violations(case)[:3]):
        return "XF-033", _("当事人%(years)s年内已有违法行为受到行政处罚（%(cases)s），不属于初次违法") % {
            "years": config_get("case.first_violation_lookback_years", on=case.act_date),
            "cases": "、".join(f"{c.number or c.pk}（{c.act_date}）" for c in prior)}
    return None


@transaction.atomic
def case_propose(*, actor, case: Case, on: dt.date, outcome: str, types: list[str] = (), fine: Decimal | None = None,
                 confiscation: Decimal | None = None, band: DiscretionBand | None = None, reasons: str = "",
                 mitigation_reasoning: str = "", is_complex: bool = False, ground: str = "") -> Case:
    """The proposed outcome after review (XF-057). For a penalty: XF-009 types, the age rules
    (XF-030-032), one fine per act (XF-029), the legal range (XF-038) and discretion band (XF-034),
    established facts on verified lawful evidence (XF-040, XF-046); the hearing right (XF-063). Not penalising a
    minor violation names its ground (XF-033); 初次违法 is checked against the party's earlier penalties."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(outcome in Outcome.values, "XF-057", _("处理结果须为四种之一"))
    if outcome == Outcome.NO_PENALTY_MINOR and ground not in NoPenaltyGround.values:
        raise ValidationFailed(_("请选择不予处罚的情形（XF-033）"), errors={"ground": [_("请选择")]})
    if outcome == Outcome.NO_PENALTY_MINOR and ground == NoPenaltyGround.FIRST:
        _deny(first_violation_blocker(case), "ground")
    Case.objects.filter(pk=case.pk).update(is_complex_or_serious=is_complex)
    case.is_complex_or_serious = is_complex
    if outcome != Outcome.PENALTY:
        _guard(case.status == CaseStatus.REVIEW, "XF-057", _("须在案件审查阶段决定"))
        ground = ground if outcome == Outcome.NO_PENALTY_MINOR else ""
        Case.objects.filter(pk=case.pk).update(outcome=outcome, reasons=reasons, no_penalty_ground=ground)
        case.outcome, case.no_penalty_ground = outcome, ground
        audit_log(actor=actor, action="cases.case.propose", obj=case, after={"outcome": outcome, "ground": ground})
        return case
    types = list(types)
    problems = rules.invalid_penalty_types(types)
    _guard(not problems, "XF-009", "；".join(p.message for p in problems), field="types")
    _guard(bool(types), "XF-009", _("请选择处罚种类"))
    if case.item.penalty_types:
        outside = [str(PENALTY_LABELS.get(t, t)) for t in types if t not in case.item.penalty_types]
        _guard(not outside, "XF-038", _("事项依据的条文未规定%(v)s，没有法律依据") % {"v": '、'.join(outside)})
    if case.party_birth_date:
        age = rules.age_on(case.party_birth_date, case.act_date)
        _guard(age >= 14, "XF-030-032", _("违法时不满十四周岁（%(age)s岁），不予行政处罚，责令监护人加以管教") % {"age": age})
        if age < 18:
            _guard(bool(mitigation_reasoning.strip()), "XF-030-032", _("已满十四周岁不满十八周岁的，应当从轻或者减轻处罚，须写明理由"))
    if PenaltyType.FINE in types:
        _guard(fine is not None and fine > 0, "XF-009", _("罚款须填写金额"))
        _floor, top = rules.fixed_fine_range(case.item.fine_tiers)  # below the floor is 减轻处罚, reasoned here
        if top is not None:
            _guard(fine <= top, "XF-038", _("罚款超出法定上限%(top)s元，没有法律依据") % {"top": rules.yuan(top)})
        same_act = Case.objects.filter(party_code=case.party_code, item=case.item, act_date=case.act_date,
                                       final_fine__isnull=False).exclude(pk=case.pk).exclude(status=CaseStatus.NOT_FILED)
        _guard(not (case.party_code and same_act.exists()), "XF-029", _("同一违法行为已被罚款，不得再次罚款"))
    if band is not None:
        standard = band.standard
        _guard(standard.item_id == case.item_id and standard.effective_from <= case.act_date, "XF-034",
               _("所选裁量阶次不属于本事项在违法行为发生时施行的裁量基准"))
        if fine is not None:
            _guard((band.fine_min is None or fine >= band.fine_min) and (band.fine_max is None or fine <= band.fine_max),
                   "XF-034", _("罚款应在裁量阶次“%(level)s”的幅度内（%(fine_min)s–%(fine_max)s元）")
                               % {"level": band.level, "fine_min": band.fine_min, "fine_max": band.fine_max})
    _guard(_usable_evidence(case).exists(), "XF-040", _("没有经查证属实且合法取得的证据，违法事实不能认定"))
    if case.status == CaseStatus.NOTICE_SERVED or case.status == CaseStatus.HEARING_CLOSED:
        _transition(case, CaseStatus.PENALTY_PROPOSED, actor=actor, on=on, **said_as("reason", pgettext_noop("case record", "重新拟定处罚（须重新告知）"), context="case record"))
    else:
        _transition(case, CaseStatus.PENALTY_PROPOSED, actor=actor, on=on, **said_as("reason", gettext_noop("拟给予行政处罚")))
    right = rules.hearing_right(party_kind=case.party_kind, types=types, fine=fine, confiscation=confiscation, on=on)
    Case.objects.filter(pk=case.pk).update(outcome=outcome, proposed_types=types, proposed_fine=fine,
                                           proposed_confiscation=confiscation, discretion_band=band, reasons=reasons,
                                           mitigation_reasoning=mitigation_reasoning, hearing_right=right,
                                           notice_served_on=None, representations="", representations_received_on=None,
                                           review_opinion="", waived_on=None, waiver_statement="",
                                           waiver_statement_sha256="")
    case.refresh_from_db()
    # the reviews so far were of another proposal (or of the filing): this one is put to the reviewers — it answers
    # a return or failure, and a pass no longer holds for it (XF-058 reviews the decision proposed)
    case.legal_reviews.filter(resubmitted_on__isnull=True).update(
        resubmitted_on=on, resubmitted_by=actor if getattr(actor, "pk", None) else None)
    _review_due(case, on)
    return case


@transaction.atomic
def proposal_withdraw(*, actor, case: Case, on: dt.date, reason: str) -> Case:
    """撤回拟处理意见: before the party is told (告知), the handlers take their proposal back to the review stage
    — after a legal review failed it (XF-058), or to decide otherwise (不予处罚, 移送) — and propose again.
    Once the party has been told, a changed proposal is 重新拟定 and told again (XF-044-045-062)."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.status == CaseStatus.PENALTY_PROPOSED, "XF-057",
           _("只有尚未告知当事人的拟处理意见可以撤回（本案：%(status)s）") % {"status": case.get_status_display()})
    if not reason.strip():
        raise ValidationFailed(_("请写明撤回理由"), errors={"reason": [_("不能为空")]})
    _transition(case, CaseStatus.REVIEW, actor=actor, on=on,
                **said_as("reason", gettext_noop("撤回拟处理意见：%(reason)s"), reason=reason.strip()))
    _review_clock_stop(case)  # nothing is proposed for the reviewers now
    return case


@transaction.atomic
def notice_serve(*, actor, case: Case, served_on: dt.date, method: str = ServiceMethod.DIRECT) -> Case:
    """行政处罚告知书 (XF-044-045-062, XF-063/064): the proposed penalty, facts, reasons, basis, and the
    rights to state, defend and (where applicable) request a hearing, with their periods."""
    case.refresh_from_db()
    _require_handler(actor, case)
    rep_due = rules.representation_deadline(served_on)
    hearing_due = rules.hearing_request_deadline(served_on) if case.hearing_right else None
    rights = "陈述权、申辩权" + ("、要求听证的权利" if case.hearing_right else "")
    fields = {"party": case.party_name, "party_code": case.party_code, "address": case.party_address,
              "penalty": _penalty_text(case.proposed_types, case.proposed_fine, case.proposed_confiscation, case.item),
              "facts": case.facts, "reasons": case.reasons or "违法事实清楚，证据确凿", "basis": "、".join(
                  f"《{b.article.law.title}》{b.article.label}" for b in case.item.itembasis_set.select_related(
                      "article__law")), "rights": rights,
              "representation_due": f"收到本告知书之日起至{rep_due.due}（{rep_due.basis_text}）",
              "channels": f"书面或口头向{case.department.name}提出；也可在本县综合行政执法平台“执法公示—网上陈述申辩”"
                          f"输入本告知书编号和文书末尾的核验码提出" + ("，听证申请亦同" if case.hearing_right else ""),
              "agency": case.department.name,
              "hearing": (f"如要求听证，应当在{hearing_due.due}前提出（XF-064，5个工作日）；听证不收取费用" if hearing_due
                          else "")}
    _transition(case, CaseStatus.NOTICE_SERVED, actor=actor, on=served_on,
                **said_as("reason", gettext_noop("告知书送达（%(method)s）"), labels=("method",),
                          method=as_recorded(ServiceMethod(method).label)),
                notice_served_on=served_on, representation_due=rep_due.due,
                hearing_request_due=hearing_due.due if hearing_due else None)
    docs.issue(case=case, doc_type=DocType.NOTICE, on=served_on, actor=actor, fields=fields)
    _deadline(case, "case.representation", rep_due, gettext_noop("陈述申辩期限"))
    if hearing_due:
        _deadline(case, "case.hearing_request", hearing_due, gettext_noop("听证申请期限"))
    return case


# The party was told of the proposed penalty and no hearing is under way: its statement or waiver is recorded now
NOTIFIED = (CaseStatus.NOTICE_SERVED,)


@transaction.atomic
def representations_record(*, actor, case: Case, text: str, received_on: dt.date, review_opinion: str) -> Case:
    """XF-044-045-062: the party's statement and the agency's re-examination (复核) — after the notice, before
    the decision, received on a day from the notice's service to today."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.notice_served_on is not None, "XF-044-045-062", _("尚未送达告知书"))
    _guard(case.status in NOTIFIED, "XF-044-045-062",
           _("陈述申辩在告知后、作出决定前记录（本案：%(status)s）") % {"status": case.get_status_display()})
    if not text.strip() or not review_opinion.strip():
        raise ValidationFailed(_("请记录陈述申辩意见和复核意见"), errors={"review_opinion": [_("须对当事人提出的事实、理由和证据进行复核")]})
    _check_step_date(case, received_on, field="received_on")
    Case.objects.filter(pk=case.pk).update(representations=text, representations_received_on=received_on,
                                           review_opinion=review_opinion)
    _submissions_recorded(case, SubmissionKind.REPRESENTATION, actor)  # what came online is heard with it
    _close_deadlines(case, "case.representation", received_on)
    audit_log(actor=actor, action="cases.case.representations", obj=case, after={"received_on": received_on})
    case.refresh_from_db()
    return case


@transaction.atomic
def waiver_record(*, actor, case: Case, on: dt.date, statement: bytes, filename: str = "") -> Case:
    """XF-044-045-062: an *express written* waiver of the rights to state, defend and request a hearing.
    The party's signed statement (a PDF scan or a photo) is required; it is kept with the case, with its
    SHA-256, and listed in the case file. Without it nothing is recorded."""
    from intake.services import sniff_attachment

    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.notice_served_on is not None, "XF-044-045-062", _("尚未送达告知书"))
    _guard(case.status in NOTIFIED, "XF-044-045-062",
           _("书面放弃在告知后、作出决定前记录（本案：%(status)s）") % {"status": case.get_status_display()})
    _guard(case.waived_on is None, "XF-044-045-062", _("已于%(waived_on)s记录书面放弃") % {"waived_on": case.waived_on})
    _guard(bool(statement), "XF-044-045-062", _("须附当事人签名的书面放弃声明（扫描件或照片）"), field="statement")
    kind = sniff_attachment(statement)
    _guard(kind is not None and kind[0] != "video/mp4", "XF-044-045-062",
           _("书面放弃声明须为PDF文件或JPEG/PNG/WebP图片"), field="statement")
    _check_step_date(case, on)
    _guard(on >= case.notice_served_on, "XF-044-045-062",
           _("放弃日期不能早于告知书送达日（%(notice_served_on)s）") % {"notice_served_on": case.notice_served_on}, field="on")
    digest = hashlib.sha256(statement).hexdigest()
    case.waiver_statement.save(f"{case.pk}-{digest[:16]}.{kind[1]}", ContentFile(statement), save=False)
    Case.objects.filter(pk=case.pk).update(waived_on=on, waiver_statement=case.waiver_statement.name,
                                           waiver_statement_sha256=digest)
    _close_deadlines(case, "case.representation", on)
    _close_deadlines(case, "case.hearing_request", on)
    audit_log(actor=actor, action="cases.case.waiver", obj=case,
              after={"on": on, "statement_sha256": digest, "filename": filename[:200]})
    case.refresh_from_db()
    return case


@transaction.atomic
def hearing_request(*, actor, case: Case, requested_on: dt.date) -> Hearing:
    """XF-064(一): the party's request within 5 working days of the notice. A late one goes to the head
    (``hearing_request_late``)."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.hearing_right, "XF-063", _("拟作出的处罚不属于听证范围"))
    _guard(not (case.hearing_request_due and requested_on > case.hearing_request_due), "XF-064",
           _("听证申请期限已于%(hearing_request_due)s届满，逾期申请须报负责人决定是否受理") % {"hearing_request_due": case.hearing_request_due})
    return _hearing_requested(case, actor, on=requested_on, requested_on=requested_on, late=False)


def _hearing_requested(case: Case, actor, *, on: dt.date, requested_on: dt.date, late: bool) -> Hearing:
    """The case moves to 申请听证 on ``on`` (the request, or the head's acceptance of a late one)."""
    _transition(case, CaseStatus.HEARING_REQUESTED, actor=actor, on=on,
                reason="当事人逾期申请听证，经负责人决定受理" if late else "当事人申请听证")
    _close_deadlines(case, "case.hearing_request", on)
    _submissions_recorded(case, SubmissionKind.HEARING, actor)
    hearing = Hearing.objects.create(case=case, requested_on=requested_on, late_request_approved=late)
    if hearing_not_counted(case):
        _decision_clock(case, on)  # paused while the hearing is under way (XF-060)
    return hearing


@transaction.atomic
def hearing_request_late(*, actor, case: Case, requested_on: dt.date, reason: str) -> CaseApproval:
    """A hearing request after the 5 working days (XF-064): registered with the party's reasons and put to
    the head, who decides whether to accept it (``late_hearing_decide``)."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.hearing_right, "XF-063", _("拟作出的处罚不属于听证范围"))
    _guard(case.status == CaseStatus.NOTICE_SERVED, "XF-064", _("只有已告知、尚未决定的案件可以申请听证"))
    if not (case.hearing_request_due and requested_on > case.hearing_request_due):
        raise ValidationFailed(_("申请未逾期，直接登记即可"), errors={"requested_on": [_("未逾期")]})
    if not reason.strip():
        raise ValidationFailed(_("请写明当事人逾期的理由"), errors={"reason": [_("不能为空")]})
    _check_step_date(case, requested_on)
    _no_pending(case, CaseApproval.Kind.LATE_HEARING)
    approval = _ask_head(case=case, kind=CaseApproval.Kind.LATE_HEARING, requested_by=actor,
                         requested_on=requested_on, opinion=reason.strip())
    _submissions_recorded(case, SubmissionKind.HEARING, actor)  # the head decides on it now
    audit_log(actor=actor, action="cases.hearing.late_request", obj=case,
              after={"requested_on": requested_on, "reason": reason.strip(), "approval": approval.pk})
    return approval


@transaction.atomic
def late_hearing_decide(*, actor, case: Case, on: dt.date, approved: bool, opinion: str = "") -> CaseApproval:
    """The head accepts a late hearing request (the hearing goes ahead) or does not, with reasons."""
    case.refresh_from_db()
    _require_head(actor, case, "XF-064", pgettext("action", "逾期听证申请"))
    approval = _pending_to_decide(case, CaseApproval.Kind.LATE_HEARING, on)
    if not approved:
        return _refuse(actor, case, CaseApproval.Kind.LATE_HEARING, on, opinion, "cases.hearing.late_refuse")
    _record_decision(approval, actor=actor, on=on, approved=True, opinion=opinion.strip() or "同意受理")
    _hearing_requested(case, actor, on=on, requested_on=approval.requested_on, late=True)
    audit_log(actor=actor, action="cases.hearing.late_accept", obj=case, after={"on": on, "approval": approval.pk})
    approval.refresh_from_db()
    return approval


def _hearing_in(case: Case, status: str) -> Hearing:
    """The hearing the case is at (the latest: a new proposal may have led to another)."""
    hearing = Hearing.objects.filter(case=case).order_by("-requested_on", "-id").first()
    if hearing is None or case.status != status:
        raise InvalidTransition(_("案件状态“%(status)s”不能进行此听证步骤") % {"status": case.get_status_display()},
                                errors={"status": [case.status]})
    return hearing


@transaction.atomic
def hearing_schedule(*, actor, case: Case, notice_served_on: dt.date, scheduled_for: dt.datetime, place: str,
                     presider: Officer, public: bool = True, secrecy_reason: str = "", agents: list[str] = ()
                     ) -> Hearing:
    """XF-064(二)(三)(四)(五): notice 7 working days ahead; public unless secrets; presider not an
    investigator; one or two agents."""
    case.refresh_from_db()
    _require_handler(actor, case)
    hearing = _hearing_in(case, CaseStatus.HEARING_REQUESTED)
    earliest = rules.earliest_hearing_date(notice_served_on)
    _guard(scheduled_for.astimezone(LOCAL).date() >= earliest, "XF-064",
           _("听证通知须在听证七个工作日前送达：最早可于%(earliest)s举行") % {"earliest": earliest})
    _guard(not investigators(case).filter(pk=presider.pk).exists(), "XF-064", _("听证主持人不得是本案调查人员"))
    _guard(presider.is_qualified_on(notice_served_on), "XF-042", _("听证主持人须为持证执法人员"))
    _guard(len(agents) <= 2, "XF-064", _("当事人可以委托一至二人代理"))
    _guard(public or bool(secrecy_reason.strip()), "XF-064", _("不公开举行须说明涉及国家秘密、商业秘密或者个人隐私"))
    Hearing.objects.filter(pk=hearing.pk).update(notice_served_on=notice_served_on, scheduled_for=scheduled_for,
                                                 place=place, presider=presider, public=public,
                                                 secrecy_reason=secrecy_reason, agents=list(agents))
    _transition(case, CaseStatus.HEARING_SCHEDULED, actor=actor, on=notice_served_on, **said_as("reason", pgettext_noop("case record", "送达听证通知书"), context="case record"))
    docs.issue(case=case, doc_type=DocType.HEARING_NOTICE, on=notice_served_on, actor=actor, fields={
        "time": f"{scheduled_for.astimezone(LOCAL):%Y年%m月%d日 %H:%M}", "place": place, "presider": presider.name,
        "recusal": "当事人认为主持人与本案有直接利害关系的，有权申请回避", "agents": "可以亲自参加，也可以委托一至二人代理",
        "public": "公开举行" if public else f"不公开举行（{secrecy_reason}）",
        "absence": "无正当理由拒不出席或者未经许可中途退出的，视为放弃听证权利，行政机关终止听证"})
    hearing.refresh_from_db()
    return hearing


@transaction.atomic
def hearing_hold(*, actor, case: Case, held_on: dt.date, attended: bool, record: str = "", party_signed: bool = False,
                 refusal_note: str = "", report: str = "") -> Hearing:
    """XF-064(六)(七)(八) / 第六十五条: the record, signed or refusal noted; absence = waiver. After a
    hearing the decision needs legal review (XF-058)."""
    case.refresh_from_db()
    _require_handler(actor, case)
    hearing = _hearing_in(case, CaseStatus.HEARING_SCHEDULED)
    if attended:
        _guard(bool(record.strip()), "XF-064", _("须制作听证笔录"))
        _guard(party_signed or bool(refusal_note.strip()), "XF-064", _("听证笔录须由当事人签字，拒绝签字的由主持人注明"))
        _check_length(refusal_note, Hearing, "refusal_note", _("拒绝签字情况"), "refusal_note")
    Hearing.objects.filter(pk=hearing.pk).update(attended=attended, record=record, party_signed=party_signed,
                                                 refusal_note=refusal_note, report=report, held_on=held_on)
    _close_deadlines(case, "case.representation", held_on)  # the party was heard at the hearing
    if hearing_not_counted(case):
        _decision_clock(case, held_on)  # runs again, moved by the hearing's days (XF-060)
    _transition(case, CaseStatus.HEARING_CLOSED, actor=actor, on=held_on, hearing_held=attended,
                **said_as("reason", gettext_noop("听证结束") if attended else gettext_noop("当事人无正当理由未到场，视为放弃听证")))
    case.refresh_from_db()
    _review_due(case, held_on)  # after a hearing the decision needs a (new) review
    if attended:
        docs.issue(case=case, doc_type=DocType.HEARING_RECORD, on=held_on, actor=actor, fields={
            "participants": f"主持人 {hearing.presider.name}；当事人 {case.party_name}；代理人 {'、'.join(hearing.agents) or '无'}",
            "record": record, "signature": "当事人已签字" if party_signed else f"拒绝签字：{refusal_note}", "report": report})
    hearing.refresh_from_db()
    return hearing


def _hearing_held_on(case: Case) -> dt.date | None:
    """The day the hearing was held (attended), or None."""
    if not case.hearing_held:
        return None
    return Hearing.objects.filter(case=case, attended=True).order_by("-held_on", "-id").values_list(
        "held_on", flat=True).first()


def last_review(case: Case) -> LegalReview | None:
    """The review that counts (XF-058): the latest, by its date and then its entry."""
    return case.legal_reviews.order_by("-reviewed_on", "-id").first()


def _awaits_correction(last: LegalReview | None) -> bool:
    return bool(last and last.result == LegalReview.Result.RETURN and last.resubmitted_on is None)


def returned_unanswered(case: Case) -> bool:
    """The last review returned the case for correction (退回补正) and its handlers have not resubmitted it."""
    return _awaits_correction(last_review(case))


def _gap(last: LegalReview | None, held: dt.date | None) -> str | None:
    """:func:`_review_gap` for a case's last review and the day its hearing was held."""
    if last is None:
        return _("须经法制审核且审核通过")
    if last.result != LegalReview.Result.PASS:  # say which review, so the handlers know what to answer
        return _("须经法制审核且审核通过（%(on)s审核结论：%(result)s）") % {"on": last.reviewed_on,
                                                                "result": last.get_result_display()}
    if held and last.reviewed_on < held:
        return _("听证后须重新法制审核（上次审核%(reviewed)s早于听证%(held)s）") % {"reviewed": last.reviewed_on,
                                                                          "held": held}
    if last.resubmitted_on is not None:  # passed, then the proposal was made anew (or it reviewed the filing)
        return _("处理意见于%(on)s重新拟定，须重新法制审核（上次审核%(reviewed)s）") % {"on": last.resubmitted_on,
                                                                         "reviewed": last.reviewed_on}
    return None


def _review_gap(case: Case) -> str | None:
    """Why no legal review lets the head decide now (XF-058), or None: the last review must have passed and,
    after a hearing, have been made since it (第六十五条: the decision rests on the hearing's record). The one
    reading of "a review that holds" for the decision guard, the review's clock and the queue
    (:func:`awaiting_review`, in SQL ``cases.selectors.review_queue``)."""
    return _gap(last_review(case), _hearing_held_on(case))


def _unanswered_reviews(case: Case):
    """Reviews that did not pass and that the handlers have not yet answered (重新提请 or a new proposal)."""
    return case.legal_reviews.exclude(result=LegalReview.Result.PASS).filter(resubmitted_on__isnull=True)


def awaiting_review(case: Case) -> bool:
    """Whether the case is the reviewers' to act on (XF-058): no review holds (:func:`_review_gap`) and the
    handlers have put it to them — never reviewed, answered a return or a failure (重新提请, a new proposal),
    or heard since the last review. A case just returned is the handlers' until they answer. Before filing, a
    filing request citing "法律另有规定" past the limitation period waits for its review (XF-036). The one
    predicate for the review step, :func:`legal_review_record` and, in SQL, ``cases.selectors.review_queue``."""
    if case.status in BEFORE_FILING:
        return limitation_review_pending(case) is not None
    if case.status not in AWAITING_REVIEW or case.decided_on is not None:
        return False
    last, held = last_review(case), _hearing_held_on(case)
    if _gap(last, held) is None:
        return False
    return last is None or last.resubmitted_on is not None or bool(held and last.reviewed_on < held)


def may_review_again(case: Case) -> bool:
    """A review that passed the proposal may be looked at again before the decision (重新审核): the reviewers
    find something they missed; the latest review is the one that counts (:func:`last_review`)."""
    if case.status not in AWAITING_REVIEW or case.decided_on is not None:
        return False
    last = last_review(case)  # a pass that still holds; one that no longer does is awaiting_review's
    return last is not None and last.result == LegalReview.Result.PASS and _gap(last, _hearing_held_on(case)) is None


@transaction.atomic
def legal_review_resubmit(*, actor, case: Case, on: dt.date, note: str) -> LegalReview:
    """补正后重新提请法制审核 (XF-058): the handlers answer a review that returned the case for correction (退回
    补正) with what they supplied; the case is back with the reviewers and the review's time limit runs again.
    A review that failed the proposal (不通过) is answered by a new proposal, not by resubmitting it."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.status in AWAITING_REVIEW and case.decided_on is None, "XF-058",
           _("本案当前不在待法制审核的阶段（%(status)s）") % {"status": case.get_status_display()})
    last = last_review(case)
    _guard(_awaits_correction(last), "XF-058",
           _("审核不通过的，须重新拟定处理意见") if last is not None and last.result == LegalReview.Result.FAIL
           and last.resubmitted_on is None else _("只有被退回补正、尚未重新提请的案件可以重新提请审核"))
    if not note.strip():
        raise ValidationFailed(_("请写明补正情况"), errors={"note": [_("不能为空")]})
    _check_step_date(case, on)
    if on < last.reviewed_on:
        raise ValidationFailed(_("重新提请日期早于退回日期（%(on)s）") % {"on": last.reviewed_on},
                               errors={"on": [_("不能早于%(on)s") % {"on": last.reviewed_on}]})
    LegalReview.objects.filter(pk=last.pk).update(resubmitted_on=on, resubmitted_by=actor if getattr(actor, "pk", None)
                                                  else None, resubmission_note=note.strip())
    last.refresh_from_db()
    _review_due(case, on)
    audit_log(actor=actor, action="cases.legal_review.resubmit", obj=last,
              after={"case": case.pk, "on": on, "note": note.strip()[:300]})
    return last


def _review_clock_stop(case: Case) -> None:
    """The review's time limit (XF-058) no longer runs: nothing waits for the reviewers."""
    case_rows(case, kind="case.legal_review").update(state=Deadline.State.CANCELLED, closed_at=clock.now())


def review_triggers(case: Case, on: dt.date, *, fine=None, types=None) -> list[str]:
    """Why the decision needs legal review (XF-058), as proposed — or for ``fine``/``types`` when the decision
    differs — on ``on``; empty when it needs none. The one reading for the timer, the review record, the
    decision guard and the reviewers' queue."""
    return rules.legal_review_triggers(is_complex=case.is_complex_or_serious, hearing_held=case.hearing_held,
                                       fine=case.proposed_fine if fine is None and types is None else fine,
                                       types=(case.proposed_types or []) if types is None else types, on=on)


def review_reason(case: Case, on: dt.date) -> str:
    """What a case in the reviewers' queue needs the review for: "filing" (a limitation citation, XF-036),
    "decision" (the decision's triggers, XF-058) or "" (the body asks for a review it may do without)."""
    if case.status in BEFORE_FILING:
        return "filing"
    return "decision" if review_triggers(case, on) else ""


def _review_due(case: Case, on: dt.date) -> None:
    """XF-058 timer: a case whose decision needs legal review (its triggers as proposed) and has no review that
    holds (:func:`_review_gap`) waits for the reviewers from ``on``; one clock at a time."""
    triggers = review_triggers(case, on)
    if not triggers or _review_gap(case) is None or case_rows(case, kind="case.legal_review").exists():
        return
    _deadline(case, "case.legal_review", rules.legal_review_deadline(on),
              said(pgettext_noop("deadline", "法制审核"), context="deadline"))


# 法制审核 precedes the decision (XF-058: 作出决定之前); a review recorded afterwards could make an unreviewed
# decision look reviewed. From the lead onwards, because a special limitation period (XF-036) needs one to file.
REVIEWABLE = {CaseStatus.CLUE, CaseStatus.VERIFYING, CaseStatus.FILED, CaseStatus.INVESTIGATING,
              CaseStatus.INVESTIGATION_CLOSED, CaseStatus.REVIEW, CaseStatus.PENALTY_PROPOSED, CaseStatus.NOTICE_SERVED,
              CaseStatus.HEARING_REQUESTED, CaseStatus.HEARING_SCHEDULED, CaseStatus.HEARING_CLOSED}


@transaction.atomic
def legal_review_record(*, actor, case: Case, result: str, opinion: str, checklist: dict, on: dt.date) -> LegalReview:
    """XF-058 / SX-5 法制审核 by a qualified legal reviewer (法律职业资格)."""
    case.refresh_from_db()
    officer = getattr(actor, "officer", None) if actor else None
    _guard(has_perm(actor, "cases.legal_review"), "XF-058", _("法制审核须由法制审核人员进行"))
    qualification = officer.legal_qualification_no if officer else ""
    _guard(bool(qualification), "XF-058", _("初次从事法制审核的人员须取得国家统一法律职业资格（须登记证书号）"))
    _guard(result in LegalReview.Result.values, "XF-058", _("审核结论无效"))
    _guard(case.status in REVIEWABLE and case.decided_on is None, "XF-058",
           _("法制审核在作出决定之前进行；本案已作出决定或已办结（%(status)s）") % {"status": case.get_status_display()})
    # a review that did not pass leaves the case with its handlers until they answer it (补正后重新提请, a new
    # proposal) or a hearing is held: reviewing the same papers again would bury the first review's findings
    last, held = last_review(case), _hearing_held_on(case)
    unanswered = (last is not None and last.result != LegalReview.Result.PASS and last.resubmitted_on is None
                  and not (held and last.reviewed_on < held))
    if unanswered:
        _guard(False, "XF-058", (_("本案%(on)s已退回补正，须办案人员补正并重新提请后再行审核")
                                 if last.result == LegalReview.Result.RETURN
                                 else _("本案%(on)s审核不通过，须办案人员重新拟定处理意见后再行审核"))
               % {"on": last.reviewed_on})
    _guard(awaiting_review(case) or may_review_again(case), "XF-058",
           _("本案尚未提请法制审核（%(status)s）") % {"status": case.get_status_display()})
    limitation = limitation_review_pending(case)
    _check_step_date(case, on)
    if not opinion.strip():
        raise ValidationFailed(_("请填写审核意见"), errors={"opinion": [_("不能为空")]})
    failed = [k for k, ok in checklist.items() if not ok]
    _guard(result != LegalReview.Result.PASS or not failed, "XF-058",
           _("结论为通过的，各审核要点须均符合") + (_("（不符合：%(v)s）") % {"v": '、'.join(failed)} if failed else ""), field="checklist")
    triggers = review_triggers(case, on)
    if limitation is not None:
        triggers = [f"援引“法律另有规定”的追责时效（XF-036）：{limitation.details.get('limitation_citation', '')}"] + triggers
    review = LegalReview.objects.create(case=case, reviewer=actor, qualification_no=qualification, triggers=triggers,
                                        checklist=checklist, result=result, opinion=opinion, reviewed_on=on)
    _close_deadlines(case, "case.legal_review", on)  # reviewed (a return sends it back to the handlers)
    if limitation is not None:  # the head now decides on the request with the review before them
        CaseApproval.objects.filter(pk=limitation.pk).update(details={**limitation.details, LIMITATION_REVIEW: review.pk})
    docs.issue(case=case, doc_type=DocType.LEGAL_REVIEW, on=on, actor=actor, fields={
        "triggers": triggers or ["办案机关提请审核"], "result": as_recorded(LegalReview.Result(result).label), "opinion": opinion,
        "reviewer": str(actor), "qualification_no": qualification,
        "checklist": [f"{k}：{'符合' if v else '不符合'}" for k, v in checklist.items()]})
    audit_log(actor=actor, action="cases.legal_review", obj=review, after={"result": result})
    return review


DISCUSSABLE = (CaseStatus.REVIEW, CaseStatus.PENALTY_PROPOSED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING_CLOSED)


@transaction.atomic
def collective_discussion_record(*, actor, case: Case, held_on: dt.date, attendees: list[str], opinions: str,
                                 conclusion: str) -> CollectiveDiscussion:
    """XF-057: complex or serious cases are decided collectively by the heads — on the facts investigated, so
    from the review of the case until its decision, dated in the case's order."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.status in DISCUSSABLE and case.decided_on is None, "XF-057",
           _("集体讨论在调查终结后、作出决定前进行（本案：%(status)s）") % {"status": case.get_status_display()})
    _guard(case.is_complex_or_serious, "XF-057", _("集体讨论用于情节复杂或者重大违法的案件，须在拟定处理意见时认定"))
    _check_step_date(case, held_on, field="held_on")
    if len(attendees) < 3 or not opinions.strip() or not conclusion.strip():
        raise ValidationFailed(_("集体讨论记录不完整"), errors={"attendees": [_("须记录参加人员（三人以上）、意见和结论")]})
    cd = CollectiveDiscussion.objects.create(case=case, held_on=held_on, attendees=attendees, opinions=opinions,
                                             conclusion=conclusion)
    docs.issue(case=case, doc_type=DocType.COLLECTIVE, on=held_on, actor=actor,
               fields={"attendees": attendees, "opinions": opinions, "conclusion": conclusion})
    audit_log(actor=actor, action="cases.collective", obj=cd, after={"attendees": attendees})
    return cd


# ------------------------------------------------------------------ decision


def basis_changes(case: Case, on: dt.date) -> list[str]:
    """XF-037 从旧兼从轻: the laws behind the case's item that changed between the act and ``on`` — a version
    of the same law that took effect after the act date (the text applied must then be chosen and said)."""
    from catalogue.models import Law

    out = []
    laws = {b.article.law for b in case.item.itembasis_set.select_related("article__law")}
    for law in laws:
        newer = Law.objects.filter(short_title=law.short_title, effective_from__gt=case.act_date,
                                   effective_from__lte=on).order_by("effective_from").first()
        if newer is not None:
            out.append(f"《{newer.title}》自{newer.effective_from}起施行（违法行为发生于{case.act_date}）")
    return sorted(out)


def decision_blockers(case: Case, *, decided_on: dt.date, types: list[str], fine, confiscation,
                      temporal_note: str = "", late_reason: str = "") -> list[tuple[str, str]]:
    """Everything that stops a penalty decision today, as (rule, message). Empty = may decide."""
    out: list[tuple[str, str]] = []
    if case.status not in (CaseStatus.NOTICE_SERVED, CaseStatus.HEARING_CLOSED):
        out.append(("XF-044-045-062", _("须先送达行政处罚告知书")))
        return out
    if case.notice_served_on is None:
        out.append(("XF-044-045-062", _("告知书尚未送达")))
    heard = case.status == CaseStatus.HEARING_CLOSED
    rep_done = bool(case.representations_received_on and case.review_opinion) or case.waived_on is not None or (
        case.representation_due is not None and decided_on > case.representation_due) or heard
    if not rep_done:
        out.append(("XF-044-045-062", _("陈述申辩期限（至%(due)s）未届满，且未收到陈述申辩或书面放弃")
                     % {"due": case.representation_due}))
    if case.hearing_right and not heard and case.waived_on is None and case.hearing_request_due and \
            decided_on <= case.hearing_request_due:
        out.append(("XF-064", _("听证申请期限至%(due)s尚未届满") % {"due": case.hearing_request_due}))
    for waiting in PartySubmission.objects.filter(case=case, handled_at__isnull=True):  # sent online, not yet heard
        out.append(("XF-064", _("当事人于%(at)s网上申请听证，尚未登记") % {"at": f"{waiting.submitted_at.astimezone(LOCAL):%Y-%m-%d %H:%M}"})
                   if waiting.kind == SubmissionKind.HEARING else
                   ("XF-044-045-062", _("当事人于%(at)s网上提交的陈述、申辩尚未记录复核") % {
                       "at": f"{waiting.submitted_at.astimezone(LOCAL):%Y-%m-%d %H:%M}"}))
    if fine is not None and case.proposed_fine is not None and fine > case.proposed_fine:
        out.append(("XF-044-045-062", _("罚款高于告知的数额，须重新告知")))
    if fine is not None and case.proposed_fine is None:
        out.append(("XF-044-045-062", _("告知书未告知罚款，须重新告知")))
    if not set(types) <= set(case.proposed_types):
        out.append(("XF-044-045-062", _("处罚种类超出告知的范围，须重新告知")))
    triggers = review_triggers(case, decided_on, fine=fine, types=types)
    if triggers and (gap := _review_gap(case)):
        out.append(("XF-058", _("%(gap)s；须审核的事由：%(triggers)s") % {"gap": gap, "triggers": "；".join(triggers)}))
    if case.is_complex_or_serious and not case.discussions.exists():
        out.append(("XF-057", _("情节复杂或者重大违法行为须经负责人集体讨论决定")))
    if case.filed_on and decided_on > (due := decision_due(case, decided_on)).due:
        if due.excluded_days:
            late = _("已超过决定期限（%(due)s：立案之日起九十日，延长%(n)s日，不计入%(h)s日）") % {
                "due": due.due, "n": due.extended_days, "h": due.excluded_days}
        elif due.extended_days:
            late = _("已超过经批准延长后的决定期限（%(due)s，立案之日起九十日又延长%(n)s日）") % {
                "due": due.due, "n": due.extended_days}
        else:
            late = _("已超过立案之日起九十日的决定期限（%(due)s）") % {"due": due.due}
        if not config_get("case.late_decision_allowed", on=decided_on):
            out.append(("XF-060", late))
        elif not late_reason.strip():  # the limit's breach is on the record, with its reasons, and counted late
            out.append(("XF-060", _("%(late)s：逾期作出决定的，须写明逾期原因") % {"late": late}))
    if not _usable_evidence(case).exists():
        out.append(("XF-046", _("没有经查证属实且合法取得的证据")))
    if len(qualified_investigators(case, decided_on)) < 2:
        out.append(("XF-042", _("决定时本案须有两名以上持有效执法证的承办人员")))
    changes = basis_changes(case, decided_on)
    if changes and not (temporal_note or case.temporal_note).strip():
        out.append(("XF-037", _("依据已修改：%(changes)s。须说明适用旧法或者较轻的新法（从旧兼从轻）")
                     % {"changes": "；".join(changes)}))
    return out


@transaction.atomic
def case_decide(*, actor, case: Case, decided_on: dt.date, types: list[str], fine: Decimal | None = None,
                confiscation: Decimal | None = None, order_correction: str = "", correction_due: dt.date | None = None,
                temporal_note: str = "", late_reason: str = "") -> Case:
    """行政处罚决定 (XF-059), made by the agency's head (XF-057: 行政机关负责人…作出决定), after every guard
    above; the remedy text names the county government
    (FY-024-027), 60 days (FY-020) and 6 months (SS-046-045); the surcharge standard is stated. Past the 办案期限
    (XF-060) only where ``case.late_decision_allowed``, with ``late_reason`` kept on the case; the clock closes late."""
    case.refresh_from_db()
    _require_head(actor, case, "XF-057", pgettext("action", "行政处罚决定"))
    types = list(types)
    blockers = decision_blockers(case, decided_on=decided_on, types=types, fine=fine, confiscation=confiscation,
                                 temporal_note=temporal_note, late_reason=late_reason)
    late = case.filed_on is not None and decided_on > decision_due(case, decided_on).due
    if late:
        _check_length(late_reason.strip(), Case, "late_decision_reason", _("逾期原因"), "late_reason")
    if blockers:
        rule, message = blockers[0]
        raise RuleViolation(_("不能作出处罚决定：%(message)s（%(rule)s）") % {"message": message, "rule": rule},
                            errors={"__all__": [f"{m}（{r}）" for r, m in blockers]}, rule=rule)
    body = _remedy_body(case)
    remedy = rules.remedy_text(reconsideration_body=body, simple=False)
    problems = rules.remedy_text_problems(remedy.text, body=body, simple=False)
    _guard(not problems, "SS-064", "；".join(problems))
    evidence = [f"{recorded_display(e, 'kind')}：{e.description}" + (f"（SHA-256 {e.sha256[:16]}…）" if e.sha256 else "")
                for e in _usable_evidence(case)]
    fields = {
        "party": case.party_name, "party_code": case.party_code, "address": case.party_address,
        "facts": case.facts, "evidence": evidence, "penalty": _penalty_text(types, fine, confiscation, case.item),
        "performance": ("自收到本决定书之日起十五日内，持缴款码到指定银行或通过电子支付缴纳罚款，罚款直接缴入国库"
                        if fine else "自收到本决定书之日起履行"),
        "surcharge": "到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（行政处罚法第七十二条）",
        "remedy": remedy.text, "agency": case.department.name, "date": str(decided_on),
        "order": f"{order_correction}（限{correction_due}前改正）" if order_correction else "",
        # the review this decision rests on (XF-058), not the earlier ones of other proposals or of the filing
        "legal_review": f"{last.reviewed_on} {recorded_display(last, 'result')}"
        if (last := last_review(case)) is not None and _review_gap(case) is None else "",
        "collective": "；".join(f"{d.held_on} {d.conclusion}" for d in case.discussions.all()),
        "publication": "本决定将依法在政府网站公开" if case.publish else "",
        "discretion": f"{case.discretion_band.standard}：{case.discretion_band.level}" if case.discretion_band_id else "",
        "temporal": temporal_note,
    }
    _transition(case, CaseStatus.DECIDED, actor=actor, on=decided_on, **said_as("reason", pgettext_noop("case record", "作出行政处罚决定"), context="case record"), final_types=types,
                final_fine=fine, final_confiscation=confiscation, decided_on=decided_on, decided_by=actor,
                remedy_text=remedy.text, order_correction=order_correction, correction_due=correction_due,
                temporal_note=temporal_note, late_decision_reason=late_reason.strip() if late else "")
    docs.issue(case=case, doc_type=DocType.DECISION, on=decided_on, actor=actor, fields=fields)
    if order_correction and correction_due:
        _deadline(case, "case.correction_check", Due(due=correction_due, rule="XF-028", basis=said(
            gettext_noop("责令限期改正至%(due)s，到期复查"), due=correction_due.isoformat())), gettext_noop("改正情况复查"))  # what is due, not the step's imperative
    if order_correction:
        docs.issue(case=case, doc_type=DocType.ORDER, on=decided_on, actor=actor, fields={
            "violation": case.cause, "basis": "《中华人民共和国行政处罚法》第二十八条", "requirement": order_correction,
            "deadline": str(correction_due or decided_on), "consequence": "逾期不改正的，依法处理"})
    _close_deadlines(case, "case.decide", decided_on)
    _close_deadlines(case, "case.representation", decided_on)
    _close_deadlines(case, "case.hearing_request", decided_on)
    _deadline(case, "case.serve", rules.service_deadline(decided_on), gettext_noop("决定书送达"))
    if case.publish:
        due = rules.publication_deadline(decided_on)
        Publication.objects.create(case=case, due_on=due.due, redacted_text=rules.redact(
            f"{case.party_name}{case.cause}。{case.facts.strip().rstrip('。')}。处罚：{fields['penalty']}", party_name=case.party_name,
            is_person=case.is_person, other_names=_other_persons(case)))
        _deadline(case, "case.publish", due, gettext_noop("处罚决定公开"))
    return case


def _other_persons(case: Case) -> list[str]:
    """The natural persons a case's record names besides the party (SX-3: their names are not published): the
    people interviewed and the witnesses of its acts, the party's agents at a hearing, the officers who
    handled it. An organisation's 法定代表人 is published with it, so is not among them."""
    names = {n for act in case.acts.all() for n in (act.interviewee, act.witness)}
    names |= {a for h in Hearing.objects.filter(case=case) for a in h.agents or []}
    names |= {o.officer.name for o in case.case_officers.select_related("officer")}
    keep = {case.party_name, case.party_enterprise.legal_representative if case.party_enterprise_id else ""}
    return sorted(n.strip() for n in names if n and n.strip() and n.strip() not in keep)


@transaction.atomic
def case_decide_no_penalty(*, actor, case: Case, decided_on: dt.date, grounds: str, education_method: str = "",
                           education_content: str = "", late_reason: str = "") -> Case:
    """不予行政处罚决定 (XF-033, XF-040, XF-057(二)(三)): the minor case requires the education record. Past the
    办案期限 it states the reasons for the delay as a late penalty decision does (XF-060) — never refused for it:
    第六十条 speaks of penalty decisions, and a case must be able to end."""
    case.refresh_from_db()
    _require_head(actor, case, "XF-057", pgettext("action", "不予行政处罚决定"))
    _guard(case.status == CaseStatus.REVIEW and case.outcome in NO_PENALTY, "XF-057", _("须先在审查阶段拟定不予处罚"))
    late = case.filed_on is not None and decided_on > decision_due(case, decided_on).due
    if late and not late_reason.strip():
        raise ValidationFailed(_("已超过办案期限（%(due)s），须写明逾期原因") % {"due": decision_due(case, decided_on).due},
                               errors={"late_reason": [_("须写明逾期原因（XF-060）")]})
    if late:
        _check_length(late_reason.strip(), Case, "late_decision_reason", _("逾期原因"), "late_reason")
    if case.outcome == Outcome.NO_PENALTY_MINOR and case.no_penalty_ground == NoPenaltyGround.FIRST:
        _deny(first_violation_blocker(case))  # a penalty recorded since the proposal counts too
    if not grounds.strip():
        raise ValidationFailed(_("请写明不予处罚理由"), errors={"grounds": [_("不能为空")]})
    if case.outcome == Outcome.NO_PENALTY_MINOR or education_method:
        _guard(bool(education_method.strip()) and bool(education_content.strip()), "XF-033",
               _("对当事人不予行政处罚的，应当对当事人进行教育，并记录教育方式和内容"))
        EducationRecord.objects.create(case=case, method=education_method, given_on=decided_on,
                                       content=education_content)
    body = _remedy_body(case)
    remedy = rules.remedy_text(reconsideration_body=body, simple=False)
    _transition(case, CaseStatus.DECIDED, actor=actor, on=decided_on, reason=grounds, decided_on=decided_on,
                decided_by=actor, remedy_text=remedy.text, publish=False,
                late_decision_reason=late_reason.strip() if late else "")
    docs.issue(case=case, doc_type=DocType.NO_PENALTY, on=decided_on, actor=actor, fields={
        "party": case.party_name, "party_code": case.party_code, "address": case.party_address,
        "grounds": f"{recorded_display(case, 'no_penalty_ground')}。{grounds}" if case.no_penalty_ground else grounds,
        "facts": case.facts, "education": f"{education_method}：{education_content}" if education_method else
        ("违法事实不能成立，不适用" if case.outcome == Outcome.NO_PENALTY_NOT_ESTABLISHED else ""),
        "remedy": remedy.text})
    _close_deadlines(case, "case.decide", decided_on)
    _deadline(case, "case.serve", rules.service_deadline(decided_on), gettext_noop("决定书送达"))
    return case


# ------------------------------------------------------------------ online statements and hearing requests (XF-041)


SUBMISSION_TEXT_MAX = 2000  # kept in a TextField: a statement is prose, but not a book
SUBMISSIONS_PER_DAY = 10  # on one case: a party says what it has to say; a flood would bury the officers' notices


def notice_for_party(*, number: str, code: str) -> Document | None:
    """The 行政处罚告知书 a party holds, found by its number and 核验码 — or None, exactly as for an unknown number."""
    import hmac

    from core.codes import typed_code

    doc = (Document.objects.filter(number=normalized_number(number), doc_type=DocType.NOTICE, state=Document.State.ISSUED)
           .select_related("case__department").first())
    if doc is None or not doc.check_code or not hmac.compare_digest(doc.check_code, typed_code(code)):
        return None
    return doc


def submission_blocker(notice: Document, kind: str) -> Blocker:
    """Why the party cannot send this online on this 告知书 now, or None: while the case waits for its decision
    after this notice (a notice superseded by a new proposal is answered no more); a hearing only where the
    proposal gives the right (XF-063)."""
    case = notice.case
    latest = case.documents.filter(doc_type=DocType.NOTICE, state=Document.State.ISSUED).order_by("-issued_on", "-id").first()
    if latest is not None and latest.pk != notice.pk:
        return "XF-044-045-062", _("本告知书已被%(on)s的告知书（%(number)s）取代，请按新的告知书办理") % {
            "on": latest.issued_on, "number": latest.number}
    if case.status != CaseStatus.NOTICE_SERVED:
        return "XF-044-045-062", _("本案已不在告知后待决定的阶段（%(status)s），如有意见请联系办案机关") % {
            "status": case.get_status_display()}
    if kind == SubmissionKind.HEARING and not case.hearing_right:
        return "XF-063", _("拟作出的行政处罚不属于听证范围")
    return None


@transaction.atomic
def party_submit(*, number: str, code: str, kind: str, text: str, contact: str = "") -> PartySubmission:
    """网上陈述申辩 / 听证申请 (XF-041: the agency provides online means to state views and defend; XF-044-045-062,
    XF-064): the party, with no account, opens its 告知书 by number and 核验码 and sends its statement or its request
    for a hearing. It is received here — the case's officers are told — and recorded on the case by them with their
    复核 (``representations_record``) or as a hearing request (``hearing_request``/``_late``): what reached the agency
    before the decision must be heard. Nothing is written when anything is wrong."""
    if kind not in SubmissionKind.values:
        raise ValidationFailed(_("请选择提交的类别"), errors={"kind": [_("请选择")]})
    notice = notice_for_party(number=number, code=code)
    if notice is None:
        raise ValidationFailed(_("未查到编号和核验码都相符的行政处罚告知书"),
                               errors={"code": [_("请核对告知书上的编号和核验码")]})
    text = (text or "").strip()
    if kind == SubmissionKind.REPRESENTATION and not text:
        raise ValidationFailed(_("请写明陈述、申辩的事实、理由和证据"), errors={"text": [_("不能为空")]})
    _refuse_too_long(too_long(text, SUBMISSION_TEXT_MAX), _("内容"), "text")
    try:
        contact = validate_phone(contact)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], errors={"contact": exc.messages}) from None
    case = Case.objects.select_for_update().get(pk=notice.case_id)
    notice.case = case
    _deny(submission_blocker(notice, kind))
    if PartySubmission.objects.filter(case=case, submitted_at__gte=clock.now() - dt.timedelta(days=1)).count() \
            >= SUBMISSIONS_PER_DAY:
        raise TooManyRequests(_("提交过于频繁：同一案件一天内最多在网上提交%(n)s次，请稍后再试或联系办案机关")
                              % {"n": SUBMISSIONS_PER_DAY}, errors={"__all__": [_("一天内最多%(n)s次") % {"n": SUBMISSIONS_PER_DAY}]})
    sub = PartySubmission.objects.create(case=case, notice=notice, kind=kind, text=text or "申请听证", contact=contact,
                                         submitted_at=clock.now())
    Notification.objects.create(department=case.department, level=Notification.Level.REMIND, link=case.get_absolute_url(),
                                **said(gettext_noop("当事人网上提交%(kind)s：%(case)s，须在作出决定前记录并复核"),
                                       labels=("kind",), kind=as_recorded(SubmissionKind(kind).label),
                                       case=case.number or str(case.pk)))
    audit_log(actor=None, action="cases.submission.receive", obj=sub, after={
        "case": case.pk, "notice": notice.number, "kind": kind, "chars": len(text), "contact": bool(contact)})
    return sub


def _submissions_recorded(case: Case, kind: str, actor) -> int:
    """The online submissions of ``kind`` now recorded on the case by ``actor``."""
    return PartySubmission.objects.filter(case=case, kind=kind, handled_at__isnull=True).update(
        handled_at=clock.now(), handled_by=actor)


# ------------------------------------------------------------------ service, execution, remedies


@transaction.atomic
def case_serve(*, actor, case: Case, served_on: dt.date, method: str, receiver: str, signed: bool = True,
               refusal_note: str = "", witness: str = "", e_service_consent: bool = False,
               public_notice_on: dt.date | None = None) -> Case:
    """XF-061: service by a 民事诉讼法 method. Electronic service needs the party's consent (确认书);
    public notice counts as served 30 days after publication. Starts the payment (XF-067) and remedy
    (FY-020, SS-046-045) periods."""
    case.refresh_from_db()
    _guard(may_handle(actor, case), "XF-061", _("只有办案机关的执法人员可以送达"))
    _guard(method in ServiceMethod.values, "XF-061", _("送达方式无效"))
    if method == ServiceMethod.ELECTRONIC:
        _guard(e_service_consent, "XF-061", _("电子送达须经受送达人同意并签订送达地址确认书"))
    if method == ServiceMethod.LEFT_AT_RESIDENCE:
        _guard(bool(witness.strip()) or bool(refusal_note.strip()), "XF-061", _("留置送达须有见证人或拍照录像记录"))
    if method == ServiceMethod.PUBLIC_NOTICE:
        _guard(public_notice_on is not None, "XF-061", _("公告送达须记录公告日期"))
        served_on = public_notice_on + dt.timedelta(days=30)
    _guard(signed or bool(refusal_note.strip()), "XF-061", _("受送达人拒绝签收的，须记明拒收事由和日期"))
    doc = case.documents.filter(doc_type__in=[DocType.DECISION, DocType.NO_PENALTY], state="issued").last()
    _transition(case, CaseStatus.SERVED, actor=actor, on=served_on, **said_as("reason", gettext_noop("送达（%(method)s）"), labels=("method",),
                          method=as_recorded(ServiceMethod(method).label)),
                served_on=served_on, service_method=method, e_service_consent=e_service_consent)
    docs.issue(case=case, doc_type=DocType.SERVICE_RECEIPT, on=served_on, actor=actor, fields={
        "document": doc.number if doc else "", "receiver": receiver, "date": str(served_on),
        "method": as_recorded(ServiceMethod(method).label), "signature": "已签收" if signed else f"拒收：{refusal_note}",
        "witness": witness})
    _close_deadlines(case, "case.serve", served_on)
    if case.final_fine:
        due = rules.payment_deadline(served_on)
        Case.objects.filter(pk=case.pk).update(payment_due=due.due)
        _deadline(case, "case.payment", due, gettext_noop("缴纳罚款"))
    if case.outcome == Outcome.PENALTY:
        _deadline(case, "case.reconsideration_period", rules.reconsideration_deadline(served_on), gettext_noop("当事人申请复议期限届满"))
        lit = rules.litigation_deadline(served_on, simple=False)
        _deadline(case, "case.litigation_period", lit, gettext_noop("当事人起诉期限届满"))
    case.refresh_from_db()
    return case


@transaction.atomic
def correction_check_record(*, actor, case: Case, on: dt.date, corrected: bool, note: str) -> Case:
    """XF-028: the follow-up check of the ordered correction; a failure to correct is recorded for further
    action under the applicable law."""
    case.refresh_from_db()
    _require_handler(actor, case)
    if not note.strip():
        raise ValidationFailed(_("请记录复查情况"), errors={"note": [_("不能为空")]})
    _guard(case_rows(case, kind="case.correction_check").exists(), "XF-028", _("本案没有待复查的责令改正"))
    _close_deadlines(case, "case.correction_check", on)
    audit_log(actor=actor, action="cases.correction.check", obj=case, after={"on": on, "corrected": corrected,
                                                                             "note": note})
    return case


@transaction.atomic
def payment_record(*, actor, case: Case, amount: Decimal, paid_on: dt.date, method: str = "银行缴款") -> Payment:
    """Payment of the fine plus any surcharge due on that day (XF-072/073)."""
    case.refresh_from_db()
    _guard(may_handle(actor, case), "XF-067", _("只有办案机关的执法人员可以登记缴款"))
    _guard(case.final_fine is not None, "XF-067", _("本案没有罚款"))
    _guard(case.paid_on is None, "XF-067", _("本案罚款已于%(on)s缴清") % {"on": case.paid_on})
    _check_length(method, Payment, "method", _("缴款方式"), "method")
    owed = case.final_fine + current_surcharge(case, paid_on)
    if amount < owed:
        raise ValidationFailed(_("缴款金额不足"), errors={"amount": [_("应缴 %(owed)s 元（含加处罚款）") % {"owed": owed}]})
    pay = Payment.objects.create(case=case, amount=amount, surcharge=owed - case.final_fine, paid_on=paid_on,
                                 method=method)
    Case.objects.filter(pk=case.pk).update(paid_on=paid_on, paid_amount=amount)
    _close_deadlines(case, "case.payment", paid_on)
    _transition(case, CaseStatus.EXECUTED, actor=actor, on=paid_on, **said_as("reason", gettext_noop("已缴纳 %(amount)s 元"), amount=str(amount)))
    return pay


def _pauses(case: Case) -> list[tuple[dt.date, dt.date | None]]:
    pauses = [(r.filed_on, r.closed_on) for r in case.remedies.all()]
    for d in case.deferrals.all():
        last_due = max(dt.date.fromisoformat(x[0]) for x in d.schedule)
        pauses.append((d.approved_on, last_due))
    return pauses


def current_surcharge(case: Case, on: dt.date) -> Decimal:
    if not case.final_fine or not case.payment_due:
        return Decimal("0.00")
    return rules.surcharge(fine=case.final_fine, due_on=case.payment_due, on=on, paused=_pauses(case))


def deferral_blocker(case: Case) -> Blocker:
    """Why no deferral or instalments can be approved now (XF-066), or None: a fine decided (served, or decided
    on the spot), unpaid, within its payment period — once it has run out the case is 逾期未履行."""
    if case.final_fine is None or case.paid_on is not None:
        return "XF-066", _("只有未缴清的罚款可以延期或分期")
    if case.status not in (CaseStatus.SERVED, CaseStatus.SPOT_DECIDED):
        return "XF-066", _("延期或分期在罚款缴纳期限内批准（本案：%(status)s）") % {"status": case.get_status_display()}
    return None


@transaction.atomic
def deferral_approve(*, actor, case: Case, reason: str, schedule: list[tuple[dt.date, Decimal]], on: dt.date) -> Deferral:
    """XF-066: deferred or instalment payment for a party in real difficulty, approved by the agency — its
    head records the approval (``approved_by``)."""
    case.refresh_from_db()
    _require_head(actor, case, "XF-066", pgettext("action", "延期或分期缴纳罚款"))
    _deny(deferral_blocker(case))
    if not reason.strip():
        raise ValidationFailed(_("请写明当事人确有经济困难的理由"), errors={"reason": [_("不能为空")]})
    _check_length(reason.strip(), Deferral, "reason", _("延期或分期的理由"), "reason")
    total = sum((Decimal(a) for _d, a in schedule), Decimal(0))
    _guard(total == case.final_fine, "XF-066", _("分期金额合计%(total)s元与罚款%(final_fine)s元不符")
                                                 % {"total": total, "final_fine": case.final_fine})
    _guard(all(d >= on for d, _a in schedule), "XF-066", _("分期日期不能早于批准日期"))
    deferral = Deferral.objects.create(case=case, reason=reason, approved_by=actor, approved_on=on,
                                       schedule=[[str(d), str(a)] for d, a in schedule])
    last = max(d for d, _a in schedule)
    Case.objects.filter(pk=case.pk).update(payment_due=last)
    case_rows(case, kind="case.payment").update(due_at=end_of_day(last), remind_at=end_of_day(last),
                                                               escalate2_at=end_of_day(last) + dt.timedelta(days=1),
                                                               rule="XF-066")
    audit_log(actor=actor, action="cases.deferral.approve", obj=deferral, after={"schedule": deferral.schedule})
    return deferral


def overdue_blocker(case: Case) -> Blocker:
    """Why the case cannot be marked 逾期未履行 now (XF-072), or None: a fine decided and served (or decided on
    the spot), unpaid; the day must also be after its period (:func:`mark_overdue`)."""
    if case.status not in (CaseStatus.SERVED, CaseStatus.SPOT_DECIDED) or case.payment_due is None or case.paid_on:
        return "XF-072", _("尚未逾期")
    return None


@transaction.atomic
def mark_overdue(*, case: Case, on: dt.date) -> Case:
    case.refresh_from_db()
    _deny(overdue_blocker(case))
    _guard(on > case.payment_due, "XF-072", _("尚未逾期"))
    return _transition(case, CaseStatus.OVERDUE, actor=None, on=on, **said_as("reason", gettext_noop("逾期未缴纳罚款，开始加处罚款")))


def payments_overdue_sweep(*, on: dt.date | None = None) -> int:
    """Cases whose payment period (XF-067, or the last instalment, XF-066) ran out unpaid become 逾期未履行
    (XF-072: the surcharge runs from the next day); the agency is told to serve the 催告书. Idempotent."""
    on = on or clock.now().astimezone(LOCAL).date()
    n = 0
    for case in Case.objects.filter(status__in=[CaseStatus.SERVED, CaseStatus.SPOT_DECIDED], paid_on__isnull=True,
                                    final_fine__isnull=False, payment_due__lt=on):
        try:
            mark_overdue(case=case, on=on)
        except (InvalidTransition, RuleViolation):
            continue  # moved on meanwhile (paid, or another worker marked it)
        Notification.objects.create(department=case.department, level=Notification.Level.REMIND,
                                    link=case.get_absolute_url(),
                                    **said(gettext_noop("%(number)s 逾期未缴纳罚款，已开始加处罚款，请依法送达催告书"), number=case.number))
        n += 1
    return n


@transaction.atomic
def reminder_serve(*, actor, case: Case, served_on: dt.date) -> Case:
    """QZ-035-037: the written 催告 — deadline, amount (with surcharge), method, and the right to be heard."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.status == CaseStatus.OVERDUE, "QZ-046-053-054",
           _("催告书在罚款逾期未缴后送达（本案：%(status)s）") % {"status": case.get_status_display()})
    amount = case.final_fine + current_surcharge(case, served_on)
    from core.workdays import add_working_days

    deadline = add_working_days(served_on, 10, rule="QZ-046-053-054")
    docs.issue(case=case, doc_type=DocType.REMINDER, on=served_on, actor=actor, fields={
        "party": case.party_name, "address": case.party_address, "deadline": f"{deadline.due}前",
        "amount": f"罚款{case.final_fine}元，截至{served_on}加处罚款{amount - case.final_fine}元，合计{amount}元",
        "method": "到指定银行或通过电子支付缴纳", "rights": "当事人有权进行陈述和申辩"})
    return _transition(case, CaseStatus.REMINDED, actor=actor, on=served_on, **said_as("reason", pgettext_noop("case record", "送达催告书"), context="case record"),
                       reminder_served_on=served_on)


@transaction.atomic
def court_apply(*, actor, case: Case, applied_on: dt.date) -> Case:
    """QZ-046-053-054: only after the litigation period and 10 working days after the reminder, and
    within 3 months of the end of the litigation period."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.status == CaseStatus.REMINDED, "QZ-046-053-054",
           _("申请强制执行须在催告后（本案：%(status)s）") % {"status": case.get_status_display()})
    recon = case.remedies.filter(kind="reconsideration").exclude(result=RemedyResult.PENDING).order_by("-closed_on").first()
    opens, closes = rules.court_application_window(served_on=case.served_on, reminder_served_on=case.reminder_served_on,
                                                   reconsideration_decided_on=recon.closed_on if recon else None)
    _guard(opens is not None, "QZ-046-053-054", _("申请强制执行前须先送达催告书"))
    _guard(applied_on >= opens, "QZ-046-053-054", _("最早可于%(opens)s申请法院强制执行") % {"opens": opens})
    _guard(applied_on <= closes, "QZ-046-053-054", _("申请期限已于%(closes)s届满") % {"closes": closes})
    return _transition(case, CaseStatus.COURT_APPLIED, actor=actor, on=applied_on, **said_as("reason", gettext_noop("申请人民法院强制执行")),
                       court_applied_on=applied_on)


# A remedy is against a decision (from the decision on, the file archived or not) or, while the case is handled,
# against a seizure or sealing in force (行政强制措施, QZ-024-028)
DECIDED_ON = (CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.OVERDUE, CaseStatus.REMINDED, CaseStatus.COURT_APPLIED,
              CaseStatus.EXECUTED, CaseStatus.SPOT_DECIDED, CaseStatus.CLOSED, CaseStatus.ARCHIVED)


def remediable(case: Case) -> bool:
    """Whether a reconsideration or lawsuit (XF-073, FY-048-054) can be registered on the case now."""
    return case.status in DECIDED_ON or (case.decided_on is None and case.status not in BEFORE_FILING
                                         and coercive_acts_in_force(case).exists())


@transaction.atomic
def remedy_file(*, actor, case: Case, kind: str, body: str, filed_on: dt.date, copy_received_on: dt.date | None = None,
                via_agency: bool = False) -> Remedy:
    """A reconsideration or lawsuit: pauses the surcharge (XF-073); during reconsideration no new evidence
    (FY-048-054); the answer (10/5 working days) or court evidence (15 days) deadline starts.

    FY-022-032: against an on-the-spot decision or one based on device records (XF-041) the party may
    lodge the reconsideration application with the deciding agency, which forwards it within 5 working
    days (``remedy_forward``) unless it corrects the decision itself."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(remediable(case), "XF-073", _("行政复议或诉讼针对已作出的处罚决定或正在实施的查封、扣押（本案：%(status)s）")
           % {"status": case.get_status_display()})
    if kind not in RemedyKind.values:
        raise ValidationFailed(_("请选择行政复议或行政诉讼"), errors={"kind": [_("请选择")]})
    if not body.strip():
        raise ValidationFailed(_("请写明复议机关或法院"), errors={"body": [_("不能为空")]})
    _check_dated(filed_on, case.decided_on or case.filed_on, _("决定日期") if case.decided_on else _("立案日期"),
                 field="filed_on")
    if copy_received_on is not None:
        _check_dated(copy_received_on, filed_on, _("申请/起诉日期"), field="copy_received_on")
    if via_agency:
        _guard(kind == "reconsideration", "FY-022-032", _("只有行政复议申请可以通过作出决定的机关提交"))
        device_based = case.evidence.filter(device__isnull=False, device_review=Evidence.DeviceReview.PASS).exists()
        _guard(case.procedure == Procedure.SIMPLE or device_based, "FY-022-032",
               _("只有当场作出或者依据电子技术监控设备记录作出的决定，可以通过作出决定的机关提交复议申请"))
    remedy = Remedy.objects.create(case=case, kind=kind, body=body, filed_on=filed_on, copy_received_on=copy_received_on,
                                   via_agency=via_agency)
    if via_agency:
        from core.workdays import add_working_days

        _deadline(case, f"case.remedy_forward.{remedy.pk}", add_working_days(filed_on, 5, rule="FY-022-032"),
                  gettext_noop("转送行政复议申请"))
    if copy_received_on:
        if kind == "reconsideration":
            due = rules.reconsideration_answer_deadline(copy_received_on, simple=case.procedure == Procedure.SIMPLE)
        else:
            due = rules.court_evidence_deadline(copy_received_on)
        Remedy.objects.filter(pk=remedy.pk).update(answer_due=due.due)
        _deadline(case, f"case.{kind}_answer", due, gettext_noop("答复/举证"))
    audit_log(actor=actor, action="cases.remedy.file", obj=remedy, after={"kind": kind, "filed_on": filed_on})
    return remedy


@transaction.atomic
def remedy_forward(*, actor, remedy: Remedy, on: dt.date) -> Remedy:
    """FY-022-032: the agency keeps its decision and forwards the application to the reconsideration body."""
    _require_handler(actor, remedy.case)
    _guard(remedy.via_agency, "FY-022-032", _("该申请不是通过本机关提交的"))
    _check_dated(on, remedy.filed_on, _("申请/起诉日期"))
    moved = Remedy.objects.filter(pk=remedy.pk, forwarded_on__isnull=True, closed_on__isnull=True).update(forwarded_on=on)
    if not moved:
        raise InvalidTransition(_("该申请已转送或已办结"), errors={"remedy": [_("已处理")]})
    _close_deadlines(remedy.case, f"case.remedy_forward.{remedy.pk}", on)
    remedy.refresh_from_db()
    audit_log(actor=actor, action="cases.remedy.forward", obj=remedy, after={"on": on, "to": remedy.body})
    return remedy


@transaction.atomic
def remedy_close(*, actor, remedy: Remedy, result: str, closed_on: dt.date) -> Remedy:
    """The outcome; a changed, revoked, illegal or void decision that was published is withdrawn within
    3 working days (XF-048-039). Recorded once, by the deciding body's officers, dated from the filing to today."""
    _require_handler(actor, remedy.case)
    if result not in RemedyResult.values or result == RemedyResult.PENDING:
        raise ValidationFailed(_("请选择复议或诉讼的结果"), errors={"result": [_("请选择")]})
    _check_dated(closed_on, remedy.filed_on, _("申请/起诉日期"), field="closed_on")
    if not Remedy.objects.filter(pk=remedy.pk, closed_on__isnull=True).update(result=result, closed_on=closed_on):
        raise InvalidTransition(_("该复议或诉讼已登记结果"), errors={"remedy": [_("已办结")]})
    remedy.refresh_from_db()
    _close_deadlines(remedy.case, f"case.remedy_forward.{remedy.pk}", closed_on)  # corrected by the agency itself
    pub = Publication.objects.filter(case=remedy.case, published_on__isnull=False, withdrawn_on__isnull=True).first()
    if pub and result in (RemedyResult.CHANGED, RemedyResult.REVOKED, RemedyResult.CONFIRMED_ILLEGAL, RemedyResult.VOID):
        due = rules.withdrawal_deadline(closed_on)
        Publication.objects.filter(pk=pub.pk).update(withdraw_due=due.due)
        _deadline(remedy.case, "case.withdraw_publication", due, gettext_noop("撤回已公开的处罚决定"))
    audit_log(actor=actor, action="cases.remedy.close", obj=remedy, after={"result": result})
    return remedy


def _publication_of(case: Case) -> Publication:
    pub = Publication.objects.select_for_update().filter(case=case).first()
    if pub is None:
        raise RuleViolation(_("本案处罚决定不予公开或尚未作出（SX-3）"), errors={"__all__": [_("无可公开的处罚决定")]},
                            rule="SX-3")
    return pub


def publish_blocker(case: Case) -> Blocker:
    """Why the decision cannot be published now (SX-3), or None."""
    pub = Publication.objects.filter(case=case).first()
    if pub is None:
        return "SX-3", _("本案处罚决定不予公开或尚未作出")
    if not case.publish:
        return "SX-3", _("本案已决定不予公开（%(why)s）") % {"why": case.publication_exclusion}
    if pub.published_on is not None:
        return "SX-3", _("本案处罚决定已于%(on)s公开") % {"on": pub.published_on}
    if case.party_birth_date and rules.age_on(case.party_birth_date, case.act_date) < 18:
        return "SX-3", _("当事人为未成年人，不予公开")
    return None


@transaction.atomic
def publication_publish(*, actor, case: Case, on: dt.date) -> Publication:
    """SX-3: publish the redacted decision: from ``on`` it is on the public list (``/public/decisions/``) for the
    configured display period, until withdrawn. The handling body's officers publish, once, on or after the
    decision; never a minor's (checked here too), nor one the head kept from publication
    (:func:`publication_exclude`); simple-procedure decisions open no publication."""
    case.refresh_from_db()
    _require_handler(actor, case)
    pub = _publication_of(case)
    _deny(publish_blocker(case))
    _check_dated(on, case.decided_on, _("决定日期"))
    Publication.objects.filter(pk=pub.pk).update(published_on=on)
    _close_deadlines(case, "case.publish", on)
    audit_log(actor=actor, action="cases.publication.publish", obj=pub, after={"on": on})
    pub.refresh_from_db()
    return pub


# Before its decision a case may be kept from publication; after it, until published (then it is withdrawn).
EXCLUDABLE = {CaseStatus.REVIEW, CaseStatus.PENALTY_PROPOSED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING_REQUESTED,
              CaseStatus.HEARING_SCHEDULED, CaseStatus.HEARING_CLOSED, CaseStatus.DECIDED, CaseStatus.SERVED,
              CaseStatus.OVERDUE, CaseStatus.REMINDED, CaseStatus.COURT_APPLIED, CaseStatus.EXECUTED, CaseStatus.CLOSED}


def exclusion_blocker(case: Case) -> Blocker:
    """Why the head cannot decide 不予公开 now (SX-3), or None: only a penalty proposed or decided in the general
    procedure, from the review until publication (a published decision is withdrawn instead)."""
    if not case.publish:
        return "SX-3", _("本案已决定不予公开（%(why)s）") % {"why": case.publication_exclusion}
    if case.status not in EXCLUDABLE or case.procedure != Procedure.GENERAL:
        return "SX-3", _("本案不在可以决定不予公开的阶段（%(status)s）") % {"status": case.get_status_display()}
    # what is published is a penalty decision: a case heading for none (不予处罚, 移送司法机关) has nothing to keep back
    if case.outcome != Outcome.PENALTY:
        return "SX-3", _("本案未拟给予行政处罚，无须决定是否公开")
    pub = Publication.objects.filter(case=case).first()
    if pub is not None and pub.published_on is not None:
        return "SX-3", _("处罚决定已于%(on)s公开，须撤回公开（XF-048-039）") % {"on": pub.published_on}
    return None


@transaction.atomic
def publication_exclude(*, actor, case: Case, on: dt.date, ground: str, reason: str) -> Case:
    """SX-3 不予公开: the body's head decides that a penalty decision is not published, on one of the grounds
    Zhejiang allows (a minor party; state, trade or personal secrets; security or stability; a law or
    administrative regulation; other cases, said in full), with the reason. Before the decision, the decision
    then neither promises publication nor opens its publication; after it, the 7-day publication limit is
    cancelled. A decision already published is withdrawn instead (XF-048-039)."""
    case.refresh_from_db()
    _require_head(actor, case, "SX-3", _("不予公开"))
    Publication.objects.select_for_update().filter(case=case).first()  # held until the exclusion is recorded
    _deny(exclusion_blocker(case))
    if ground not in PublicationExclusion.values:
        raise ValidationFailed(_("请选择不予公开的情形"), errors={"ground": [_("请选择")]})
    if not reason.strip():
        raise ValidationFailed(_("请写明不予公开的理由"), errors={"reason": [_("不能为空")]})
    _check_dated(on)
    prefix = f"{as_recorded(PublicationExclusion(ground).label)}："  # the record, in Chinese: 情形：理由
    room = Case._meta.get_field("publication_exclusion").max_length - len(prefix)
    if len(reason.strip()) > room:
        error = _("不超过%(limit)s字（现为%(n)s字）") % {"limit": room, "n": len(reason.strip())}
        raise ValidationFailed(_("%(label)s太长：%(error)s") % {"label": _("不予公开的理由"), "error": error},
                               errors={"reason": [error]})
    Case.objects.filter(pk=case.pk).update(publish=False, publication_exclusion=prefix + reason.strip())
    case_rows(case, kind="case.publish").update(state=Deadline.State.CANCELLED, closed_at=clock.now())
    audit_log(actor=actor, action="cases.publication.exclude", obj=case,
              after={"on": on, "ground": ground, "reason": reason.strip()[:300]})
    case.refresh_from_db()
    return case


def withdrawal_blocker(case: Case) -> Blocker:
    """Why a publication cannot be withdrawn now (XF-048-039), or None: only one published and not withdrawn."""
    pub = Publication.objects.filter(case=case).first()
    if pub is None or pub.published_on is None or pub.withdrawn_on is not None:
        return "XF-048-039", _("本案处罚决定未公开或已撤回")
    return None


@transaction.atomic
def publication_withdraw(*, actor, case: Case, on: dt.date, reason: str) -> Publication:
    """XF-048-039: a published decision that was changed, revoked or found unlawful is taken off the public
    list, with the reason; by the handling body's officers, on or after its publication."""
    case.refresh_from_db()
    _require_handler(actor, case)
    pub = _publication_of(case)
    _deny(withdrawal_blocker(case))
    _check_dated(on, pub.published_on, _("公开日期"))
    if not reason.strip():
        raise ValidationFailed(_("请公开说明撤回理由"), errors={"reason": [_("XF-048-039 要求说明理由")]})
    _check_length(reason.strip(), Publication, "withdraw_reason", _("撤回理由"), "reason")
    Publication.objects.filter(pk=pub.pk).update(withdrawn_on=on, withdraw_reason=reason)
    _close_deadlines(case, "case.withdraw_publication", on)
    audit_log(actor=actor, action="cases.publication.withdraw", obj=pub, after={"on": on, "reason": reason})
    pub.refresh_from_db()
    return pub


def is_final(case: Case, on: dt.date) -> bool:
    """XY-ZJ: final when the remedy periods ran out with no remedy, or the remedy upheld the decision."""
    if case.served_on is None:
        return False
    remedies = list(case.remedies.all())
    if remedies:
        return all(r.result in (RemedyResult.UPHELD, RemedyResult.WITHDRAWN) for r in remedies)
    lit = rules.litigation_deadline(case.served_on, simple=case.procedure == Procedure.SIMPLE)
    end = lit.due if lit else rules.reconsideration_deadline(case.served_on).due
    return on > end


def needs_close_approval(case: Case) -> bool:
    """结案审批 (WS-CLOSE: "head approval") for a filed general-procedure case. A simple-procedure decision
    (reported to the agency under XF-052) and a clue never filed are closed by the officers."""
    return case.procedure == Procedure.GENERAL and case.filed_on is not None


def _close_guards(case: Case, reason: str) -> None:
    if not reason.strip():
        raise ValidationFailed(_("请写明结案理由"), errors={"reason": [_("不能为空")]})
    _check_length(reason.strip(), Case, "close_reason", _("结案理由"), "reason")
    if case.status == CaseStatus.SERVED and case.final_fine:
        raise RuleViolation(_("罚款尚未缴纳，不能结案（XF-067）"), errors={"__all__": [_("未履行")]}, rule="XF-067")
    if CaseStatus.CLOSED not in TRANSITIONS.get(case.status, set()):
        raise InvalidTransition(_("案件状态“%(status)s”不能结案") % {"status": case.get_status_display()},
                                errors={"status": [_("不能结案")]})
    _deny(judicial_close_blocker(case))


def judicial_close_blocker(case: Case) -> Blocker:
    """Why a case sent to the judiciary cannot be closed yet (YS-310, XF-027), or None: only once the police filed
    it and its items and materials were handed over — a refusal sends it back (or to reconsideration) instead."""
    if case.status != CaseStatus.TRANSFERRED_JUDICIAL:
        return None
    ct = _transferred(case)
    if ct is None or not ct.police_answer or _reconsideration_pending(ct):
        return "YS-310", _("须先登记公安机关立案的决定")
    if ct.police_answer == PoliceAnswer.REFUSED:
        return "XF-027", _("公安机关不予立案：可以提请复议，或者退回重新审查，依法作出处理")
    if ct.handed_over_on is None:
        return "YS-310", _("须先移交涉案物品和有关材料")
    return None


@transaction.atomic
def case_close_request(*, actor, case: Case, on: dt.date, reason: str) -> CaseApproval:
    """结案申请 (WS-CLOSE): the handling officers ask the head to close a filed general-procedure case, with
    the closure reason (performed, enforced, no penalty, transferred, terminated) as their opinion."""
    case.refresh_from_db()
    _require_handler(actor, case)
    if not needs_close_approval(case):
        raise ValidationFailed(_("简易程序或未立案的案件由承办人员直接结案，无须报批"), errors={"__all__": [_("无须报批")]})
    _check_step_date(case, on)
    _close_guards(case, reason)
    _no_pending(case, CaseApproval.Kind.CLOSING)
    approval = _ask_head(case=case, kind=CaseApproval.Kind.CLOSING, requested_by=actor, requested_on=on,
                         opinion=reason.strip())
    audit_log(actor=actor, action="cases.closing.request", obj=case, after={"on": on, "reason": reason.strip(),
                                                                          "approval": approval.pk})
    return approval


@transaction.atomic
def case_close(*, actor, case: Case, on: dt.date, reason: str = "", opinion: str = "同意结案") -> Case:
    """结案 (WS-CLOSE): a filed general-procedure case by its head's approval of the officers' request (the
    reason is theirs); a simple-procedure decision or a clue never filed by its officers with a reason.
    The referring department hears of it (ZJ-016, :func:`_transition`); raises the credit event for final
    non-simple penalties (XY-ZJ), and records the item's last case (dormant-item analysis)."""
    case.refresh_from_db()
    approval = None
    if needs_close_approval(case):
        _require_head(actor, case, "WS-CLOSE", pgettext("action", "结案"))
        approval = _pending_to_decide(case, CaseApproval.Kind.CLOSING, on)
        reason = approval.opinion
    else:
        _require_handler(actor, case)
    _close_guards(case, reason)
    execution = f"已缴纳 {case.paid_amount} 元（{case.paid_on}）" if case.paid_on else (
        "当场处罚已履行" if case.procedure == Procedure.SIMPLE else "不涉及罚款履行")
    _transition(case, CaseStatus.CLOSED, actor=actor, on=on, reason=reason, closed_on=on, close_reason=reason)
    if approval is not None:
        _record_decision(approval, actor=actor, on=on, approved=True, opinion=opinion)
        approval_fields = _approval_fields(approval, actor=actor, on=on, opinion=opinion.strip() or "同意结案")
    else:
        approval_fields = {"unit_opinion": f"{reason}（{actor}，{on}）", "head_approval": (
            "简易程序，当场处罚决定报所属行政机关备案（XF-052），无须结案审批" if case.procedure == Procedure.SIMPLE
            else "未立案，无须结案审批")}
    docs.issue(case=case, doc_type=DocType.CLOSING, on=on, actor=actor, fields={
        "reason": reason, "execution": execution, **approval_fields})
    EnforcementItem.objects.filter(pk=case.item_id).filter(Q(last_case_on__isnull=True) | Q(last_case_on__lt=on)) \
        .update(last_case_on=on)
    _credit_push(case, on, actor=actor)
    case.refresh_from_db()
    return case


# 办案期限 (XF-060) runs from the filing to the decision: it can be extended only meanwhile.
EXTENDABLE = {CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.INVESTIGATION_CLOSED, CaseStatus.REVIEW,
              CaseStatus.PENALTY_PROPOSED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING_REQUESTED,
              CaseStatus.HEARING_SCHEDULED, CaseStatus.HEARING_CLOSED}


@dataclass(frozen=True)
class DecisionDue:
    due: dt.date
    extended_days: int  # approved beyond the 90
    extensions: int  # how many approvals
    deadline: rules.Deadline
    filed_on: dt.date
    excluded_days: int  # not counted: days with the judiciary (XF-027), hearings where configured
    paused: str  # "judicial" or "hearing" while one not counted is under way (the limit moves on each day), or ""

    def after(self, days: int) -> dt.date:
        """The limit once ``days`` more are approved."""
        return rules.decision_deadline(self.filed_on, self.extended_days + days, self.excluded_days).due


def hearing_not_counted(case: Case) -> bool:
    """Whether the configuration in force on the filing day leaves hearings out of the 办案期限 (XF-060)."""
    return case.filed_on is not None and bool(config_get("case.decision_excludes_hearing", on=case.filed_on))


def hearing_days_not_counted(case: Case, counted: int, on: dt.date | None = None) -> tuple[int, bool]:
    """XF-060 where ``case.decision_excludes_hearing`` (in force on the filing day): the calendar days from a
    hearing request to the day it was held are not counted in the 办案期限 of ``counted`` days; a hearing not yet
    held counts up to ``on`` (today) — the limit is paused meanwhile. A request made after the limit ran out does
    not revive it. (0, False) where hearings count, as 行政处罚法 第六十条 reads."""
    if not hearing_not_counted(case):
        return 0, False
    on = on or clock.today()
    days, paused = 0, False
    for requested_on, held_on in Hearing.objects.filter(case=case).order_by("requested_on", "id").values_list(
            "requested_on", "held_on"):
        if requested_on > rules.decision_deadline(case.filed_on, counted - rules.DECISION_DAYS, days).due:
            continue
        paused = paused or held_on is None
        days += max(0, ((held_on or on) - max(requested_on, case.filed_on)).days)
    return days, paused


def judicial_days_not_counted(case: Case, counted: int, on: dt.date | None = None) -> tuple[int, bool]:
    """XF-027 with XF-060: the calendar days from the transfer to the judiciary to the case's return are not
    counted in the 办案期限 of ``counted`` days — the law sends a returned case back for a penalty, which a limit
    that ran out while the police held it would forbid; while it is with them the limit is paused (counted to
    ``on``). A transfer made after the limit ran out does not revive it."""
    ct = CrimeTransfer.objects.filter(case=case, transferred_at__isnull=False).first()
    if ct is None or case.filed_on is None:
        return 0, False
    start = ct.transferred_on
    if start > rules.decision_deadline(case.filed_on, counted - rules.DECISION_DAYS).due:
        return 0, False
    if ct.returned_on is not None:
        return (ct.returned_on - start).days, False
    if case.status == CaseStatus.TRANSFERRED_JUDICIAL:
        return max(0, ((on or clock.today()) - start).days), True
    return 0, False


def decision_due(case: Case, on: dt.date | None = None) -> DecisionDue:
    """XF-060: the day by which the decision is made — 90 days from filing, every extension the head approved
    (``decision_extension_approve``), the days with the judiciary of a case sent back (XF-027) and, where
    configured, the hearing days (as of ``on``, default today, while either is under way). None before filing."""
    days = [a.details.get("days", 0) for a in case.approvals.filter(kind=CaseApproval.Kind.EXTENSION,
                                                                    status=CaseApproval.Status.APPROVED)]
    counted = rules.DECISION_DAYS + sum(days)
    hearing, hearing_paused = hearing_days_not_counted(case, counted, on)
    judicial, judicial_paused = judicial_days_not_counted(case, counted + hearing, on)
    paused = "judicial" if judicial_paused else "hearing" if hearing_paused else ""
    deadline = rules.decision_deadline(case.filed_on, sum(days), hearing + judicial)
    return DecisionDue(deadline.due, sum(days), len(days), deadline, case.filed_on, hearing + judicial, paused)


def _decision_clock(case: Case, on: dt.date) -> None:
    """The decision clock (XF-060) after its limit moved (an extension approved, a hearing not counted begun or
    held, the case sent to the judiciary or back): the open row is cancelled and a new one runs to the day
    ``decision_due`` gives — none while paused."""
    due = decision_due(case, on)
    rows = case_rows(case, kind="case.decide")
    if not due.paused and [r.due_at.astimezone(LOCAL).date() for r in rows] == [due.due]:
        return  # the limit did not move (a hearing asked for after it ran out)
    rows.update(state=Deadline.State.CANCELLED, closed_at=clock.now())
    if due.paused:
        return
    if due.excluded_days and due.extended_days:
        what = said(gettext_noop("作出决定（立案之日起九十日，经批准延长%(n)s日，不计入%(h)s日）"),
                    n=due.extended_days, h=due.excluded_days)
    elif due.excluded_days:
        what = said(gettext_noop("作出决定（立案之日起九十日，不计入%(h)s日）"), h=due.excluded_days)
    else:
        what = said(gettext_noop("作出决定（立案之日起九十日，经批准延长%(n)s日）"), n=due.extended_days)
    # warned as the 90 days are (day 60 and day 80: 30 and 10 days before), not before today
    warn = [max(on, due.due - dt.timedelta(days=rules.DECISION_DAYS - d)) for d in _cfg("case.decision_warn_days")]
    _deadline(case, "case.decide", due.deadline, what, warn_at=warn[0], warn2_at=warn[-1] if len(warn) > 1 else None)


def extension_blocker(case: Case, on: dt.date) -> Blocker:
    """Why the 办案期限 cannot be extended on ``on`` (XF-060), or None: only a filed case not yet decided, and only
    before the limit has run out — a limit that ran out is not revived."""
    if case.status not in EXTENDABLE or case.filed_on is None:
        return "XF-060", _("办案期限在立案后、作出决定前延长（本案：%(status)s）") % {"status": case.get_status_display()}
    if on > (due := decision_due(case, on).due):
        return "XF-060", _("办案期限已于%(due)s届满，不能再延长") % {"due": due}
    return None


def _extension_days(days) -> int:
    """First extension: up to ``case.decision_extension_days``; a further one: the period the heads' collective
    discussion sets (at most a year, so a typing slip does not park a case)."""
    if not isinstance(days, int) or not 1 <= days <= 365:
        raise ValidationFailed(_("延长的日数应为1到365之间的整数"), errors={"days": [_("应为1到365之间的整数")]})
    return days


@transaction.atomic
def decision_extension_request(*, actor, case: Case, on: dt.date, reason: str, days: int) -> CaseApproval:
    """延长办案期限申请 (XF-060): the officers ask the head, before the limit runs out, with the reasons (案情复杂、
    需检测鉴定…) and the period. The first extension is of at most ``case.decision_extension_days`` days (head's
    approval); a further one is decided by the heads' collective discussion, which sets the period."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _deny(extension_blocker(case, on))
    if not reason.strip():
        raise ValidationFailed(_("请写明延长办案期限的理由"), errors={"reason": [_("不能为空")]})
    days = _extension_days(days)
    first = decision_due(case, on).extensions == 0
    if first and days > (most := _cfg("case.decision_extension_days")):
        raise ValidationFailed(_("经负责人批准可延长%(most)s日；更长的期限须在延长后由负责人集体讨论决定") % {"most": most},
                               errors={"days": [_("不超过%(most)s日") % {"most": most}]})
    _check_step_date(case, on)
    _no_pending(case, CaseApproval.Kind.EXTENSION)
    approval = _ask_head(case=case, kind=CaseApproval.Kind.EXTENSION, requested_by=actor, requested_on=on,
                         opinion=reason.strip(), details={"days": days})
    audit_log(actor=actor, action="cases.extension.request", obj=case, after={"on": on, "days": days,
                                                                            "reason": reason.strip(), "approval": approval.pk})
    return approval


@transaction.atomic
def decision_extension_approve(*, actor, case: Case, on: dt.date, opinion: str = "", attendees: list[str] = ()) -> Case:
    """The head approves the extension (XF-060) on or before the day the limit runs out; a further extension
    records the heads who discussed it collectively (at least three). The decision clock moves: its open row is
    cancelled and a new one runs to the extended day (reminded ten days before)."""
    case.refresh_from_db()
    _require_head(actor, case, "XF-060", pgettext("action", "延长办案期限"))
    approval = _pending_to_decide(case, CaseApproval.Kind.EXTENSION, on)
    _deny(extension_blocker(case, on))
    _check_step_date(case, on)
    before = decision_due(case, on)
    names = [n.strip() for n in attendees if n.strip()]
    if before.extensions and len(names) < 3:
        raise ValidationFailed(_("再次延长办案期限须由负责人集体讨论决定，请列明参加讨论的负责人（至少三人）"),
                               errors={"attendees": [_("至少三人")]}, )
    _record_decision(approval, actor=actor, on=on, approved=True, opinion=opinion.strip() or "同意延长办案期限")
    if names:
        CaseApproval.objects.filter(pk=approval.pk).update(details={**approval.details, "collective": names})
    _decision_clock(case, on)
    after = decision_due(case, on)
    audit_log(actor=actor, action="cases.extension.approve", obj=case,
              after={"on": on, "approval": approval.pk, "days": approval.details.get("days"), "due": after.due,
                     "was": before.due, "collective": names})
    case.refresh_from_db()
    return case


@transaction.atomic
def decision_extension_refuse(*, actor, case: Case, on: dt.date, opinion: str) -> CaseApproval:
    """The head does not extend the 办案期限, with reasons; the decision is due as before."""
    case.refresh_from_db()
    _require_head(actor, case, "XF-060", pgettext("action", "延长办案期限"))
    return _refuse(actor, case, CaseApproval.Kind.EXTENSION, on, opinion, "cases.extension.refuse")


@transaction.atomic
def case_close_refuse(*, actor, case: Case, on: dt.date, opinion: str) -> CaseApproval:
    """The head does not approve closing, with reasons (e.g. the fine is not fully enforced); the request
    stays on the case and the officers may ask again."""
    case.refresh_from_db()
    _require_head(actor, case, "WS-CLOSE", pgettext("action", "结案"))
    return _refuse(actor, case, CaseApproval.Kind.CLOSING, on, opinion, "cases.closing.refuse")


def _refuse(actor, case: Case, kind: str, on: dt.date, opinion: str, action: str) -> CaseApproval:
    approval = _pending_to_decide(case, kind, on, approved=False, opinion=opinion)
    _record_decision(approval, actor=actor, on=on, approved=False, opinion=opinion)
    audit_log(actor=actor, action=action, obj=case, after={"on": on, "opinion": opinion.strip(),
                                                           "approval": approval.pk})
    approval.refresh_from_db()
    return approval


def _credit_push(case: Case, on: dt.date, *, actor=None) -> bool:
    """XY-ZJ-011-016: a general-procedure penalty becomes adverse credit information once final (no
    remedy within the periods, or the remedy upheld it); simple-procedure decisions never do."""
    if case.outcome != Outcome.PENALTY or case.procedure != Procedure.GENERAL or not is_final(case, on):
        return False
    if not Case.objects.filter(pk=case.pk, credit_pushed_on__isnull=True).update(credit_pushed_on=on):
        return False
    audit_log(actor=actor, action="cases.credit.push", obj=case, after={"party": case.party_name, "on": on,
                                                                        "rule": "XY-ZJ-011-016"})
    return True


def credit_sweep(*, on: dt.date | None = None) -> int:
    """Cases closed before their decision became final get their credit event when it does. Idempotent."""
    on = on or clock.now().astimezone(LOCAL).date()
    n = 0
    # candidates only: six months after service is at least 181 days (is_final decides exactly); a decision
    # changed or revoked on remedy never becomes final, so it is not re-examined every minute
    never = [RemedyResult.CHANGED, RemedyResult.REVOKED, RemedyResult.CONFIRMED_ILLEGAL, RemedyResult.VOID]
    candidates = Case.objects.filter(
        status__in=[CaseStatus.CLOSED, CaseStatus.ARCHIVED], outcome=Outcome.PENALTY, procedure=Procedure.GENERAL,
        credit_pushed_on__isnull=True).filter(
        Q(served_on__lt=on - dt.timedelta(days=181)) | Q(remedies__closed_on__isnull=False)).exclude(
        remedies__result__in=never).distinct()
    for case in candidates:
        with transaction.atomic():
            n += _credit_push(case, on)
    return n


@transaction.atomic
def case_archive(*, actor, case: Case, on: dt.date) -> Case:
    """归档 (WS-ARCH, XF-047): the 卷宗 PDF — cover, contents, every document, the evidence list with
    hashes and the record — numbered, hashed and stored; the case becomes 已归档."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _guard(case.status == CaseStatus.CLOSED, "XF-047", _("结案后才能归档"))
    for d in case.documents.all():
        docs.ensure_pdf(d)
    file_doc = docs.issue(case=case, doc_type=DocType.FILE, on=on, actor=actor, fields={
        "cover": f"{case.number} {case.cause} {case.party_name}", "contents": [
            f"{recorded_display(d, 'doc_type')} {d.number}" for d in case.documents.all()]})
    data = docs.render_case_file(case, file_doc)
    digest = hashlib.sha256(data).hexdigest()
    file_doc.pdf.save(f"{case.pk}-file-{on.year}-{file_doc.seq}.pdf", ContentFile(data), save=False)
    type(file_doc).objects.filter(pk=file_doc.pk).update(pdf=file_doc.pdf.name, sha256=digest)
    return _transition(case, CaseStatus.ARCHIVED, actor=actor, on=on, **said_as("reason", gettext_noop("归档（卷宗 SHA-256 %(digest)s…）"), digest=digest[:16]))


# ------------------------------------------------------------------ simple procedure


@transaction.atomic
def spot_decide(*, actor, department: Department, item: EnforcementItem, party_kind: str, party_name: str,
                party_code: str, party_address: str, violation: str, place: str, at: dt.datetime,
                officers: list[Officer], types: list[str], fine: Decimal | None = None, collected_on_spot: bool = False,
                receipt_no: str = "", hard_to_enforce_reason: str = "", remote_area_request: bool = False,
                party_refused_to_sign: bool = False, refusal_note: str = "", town=None, events=(),
                synthetic: bool = False) -> Case:
    """当场行政处罚 (XF-051, XF-052, XF-053, XF-070-071): limits, a numbered decision handed over on the
    spot, on-the-spot collection only ≤100 yuan or with a reason, the receipt, the hand-over timers, the
    filing with the agency, and the remedy text with reconsideration first (FY-023). Made on the reports
    (``events``) the officers were sent to, it is linked to them, and a department that referred one of them is
    told the decision (ZJ-016)."""
    if not may_open_cases(actor):
        raise NotPermitted(_("只有执法人员可以作出当场处罚"), errors={"__all__": [_("只有执法人员可以作出当场处罚")]})
    events = _linkable(actor, events)
    if not acts_for(actor, department) and not actor.is_superuser:
        raise NotPermitted(_("只能以本单位名义作出当场处罚"), errors={"department": [str(department)]})
    on = at.astimezone(LOCAL).date()
    problems = rules.simple_procedure_problems(party_kind=party_kind, types=list(types), fine=fine)
    problems += rules.item_penalty_problems(penalty_types=item.penalty_types, fine_tiers=item.fine_tiers,
                                            party_kind=party_kind, types=list(types), fine=fine)
    if problems:
        errors: dict[str, list[str]] = {}
        for p in problems:
            errors.setdefault(p.field, []).append(p.message)
        raise RuleViolation(_("不符合简易程序条件：%(problems)s") % {"problems": "；".join(p.message for p in problems)},
                            errors=errors, rule=problems[0].rule)
    _guard(in_catalogue(department, item, town, on), "ZJ-006-007-008", _("事项%(code)s不属于%(department)s的执法事项目录")
                                                                         % {"code": item.code, "department": department})
    _check_two_officers(officers, on, pgettext("action", "当场处罚"))
    if collected_on_spot:
        _guard(rules.on_spot_collection_allowed(fine=fine or Decimal(0), hard_to_enforce_reason=hard_to_enforce_reason,
                                                remote_area_request=remote_area_request), "XF-053",
               _("当场收缴罚款限一百元以下，或者事后难以执行、边远地区当事人提出"))
        _guard(bool(receipt_no.strip()), "XF-070-071", _("当场收缴罚款须出具财政部门统一制发的专用票据"))
    _guard(not party_refused_to_sign or bool(refusal_note.strip()), "XF-052", _("当事人拒绝签收的，应当在决定书上注明"))
    body = department.reconsideration_body.name if department.reconsideration_body else ""
    remedy = rules.remedy_text(reconsideration_body=body, simple=True)
    problems = rules.remedy_text_problems(remedy.text, body=body, simple=True) if body else ["未配置复议机关"]
    _guard(not problems, "FY-023", "；".join(problems))
    case = Case.objects.create(
        procedure=Procedure.SIMPLE, status=CaseStatus.SPOT_DECIDED, department=department, item=item,
        team=department.teams.filter(active=True).first(), party_kind=party_kind, party_name=party_name,
        party_address=party_address, cause=violation, facts=violation, act_date=on, discovery_date=on, location=place,
        town=town, outcome=Outcome.PENALTY, proposed_types=list(types), final_types=list(types), proposed_fine=fine,
        final_fine=fine, decided_on=on, decided_by=actor, served_on=on, service_method=ServiceMethod.DIRECT,
        remedy_text=remedy.text, on_spot_collected=collected_on_spot, on_spot_reason=hard_to_enforce_reason,
        receipt_no=receipt_no, party_refused_to_sign=party_refused_to_sign, refusal_note=refusal_note, publish=False,
        referring_department=_referrer_of(events), synthetic=synthetic, **_party_fields(party_kind, party_code))
    case.events.set(events)
    for o in officers:
        CaseOfficer.objects.create(case=case, officer=o, no_conflict_declared=True, assigned_on=on)
    CaseTransition.objects.create(case=case, old="", new=CaseStatus.SPOT_DECIDED, actor=actor, on=on,
                                  **said_as("reason", gettext_noop("当场处罚")))
    doc = docs.issue(case=case, doc_type=DocType.SPOT_DECISION, on=on, actor=actor, fields={
        "party": party_name, "party_code": case.party_code, "address": party_address, "violation": violation,
        "penalty": _penalty_text(list(types), fine, None, item), "fine": f"{fine}元" if fine else "无（警告）",
        "time": f"{at.astimezone(LOCAL):%Y年%m月%d日 %H:%M}", "place": place, "remedy": remedy.text,
        "agency": department.name, "officers": [f"{o.name}（{o.certificate_no}）" for o in officers],
        "payment_due": (f"自收到本决定书之日起十五日内缴纳（{rules.payment_deadline(on).due}前）" if fine and
                        not collected_on_spot else ""),
        "receipt_no": receipt_no, "refusal": refusal_note})
    Case.objects.filter(pk=case.pk).update(number=doc.number)
    case.number = doc.number
    from core.workdays import add_working_days

    # the same Chinese as the step's button (当场处罚决定备案): a thing due here, said with its own context
    _deadline(case, "case.spot_filing", add_working_days(on, _cfg("case.filing_record_working_days"), rule="XF-052"),
              said(pgettext_noop("deadline", "当场处罚决定备案"), context="deadline"))
    if fine and collected_on_spot:
        handover, deposit = rules.cash_handover_deadlines(on)
        Payment.objects.create(case=case, amount=fine, paid_on=on, method="当场收缴", receipt_no=receipt_no,
                               handover_due=handover.due, deposit_due=deposit.due)
        Case.objects.filter(pk=case.pk).update(paid_on=on, paid_amount=fine)
        _deadline(case, "case.cash_handover", handover, gettext_noop("罚款交至行政机关（2个工作日）"))
        _deadline(case, "case.cash_deposit", deposit, gettext_noop("罚款缴付指定银行（2个工作日）"))
    elif fine:
        due = rules.payment_deadline(on)
        Case.objects.filter(pk=case.pk).update(payment_due=due.due)
        _deadline(case, "case.payment", due, gettext_noop("缴纳罚款"))
    case.refresh_from_db()
    if case.referring_department_id:
        _referral_feedback(case, CaseStatus.SPOT_DECIDED, actor=actor, on=on, reason="")
    audit_log(actor=actor, action="cases.spot.decide", obj=case, after={
        "fine": fine, "types": list(types), "collected": collected_on_spot, "events": [e.ticket for e in events],
        "referring_department_id": case.referring_department_id})
    return case


def spot_filing_blocker(case: Case) -> Blocker:
    """Why the case cannot be filed with the agency (备案, XF-052) now, or None: an on-the-spot decision, once."""
    if case.procedure != Procedure.SIMPLE or case.decided_on is None:
        return "XF-052", _("只有当场作出的行政处罚决定须报所属行政机关备案")
    if case.filed_with_agency_on is not None:
        return "XF-052", _("本案当场处罚决定已于%(on)s备案") % {"on": case.filed_with_agency_on}
    return None


@transaction.atomic
def spot_file_with_agency(*, actor, case: Case, on: dt.date) -> Case:
    """XF-052: the on-the-spot decision is filed (备案) with the officer's agency — once, dated from the
    decision to today. Only an on-the-spot decision is filed so: a general-procedure decision is the agency's own."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _deny(spot_filing_blocker(case))
    _check_dated(on, case.decided_on, _("决定日期"))
    Case.objects.filter(pk=case.pk).update(filed_with_agency_on=on)
    _close_deadlines(case, "case.spot_filing", on)
    audit_log(actor=actor, action="cases.spot.file", obj=case, after={"on": on})
    case.refresh_from_db()
    return case


@transaction.atomic
def cash_handover(*, actor, payment: Payment, handed_over_on: dt.date | None = None, deposited_on: dt.date | None = None
                  ) -> Payment:
    """XF-070-071: officer → agency, agency → bank, each within 2 working days; in that order, once each, not
    in the future — only a fine collected on the spot (with its receipt); a fine paid at the bank is banked."""
    _require_handler(actor, payment.case)
    payment.refresh_from_db()
    _guard(bool(payment.receipt_no), "XF-070-071", _("只有当场收缴的罚款须交回行政机关、缴付指定银行"))
    if not handed_over_on and not deposited_on:
        raise ValidationFailed(_("请填写交回或缴存日期"), errors={"handed_over_on": [_("不能都为空")]})
    for field, value in (("handed_over_on", handed_over_on), ("deposited_on", deposited_on)):
        if value:
            _check_dated(value, field=field)
    if handed_over_on:
        _guard(payment.handed_over_on is None, "XF-070-071", _("已登记交回"), field="handed_over_on")
        _guard(handed_over_on >= payment.paid_on, "XF-070-071", _("交回日期不能早于收缴日期"), field="handed_over_on")
    if deposited_on:
        handed = handed_over_on or payment.handed_over_on
        _guard(payment.deposited_on is None, "XF-070-071", _("已登记缴存"), field="deposited_on")
        _guard(handed is not None and deposited_on >= handed, "XF-070-071", _("须先交回行政机关，再缴付指定银行"),
               field="deposited_on")
    if handed_over_on:
        Payment.objects.filter(pk=payment.pk).update(handed_over_on=handed_over_on)
        _close_deadlines(payment.case, "case.cash_handover", handed_over_on)
    if deposited_on:
        Payment.objects.filter(pk=payment.pk).update(deposited_on=deposited_on)
        _close_deadlines(payment.case, "case.cash_deposit", deposited_on)
    payment.refresh_from_db()
    audit_log(actor=actor, action="cases.cash.handover", obj=payment, after={"handed_over_on": handed_over_on,
                                                                           "deposited_on": deposited_on})
    return payment


# ------------------------------------------------------------------ assistance between bodies


# 协助调查 serves the investigation: from filing until the case goes to the head for a decision (XF-026)
ASSISTABLE = {CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.REVIEW}


def assistance_blocker(case: Case) -> Blocker:
    """Why no body can be asked to assist on the case now (XF-026), or None."""
    if case.status not in ASSISTABLE:
        return "XF-026", _("协助调查在立案后、作出决定前请求（本案：%(status)s）") % {"status": case.get_status_display()}
    return None


@transaction.atomic
def assistance_request(*, actor, case: Case, to_department: Department, matter: str, basis: str, on: dt.date
                       ) -> Deadline:
    """XF-026 / ZJ-017 协助调查: another body is asked to assist; the reply timer is configuration
    (``assist.reply.max_working_days``, UNVERIFIED: the law says only “及时”)."""
    from core.workdays import add_working_days

    case.refresh_from_db()
    _require_handler(actor, case)
    _deny(assistance_blocker(case))
    _guard(to_department.pk != case.department_id, "XF-026", _("不能向本机关请求协助"))
    if not matter.strip() or not basis.strip():
        raise ValidationFailed(_("请写明协助事项和依据"), errors={"matter": [_("协助事项和法律依据不能为空")]})
    _check_step_date(case, on)
    due = add_working_days(on, _cfg("assist.reply.max_working_days"), rule="XF-026")
    label = _label(case, said(gettext_noop("协助（%(department)s）：%(matter)s"), department=to_department.short_name
                              or to_department.name, matter=matter[:140]), name=case.number)
    row = Deadline.objects.create(kind=f"case.assist.{to_department.pk}", object_type="cases.case",
                                  object_id=str(case.pk), department=to_department, **Deadline.label_columns(label),
                                  due_at=end_of_day(due.due),
                                  remind_at=end_of_day(due.due) - dt.timedelta(days=1),
                                  escalate2_at=end_of_day(due.due) + dt.timedelta(days=1), rule="XF-026",
                                  provisional=due.provisional, **Deadline.basis_columns(due.basis))
    asked = AssistanceRequest.objects.create(case=case, to_department=to_department, matter=matter.strip()[:300],
                                             basis=basis.strip()[:300], requested_on=on, deadline=row,
                                             requested_by=actor if getattr(actor, "pk", None) else None)
    # to the asked body's list of requests, which outlasts the answer — the case page is its to see only while the
    # request is open, and a notice that led to it afterwards would lead nowhere
    Notification.objects.create(department=to_department, level=Notification.Level.REMIND, link=asked.get_absolute_url(),
                                **said(gettext_noop("%(department)s请求协助：%(matter)s（%(due)s前答复）"),
                                       department=case.department.short_name, matter=matter[:200], due=str(due.due)))
    audit_log(actor=actor, action="cases.assist.request", obj=case, after={"to": to_department.pk, "matter": matter,
                                                                           "basis": basis, "due": due.due})
    return row


@transaction.atomic
def assistance_reply(*, actor, case: Case, on: dt.date, reply: str) -> None:
    """The assisting body replies; late replies stay visible as LATE for oversight (ZJ-034-036-037)."""
    mine = assist_rows_for(case, actor) if actor.is_superuser or actor.role in ASSIST_ANSWERERS else []
    if not mine:
        raise NotPermitted(_("只有被请求协助的机关可以答复"), errors={"__all__": [_("无权答复")]})
    if not reply.strip():
        raise ValidationFailed(_("请填写协助结果"), errors={"reply": [_("不能为空")]})
    asked = AssistanceRequest.objects.filter(case=case, deadline__in=mine, replied_on__isnull=True)
    _check_dated(on, min((r.requested_on for r in asked), default=None), _("请求日期"))
    for d in mine:
        _close_deadlines(case, d.kind, on)
    asked.update(reply=reply.strip(), replied_on=on, replied_by=actor if getattr(actor, "pk", None) else None)
    audit_log(actor=actor, action="cases.assist.reply", obj=case,
              after={"from": mine[0].department_id, "reply": reply, "on": on})


def case_register_export_record(*, actor, filters: dict, count: int) -> None:
    """Audit an export of the case register (案件台账导出): who took which cases out of the system."""
    with transaction.atomic():
        audit_log(actor=actor, action="cases.register.export", object_type="cases.case", object_id="export",
                  after={"filters": filters, "rows": count})


# ------------------------------------------------------------------ transfer of suspected crimes


# 移送涉嫌犯罪 is reported while the case is being handled: after filing, before the decision (YS-310)
CRIME_REPORTABLE = {CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.REVIEW, CaseStatus.NOTICE_SERVED}


def crime_report_blocker(case: Case) -> Blocker:
    """Why a suspected crime cannot be reported on the case now (YS-310), or None: once, from filing until the
    decision."""
    earlier = CrimeTransfer.objects.filter(case=case).first()
    if earlier is not None:
        return "YS-310", _("本案已于%(at)s报告涉嫌犯罪") % {"at": f"{earlier.report_on.astimezone(LOCAL):%Y-%m-%d %H:%M}"}
    if case.status not in CRIME_REPORTABLE:
        return "YS-310", _("涉嫌犯罪在立案后、作出决定前报告（本案：%(status)s）") % {"status": case.get_status_display()}
    return None


@transaction.atomic
def crime_report(*, actor, case: Case, report_at: dt.datetime) -> CrimeTransfer:
    """YS-310: a team of two or more officers reports; the head decides within 3 days. Once per case, while it is
    being handled (from filing until the decision), at a time not in the future."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _deny(crime_report_blocker(case))
    if report_at > clock.now():
        raise ValidationFailed(_("报告时间晚于现在"), errors={"report_at": [_("不能晚于现在")]})
    _check_two_officers(investigators(case), report_at.astimezone(LOCAL).date(), pgettext("action", "移送涉嫌犯罪案件"))
    ct = CrimeTransfer.objects.create(case=case, report_on=report_at)
    due = rules.crime_transfer_deadlines(report_at)["head_decision_due"]
    Deadline.objects.create(kind="case.crime_head_decision", object_type="cases.case", object_id=str(case.pk),
                            department=case.department, due_at=due,
                            **Deadline.label_columns(_label(case, gettext_noop("移送审批（3日）"), name=case.number)),
                            remind_at=due - dt.timedelta(days=1), escalate2_at=due + dt.timedelta(days=1),
                            rule="YS-310", **Deadline.basis_columns(said(gettext_noop("报告后3日内"))))
    audit_log(actor=actor, action="cases.crime.report", obj=ct, after={"report_at": report_at})
    return ct


@transaction.atomic
def crime_decide(*, actor, case: Case, approved: bool, at: dt.datetime, reason: str = "") -> CrimeTransfer:
    """YS-310: the principal head approves or refuses within 3 days; a refusal is recorded with reasons."""
    _require_head(actor, case, "YS-310", pgettext("action", "是否移送涉嫌犯罪案件"))
    ct = CrimeTransfer.objects.filter(case=case).first()
    if ct is None or ct.head_decided_at is not None:
        raise InvalidTransition(_("没有待审批的移送报告"), errors={"__all__": [_("已审批或未报告")]})
    _guard(approved or bool(reason.strip()), "YS-310", _("不批准移送的，应当将不予批准的理由记录在案"))
    _check_length(reason, CrimeTransfer, "refusal_reason", _("不批准的理由"), "reason")
    CrimeTransfer.objects.filter(pk=ct.pk).update(head_decided_at=at, approved=approved, refusal_reason=reason)
    _close_deadlines(case, "case.crime_head_decision", at.astimezone(LOCAL).date())
    if approved:
        due = at + dt.timedelta(hours=24)
        Deadline.objects.create(kind="case.crime_transfer", object_type="cases.case", object_id=str(case.pk),
                                department=case.department, due_at=due,
                                **Deadline.label_columns(_label(case, gettext_noop("24小时内移送公安机关"), name=case.number)),
                                remind_at=due - dt.timedelta(hours=6), escalate2_at=due + dt.timedelta(hours=24),
                                rule="YS-310", **Deadline.basis_columns(said(gettext_noop("批准后24小时"))))
    ct.refresh_from_db()
    audit_log(actor=actor, action="cases.crime.decide", obj=ct, after={"approved": approved, "reason": reason})
    return ct


CRIME_TRANSFER_POLICE_MAX, CRIME_TRANSFER_ITEMS_MAX = 100, 1000  # kept in the 移送书's fields, not in columns


@transaction.atomic
def crime_transfer(*, actor, case: Case, at: dt.datetime, receipt_no: str, police: str, items: str = "") -> Case:
    """XF-027: transferred to the judicial organ; a fine may not replace it. YS-310 第六条: the 涉嫌犯罪案件移送书
    goes with the investigation report, the list of the items involved (``items``; none, if empty), the test or
    expert reports and other materials — the verified evidence of the case — to ``police`` (the public security
    organ at the same level), which signs a receipt."""
    case.refresh_from_db()
    _require_handler(actor, case)
    ct = CrimeTransfer.objects.filter(case=case).first()
    _guard(ct is not None and ct.approved is True, "YS-310", _("移送须经负责人批准"))
    _guard(ct.transferred_at is None, "YS-310", _("本案已于%(on)s移送公安机关") % {"on": ct.transferred_on})
    if not police.strip():
        raise ValidationFailed(_("请填写接收案件的公安机关"), errors={"police": [_("不能为空")]})
    if not receipt_no.strip():
        raise ValidationFailed(_("请填写公安机关接收回执的编号"), errors={"receipt_no": [_("不能为空")]})
    _check_length(receipt_no.strip(), CrimeTransfer, "police_receipt_no", _("回执编号"), "receipt_no")
    _refuse_too_long(too_long(police.strip(), CRIME_TRANSFER_POLICE_MAX), _("接收机关"), "police")
    _refuse_too_long(too_long(items.strip(), CRIME_TRANSFER_ITEMS_MAX), _("涉案物品清单"), "items")
    _guard(at <= ct.head_decided_at + dt.timedelta(hours=24), "YS-310", _("批准后须在24小时内移送"))
    on = at.astimezone(LOCAL).date()
    evidence = [f"{recorded_display(e, 'kind')}：{e.description}" for e in _usable_evidence(case)]
    docs.issue(case=case, doc_type=DocType.CRIME_TRANSFER, on=on, actor=actor, fields={
        "to": police.strip(), "cause": case.cause, "party": case.party_name, "party_code": case.party_code,
        "facts": case.facts or case.summary,
        "approval": f"{ct.head_decided_at.astimezone(LOCAL):%Y-%m-%d %H:%M} 负责人批准移送",
        "attachments": ["案件调查报告", f"涉案物品清单：{items.strip() or '无'}", *evidence],
        "receipt": f"{receipt_no.strip()}（{at.astimezone(LOCAL):%Y-%m-%d %H:%M}）"})
    CrimeTransfer.objects.filter(pk=ct.pk).update(transferred_at=at, police_receipt_no=receipt_no.strip())
    case_rows(case, kind="case.crime_transfer").update(state=Deadline.State.MET, closed_at=clock.now())
    case = _transition(case, CaseStatus.TRANSFERRED_JUDICIAL, actor=actor, on=at.astimezone(LOCAL).date(),
                       **said_as("reason", gettext_noop("移送公安机关（回执 %(receipt)s）"), receipt=receipt_no.strip()),
                       outcome=Outcome.TRANSFER_JUDICIAL)
    _decision_clock(case, at.astimezone(LOCAL).date())  # paused while the case is with the judiciary (XF-060, XF-027)
    _deadline(case, "case.crime_police_review", rules.police_review_due(on), gettext_noop("公安机关审查决定是否立案"))
    return case


# After the transfer (YS-310 第八、九、十一、十二条; XF-027): the police file the case or refuse to; a refusal may be
# put to them again within 3 days; a filed case's items and materials are handed over within 3 days; a case the
# judiciary does not pursue but that deserves an administrative penalty comes back to the agency at REVIEW.


def _transferred(case: Case) -> CrimeTransfer | None:
    ct = CrimeTransfer.objects.filter(case=case).first()
    return ct if case.status == CaseStatus.TRANSFERRED_JUDICIAL and ct is not None and ct.transferred_at else None


def _lock_transfer(case: Case) -> None:
    """Held until the step is recorded: of two recording the police's answer at once, the second waits, then reads
    the first's and is refused by the step's blocker."""
    CrimeTransfer.objects.select_for_update().filter(case=case).first()


def _reconsideration_pending(ct: CrimeTransfer) -> bool:
    return ct.reconsideration_on is not None and ct.reconsideration_answered_on is None


def police_answer_blocker(case: Case) -> Blocker:
    """Why the police's answer cannot be recorded now (YS-310 第八条), or None: once after the transfer, and once
    more after the agency asked them to reconsider a refusal."""
    if (ct := _transferred(case)) is None:
        return "YS-310", _("案件移送公安机关后登记其立案或者不予立案的决定")
    if ct.police_answer and not _reconsideration_pending(ct):
        return "YS-310", _("已登记公安机关的决定（%(answer)s，%(on)s）") % {
            "answer": ct.get_police_answer_display(), "on": ct.police_answered_on}
    return None


def reconsideration_blocker(case: Case, on: dt.date) -> Blocker:
    """Why the agency cannot ask the police to reconsider now (YS-310 第九条), or None: once, within 3 days of
    the notice of refusal."""
    ct = _transferred(case)
    if ct is None or ct.police_answer != PoliceAnswer.REFUSED:
        return "YS-310", _("公安机关决定不予立案的，可以提请复议")
    if ct.reconsideration_on is not None:
        return "YS-310", _("已于%(on)s提请复议") % {"on": ct.reconsideration_on}
    if on > (due := rules.crime_follow_up_due(ct.police_answered_on).due):
        return "YS-310", _("提请复议须在收到不予立案通知书之日起3日内（至%(due)s）") % {"due": due}
    return None


def handover_blocker(case: Case) -> Blocker:
    """Why the items and materials cannot be recorded as handed over now (YS-310 第十二条), or None."""
    ct = _transferred(case)
    if ct is None or ct.police_answer != PoliceAnswer.FILED:
        return "YS-310", _("公安机关立案后移交涉案物品和有关材料")
    if ct.handed_over_on is not None:
        return "YS-310", _("已于%(on)s移交") % {"on": ct.handed_over_on}
    return None


def return_blocker(case: Case) -> Blocker:
    """Why the case cannot be taken back for an administrative penalty now (XF-027), or None: after the police
    answered, and not while a reconsideration is pending."""
    if (ct := _transferred(case)) is None:
        return "XF-027", _("移送司法机关的案件退回后重新审查")
    if not ct.police_answer:
        return "XF-027", _("公安机关尚未作出立案或者不予立案的决定")
    if _reconsideration_pending(ct):
        return "XF-027", _("已提请复议，等待公安机关的复议决定")
    return None


@transaction.atomic
def crime_police_answer(*, actor, case: Case, on: dt.date, filed: bool, notice_no: str) -> CrimeTransfer:
    """公安机关立案/不予立案 (YS-310 第八条): recorded with the notice's number, the day it was received. A refusal may
    be put to the police again within 3 days (``crime_reconsideration``); a filed case's items and materials are
    handed over within 3 days (a clock, ``case.crime_handover``)."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _lock_transfer(case)
    _deny(police_answer_blocker(case))
    ct = CrimeTransfer.objects.get(case=case)
    if not notice_no.strip():
        raise ValidationFailed(_("请填写公安机关立案或者不予立案通知书的文号"), errors={"notice_no": [_("不能为空")]})
    _check_length(notice_no.strip(), CrimeTransfer, "police_notice_no", _("通知书文号"), "notice_no")
    _check_dated(on, ct.reconsideration_on or ct.transferred_on, _("提请复议的日期") if ct.reconsideration_on else _("移送的日期"))
    answer = PoliceAnswer.FILED if filed else PoliceAnswer.REFUSED
    changes = {"police_answer": answer, "police_notice_no": notice_no.strip()}
    if _reconsideration_pending(ct):
        changes["reconsideration_answered_on"] = on
    else:
        changes["police_answered_on"] = on
    CrimeTransfer.objects.filter(pk=ct.pk).update(**changes)
    _close_deadlines(case, "case.crime_police_review", on)
    if filed:
        _deadline(case, "case.crime_handover", rules.crime_follow_up_due(on), gettext_noop("移交涉案物品和材料"))
    elif "police_answered_on" in changes:  # a first refusal: 3 days to ask the police to reconsider (YS-310 第九条)
        _deadline(case, "case.crime_reconsider", rules.crime_follow_up_due(on), gettext_noop("提请复议期限"))
    audit_log(actor=actor, action="cases.crime.police_answer", obj=ct, after={
        "on": on, "answer": answer, "notice_no": notice_no.strip(), "after_reconsideration": "reconsideration_answered_on" in changes})
    ct.refresh_from_db()
    return ct


@transaction.atomic
def crime_reconsideration(*, actor, case: Case, on: dt.date) -> CrimeTransfer:
    """提请复议 (YS-310 第九条): within 3 days of receiving the notice of refusal; the police's answer to it is
    recorded as their decision again (``crime_police_answer``)."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _lock_transfer(case)
    _deny(reconsideration_blocker(case, on))
    ct = CrimeTransfer.objects.get(case=case)
    _check_dated(on, ct.police_answered_on, _("收到不予立案通知书的日期"))
    CrimeTransfer.objects.filter(pk=ct.pk).update(reconsideration_on=on)
    _deadline(case, "case.crime_police_review", rules.police_review_due(on), gettext_noop("公安机关作出复议决定"))
    _close_deadlines(case, "case.crime_reconsider", on)
    audit_log(actor=actor, action="cases.crime.reconsideration", obj=ct, after={"on": on})
    ct.refresh_from_db()
    return ct


@transaction.atomic
def crime_handover(*, actor, case: Case, on: dt.date, items: str) -> CrimeTransfer:
    """移交涉案物品和有关材料 (YS-310 第十二条): within 3 days of the police filing the case, with what was handed over."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _lock_transfer(case)
    _deny(handover_blocker(case))
    ct = CrimeTransfer.objects.get(case=case)
    if not items.strip():
        raise ValidationFailed(_("请写明移交的涉案物品和材料"), errors={"items": [_("不能为空")]})
    _check_length(items.strip(), CrimeTransfer, "handed_over_items", _("移交清单"), "items")
    _check_dated(on, ct.reconsideration_answered_on or ct.police_answered_on, _("公安机关立案的日期"))
    CrimeTransfer.objects.filter(pk=ct.pk).update(handed_over_on=on, handed_over_items=items.strip())
    _close_deadlines(case, "case.crime_handover", on)
    audit_log(actor=actor, action="cases.crime.handover", obj=ct, after={"on": on, "items": items.strip()})
    ct.refresh_from_db()
    return ct


@transaction.atomic
def crime_return(*, actor, case: Case, on: dt.date, basis: str) -> Case:
    """退回 (XF-027): the police refused to file the case, or the judiciary ended it without a criminal penalty,
    and it deserves an administrative one — it re-enters REVIEW, its outcome to be proposed again. The days it
    spent with the judiciary are not counted in the 办案期限 (``decision_due``): XF-027 sends it back for a
    penalty, which a limit that ran out while the police held it would forbid."""
    case.refresh_from_db()
    _require_handler(actor, case)
    _lock_transfer(case)
    _deny(return_blocker(case))
    ct = CrimeTransfer.objects.get(case=case)
    if not basis.strip():
        raise ValidationFailed(_("请写明退回的依据（如公安机关不予立案通知书、检察院不起诉决定书）"), errors={"basis": [_("不能为空")]})
    _check_length(basis.strip(), CrimeTransfer, "return_basis", _("退回依据"), "basis")
    _check_dated(on, ct.reconsideration_answered_on or ct.police_answered_on, _("公安机关决定的日期"))
    CrimeTransfer.objects.filter(pk=ct.pk).update(returned_on=on, return_basis=basis.strip())
    # back before its items went to the police: they stay with the case, the hand-over is no longer due
    for kind in ("case.crime_handover", "case.crime_police_review"):  # nothing more to hand over or wait for
        case_rows(case, kind=kind).update(state=Deadline.State.CANCELLED, closed_at=clock.now())
    _close_deadlines(case, "case.crime_reconsider", on)  # taken back instead of asking again
    case = _transition(case, CaseStatus.REVIEW, actor=actor, on=on, outcome="",
                       **said_as("reason", gettext_noop("移送司法机关后退回，重新审查：%(basis)s"), basis=basis.strip()))
    _decision_clock(case, on)
    return case


DUTY_LEAD_CONTENT_MAX = 2000  # prose in a TextField: what was found, about whom, and where the material is


@transaction.atomic
def duty_lead_transfer(*, actor, case: Case, on: dt.date, to_kind: str, to_body: str, content: str,
                       receipt_no: str = "") -> DutyLeadTransfer:
    """职务违法犯罪线索移送 (YS-310 第十九条, ZJ-019): a lead of a state employee's embezzlement, bribery, neglect or abuse
    of duty, or use of power against citizens' rights, found while handling the case, goes to the 监察机关 or the
    人民检察院 as its nature requires — recorded by the case's officers, with the receiving body, the day, what was
    sent and the receipt. The case goes on: the lead is not the case."""
    case.refresh_from_db()
    _require_handler(actor, case)
    errors: dict[str, list[str]] = {}
    if to_kind not in DutyLeadBody.values:
        errors["to_kind"] = [_("应为 %(allowed)s") % {"allowed": "/".join(str(c.label) for c in DutyLeadBody)}]
    for field, value in (("to_body", to_body), ("content", content)):
        if not value.strip():
            errors[field] = [_("不能为空")]
    if errors:
        raise ValidationFailed(_("线索移送信息有误"), errors=errors)
    _check_length(to_body.strip(), DutyLeadTransfer, "to_body", _("接收机关"), "to_body")
    _check_length(receipt_no.strip(), DutyLeadTransfer, "receipt_no", _("回执编号"), "receipt_no")
    _refuse_too_long(too_long(content.strip(), DUTY_LEAD_CONTENT_MAX), _("线索内容"), "content")
    _check_dated(on, case.discovery_date, _("发现违法行为的日期"))
    lead = DutyLeadTransfer.objects.create(case=case, to_kind=to_kind, to_body=to_body.strip(), transferred_on=on,
                                           content=content.strip(), receipt_no=receipt_no.strip(), recorded_by=actor)
    audit_log(actor=actor, action="cases.duty_lead.transfer", obj=lead, after={
        "case": case.pk, "to_kind": to_kind, "to_body": lead.to_body, "on": on, "receipt_no": lead.receipt_no})
    return lead


# ------------------------------------------------------------------ export


def export_history(case: Case) -> dict:
    """The complete history of a case for reconsideration or a court: transitions, documents with hashes,
    evidence with hashes, acts, reviews, deadlines and every audit record about it."""
    from core.models import AuditRecord

    for d in case.documents.all():
        docs.ensure_pdf(d)
    ids = {("cases.case", str(case.pk))}
    ids |= {("cases.document", str(d.pk)) for d in case.documents.all()}
    ids |= {("cases.evidence", str(e.pk)) for e in case.evidence.all()}
    ids |= {("cases.act", str(a.pk)) for a in case.acts.all()}
    ids |= {("cases.legalreview", str(r.pk)) for r in case.legal_reviews.all()}
    ids |= {("cases.dutyleadtransfer", str(t.pk)) for t in case.duty_leads.all()}
    audit = [r for r in AuditRecord.objects.filter(object_type__startswith="cases.").order_by("seq")
             if (r.object_type, r.object_id) in ids]
    return {
        "case": {"number": case.number, "cause": case.cause, "party": case.party_name, "status": case.status,
                 "department": case.department.name, "item": case.item.code},
        "transitions": [{"on": str(t.on), "from": t.old, "to": t.new, "reason": t.reason} for t in case.transitions.all()],
        "documents": [{"type": d.doc_type, "number": d.number, "issued_on": str(d.issued_on), "state": d.state,
                       "sha256": d.sha256} for d in case.documents.all()],
        "evidence": [{"kind": e.kind, "description": e.description, "sha256": e.sha256, "verified": e.verified,
                      "lawful": e.lawful} for e in case.evidence.all()],
        "legal_reviews": [{"reviewed_on": str(r.reviewed_on), "reviewer": str(r.reviewer), "result": r.result,
                           "triggers": r.triggers, "opinion": r.opinion,
                           "resubmitted_on": str(r.resubmitted_on) if r.resubmitted_on else None,
                           "resubmission_note": r.resubmission_note} for r in case.legal_reviews.all()],
        "assistance": [{"to": a.to_department.name, "matter": a.matter, "basis": a.basis,
                        "requested_on": str(a.requested_on), "reply": a.reply,
                        "replied_on": str(a.replied_on) if a.replied_on else None}
                       for a in case.assistance_requests.select_related("to_department")],
        "duty_leads": [{"to_kind": t.to_kind, "to": t.to_body, "on": str(t.transferred_on), "content": t.content,
                        "receipt_no": t.receipt_no} for t in case.duty_leads.all()],
        "deadlines": [{"kind": d.kind, "due": d.due_at.isoformat(), "rule": d.rule, "state": d.state}
                      for d in case_deadlines(case)],
        "audit": [{"seq": r.seq, "at": r.at.isoformat(), "actor": r.actor_name, "action": r.action, "hash": r.hash}
                  for r in audit],
    }

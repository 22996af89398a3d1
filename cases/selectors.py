"""Case reads, narrowed by who may see them."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.choices import (
    ASSIST_ANSWERERS,
    AWAITING_REVIEW,
    BEFORE_FILING,
    HANDLER_ROLES,
    LIMITATION_REVIEW,
    PARTY_DOCUMENTS,
    CaseStatus,
    Procedure,
)
from cases.models import Case, CaseApproval, Document, Hearing, LegalReview
from core.exceptions import NotFound
from core.models import Deadline
from org.access import scope_for
from org.choices import Role
from org.models import Department, Officer

OPEN_CASE = ~Q(status__in=[CaseStatus.CLOSED, CaseStatus.ARCHIVED, CaseStatus.NOT_FILED,
                           CaseStatus.TRANSFERRED_JUDICIAL, CaseStatus.TRANSFERRED_OUT])


def cases_visible_to(user) -> QuerySet[Case]:
    qs = Case.objects.select_related("department", "item", "team", "referring_department")
    if not user or not user.is_authenticated:
        return qs.none()
    scope = scope_for(user)
    if scope.everything:
        return qs
    if user.role in (Role.PRO_OFFICER, Role.TOWN_OFFICER, Role.BUREAU_OFFICER, Role.AGENCY_HEAD):
        cond = Q(department_id=user.department_id)
        if user.team_id:
            cond |= Q(team_id=user.team_id) | Q(department__region__in=user.team.towns.all())
        if user.department_id:
            cond |= Q(entrustment__agent_id=user.department_id)  # acting in the entrusting body's name
            cond |= Q(transferred_to_id=user.department_id) | Q(dispute_with_id=user.department_id)
        return qs.filter(cond | _asked_to_assist(user))
    if user.role == Role.DEPT_SUPERVISOR:
        return qs.filter(Q(referring_department_id=user.department_id) | Q(department_id=user.department_id)
                         | _asked_to_assist(user))
    return qs.none()


def case_rows(case: Case, *, kind: str = "", kind_prefix: str = "", open_only: bool = True) -> QuerySet[Deadline]:
    """A case's deadline rows, by exact kind or kind prefix (``case.assist.``, ``case.seizure.``)."""
    qs = Deadline.objects.filter(object_type="cases.case", object_id=str(case.pk))
    if kind:
        qs = qs.filter(kind=kind)
    if kind_prefix:
        qs = qs.filter(kind__startswith=kind_prefix)
    return qs.filter(state=Deadline.State.OPEN) if open_only else qs


def assist_rows_for(case: Case, user) -> list[Deadline]:
    """The open assistance requests (XF-026) on ``case`` that ``user``'s body was asked to answer."""
    from dispatch.access import acts_for

    return [d for d in case_rows(case, kind_prefix="case.assist.").select_related("department")
            if acts_for(user, d.department)]


def assistance_owed(user) -> QuerySet[Deadline]:
    """The open assistance requests (协助, XF-026) that ``user`` answers for the bodies they act for, nearest
    time limit first — the other side of :func:`assist_rows_for`, for 我的待办."""
    from dispatch.access import departments_acted_for

    if not (user.is_superuser or user.role in ASSIST_ANSWERERS):
        return Deadline.objects.none()
    return Deadline.objects.filter(object_type="cases.case", kind__startswith="case.assist.", state=Deadline.State.OPEN,
                                   department__in=departments_acted_for(user)).order_by("due_at", "pk")


def assistance_received(user) -> QuerySet:
    """协助请求 (XF-026, ZJ-017) the bodies ``user`` answers for were sent, answered or not, newest first: the asked
    body's own register of what it was asked and what it answered. The case itself it sees only while a request is
    open (:func:`_asked_to_assist`); this list, and the notices that link to it, outlast the answer."""
    from cases.models import AssistanceRequest
    from dispatch.access import departments_acted_for

    if not (user.is_superuser or user.role in ASSIST_ANSWERERS or user.role == Role.AGENCY_HEAD):
        return AssistanceRequest.objects.none()  # the head reads its body's register; its officers answer
    return AssistanceRequest.objects.filter(to_department__in=departments_acted_for(user)).select_related(
        "case__department", "to_department", "deadline", "replied_by").order_by("-requested_on", "-pk")


def _asked_to_assist(user) -> Q:
    """A body asked to assist (XF-026) sees the case while the request is open, to answer it."""
    from django.db.models import IntegerField, Subquery
    from django.db.models.functions import Cast

    depts = [d for d in (user.department_id, user.team.department_id if user.team_id else None) if d]
    ids = Deadline.objects.filter(object_type="cases.case", kind__startswith="case.assist.", department_id__in=depts,
                                  state=Deadline.State.OPEN).values_list(Cast("object_id", IntegerField()))
    return Q(pk__in=Subquery(ids))


def access_case(*, user, pk: int) -> Case:
    case = cases_visible_to(user).filter(pk=pk).first()
    if case is None:
        raise NotFound(_("未找到该案件"))
    return case


def items_for_department(dept):
    """The items a body may decide: those it holds, or for a town, those delegated to the town now."""
    from catalogue.models import EnforcementItem

    if dept.kind == "town":
        qs = EnforcementItem.objects.filter(delegations__town=dept.region, delegations__valid_to__isnull=True)
    else:
        qs = EnforcementItem.objects.filter(holdings__department=dept)
    return qs.distinct().order_by("code")


def spot_outcome(cases) -> str:
    """What a report's 处置结果 says of the on-the-spot decisions made on it (当场处罚), in the records' language —
    proposed on the report's feedback form, where the officer still answers the instruction (with the photos the
    county asks for, and 核查 after for a grid worker's or a citizen's report): a decision settles the party's
    violation, not necessarily the street."""
    from cases.rules import yuan
    from core.records import record_language

    spots = [c for c in cases if c.procedure == Procedure.SIMPLE and c.number]
    with record_language():
        return "；".join(_("已当场作出行政处罚决定（%(number)s，%(penalty)s）") % {
            "number": c.number,
            "penalty": _("罚款%(amount)s元") % {"amount": yuan(c.final_fine)} if c.final_fine else _("警告")}
            for c in spots)


def spot_items(dept):
    """The body's items an on-the-spot decision can be made on (当场处罚, XF-051): its law provides a warning, or a
    fine that can be within the simple limit (:func:`cases.rules.simple_procedure_item`) — about half the county's
    catalogue starts above 3,000 yuan or provides neither."""
    from cases.rules import simple_procedure_item

    held = items_for_department(dept)
    fit = [pk for pk, types, tiers in held.values_list("pk", "penalty_types", "fine_tiers")
           if simple_procedure_item(penalty_types=types, fine_tiers=tiers)]
    return held.filter(pk__in=fit)


def open_choices(user, dept, day: dt.date):
    """Where ``user`` may register a clue and for which items: its own body's items, or — for an entrusted
    organisation (XF-020-021) — the entrusting bodies and the items entrusted to it in force today."""
    from catalogue.models import EnforcementItem
    from catalogue.selectors import entrustments_in_force
    from org.models import Department

    if user.is_superuser:
        return Department.objects.all(), (items_for_department(dept) if dept else EnforcementItem.objects.all())
    if dept is None:
        return Department.objects.none(), EnforcementItem.objects.none()
    if dept.kind == "entrusted":
        active = entrustments_in_force(day, agent_id=dept.pk)
        return (Department.objects.filter(pk__in=active.values("principal_id")),
                EnforcementItem.objects.filter(entrustments__in=active).distinct().order_by("code"))
    return Department.objects.filter(pk=dept.pk), items_for_department(dept)


def _handled_by(officer) -> Q:
    """The cases ``officer`` handles now (承办, not released)."""
    return Q(case_officers__officer=officer, case_officers__released_on__isnull=True)


def my_cases(user) -> QuerySet[Case]:
    officer = getattr(user, "officer", None)
    qs = cases_visible_to(user).filter(OPEN_CASE)
    if officer is not None:
        qs = qs.filter(_handled_by(officer))
    return qs.distinct().order_by("-created_at")


def submissions_waiting(user) -> QuerySet:
    """What parties sent online (网上陈述申辩, 听证申请) on the cases ``user`` may see and nobody recorded yet — the
    decision waits for it (XF-044-045-062, XF-064)."""
    from cases.models import PartySubmission

    return (PartySubmission.objects.filter(handled_at__isnull=True, case__in=cases_visible_to(user))
            .select_related("case").order_by("submitted_at"))


def handles_cases(user) -> bool:
    """Whether ``user`` is a case officer with cases of their own (承办): what :func:`my_cases` then narrows to."""
    return getattr(user, "officer", None) is not None


def deadline_cases(user) -> QuerySet[Case]:
    """The open cases whose time limits are ``user``'s to watch: a handling officer's own cases (承办), an agency
    head's body's cases; for a post that handles no cases (command centre, guidance office, legal reviewer,
    leader, supervisor) everything they may see, which the workbench shows as oversight and the home page
    does not count as their work (:func:`counts_case_deadlines`)."""
    if user.role in HANDLER_ROLES and handles_cases(user):
        return my_cases(user)
    return cases_visible_to(user).filter(OPEN_CASE)


def deadline_scope(user) -> str:
    """Whose cases :func:`deadline_cases` covers, to say above the lists of time limits."""
    if user.role in HANDLER_ROLES and handles_cases(user):
        return _("我承办的案件")
    if user.role == Role.AGENCY_HEAD:
        return _("本单位案件")
    return _("可查看的全部在办案件")


def counts_case_deadlines(user) -> bool:
    """Whether case time limits are part of ``user``'s own to-do (我的待办): the handlers' and their heads'."""
    return user.role in HANDLER_ROLES or user.role == Role.AGENCY_HEAD


def _deadlines(user, today: dt.date):
    ids = deadline_cases(user).order_by().values(text_pk=Cast("pk", CharField()))
    return Deadline.objects.filter(object_type="cases.case", object_id__in=ids, state=Deadline.State.OPEN)


def due_soon(user, today: dt.date):
    end = dt.datetime.combine(today + dt.timedelta(days=7), dt.time(23, 59), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    start = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return _deadlines(user, today).filter(due_at__gte=start, due_at__lte=end).order_by("due_at")


def overdue(user, today: dt.date):
    start = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return _deadlines(user, today).filter(due_at__lt=start, party_period=False).order_by("due_at")


def status_counts(qs) -> list[dict]:
    """How many cases are in each state, in the order of the procedure (线索登记 … 已结案), states with none left out."""
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return [{"status": value, "label": label, "n": counts[value]} for value, label in CaseStatus.choices
            if counts.get(value)]


_CLUE_NO = re.compile(r"(?:线索|clue)?\s*[#＃]?\s*(\d+)", re.IGNORECASE)


def case_search(*, user, q: str = "", status: str = "", procedure: str = "", department=None,
                filed_from: dt.date | None = None, filed_to: dt.date | None = None, mine: bool = False) -> QuerySet[Case]:
    """案件台账: the cases ``user`` may see that match the filters, newest first. ``q`` finds a case by its number
    (案号, also 线索#N), party or cause; ``status`` "open" is every case not yet ended (在办); ``mine``: the
    cases the user handles (承办) now; filing dates are whole days, both ends included."""
    qs = cases_visible_to(user)
    if q := q.strip():
        cond = Q(number__icontains=q) | Q(party_name__icontains=q) | Q(cause__icontains=q)
        if clue := _CLUE_NO.fullmatch(q):  # 线索#5, Clue #5, #5 or 5
            cond |= Q(pk=int(clue.group(1)))
        qs = qs.filter(cond)
    if status == "open":
        qs = qs.filter(OPEN_CASE)
    elif status:
        qs = qs.filter(status=status)
    if procedure:
        qs = qs.filter(procedure=procedure)
    if department is not None:
        qs = qs.filter(department=department)
    if filed_from:
        qs = qs.filter(filed_on__gte=filed_from)
    if filed_to:
        qs = qs.filter(filed_on__lte=filed_to)
    if mine:
        officer = getattr(user, "officer", None)
        qs = qs.filter(_handled_by(officer)) if officer is not None else qs.none()
    return qs.distinct().order_by("-created_at", "-pk")


def _last_review() -> QuerySet[LegalReview]:
    """The review that counts, per case in a subquery (``cases.services.last_review`` in SQL)."""
    return LegalReview.objects.filter(case=OuterRef("pk")).order_by("-reviewed_on", "-id")


CASE_EXPORT_HEADER = [gettext_lazy("案号"), gettext_lazy("程序"), gettext_lazy("状态"), gettext_lazy("办案机关"),
                      gettext_lazy("执法事项"), gettext_lazy("案由"), gettext_lazy("当事人类型"), gettext_lazy("当事人"),
                      gettext_lazy("违法行为发生日"), gettext_lazy("立案日期"), gettext_lazy("处理结果"),
                      gettext_lazy("处罚种类"), gettext_lazy("罚款"), gettext_lazy("没收金额"), gettext_lazy("决定日期"),
                      gettext_lazy("送达日期"), gettext_lazy("结案日期")]


def case_export_rows(qs: QuerySet[Case]):
    """One row per case for the register's CSV export, in ``CASE_EXPORT_HEADER`` order. An export leaves the
    system's access checks behind, so a natural person's name is reduced to 张某 and no identity number,
    phone or address is exported (XF-050, SX-3); an organisation is named (it is on its licence)."""
    from cases.choices import PartyKind
    from catalogue.choices import PenaltyType
    from core.privacy import redact_public

    types = dict(PenaltyType.choices)
    for c in qs.select_related("department", "item").iterator(chunk_size=2000):
        party = redact_public(c.party_name, names=[c.party_name]) if c.party_kind == PartyKind.PERSON else c.party_name
        yield [c.shown_label, c.get_procedure_display(), c.get_status_display(), c.department.name,
               c.item.code if c.item_id else "", c.cause, c.get_party_kind_display(), party, c.act_date or "",
               c.filed_on or "", c.get_outcome_display(), "、".join(str(types.get(t, t)) for t in c.final_types or []),
               c.final_fine if c.final_fine is not None else "",
               c.final_confiscation if c.final_confiscation is not None else "", c.decided_on or "", c.served_on or "",
               c.closed_on or ""]


_OPENING, _CLOSING = str.maketrans("(（[【［", "〔〔〔〔〔"), str.maketrans(")）]】］", "〕〕〕〕〕")


def normalized_number(number: str) -> str:
    """A document number as a person types it from the paper: spaces dropped, any bracket read as 〔〕."""
    return "".join((number or "").split()).translate(_OPENING).translate(_CLOSING)


def document_check(*, number: str, code: str, party: str = "") -> dict:
    """执法文书核验 (SX-2; 行政处罚法 第五十二条、第六十一条): whether a document a party holds was issued here —
    ``found`` only when a party-facing document has that number *and* that 核验码 (numbers run in sequence, so a
    number alone would tell a guesser which exist; the code is random and printed only on the paper), with its
    type, body, date and state; with ``party``, ``party_matches`` says whether it was issued to that party (by
    name, spaces ignored), never who it was issued to otherwise."""
    import hmac

    from core.codes import typed_code

    code = typed_code(code)
    doc = (Document.objects.filter(number=normalized_number(number), doc_type__in=PARTY_DOCUMENTS)
           .select_related("case__department").order_by("-issued_on", "-id").first())
    if doc is None or not doc.check_code or not hmac.compare_digest(doc.check_code, code):
        return {"found": False}
    out = {"found": True, "document": doc, "voided": doc.state == Document.State.VOIDED}
    if party.strip():
        out["party_matches"] = "".join(party.split()) == "".join(doc.case.party_name.split())
    return out


def published_decisions(*, on: dt.date, q: str = "") -> QuerySet:
    """处罚决定公开 (SX-3), for the public: the decisions published on or before ``on`` and not withdrawn
    (XF-048-039), for ``case.publication_display_days`` after publication, newest first, each with its
    decision's document number (``decision_no``). ``q`` finds a decision by party, cause, body or number."""
    from cases.choices import DocType
    from cases.models import Document, Publication
    from core.config import config_get

    since = on - dt.timedelta(days=config_get("case.publication_display_days", on=on))
    qs = Publication.objects.filter(published_on__isnull=False, published_on__lte=on, published_on__gt=since,
                                    withdrawn_on__isnull=True).select_related("case__department", "case__item")
    if q := q.strip():
        qs = qs.filter(Q(case__party_name__icontains=q) | Q(case__cause__icontains=q) | Q(case__number__icontains=q)
                       | Q(case__department__name__icontains=q))
    decision = Document.objects.filter(case=OuterRef("case"), doc_type=DocType.DECISION).order_by("-pk")
    return qs.annotate(decision_no=Subquery(decision.values("number")[:1])).order_by("-published_on", "-pk")


def with_result_labels(cases) -> list[Case]:
    """The cases of :func:`review_queue` or :func:`answers_owed`, each with ``last_result_label``: the last
    review's conclusion as its choice names it, in the reader's language."""
    cases = list(cases)
    for c in cases:
        c.last_result_label = LegalReview.Result(c.last_result).label if c.last_result else ""
    return cases


def answers_owed(user) -> QuerySet[Case]:
    """The handler's cases that a legal review did not pass and that wait for their answer (XF-058): 补正后
    重新提请 after a return, a new proposal after a failure (``cases.services.awaiting_review``'s other side).
    Each carries ``last_result``, ``last_reviewed_on`` and ``last_opinion``."""
    last = _last_review()
    return my_cases(user).filter(status__in=AWAITING_REVIEW).annotate(
        last_result=Subquery(last.values("result")[:1]), last_reviewed_on=Subquery(last.values("reviewed_on")[:1]),
        last_opinion=Subquery(last.values("opinion")[:1]),
        last_resubmitted_on=Subquery(last.values("resubmitted_on")[:1])).filter(
        last_result__in=[LegalReview.Result.RETURN, LegalReview.Result.FAIL], last_resubmitted_on__isnull=True)


def review_queue() -> QuerySet[Case]:
    """Cases waiting for legal review (XF-058): proposed or heard, with no review that holds — the last one
    passed and, after a hearing, was made since it — and put to the reviewers: never reviewed, a return or
    failure answered by the handlers (重新提请, a new proposal), or heard since the last review
    (``cases.services.awaiting_review``, here in SQL); before filing, a filing request whose limitation citation
    waits for review (XF-036). Each carries ``review_due`` (the review's own limit when
    the decision needs one), ``decide_due`` (the open 90-day decision limit, XF-060), ``last_result``/
    ``last_reviewed_on``/``last_resubmitted_on`` (a review that returned it, and when it came back); the
    nearest decision limit comes first."""
    rows = Deadline.objects.filter(object_type="cases.case", object_id=Cast(OuterRef("pk"), CharField()),
                                   state=Deadline.State.OPEN).order_by("due_at")
    decide, review = rows.filter(kind="case.decide"), rows.filter(kind="case.legal_review")
    last = _last_review()
    heard = Hearing.objects.filter(case=OuterRef("pk"), attended=True).order_by("-held_on", "-id")
    limitation = CaseApproval.objects.filter(case=OuterRef("pk"), kind=CaseApproval.Kind.FILING,
                                             status=CaseApproval.Status.PENDING,
                                             **{f"details__{LIMITATION_REVIEW}": "pending"})
    return Case.objects.filter(status__in=AWAITING_REVIEW + BEFORE_FILING).annotate(
        last_result=Subquery(last.values("result")[:1]), last_reviewed_on=Subquery(last.values("reviewed_on")[:1]),
        last_resubmitted_on=Subquery(last.values("resubmitted_on")[:1]),
        heard_on=Subquery(heard.values("held_on")[:1])).filter(
        (Q(status__in=BEFORE_FILING) & Exists(limitation))
        | Q(status__in=AWAITING_REVIEW) & (
            Q(last_result__isnull=True)
            | Q(last_resubmitted_on__isnull=False)
            | Q(heard_on__isnull=False, last_reviewed_on__lt=F("heard_on")))).filter(decided_on__isnull=True).select_related(
        "department", "item").annotate(
        decide_due=Subquery(decide.values("due_at")[:1]), review_due=Subquery(review.values("due_at")[:1])).order_by(
        F("decide_due").asc(nulls_last=True), "created_at")


NEXT = {
    CaseStatus.CLUE: [gettext_lazy("指派承办人员（两名以上持证，声明无利害关系）"), gettext_lazy("立案或不予立案")],
    CaseStatus.VERIFYING: [gettext_lazy("立案或不予立案")],
    CaseStatus.INVESTIGATING: [gettext_lazy("现场检查/询问（出示证件、制作笔录）"), gettext_lazy("收集并查证证据"), gettext_lazy("调查终结")],
    CaseStatus.REVIEW: [gettext_lazy("拟定处罚（或不予处罚、移送司法机关）")],
    CaseStatus.PENALTY_PROPOSED: [gettext_lazy("送达行政处罚告知书")],
    CaseStatus.NOTICE_SERVED: [gettext_lazy("记录陈述申辩及复核意见 / 书面放弃"), gettext_lazy("当事人申请听证"), gettext_lazy("法制审核"), gettext_lazy("作出决定（期限届满后）")],
    CaseStatus.HEARING_REQUESTED: [gettext_lazy("送达听证通知书（七个工作日前）")],
    CaseStatus.HEARING_SCHEDULED: [gettext_lazy("举行听证并制作笔录")],
    CaseStatus.HEARING_CLOSED: [gettext_lazy("法制审核"), gettext_lazy("作出决定")],
    CaseStatus.DECIDED: [gettext_lazy("送达决定书（七个工作日内）")],
    CaseStatus.SERVED: [gettext_lazy("登记缴款"), gettext_lazy("逾期：加处罚款、催告")],
    CaseStatus.SPOT_DECIDED: [gettext_lazy("备案"), gettext_lazy("登记缴款")],
    CaseStatus.OVERDUE: [gettext_lazy("送达催告书")],
    CaseStatus.REMINDED: [gettext_lazy("登记缴款"), gettext_lazy("申请法院强制执行（窗口期内）")],
    CaseStatus.EXECUTED: [gettext_lazy("结案")],
    CaseStatus.CLOSED: [gettext_lazy("归档（生成卷宗）")],
}


def next_steps(case: Case, today: dt.date) -> list[str]:
    return NEXT.get(case.status, [])


def _answers_by_body(rows, now) -> list[dict]:
    """Deadline rows grouped by the body that owed the answer: on time, late, overdue (open past its time), open;
    worst first, with its five oldest late or overdue items."""
    from collections import defaultdict

    by: dict[int, dict] = defaultdict(lambda: {"asked": 0, "on_time": 0, "late": 0, "overdue": 0, "open": 0,
                                                "worst": []})
    for d in rows:
        r = by[d.department_id]
        r["department"] = d.department
        r["asked"] += 1
        if d.state == Deadline.State.MET:
            r["on_time"] += 1
        elif d.state == Deadline.State.LATE:
            r["late"] += 1
            r["worst"].append(d)
        elif d.state == Deadline.State.OPEN and d.due_at < now:
            r["overdue"] += 1
            r["worst"].append(d)
        elif d.state == Deadline.State.OPEN:
            r["open"] += 1
    out = sorted(by.values(), key=lambda r: (-(r["late"] + r["overdue"]), r["department"].code))
    for r in out:
        r["worst"] = sorted(r["worst"], key=lambda d: d.due_at)[:5]
    return out


def cooperation_report(now) -> list[dict]:
    """ZJ-034-036-037: who was asked to assist (XF-026) and how they answered — on time, late, or still
    overdue — per body, worst first; the basis for a 书面建议 or a 通报."""
    from django.urls import reverse

    rows = Deadline.objects.filter(object_type="cases.case", kind__startswith="case.assist.").select_related(
        "department")
    out = _answers_by_body(rows, now)
    for d in (d for r in out for d in r["worst"]):
        d.link = reverse("cases:case", args=[d.object_id])
    return out


def referral_report(now) -> list[dict]:
    """ZJ-016, ZJ-034-036: how the bodies answered the departments' referrals (部门移送) — the feedback on each
    referral's instruction, due within ``referral.acceptance_decision.max_working_days`` — per body, worst first.
    An instruction moved on (退单, 流转) is not counted against the body that let it go: its clock was cancelled."""
    from django.urls import reverse

    from dispatch.models import Instruction
    from intake.choices import Channel

    referred = Instruction.objects.filter(event__channel=Channel.REFERRAL).annotate(
        key=Cast("pk", CharField())).values("key")
    rows = (Deadline.objects.filter(object_type="dispatch.instruction", kind="instruction.feedback",
                                    object_id__in=Subquery(referred)).exclude(state=Deadline.State.CANCELLED)
            .select_related("department"))
    out = _answers_by_body(rows, now)
    worst = [d for r in out for d in r["worst"]]
    events = dict(Instruction.objects.filter(pk__in=[int(d.object_id) for d in worst]).values_list("pk", "event_id"))
    for d in worst:
        d.link = reverse("intake:event", args=[events[int(d.object_id)]])
    return out


def referral_timeliness() -> list[dict]:
    """ZJ-016, §4.9 ``referral.business_to_enforcement.max_working_days``: how promptly each department referred
    the leads it found — referred, dated (with 发现日期), on time, late (received after the day it was due), worst
    first, with its five latest by most days (the newest first among equals). Duplicates count too: each was a
    referral. Counted in SQL; only the late referrals are read."""
    from intake.choices import Channel
    from intake.models import Event, referring_department

    referrals = (Event.objects.filter(channel=Channel.REFERRAL)
                 .annotate(referrer=referring_department(), received_day=TruncDate("received_at"))
                 .exclude(referrer=None))
    late = Q(received_day__gt=F("referral_due"))
    counts = (referrals.values("referrer").order_by()
              .annotate(referred=Count("pk"), dated=Count("referral_due"), late=Count("pk", filter=late)))
    departments = Department.objects.in_bulk([c["referrer"] for c in counts])
    by = {c["referrer"]: {"department": departments[c["referrer"]], "referred": c["referred"], "dated": c["dated"],
                          "on_time": c["dated"] - c["late"], "late": c["late"], "worst": []} for c in counts}
    for e in referrals.filter(late).only("pk", "ticket", "found_on", "referral_due", "received_at"):
        by[e.referrer]["worst"].append(e)
    out = sorted(by.values(), key=lambda r: (-r["late"], r["department"].code))
    for r in out:
        r["worst"] = sorted(r["worst"], key=lambda e: (-e.referral_late_days, -e.received_at.timestamp()))[:5]
    return out


def referral_feedback_for(department_id: int, *, after: int, before) -> QuerySet:
    """结果反馈 (ZJ-016) told to a referring department, after answer ``after`` and recorded before ``before``, in
    order, each with its case. :func:`referrals_of` names the referrals each answers."""
    from cases.models import ReferralFeedback

    return (ReferralFeedback.objects.filter(department_id=department_id, pk__gt=after, at__lt=before)
            .order_by("pk").select_related("case"))


def _case_links(department_id: int, *, event_ids=None, case_ids=None):
    """(via, event pk, ticket, external id, case id) for the department's referrals (部门移送) and the cases made of
    them: ``via`` ``cases`` for a case of the referral itself, ``duplicate_of__cases`` for one of the report it was
    merged into (附议); limited to ``event_ids`` or to ``case_ids``; two queries, by case then referral."""
    from intake.models import Event, referred_by

    mine = Event.objects.filter(referred_by(department_id))
    if event_ids is not None:
        mine = mine.filter(pk__in=event_ids)
    for via in ("cases", "duplicate_of__cases"):
        rows = mine.filter(**({f"{via}__in": case_ids} if case_ids is not None else {f"{via}__isnull": False}))
        for pk, ticket, external_id, case_id in rows.values_list("pk", "ticket", "external_id", via).order_by(via, "pk"):
            yield via, pk, ticket, external_id, case_id


def referrals_of(department_id: int, case_ids) -> dict[int, list]:
    """The department's own referrals behind each case: the case's events it referred, then its referrals merged
    into them — ``{case id: [(ticket, external id), …]}``."""
    out: dict[int, list] = {pk: [] for pk in case_ids}
    for _via, _pk, ticket, external_id, case_id in _case_links(department_id, case_ids=list(out)):
        out[case_id].append((ticket, external_id))
    return out


LEDGER_STATES = ("in_case", "in_hand", "ended")


def referral_ledger(department_id: int, state: str = "") -> tuple[QuerySet, dict]:
    """移送台账 (ZJ-016, 管罚衔接; peers §4.2): the referrals a department made, newest first — all, or those in one
    of :data:`LEDGER_STATES` — and its counts: made, a case made of them, still in hand without one, ended
    without one. :func:`ledger_rows` dresses a page of them with the case and the last answer the department was
    told."""
    from intake.choices import OPEN_STATUSES, EventStatus
    from intake.models import Event, referred_by

    referrals = (Event.objects.filter(referred_by(department_id))
                 .select_related("department", "duplicate_of__department").order_by("-received_at", "-pk"))
    in_case = Q(cases__isnull=False) | Q(duplicate_of__cases__isnull=False)
    open_ = Q(status__in=OPEN_STATUSES) | Q(status=EventStatus.DUPLICATE, duplicate_of__status__in=OPEN_STATUSES)
    counts = {"referred": referrals.count(), "in_case": referrals.filter(in_case).values("pk").distinct().count(),
              "in_hand": referrals.exclude(in_case).filter(open_).count()}
    counts["ended"] = counts["referred"] - counts["in_case"] - counts["in_hand"]
    if state == "in_case":
        referrals = referrals.filter(pk__in=referrals.filter(in_case).values("pk"))
    elif state == "in_hand":
        referrals = referrals.exclude(in_case).filter(open_)
    elif state == "ended":
        referrals = referrals.exclude(in_case).exclude(open_)
    return referrals, counts


def ledger_rows(events, department_id: int) -> list[dict]:
    """One page of :func:`referral_ledger`: each referral with the body that has it (the report it was merged into,
    if it was), the cases made of it — its own, else the report's it joined; two when the report named two
    parties — each with the last answer told the department about it, in four queries."""
    from cases.models import ReferralFeedback

    events = list(events)
    case_ids: dict[str, dict[int, list[int]]] = {"cases": {}, "duplicate_of__cases": {}}
    for via, pk, _ticket, _external_id, case_id in _case_links(department_id, event_ids=[e.pk for e in events]):
        case_ids[via].setdefault(pk, []).append(case_id)
    cases = Case.objects.in_bulk({c for by in case_ids.values() for ids in by.values() for c in ids})
    last = {f.case_id: f for f in ReferralFeedback.objects.filter(case__in=cases, department_id=department_id)
            .order_by("pk")}
    rows = []
    for e in events:
        ids = case_ids["cases"].get(e.pk) or case_ids["duplicate_of__cases"].get(e.pk) or []
        rows.append({"event": e, "holder": e.duplicate_of or e,
                     "cases": [(cases[c], last.get(c)) for c in ids]})
    return rows


LEDGER_HEADER = [gettext_lazy("受理编号"), gettext_lazy("发送方编号"), gettext_lazy("发现日期"),
                 gettext_lazy("移送超期日数"), gettext_lazy("移送时间"), gettext_lazy("承办单位"), gettext_lazy("状态"),
                 gettext_lazy("并入"), gettext_lazy("案件"), gettext_lazy("案件状态"), gettext_lazy("反馈日期"),
                 gettext_lazy("最近反馈")]


def ledger_export_rows(events, department_id: int, chunk: int = 500):
    """:data:`LEDGER_HEADER` rows of a 移送台账, one per referral and case (a referral without a case has one row),
    read ``chunk`` referrals at a time (:func:`ledger_rows`: four queries a chunk)."""
    from django.utils import timezone

    pks = list(events.values_list("pk", flat=True))
    for start in range(0, len(pks), chunk):
        order = {pk: i for i, pk in enumerate(pks[start:start + chunk])}
        page = sorted(events.filter(pk__in=order), key=lambda e: order[e.pk])
        for r in ledger_rows(page, department_id):
            e, holder = r["event"], r["holder"]
            head = [e.ticket, e.external_id, e.found_on.isoformat() if e.found_on else "", e.referral_late_days,
                    timezone.localtime(e.received_at).strftime("%Y-%m-%d %H:%M"),
                    holder.department.name if holder.department_id else "", e.get_status_display(),
                    e.duplicate_of.ticket if e.duplicate_of_id else ""]
            for case, answer in r["cases"] or [(None, None)]:
                yield [*head, case.shown_label if case else "", case.get_status_display() if case else "",
                       answer.on.isoformat() if answer else "",
                       answer.shown if answer else (holder.outcome if not case else "")]


def awaiting_head(user) -> list[tuple[Case, str]]:
    """What waits for the agency head's own decision on its body's cases: the penalty or no-penalty
    decision itself (XF-057), filing and closing requests (立案/结案审批, WS-FILE/WS-CLOSE), recusal applications (XF-043) and
    reported suspected crimes (YS-310, 3 days)."""
    from cases.choices import NO_PENALTY, Outcome
    from cases.models import CaseApproval, CrimeTransfer, Recusal

    if user.role != Role.AGENCY_HEAD and not user.is_superuser:
        return []
    visible = cases_visible_to(user).filter(department_id=user.department_id) if user.department_id else \
        cases_visible_to(user)
    to_decide = visible.filter(Q(status__in=(CaseStatus.NOTICE_SERVED, CaseStatus.HEARING_CLOSED), outcome=Outcome.PENALTY)
                               | Q(status=CaseStatus.REVIEW, outcome__in=NO_PENALTY)).order_by("filed_on")
    out = []
    for c in to_decide:
        if c.outcome in NO_PENALTY:
            out.append((c, _("不予行政处罚决定（XF-057）")))
            continue
        proposed = (_("罚款%(amount)s元") % {"amount": format(c.proposed_fine, ",.0f")}) if c.proposed_fine else _("处罚")
        stage = _("听证已结束") if c.status == CaseStatus.HEARING_CLOSED else _("告知书已送达")
        out.append((c, _("行政处罚决定（XF-057）：拟%(proposed)s，%(stage)s") % {"proposed": proposed, "stage": stage}))
    out += [(a.case, _("%(kind)s（%(rule)s）：%(by)s %(on)s 申请，%(opinion)s") % {
                "kind": a.get_kind_display(), "rule": a.rule, "by": a.requested_by, "on": f"{a.requested_on:%Y-%m-%d}",
                "opinion": a.opinion[:30]})
            for a in CaseApproval.objects.filter(case__in=visible, status=CaseApproval.Status.PENDING)
            .select_related("case", "requested_by")]
    out += [(r.case, _("回避申请：%(name)s（%(reason)s）") % {"name": r.officer.name, "reason": r.reason[:30]})
            for r in Recusal.objects.filter(case__in=visible, granted__isnull=True).select_related("case", "officer")]
    out += [(ct.case, _("涉嫌犯罪移送审批（报告于 %(at)s，3日内决定）") % {"at": f"{ct.report_on:%Y-%m-%d %H:%M}"})
            for ct in CrimeTransfer.objects.filter(case__in=visible, head_decided_at__isnull=True).select_related("case")]
    return out


def recusable_officers(case: Case) -> QuerySet[Officer]:
    """XF-043: the officers whose recusal can be applied for now: handling the case (not released), with no
    application about them waiting for the head's decision."""
    return (Officer.objects.filter(caseofficer__case=case, caseofficer__released_on__isnull=True)
            .exclude(recusal__case=case, recusal__granted__isnull=True).distinct().order_by("name"))


def coercive_acts_in_force(case: Case):
    """The case's seizures and sealings (查封、扣押) still in force: those whose time limit is open (QZ-024-028)."""
    open_rows = case_rows(case, kind_prefix="case.seizure.").values_list("kind", flat=True)
    return case.acts.filter(pk__in=[int(k.rsplit(".", 1)[1]) for k in open_rows])


def limitation_review_of(approval: CaseApproval | None) -> LegalReview | None:
    """The legal review that answered a filing request's "法律另有规定" limitation citation (XF-036), if any."""
    done = (approval.details or {}).get(LIMITATION_REVIEW) if approval is not None else None
    return LegalReview.objects.filter(pk=done).first() if isinstance(done, int) else None


def pending_requests(case: Case) -> QuerySet[CaseApproval]:
    """What the case's officers asked the head and is not yet decided (立案、结案、措施 …), oldest first."""
    return case.approvals.filter(status=CaseApproval.Status.PENDING).select_related("requested_by").order_by("id")

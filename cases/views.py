import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from cases import documents as docs
from cases import rules, selectors
from cases import services as S
from cases import steps as steps_
from cases.choices import ASSIST_ANSWERERS, CaseStatus, PartyKind, SubmissionKind
from cases.forms import CaseFilterForm, DocumentCheckForm, NoticeOpenForm, OpenForm, PartySubmissionForm
from cases.models import CaseApproval, Document, MonitoringDevice, Publication
from catalogue.models import EnforcementItem
from core import clock
from core.config import config_get
from core.exceptions import ApplicationError, TooManyRequests, ValidationFailed
from core.forms import chosen_filters
from core.http import (
    chosen,
    chosen_many,
    errors_as_text,
    errors_into_form,
    handle_application_errors,
    stored_file_response,
)
from core.privacy import mask_identifiers
from core.punctuation import bracketed
from core.records import recorded_display
from core.tabular import stream_csv
from dispatch.access import access_event
from org.access import has_perm
from org.choices import Role
from org.models import Department, Officer


def _errors_into_form(form, exc: ApplicationError) -> None:
    """``errors_into_form``, and the refusal's own message above the form when it names no form-wide error."""
    errors_into_form(form, exc)
    if not (exc.errors or {}).get("__all__"):
        form.add_error(None, exc.message)


@login_required
@handle_application_errors
def workbench(request):
    today = timezone.localdate()
    qs = selectors.cases_visible_to(request.user)
    return render(request, "cases/workbench.html", {
        "mine": selectors.my_cases(request.user)[:50], "due_soon": selectors.due_soon(request.user, today)[:50],
        "overdue": selectors.overdue(request.user, today)[:50], "counts": selectors.status_counts(qs), "today": today,
        "awaiting_head": selectors.awaiting_head(request.user), "total": qs.count(),
        "deadline_scope": selectors.deadline_scope(request.user),
        "handles_cases": selectors.handles_cases(request.user),
        "submissions": selectors.submissions_waiting(request.user)[:50],
        "may_review": has_perm(request.user, "cases.legal_review")})


@login_required
def case_list(request):
    """案件台账: every case the user may see, with filters; an invalid filter filters nothing and says why."""
    form = CaseFilterForm(request.GET or None)
    page = Paginator(selectors.case_search(user=request.user, **chosen_filters(form)).select_related("department"),
                     30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/case_list.html", {"page": page, "form": form, "querystring": query.urlencode()})


@login_required
@handle_application_errors
def case_list_export(request):
    """The filtered register as CSV (UTF-8 with BOM, so Excel opens it), streamed and audited; an invalid
    filter exports nothing (400, the form with its errors)."""
    form = CaseFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "cases/case_list.html", {"page": None, "form": form, "querystring": ""}, status=400)
    filters = chosen_filters(form)
    qs = selectors.case_search(user=request.user, **filters)
    S.case_register_export_record(actor=request.user, filters={k: str(getattr(v, "pk", v)) for k, v in filters.items()},
                                  count=qs.count())
    response = StreamingHttpResponse(stream_csv(selectors.CASE_EXPORT_HEADER, selectors.case_export_rows(qs)),
                                     content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@handle_application_errors
def case_detail(request, pk):
    case = selectors.access_case(user=request.user, pk=pk)
    today = clock.today()
    offered, held = steps_.page_steps(case, request.user, today)
    return render(request, "cases/case_detail.html", {
        "c": case, "deadlines": S.case_deadlines(case), "transitions": case.transitions.all(),
        "reviews": case.legal_reviews.select_related("reviewer"),
        "pending_requests": selectors.pending_requests(case),
        "assists": case.assistance_requests.select_related("to_department", "deadline"),
        "hearings": case.hearings.select_related("presider"),
        "submissions": case.submissions.select_related("handled_by", "notice"),
        "publication": Publication.objects.filter(case=case).first(),
        "documents": case.documents.all(), "evidence": case.evidence.prefetch_related("collected_by"),
        "acts": case.acts.prefetch_related("officers"), "officers": case.case_officers.select_related("officer"),
        "recusals": case.recusals.select_related("officer").order_by("applied_on", "pk"),
        "next_steps": selectors.next_steps(case, today), "today": today,
        "steps": offered, "held": held,
        "surcharge": S.current_surcharge(case, today) if case.final_fine else None,
        "limit_paused": due if (case.status == CaseStatus.TRANSFERRED_JUDICIAL or case.status in S.EXTENDABLE and
                                S.hearing_not_counted(case)) and (due := S.decision_due(case, today)).paused else None,
        "crime": getattr(case, "crime_transfer", None), "duty_leads": case.duty_leads.all(),
        "blockers": S.decision_blockers(case, decided_on=today, types=case.proposed_types, fine=case.proposed_fine,
                                        confiscation=case.proposed_confiscation)
        if case.status in (CaseStatus.NOTICE_SERVED, CaseStatus.HEARING_CLOSED) else []})


@login_required
@handle_application_errors
def case_export(request, pk):
    case = selectors.access_case(user=request.user, pk=pk)
    body = json.dumps(S.export_history(case), ensure_ascii=False, indent=2)
    resp = HttpResponse(body, content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="case-{case.pk}.json"'
    return resp


@login_required
@handle_application_errors
def document_pdf(request, pk):
    doc = get_object_or_404(Document, pk=pk)
    selectors.access_case(user=request.user, pk=doc.case_id)
    docs.ensure_pdf(doc)
    doc.refresh_from_db()
    return FileResponse(doc.pdf.open("rb"), content_type="application/pdf", filename=f"{doc.number}.pdf")


@login_required
@handle_application_errors
def evidence_file(request, pk, evidence_pk):
    """The stored file of one piece of evidence, to those who may see the case."""
    case = selectors.access_case(user=request.user, pk=pk)
    return stored_file_response(get_object_or_404(case.evidence, pk=evidence_pk).file)


@login_required
@handle_application_errors
def waiver_statement(request, pk):
    """The party's signed waiver statement (XF-044-045-062), to those who may see the case."""
    return stored_file_response(selectors.access_case(user=request.user, pk=pk).waiver_statement)


@login_required
@handle_application_errors
def review_queue(request):
    if not has_perm(request.user, "cases.legal_review"):
        raise Http404
    cases = selectors.with_result_labels(selectors.review_queue())
    today = timezone.localdate()
    for c in cases:
        c.review_reason = S.review_reason(c, today)
    now = timezone.now()
    return render(request, "cases/reviews.html", {"cases": cases, "now": now, "soon": now + dt.timedelta(days=7)})


@login_required
@handle_application_errors
def case_step(request, pk, key):
    """One procedural step on one case: GET shows its form, POST validates it and calls the service.
    A refusal by the service (a rule, with its id) comes back on the form with 422; nothing is written."""
    case = selectors.access_case(user=request.user, pk=pk)
    step = steps_.BY_KEY.get(key)
    if step is None:
        raise Http404
    if not steps_.may_take(request.user, step):
        raise PermissionDenied(gettext("无权进行此步骤"))
    offered, held = steps_.page_steps(case, request.user)
    offered = step in offered
    form = step.form(request.POST if request.method == "POST" else None,
                     request.FILES if request.method == "POST" else None, case=case)
    status, refusal = 200, ""
    held = dict((s.key, why) for s, why in held)
    if step.key in held:  # offered but for what the service would refuse today: say what
        refusal = gettext("今天还不能“%(step)s”：%(why)s") % {
            "step": step.label, "why": gettext("；").join(m + bracketed(r) for r, m in held[step.key])}
        status = 409
    elif not offered:
        refusal = gettext("案件当前状态“%(status)s”不能进行“%(step)s”") % {"status": case.get_status_display(),
                                                                      "step": step.label}
        status = 409
    elif request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                text = step.run(request.user, case, form.cleaned_data, request.FILES)
            except ApplicationError as exc:
                if exc.status_code == 403:
                    raise PermissionDenied(exc.message) from None
                _errors_into_form(form, exc)
            else:
                messages.success(request, text)
                return redirect("cases:case", case.pk)
    approval = steps_.request_for(case, step)
    extension = None
    if approval is not None and approval.kind == CaseApproval.Kind.EXTENSION:  # what the head's approval would do
        now = S.decision_due(case)
        extension = {"days": approval.details.get("days"), "due": now.due, "further": now.extensions > 0,
                     "after": now.after(approval.details.get("days", 0))}
    return render(request, "cases/step.html", {"c": case, "step": step, "form": form, "offered": offered,
                                               "refusal": refusal, "approval": approval, "extension": extension,
                                               "limitation_review": selectors.limitation_review_of(approval)},
                  status=status)


def _department_of(user):
    return user.department or (user.team.department if user.team_id else None)


@login_required
@handle_application_errors
def case_new(request):
    """案件来源登记: a clue, typed in or opened from one or more events (?event=ID&event=ID)."""
    user = request.user
    if not S.may_open_cases(user):
        raise PermissionDenied(gettext("只有执法人员可以登记案件"))
    ids = request.POST.getlist("event") if request.method == "POST" else request.GET.getlist("event")
    try:
        events = [access_event(user=user, pk=int(i)) for i in ids]
    except ValueError:
        raise Http404 from None
    departments, items = selectors.open_choices(user, _department_of(user), timezone.localdate())
    initial = {"department": departments.first()}
    if events:
        e = events[0]
        received = timezone.localtime(e.received_at).date()
        initial.update(cause=e.title or e.text[:40], location=e.address or " ".join(
            filter(None, [e.town.name if e.town_id else "", f"({e.lng:.5f}, {e.lat:.5f})" if e.lng is not None else ""])), summary="\n".join(mask_identifiers(x.text) if x.confidential else x.text for x in events),
                       act_date=timezone.localtime(e.occurred_at).date() if e.occurred_at else received,
                       discovery_date=received,
                       source="；".join(f"{recorded_display(x, 'channel')} {x.ticket}" for x in events))
        if e.item_id and items.filter(pk=e.item_id).exists():
            initial["item"] = e.item_id
    form = OpenForm(request.POST or None, initial=initial, departments=departments, items=items)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = S.case_open(
                    actor=user, department=d["department"], item=d["item"], party_kind=d["party_kind"],
                    party_name=d["party_name"], party_code=d["party_code"], party_address=d["party_address"],
                    party_phone=d["party_phone"], cause=d["cause"], act_date=d["act_date"],
                    discovery_date=d["discovery_date"], location=d["location"], source=d["source"],
                    summary=d["summary"], events=events, town=events[0].town if events else user.town)
            except ApplicationError as exc:
                if exc.status_code == 403:
                    raise PermissionDenied(exc.message) from None
                _errors_into_form(form, exc)
            else:
                messages.success(request, gettext("线索已登记，请指派两名以上持证执法人员并核查立案"))
                return redirect("cases:case", case.pk)
    return render(request, "cases/new.html", {"form": form, "events": events,
                                              "confidential": any(e.confidential for e in events)}, status=status)


SPOT_ITEMS = 400


@login_required
def spot_form(request):
    """The simple procedure on a phone: one screen, a 200-yuan case in under two minutes — typed in, or made on
    the reports the officers were sent to (?event=ID), which the decision is then linked to."""
    user = request.user
    if not S.may_open_cases(user):
        raise Http404
    dept = _department_of(user)
    team_officers = Officer.objects.filter(team=user.team, is_auxiliary=False, active=True) if user.team_id else \
        Officer.objects.none()
    # the body's items, 400 at most on a phone: a search (code or words of the name) finds any other
    q = request.GET.get("q", "").strip()[:60]
    held = selectors.spot_items(dept) if dept else EnforcementItem.objects.none()
    if q:
        held = held.filter(Q(code__startswith=q) | Q(name__icontains=q))
    items_total = held.count()
    items = list(held[:SPOT_ITEMS])
    ids = request.POST.getlist("event") if request.method == "POST" else request.GET.getlist("event")
    try:
        events = [access_event(user=user, pk=int(i)) for i in ids]
    except ValueError:
        raise Http404 from None
    prefill, unfit = {}, None
    if events:
        e = events[0]
        prefill = {"violation": mask_identifiers(e.title or e.text[:40]) if e.confidential else e.title or e.text[:40],
                   "place": e.address or (e.town.name if e.town_id else ""), "item": e.item_id}
        if dept and e.item_id and e.item_id not in {i.pk for i in items}:  # the report's item, if it can be decided
            fit = list(selectors.spot_items(dept).filter(pk=e.item_id))
            items = [*fit, *items]
            if not fit and selectors.items_for_department(dept).filter(pk=e.item_id).exists():
                unfit = e.item  # the body's, but not for the simple procedure: the page says so and offers 立案
    for i in items:  # what the item's law lets the decision give, beside its name
        i.spot_hint = rules.spot_penalty_hint(penalty_types=i.penalty_types, fine_tiers=i.fine_tiers)
    status = 200
    if request.method == "POST":
        p = request.POST
        try:
            try:
                fine = Decimal(p.get("fine") or "0") if p.get("fine") else None
            except InvalidOperation:
                raise ValidationFailed(gettext("罚款金额应为数字"), errors={"fine": [gettext("罚款金额应为数字")]}) from None
            officers = chosen_many(Officer.objects.all(), p.getlist("officers"), field="officers",
                                   message=gettext("请从列表中选择执法人员"))
            item = chosen(EnforcementItem.objects.all(), p.get("item"), field="item",
                          message=gettext("请从列表中选择执法事项"))
            case = S.spot_decide(
                actor=user, department=dept, item=item,
                party_kind=p.get("party_kind", PartyKind.PERSON), party_name=p.get("party_name", ""),
                party_code=p.get("party_code", ""), party_address=p.get("party_address", ""),
                violation=p.get("violation", "").strip() or item.name, place=p.get("place", ""), at=timezone.now(),
                officers=officers,
                types=["fine"] if fine else ["warning"], fine=fine,
                collected_on_spot=bool(p.get("collected")), receipt_no=p.get("receipt_no", ""),
                party_refused_to_sign=bool(p.get("refused")), refusal_note=p.get("refusal_note", ""),
                town=events[0].town if events else user.town, events=events)
        except ApplicationError as exc:
            messages.error(request, errors_as_text(exc))
            status = 422
            # what the officer typed stays on the form, to be corrected rather than typed again on a phone
            prefill = {k: p.get(k, "") for k in ("party_kind", "party_name", "party_code", "party_address",
                                                 "violation", "place", "fine", "receipt_no", "refusal_note")}
            prefill.update(item=int(p["item"]) if p.get("item", "").isdigit() else None,
                           officers=[int(o) for o in p.getlist("officers") if o.isdigit()],
                           collected=bool(p.get("collected")), refused=bool(p.get("refused")))
        else:
            messages.success(request, gettext("已作出当场处罚决定 %(number)s，请打印或出示决定书交付当事人") % {"number": case.number})
            return redirect("cases:case", case.pk)
    return render(request, "cases/spot.html", {"items": items, "officers": team_officers, "me": getattr(user, "officer", None),
                                               "dept": dept, "now": dt.datetime.now(), "events": events,
                                               "prefill": prefill, "q": q, "items_total": items_total,
                                               "items_shown": SPOT_ITEMS, "unfit": unfit}, status=status)


def published_list(request):
    """处罚决定公开 (SX-3) — public, no login: the published decisions in their display period."""
    q = request.GET.get("q", "")[:100]
    rows = selectors.published_decisions(on=timezone.localtime(clock.now()).date(), q=q)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "cases/published_list.html", {"page": page, "q": q,
                                                         "querystring": urlencode({"q": q}) if q else ""})


def published_detail(request, pk: int):
    """One published decision, redacted (SX-3, XF-050); gone once withdrawn or out of its display period."""
    pub = selectors.published_decisions(on=timezone.localtime(clock.now()).date()).filter(pk=pk).first()
    if pub is None:
        raise Http404(gettext("没有这份公开的处罚决定"))
    return render(request, "cases/published_detail.html", {"p": pub, "c": pub.case})


def device_list(request):
    """XF-041: the published locations of electronic monitoring devices — public, no login."""
    devices = MonitoringDevice.objects.filter(active=True, published_on__isnull=False).select_related(
        "department", "town").order_by("town__code", "code")
    return render(request, "cases/devices.html", {"devices": devices})


@login_required
def cooperation(request):
    """ZJ-034-036-037: the guidance office's view of assistance requests and how they were answered, and of the
    departments' referrals (部门移送, ZJ-016) and how the receiving bodies answered them."""
    if not (request.user.is_superuser or request.user.role in (Role.GUIDANCE, Role.LEADER)):
        raise Http404
    now = timezone.now()
    return render(request, "cases/cooperation.html", {"rows": selectors.cooperation_report(now),
                                                      "referrals": selectors.referral_report(now),
                                                      "referrers": selectors.referral_timeliness(),
                                                      "referral_days": config_get(
                                                          "referral.business_to_enforcement.max_working_days")})


@login_required
def referral_ledger(request):
    """移送台账 (ZJ-016, 管罚衔接): a department's referrals and what became of each — its supervisors see their own
    department's; the guidance office and county leaders any referring department's (``?department=``)."""
    from intake.choices import Channel
    from intake.models import Event, referring_department

    user = request.user
    county = user.is_superuser or user.role in (Role.GUIDANCE, Role.LEADER)
    if county:
        referrers = Department.objects.filter(pk__in=Event.objects.filter(channel=Channel.REFERRAL).annotate(
            r=referring_department()).values("r")).order_by("code")
        wanted = request.GET.get("department") or (str(referrers[0].pk) if referrers else "")
        department = referrers.filter(pk=wanted).first() if wanted.isdigit() else None
        if wanted and department is None:
            raise Http404
    elif user.role == Role.DEPT_SUPERVISOR and user.department_id:
        referrers, department = [], user.department
    else:
        raise Http404
    state = request.GET.get("state", "")
    if state and state not in selectors.LEDGER_STATES:
        raise Http404
    rows, counts, page = [], None, None
    if department is not None and request.GET.get("export") == "csv":  # the whole list, for a spreadsheet
        events, _counts = selectors.referral_ledger(department.pk, state)
        S.referral_ledger_export_record(actor=user, department=department, state=state, count=events.count())
        response = StreamingHttpResponse(stream_csv(selectors.LEDGER_HEADER,
                                                    selectors.ledger_export_rows(events, department.pk)),
                                         content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="referrals-{department.code}-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response
    if department is not None:
        events, counts = selectors.referral_ledger(department.pk, state)
        page = Paginator(events, 50).get_page(request.GET.get("page"))
        rows = selectors.ledger_rows(page.object_list, department.pk)
    def query(s):
        return urlencode({k: v for k, v in (("department", department.pk if referrers and department else ""),
                                             ("state", s)) if v})

    states = [("", gettext("全部")), ("in_case", gettext("立案办理")), ("in_hand", gettext("办理中未立案")),
              ("ended", gettext("未立案已办结"))]
    return render(request, "cases/referral_ledger.html", {
        "department": department, "referrers": referrers, "counts": counts, "rows": rows, "page": page,
        "states": [(label, query(s), s == state) for s, label in states], "querystring": query(state)})


@login_required
def assistance_list(request):
    """协助请求 (XF-026, ZJ-017): what the user's bodies were asked to assist with and what they answered (its
    officers and supervisors answer, its head reads) — an open
    request links to its case, where it is answered; an answered one shows the answer, its case no longer theirs
    to see."""
    user = request.user
    if not (user.is_superuser or user.role in ASSIST_ANSWERERS or user.role == Role.AGENCY_HEAD):
        raise Http404
    page = Paginator(selectors.assistance_received(user), 50).get_page(request.GET.get("page"))
    return render(request, "cases/assistance.html", {"page": page, "now": timezone.now(),
                                                     "answers": user.is_superuser or user.role in ASSIST_ANSWERERS})


def public_procedure(request):
    """行政处罚程序与当事人权利 (SX-1; 行政处罚法 第三十九条): public, no login — the procedure and the party's
    rights with the periods and thresholds the guards and timers apply today (``cases.rules.party_guide``)."""
    today = timezone.localdate()
    return render(request, "cases/public_procedure.html", {"today": today, "g": rules.party_guide(today)})


def public_statement(request):
    """网上陈述申辩 (XF-041, ZJ-005): public, no login — the party opens its 告知书 by number and 核验码, sees what is
    proposed and by when it may answer, and sends its statement or its request for a hearing. The case's officers
    record it with their 复核 before any decision (``S.party_submit``)."""
    opened = NoticeOpenForm(request.POST or request.GET or None)
    notice = S.notice_for_party(number=opened.cleaned_data["number"], code=opened.cleaned_data["code"]) \
        if opened.is_bound and opened.is_valid() else None
    if opened.is_bound and opened.is_valid() and notice is None:
        opened.add_error("code", gettext("未查到编号和核验码都相符的行政处罚告知书，请核对告知书上的编号和核验码"))
    form, received, status = None, None, 200
    open_kinds = [k for k in SubmissionKind if notice is not None and S.submission_blocker(notice, k) is None]
    if notice is not None:
        form = PartySubmissionForm(request.POST if request.method == "POST" else None,
                                   initial={"number": notice.number, "code": notice.check_code,
                                            "kind": open_kinds[0].value if open_kinds else None})
        form.fields["kind"].choices = [(k.value, k.label) for k in open_kinds]
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                received = S.party_submit(number=d["number"], code=d["code"], kind=d["kind"], text=d["text"],
                                          contact=d["contact"])
            except ApplicationError as exc:
                _errors_into_form(form, exc)
                status = 429 if isinstance(exc, TooManyRequests) else 422
        elif request.method == "POST":
            status = 422
    blocked = S.submission_blocker(notice, SubmissionKind.REPRESENTATION) if notice is not None else None
    return render(request, "cases/public_statement.html", {
        "opened": opened, "notice": notice, "c": notice.case if notice else None, "form": form, "received": received,
        "open_kinds": open_kinds, "blocked": blocked}, status=status if opened.is_valid() or not opened.is_bound else 400)


def public_verify(request):
    """执法文书核验 (SX-2): public, no login — whether a document a party holds was issued here, and to them.
    Guards against forged penalty documents: it never says to whom a document was issued."""
    form = DocumentCheckForm(request.GET or None)
    result = selectors.document_check(number=form.cleaned_data["number"], code=form.cleaned_data["code"],
                                      party=form.cleaned_data["party"]) if form.is_valid() else None
    return render(request, "cases/public_verify.html", {"form": form, "result": result})


import datetime as dt
import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases import documents as docs
from cases import selectors
from cases import services as S
from cases.choices import CaseStatus, PartyKind
from cases.models import Document
from catalogue.models import EnforcementItem
from core.exceptions import ApplicationError
from core.http import errors_as_text, handle_application_errors
from org.choices import Role
from org.models import Officer


@login_required
@handle_application_errors
def workbench(request):
    today = timezone.localdate()
    qs = selectors.cases_visible_to(request.user)
    return render(request, "cases/workbench.html", {
        "mine": selectors.my_cases(request.user)[:50], "due_soon": selectors.due_soon(request.user, today)[:50],
        "overdue": selectors.overdue(request.user, today)[:50], "counts": selectors.status_counts(qs), "today": today})


@login_required
@handle_application_errors
def case_detail(request, pk):
    case = selectors.access_case(user=request.user, pk=pk)
    today = timezone.localdate()
    return render(request, "cases/case_detail.html", {
        "c": case, "deadlines": S.case_deadlines(case), "transitions": case.transitions.all(),
        "documents": case.documents.all(), "evidence": case.evidence.prefetch_related("collected_by"),
        "acts": case.acts.prefetch_related("officers"), "officers": case.case_officers.select_related("officer"),
        "next_steps": selectors.next_steps(case, today), "today": today,
        "surcharge": S.current_surcharge(case, today) if case.final_fine else None,
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
def review_queue(request):
    if not (request.user.role == Role.LEGAL_REVIEWER or request.user.is_superuser):
        raise Http404
    return render(request, "cases/reviews.html", {"cases": selectors.review_queue()})


@login_required
def spot_form(request):
    """The simple procedure on a phone: one screen, a 200-yuan case in under two minutes."""
    user = request.user
    if user.role not in (Role.BUREAU_OFFICER, Role.PRO_OFFICER, Role.TOWN_OFFICER) and not user.is_superuser:
        raise Http404
    dept = user.department or (user.team.department if user.team_id else None)
    team_officers = Officer.objects.filter(team=user.team, is_auxiliary=False, active=True) if user.team_id else \
        Officer.objects.none()
    items = EnforcementItem.objects.filter(holdings__department=dept).distinct().order_by("code")[:400] if dept else []
    if dept and dept.kind == "town":
        items = EnforcementItem.objects.filter(delegations__town=dept.region, delegations__valid_to__isnull=True) \
            .distinct().order_by("code")[:400]
    if request.method == "POST":
        p = request.POST
        try:
            fine = Decimal(p.get("fine") or "0") if p.get("fine") else None
            officers = list(Officer.objects.filter(pk__in=p.getlist("officers")))
            item = get_object_or_404(EnforcementItem, pk=p.get("item"))
            case = S.spot_decide(
                actor=user, department=dept, item=item,
                party_kind=p.get("party_kind", PartyKind.PERSON), party_name=p.get("party_name", ""),
                party_code=p.get("party_code", ""), party_address=p.get("party_address", ""),
                violation=p.get("violation", "").strip() or item.name, place=p.get("place", ""), at=timezone.now(),
                officers=officers,
                types=["fine"] if fine else ["warning"], fine=fine,
                collected_on_spot=bool(p.get("collected")), receipt_no=p.get("receipt_no", ""),
                party_refused_to_sign=bool(p.get("refused")), refusal_note=p.get("refusal_note", ""),
                town=user.town)
        except (InvalidOperation, ValueError):
            messages.error(request, "罚款金额应为数字")
        except ApplicationError as exc:
            messages.error(request, errors_as_text(exc))
        else:
            messages.success(request, f"已作出当场处罚决定 {case.number}，请打印或出示决定书交付当事人")
            return redirect("cases:case", case.pk)
    return render(request, "cases/spot.html", {"items": items, "officers": team_officers, "me": getattr(user, "officer", None),
                                               "dept": dept, "now": dt.datetime.now()})

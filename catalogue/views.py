import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from catalogue import selectors, services
from catalogue.choices import PenaltyType
from catalogue.forms import CandidateAcceptForm, CandidateRejectForm, EntrustmentForm, ItemFilterForm
from catalogue.models import ClauseCandidate, Law
from core.http import as_pk, form_errors_as_text, handle_application_errors, safe_next
from org.access import has_perm, require
from org.models import Department
from org.selectors import towns


def _date(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        return dt.date.today()


@handle_application_errors
def item_list(request):
    """执法事项目录: public (SX-1 事前公开; XF-034: the 裁量基准 are published), read-only, no login."""
    form = ItemFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    on = data.get("on") or dt.date.today()
    qs = selectors.item_search(
        query=data.get("q") or "", domain_id=data["domain"].pk if data.get("domain") else None,
        holder_id=data["holder"].pk if data.get("holder") else None,
        town_id=data["town"].pk if data.get("town") else None, on=on,
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    ctx = {"form": form, "page": page, "on": on, "penalty_labels": dict(PenaltyType.choices),
           "perms_catalogue_view": has_perm(request.user, "catalogue.view"),
           "querystring": request.GET.urlencode().replace("page=", "_p=")}
    template = "catalogue/_item_rows.html" if request.htmx else "catalogue/item_list.html"
    return render(request, template, ctx)


@handle_application_errors
def item_detail(request, code):
    """One item as published: its wording, penalties, legal basis with the articles' text, holders and
    delegations (with their history) and its 裁量基准 — public, like the list."""
    item = selectors.item_detail(code=code)
    if item is None:
        raise Http404("事项不存在")
    on = _date(request.GET.get("on"))
    return render(request, "catalogue/item_detail.html", {
        "item": item, "on": on, "holders": selectors.holders_on(item, on), "towns_on": selectors.towns_on(item, on),
        "penalty_labels": dict(PenaltyType.choices),
    })


@handle_application_errors
def law_list(request):
    """The laws behind the catalogue, with their text: public."""
    return render(request, "catalogue/law_list.html", {"laws": selectors.law_list()})


@handle_application_errors
def law_detail(request, pk):
    law = get_object_or_404(Law, pk=pk)
    chapters = law.chapters.prefetch_related("articles")
    loose = law.articles.filter(chapter__isnull=True)
    return render(request, "catalogue/law_detail.html", {"law": law, "chapters": chapters, "loose": loose})


@handle_application_errors
def article_detail(request, law_id, number):
    article = selectors.article_get(law_id, number)
    if article is None:
        raise Http404("法条不存在")
    items = article.items.select_related("domain").order_by("code")
    return render(request, "catalogue/article_detail.html", {"article": article, "items": items})


@login_required
@handle_application_errors
def candidate_queue(request):
    require(request.user, "catalogue.review_candidates")
    status = request.GET.get("status", "pending")
    law_id = request.GET.get("law")
    qs = selectors.candidate_queue(status=status, law_id=int(law_id) if law_id and law_id.isdigit() else None)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "catalogue/candidates.html", {
        "page": page, "status": status, "laws": Law.objects.order_by("short_title"), "law_id": law_id,
        "accept_form": CandidateAcceptForm(), "penalty_labels": dict(PenaltyType.choices),
    })


@login_required
@require_POST
@handle_application_errors
def candidate_accept(request, pk):
    require(request.user, "catalogue.review_candidates")
    candidate = get_object_or_404(ClauseCandidate, pk=pk)
    form = CandidateAcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_as_text(form))
        return redirect("catalogue:candidates")
    d = form.cleaned_data
    item = services.candidate_accept(
        actor=request.user, candidate=candidate, domain=d["domain"], holder=d["holder"],
        holder_team=d.get("holder_team"), effective_date=d["effective_date"], name=d.get("name") or None,
        supervising_department=d.get("supervising_department"), note=d.get("note") or "",
    )
    messages.success(request, gettext("已采纳为事项 %(code)s") % {"code": item.code})
    return redirect(safe_next(request, "catalogue:candidates"))


@login_required
@require_POST
@handle_application_errors
def candidate_reject(request, pk):
    require(request.user, "catalogue.review_candidates")
    candidate = get_object_or_404(ClauseCandidate, pk=pk)
    form = CandidateRejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请填写驳回理由"))
        return redirect("catalogue:candidates")
    services.candidate_reject(actor=request.user, candidate=candidate, reason=form.cleaned_data["reason"])
    messages.success(request, gettext("已驳回"))
    return redirect(safe_next(request, "catalogue:candidates"))


@login_required
@handle_application_errors
def coverage(request):
    require(request.user, "catalogue.coverage")
    on = _date(request.GET.get("on"))
    years = request.GET.get("years")
    result = selectors.coverage(on=on, dormant_years=int(years) if years and years.isdigit() else None)
    return render(request, "catalogue/coverage.html", {"c": result, "dormant_preview": result.dormant[:50]})


@login_required
@handle_application_errors
def history(request):
    require(request.user, "catalogue.view")
    on = _date(request.GET.get("on"))
    return render(request, "catalogue/history.html", {
        "state": selectors.catalogue_state_on(on), "changes": selectors.changes_list(), "on": on,
        "departments": Department.objects.order_by("code"), "towns": towns(),
    })


def entrustments(request):
    """委托 (XF-020-021): the published entrustments — public; the guidance office registers and ends them."""
    from catalogue.models import Entrustment
    from core.exceptions import ApplicationError

    manage = has_perm(request.user, "catalogue.manage")
    form = EntrustmentForm(request.POST or None) if manage else None
    status = 200
    if request.method == "POST":
        if not manage:
            raise Http404
        status = 422
        if request.POST.get("revoke"):
            e = get_object_or_404(Entrustment, pk=as_pk(request.POST["revoke"]))
            try:
                services.entrustment_revoke(actor=request.user, entrustment=e, on=_date(request.POST.get("on")),
                                            reason=request.POST.get("reason", ""))
            except ApplicationError as exc:
                messages.error(request, exc.message + " " + "；".join(m for ms in exc.errors.values() for m in ms))
            else:
                messages.success(request, gettext("已终止委托 %(no)s") % {"no": e.instrument_no})
            return redirect("catalogue:entrustments")
        if form.is_valid():
            d = form.cleaned_data
            try:
                e = services.entrustment_create(
                    actor=request.user, principal=d["principal"], agent=d["agent"], items=d["item_codes"],
                    powers=d["powers"], instrument_no=d["instrument_no"], valid_from=d["valid_from"],
                    valid_to=d["valid_to"], published_on=d["published_on"], public_url=d["public_url"])
            except ApplicationError as exc:
                for field, msgs in exc.errors.items():
                    form.add_error("item_codes" if field == "items" else field if field in form.fields else None,
                                   list(msgs))
                form.add_error(None, exc.message)
            else:
                messages.success(request, gettext("已登记委托 %(no)s") % {"no": e.instrument_no})
                return redirect("catalogue:entrustments")
    rows = Entrustment.objects.select_related("principal", "agent").prefetch_related("items")
    in_force = set(selectors.entrustments_in_force(dt.date.today()).values_list("pk", flat=True))
    return render(request, "catalogue/entrustments.html", {"rows": rows, "form": form, "today": dt.date.today(),
                                                            "in_force": in_force}, status=status)


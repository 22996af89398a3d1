from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from core.http import handle_application_errors
from org.access import require
from org.selectors import towns
from parties.access import access_enterprise, enterprises_visible_to
from parties.models import RiskClass


@login_required
@handle_application_errors
def enterprise_list(request):
    require(request.user, "parties.view")
    qs = enterprises_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    town = request.GET.get("town", "")
    risk = request.GET.get("risk", "")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__startswith=q.upper()) | Q(legacy_reg_no__startswith=q)
                       | Q(address__icontains=q) | Q(legal_representative=q))
    if town.isdigit():
        qs = qs.filter(town_id=int(town))
    if risk in RiskClass.values:
        qs = qs.filter(risk_class=risk)
    page = Paginator(qs.order_by("name", "pk"), 30).get_page(request.GET.get("page"))
    return render(request, "parties/enterprise_list.html", {
        "page": page, "q": q, "town": town, "risk": risk, "towns": towns(), "risks": RiskClass.choices,
    })


@login_required
@handle_application_errors
def enterprise_detail(request, pk):
    require(request.user, "parties.view")
    ent = access_enterprise(user=request.user, pk=pk)
    return render(request, "parties/enterprise_detail.html", {"e": ent})

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from core.http import as_pk, handle_application_errors
from org import selectors
from org.access import require
from org.choices import RegionLevel
from org.models import Region


@login_required
@handle_application_errors
def structure(request):
    require(request.user, "org.view")
    regions = Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP]).exclude(boundary=None)
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": r.boundary,
         "properties": {"name": r.name, "level": r.level, "approximate": r.boundary_approximate}}
        for r in regions
    ]}
    return render(request, "org/structure.html", {
        "county": selectors.county(), "districts": selectors.districts_with_towns(),
        "departments": selectors.department_list(), "teams": selectors.team_list(user=request.user),
        "geojson": geo,
    })


@login_required
@handle_application_errors
def officer_list(request):
    require(request.user, "org.view")
    from django.utils import timezone

    from core.config import config_get

    team_id = request.GET.get("team")
    renew = request.GET.get("cert") == "renew"  # 执法证已过期或即将到期
    warn_days = config_get("org.certificate_warn_days")
    qs = selectors.officer_list(user=request.user, team_id=int(team_id) if team_id and team_id.isdigit() else None,
                                query=request.GET.get("q", "").strip(),
                                lapsing_before=timezone.localdate() + dt.timedelta(days=warn_days) if renew else None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "org/officers.html", {"page": page, "teams": selectors.team_list(user=request.user),
                                                 "team_id": team_id, "q": request.GET.get("q", ""), "renew": renew,
                                                 "warn_days": warn_days})


def officer_register(request):
    """执法人员公示 (SX-1): public, no login — who may enforce here, and whether a certificate is valid."""
    from django.utils import timezone

    today = timezone.localdate()
    q = request.GET.get("q", "").strip()[:50]
    department = as_pk(request.GET.get("department"))
    qs = selectors.officer_register(query=q, department_id=department, on=today)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    bodies = selectors.enforcement_departments()
    return render(request, "org/officer_register.html", {
        "page": page, "q": q, "department": department, "bodies": bodies, "today": today,
        "querystring": urlencode({k: v for k, v in (("q", q), ("department", department or "")) if v})})



from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from core.http import handle_application_errors
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
    team_id = request.GET.get("team")
    qs = selectors.officer_list(user=request.user, team_id=int(team_id) if team_id and team_id.isdigit() else None,
                                query=request.GET.get("q", "").strip())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "org/officers.html", {"page": page, "teams": selectors.team_list(user=request.user),
                                                 "team_id": team_id, "q": request.GET.get("q", "")})

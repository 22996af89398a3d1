from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from catalogue.models import ClauseCandidate, EnforcementItem, Law
from org.access import has_perm
from org.models import Officer, Region, Team
from parties.access import enterprises_visible_to


@login_required
def home(request):
    user = request.user
    stats = {}
    if has_perm(user, "catalogue.view"):
        stats["items"] = EnforcementItem.objects.count()
        stats["laws"] = Law.objects.count()
        stats["domains"] = EnforcementItem.objects.values("domain").distinct().count()
    if has_perm(user, "org.view"):
        stats["teams"] = Team.objects.filter(active=True).count()
        stats["officers"] = Officer.objects.filter(active=True, is_auxiliary=False).count()
        stats["towns"] = Region.objects.filter(level="township").count()
    if has_perm(user, "parties.view"):
        stats["enterprises"] = enterprises_visible_to(user).count()
    if has_perm(user, "catalogue.review_candidates"):
        stats["pending_candidates"] = ClauseCandidate.objects.filter(status="pending").count()
    return render(request, "core/home.html", {"stats": stats})

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

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
    from cases import selectors as case_selectors
    from dispatch.selectors import my_work

    today = timezone.localdate()
    work = my_work(user=user)
    work["case_overdue"] = case_selectors.overdue(user, today).count()
    work["case_due_soon"] = case_selectors.due_soon(user, today).count()
    return render(request, "core/home.html", {"stats": stats, "work": work})


@login_required
@require_POST
def notifications_read(request):
    from dispatch.services import notifications_mark_read

    count = notifications_mark_read(actor=request.user)
    messages.success(request, f"已将 {count} 条通知标为已读")
    return redirect("home")

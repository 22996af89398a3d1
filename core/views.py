from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from catalogue.models import ClauseCandidate, EnforcementItem, Law
from core.http import handle_application_errors
from core.models import Notification
from dispatch.access import FIELD_REPORTERS
from org.access import has_perm
from org.choices import Role
from org.models import Region, Team
from org.selectors import certificate_reminders, officer_register
from parties.access import enterprises_visible_to


@login_required
def home(request):
    user = request.user
    stats = {}
    if has_perm(user, "catalogue.view"):
        stats["item_count"] = EnforcementItem.objects.count()
        stats["laws"] = Law.objects.count()
        stats["domains"] = EnforcementItem.objects.values("domain").distinct().count()
    if has_perm(user, "org.view"):
        stats["teams"] = Team.objects.filter(active=True).count()
        # 持证: a certificate valid today, counted as the public register counts them (an expired card is not)
        stats["officers"] = officer_register(on=timezone.localdate()).count()
        stats["towns"] = Region.objects.filter(level="township").count()
    if has_perm(user, "parties.view"):
        stats["enterprises"] = enterprises_visible_to(user).count()
    if has_perm(user, "catalogue.review_candidates"):
        stats["pending_candidates"] = ClauseCandidate.objects.filter(status="pending").count()
    from cases import selectors as case_selectors
    from dispatch.selectors import my_work

    today = timezone.localdate()
    work = my_work(user=user)
    if case_selectors.counts_case_deadlines(user):  # the cases they handle, or their body's for a head
        work["case_overdue"] = case_selectors.overdue(user, today).count()
        work["case_due_soon"] = case_selectors.due_soon(user, today).count()
    work["head_decisions"] = len(case_selectors.awaiting_head(user))
    work["to_review"] = case_selectors.review_queue().count() if has_perm(user, "cases.legal_review") else 0
    from cases.choices import HANDLER_ROLES

    work["answers_owed"] = case_selectors.with_result_labels(case_selectors.answers_owed(user)[:10]) if user.role in HANDLER_ROLES else []
    assists = case_selectors.assistance_owed(user)
    work["assists"], work["assists_count"] = list(assists[:10]), assists.count()
    from intake.choices import PUBLIC_STEP_TEXT
    from intake.selectors import my_reports

    certs = certificate_reminders(user=user, on=today)
    reports = my_reports(user=user)
    for e in reports.latest:  # a citizen is told the step as the ticket page tells it, not the internal state
        e.shown_status = PUBLIC_STEP_TEXT.get(e.status) if user.role == Role.CITIZEN else e.get_status_display()
    return render(request, "core/home.html", {"stats": stats, "work": work, "reports": reports, "certs": certs,
                                              "can_report": user.role in FIELD_REPORTERS,
                                              "is_citizen": user.role == Role.CITIZEN,
                                              "is_grid_worker": user.role == Role.GRID_WORKER})


@login_required
@require_POST
@handle_application_errors
def notifications_read(request, pk: int | None = None):
    """Mark all of the user's unread notifications read, or one (``pk``); back to where the user was."""
    from dispatch.services import notifications_mark_read

    count = notifications_mark_read(actor=request.user, pk=pk)
    if pk is None:
        messages.success(request, gettext("已将 %(count)s 条通知标为已读") % {"count": count})
    back = request.POST.get("next", "")
    return redirect(back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else "home")


@login_required
def notification_list(request):
    """Every notification addressed to the user or the bodies they act for, newest first: 督办 history
    as well as what is unread."""
    from dispatch.selectors import notification_history

    level = request.GET.get("level", "")
    unread_only = bool(request.GET.get("unread"))
    rows = notification_history(user=request.user, level=level if level in Notification.Level.values else "",
                                unread_only=unread_only)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/notifications.html", {
        "page": page, "level": level, "unread_only": unread_only, "levels": Notification.Level.choices,
        "querystring": query.urlencode()})


def public_disclosure(request):
    """执法公示 (SX-1 事前公开; 行政处罚法 第三十四条、第三十九条; 浙江条例 第三十七条): public, no login — who
    enforces what here, on which basis and by which officers, and where each published list is."""
    from catalogue.selectors import enforcement_bodies

    today = timezone.localdate()
    return render(request, "core/public_disclosure.html", {
        "today": today, "bodies": enforcement_bodies(today), "officers": officer_register(on=today).count()})


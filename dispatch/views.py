import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.config import config_get
from core.exceptions import ApplicationError, ValidationFailed
from core.http import (
    as_pk,
    chosen,
    chosen_many,
    errors_as_text,
    errors_into_form,
    handle_application_errors,
    stored_file_response,
)
from core.records import record_language
from core.tabular import write_csv
from dispatch import selectors, services
from dispatch.access import (
    departments_acted_for,
    departments_worked_for,
    is_command,
    sees_campaign_photos,
    sees_county,
)
from dispatch.forms import CampaignForm, PeriodForm
from dispatch.models import Campaign, CampaignTask, CampaignTaskPhoto, Instruction, Whistle
from intake.models import EventCategory
from intake.services import NewAttachment
from org.choices import RegionLevel, Role, TeamKind
from org.models import Department, Region


def _map_geojson() -> dict:
    regions = Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP]).exclude(boundary=None)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": r.boundary, "properties": {"name": r.name, "level": r.level,
                                                                  "approximate": r.boundary_approximate}}
        for r in regions]}


@login_required
@handle_application_errors
def command_centre(request):
    """The operator's all-day page: map, queues, today's counts; the panels refresh themselves."""
    if not sees_county(request.user):
        raise Http404
    snap = selectors.command_snapshot(user=request.user)
    if request.htmx:
        return render(request, "dispatch/_panels.html", {"s": snap})
    return render(request, "dispatch/command.html", {"s": snap, "geojson": _map_geojson(),
                                                     "periods": selectors.MAP_PERIODS,
                                                     "categories": EventCategory.objects.order_by("code")})


@login_required
@handle_application_errors
def performance(request):
    """考评: how each body signs for and answers its instructions, ranked fairly. The command centre and
    county leaders see every body; anyone else the bodies they act for."""
    user = request.user
    county_wide = sees_county(user)
    bodies = None if county_wide else departments_acted_for(user)
    if bodies is not None and not bodies.exists():
        raise Http404
    form = PeriodForm.from_query(request.GET)
    rows, period = [], None
    if form.is_valid():
        start, end = form.bounds()
        rows = selectors.body_performance(start=start, end=end, departments=bodies)
        period = (form.cleaned_data["start"], form.cleaned_data["end"])
    if request.GET.get("format") == "csv" and form.is_valid():
        return _performance_csv(rows, period)
    query = request.GET.copy()
    query["format"] = "csv"
    return render(request, "dispatch/performance.html", {
        "form": form, "rows": rows, "period": period, "county_wide": county_wide, "csv_query": query.urlencode(),
        "min_sample": config_get("dispatch.performance_min_sample")}, status=200 if form.is_valid() else 400)


def _performance_csv(rows, period) -> HttpResponse:
    """The 考评 table as CSV (UTF-8 with BOM for Excel), the same figures as the page."""
    header = [str(h) for h in (_("排名"), _("单位"), _("下达"), _("签收到期"), _("按时签收"), _("反馈到期"),
                               _("按时反馈"), _("置信下限"), _("反馈用时中位数（小时）"), _("退单"), _("流转"), _("督办"), _("群众申请重办"),
                               _("评价人数"), _("平均评价"))]
    body = write_csv(header, ([b.rank or "", b.department.name, b.issued, b.sign_due, b.signed_on_time, b.answer_due,
                               b.answered_on_time, "" if b.answer_lower is None else f"{b.answer_lower:.3f}",
                               "" if b.answer_hours_median is None else f"{b.answer_hours_median:.1f}", b.returned, b.transferred, b.escalated, b.reopened, b.rated,
                               "" if b.rating_avg is None else f"{b.rating_avg:.2f}"] for b in rows))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="performance-{period[0]:%Y%m%d}-{period[1]:%Y%m%d}.csv"'
    return response


@login_required
def event_points(request):
    if not sees_county(request.user):
        raise Http404
    period, category = request.GET.get("days", ""), request.GET.get("category", "")
    if period and (not period.isdigit() or int(period) not in selectors.MAP_PERIODS):
        return JsonResponse({"code": "invalid", "message": _("时间范围无效"), "errors": {
            "days": [_("应为 %(periods)s 之一或留空（在办）") % {"periods": "、".join(map(str, selectors.MAP_PERIODS))}]}},
            status=400)
    if category and not category.isdigit():
        return JsonResponse({"code": "invalid", "message": _("类别无效"), "errors": {"category": [_("应为类别编号")]}},
                            status=400)
    return JsonResponse(selectors.event_points(user=request.user, days=int(period) if period else None,
                                               category_id=int(category) if category else None))


@login_required
@handle_application_errors
def whistle_list(request):
    whistles = Whistle.objects.select_related("team", "town", "event").prefetch_related("calls__department")
    if request.user.role == Role.TOWN_OFFICER:
        whistles = whistles.filter(team=request.user.team)
    elif not (request.user.is_superuser or request.user.role in {Role.OPERATOR, Role.GUIDANCE, Role.LEADER}):
        whistles = whistles.filter(calls__department_id=request.user.department_id)
    towns = request.user.team.towns.all() if request.user.team_id else Region.objects.none()
    return render(request, "dispatch/whistles.html", {
        "whistles": whistles.order_by("-created_at")[:100], "towns": towns,
        "departments": Department.objects.filter(kind__in=["department", "bureau"]).order_by("code"),
        "can_blow": request.user.role == Role.TOWN_OFFICER,
        "my_departments": set(departments_worked_for(request.user).values_list("pk", flat=True)),
        "now": timezone.localtime() + dt.timedelta(hours=2)})


@login_required
@require_POST
def whistle_blow(request):
    p = request.POST
    try:
        town = chosen(Region.objects.all(), p.get("town"), field="town", message=_("请从列表中选择镇街"))
        depts = chosen_many(Department.objects.all(), p.getlist("departments"), field="departments",
                            message=_("请从列表中选择被呼叫的部门"))
        try:
            action_at = timezone.make_aware(dt.datetime.fromisoformat(p.get("action_at", "")))
        except ValueError:
            raise ValidationFailed(_("联合行动时间格式有误"), errors={"action_at": [_("联合行动时间格式有误")]}) from None
        services.whistle_blow(actor=request.user, title=p.get("title", ""), description=p.get("description", ""),
                              town=town, action_at=action_at, place=p.get("place", ""),
                              calls=[(d, p.get("task", "") or "参加联合行动") for d in depts])
        messages.success(request, _("已吹哨，被呼叫部门已收到通知"))
    except ApplicationError as exc:
        messages.error(request, errors_as_text(exc))
    return redirect("dispatch:whistles")


@login_required
@require_POST
def whistle_action(request, pk, action):
    whistle = get_object_or_404(Whistle, pk=pk)
    try:
        if action == "report":
            call = chosen(whistle.calls.all(), request.POST.get("call"), field="call", message=_("请选择报到的部门"))
            services.whistle_report(actor=request.user, call=call, note=request.POST.get("note", ""))
        elif action == "close":
            done = request.POST.getlist("done")
            if not all(x.isdigit() for x in done):
                raise ValidationFailed(_("完成任务的部门有误"), errors={"done": [_("无效的部门")]})
            services.whistle_close(actor=request.user, whistle=whistle, outcome=request.POST.get("outcome", ""),
                                   done_call_ids=[int(x) for x in done])
        else:
            raise Http404
        messages.success(request, _("已完成"))
    except ApplicationError as exc:
        messages.error(request, errors_as_text(exc))
    return redirect("dispatch:whistles")


@login_required
@handle_application_errors
def campaign_list(request):
    campaigns = Campaign.objects.prefetch_related("tasks__town", "tasks__team", "tasks__photos").select_related(
        "lead_department", "category").annotate(target_sum=Sum("tasks__target"), found_sum=Sum("tasks__found"),
                                                fixed_sum=Sum("tasks__fixed"))
    bodies = departments_worked_for(request.user)
    open_instructions = {i.campaign_task_id: i for i in Instruction.objects.filter(
        campaign_task__isnull=False, department__in=bodies,
        status__in=Instruction.OPEN).order_by("issued_at")}
    return render(request, "dispatch/campaigns.html", {"campaigns": campaigns, "user_team": request.user.team_id,
                                                       "open_instructions": open_instructions,
                                                       "can_command": is_command(request.user),
                                                       "sees_photos": sees_campaign_photos(request.user)})


def _campaign_towns():
    """Towns a campaign can task: those with an active town team (镇街综合执法队)."""
    return Region.objects.filter(level=RegionLevel.TOWNSHIP, teams__kind=TeamKind.TOWN,
                                 teams__active=True).distinct().order_by("code")


@login_required
@handle_application_errors
def campaign_new(request):
    """发起专项整治 (the command centre). Opened from a 热点预警 with ``?category=&town=&n=`` it is filled in
    with the category, a name and the reason; the operator sets the towns' targets."""
    if not is_command(request.user):
        raise Http404
    towns = _campaign_towns()
    initial = {"start": timezone.localdate(), "end": timezone.localdate() + dt.timedelta(days=30),
               "lead": Department.objects.filter(code="ZF").first()}
    # the hot-spot link's proposal; a link that names nothing proposes nothing (it was a server error)
    category = EventCategory.objects.filter(pk=as_pk(request.GET.get("category"))).first()
    if category:
        town = towns.filter(pk=as_pk(request.GET.get("town"))).first()
        with record_language():  # a proposed name and reason for the county's record, not the reader's page
            where = town.name if town else _("全县")
            initial.update(category=category, name=_("%(c)s专项整治") % {"c": category.name},
                           description=_("热点预警：%(where)s近期“%(c)s”报告 %(n)s 件，明显高于常态。") % {
                               "where": where, "c": category.name, "n": request.GET.get("n", "")[:6]})
    form = CampaignForm(request.POST or None, towns=towns, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=request.user, name=d["name"], description=d["description"], lead=d["lead"],
                start=d["start"], end=d["end"], targets=form.targets(), partners=list(d["partners"]),
                category=d["category"])
        except ValidationFailed as exc:
            errors_into_form(form, exc)
        else:
            messages.success(request, _("已发起专项整治“%(n)s”，%(k)s个镇街执法队已收到指令") % {
                "n": campaign.name, "k": campaign.tasks.count()})
            return redirect(f"{reverse('dispatch:campaigns')}#campaign-{campaign.pk}")
    status = 400 if request.method == "POST" else 200
    return render(request, "dispatch/campaign_new.html", {"form": form}, status=status)


@login_required
@require_POST
def campaign_finish(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        services.campaign_finish(actor=request.user, campaign=campaign, results=request.POST.get("results", ""))
        messages.success(request, _("专项整治已结束"))
    except ApplicationError as exc:
        messages.error(request, errors_as_text(exc))
    return redirect(f"{reverse('dispatch:campaigns')}#campaign-{campaign.pk}")


@login_required
@require_POST
def campaign_instruction(request, pk, action):
    """Sign for, or answer, a campaign task's instruction (it has no event page to do it on)."""
    instruction = get_object_or_404(Instruction, pk=pk, campaign_task__isnull=False)
    try:
        if action == "sign":
            services.instruction_sign(actor=request.user, instruction=instruction)
            messages.success(request, _("已签收"))
        elif action == "feedback":
            services.instruction_feedback(actor=request.user, instruction=instruction,
                                          outcome=request.POST.get("outcome", ""))
            messages.success(request, _("已反馈"))
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, errors_as_text(exc))
    return redirect("dispatch:campaigns")


@login_required
@require_POST
def campaign_progress(request, pk):
    task = get_object_or_404(CampaignTask, pk=pk)
    photos = [NewAttachment(f.name, f.read()) for f in request.FILES.getlist("photos")]
    try:
        services.campaign_task_update(actor=request.user, task=task, found=int(request.POST.get("found", 0)),
                                      fixed=int(request.POST.get("fixed", 0)), note=request.POST.get("note", ""),
                                      attachments=photos)
        messages.success(request, _("已更新进度"))
    except ValueError:
        messages.error(request, _("请填写数字"))
    except ApplicationError as exc:
        messages.error(request, errors_as_text(exc))
    return redirect("dispatch:campaigns")


@login_required
def campaign_photo(request, pk):
    """A campaign task's 整改照片, to staff (not MEDIA_URL: media is not served)."""
    if not sees_campaign_photos(request.user):
        raise Http404
    photo = get_object_or_404(CampaignTaskPhoto, pk=pk)
    return stored_file_response(photo.file, content_type=photo.content_type, filename=photo.original_name)

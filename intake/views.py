import functools
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import condition, require_POST

from cases.selectors import published_decisions, spot_outcome
from cases.services import may_open_cases
from core import clock
from core.config import config_get
from core.exceptions import ApplicationError, TooManyRequests, ValidationFailed
from core.forms import chosen_filters
from core.http import (
    as_pk,
    chosen,
    errors_as_text,
    errors_into_form,
    handle_application_errors,
    stored_file_response,
)
from core.models import Deadline
from core.privacy import redact_public
from core.tabular import stream_csv
from dispatch import services as dispatch
from dispatch.access import (
    FIELD_REPORTERS,
    access_event,
    acts_for,
    is_command,
    may_rule,
    may_verify,
    photo_publication_refused,
    report_channels,
    reporter_contact,
    works_for,
)
from dispatch.models import Dispute
from dispatch.routing import explained, transition_said
from dispatch.selectors import current_instruction, reopen_open, reopen_until
from intake.choices import MERGEABLE, STATE_CLOCKS, Channel, EventStatus, public_step
from intake.forms import EventFilterForm, PhotoPublishForm, PublicReportForm, ReportForm
from intake.models import Event, EventCategory
from intake.selectors import (
    EXPORT_HEADER,
    duplicate_candidates,
    event_export_rows,
    event_search,
    published_photos,
)
from intake.services import NewAttachment, event_export_record, event_submit
from org.choices import RegionLevel, Role
from org.models import Department, Region, Team


def _attachments(request) -> list[NewAttachment]:
    return [NewAttachment(f.name, f.read()) for f in request.FILES.getlist("photos")]


@login_required
@handle_application_errors
def report(request):
    """Grid worker's phone form: photo, GPS from the browser, category, text; a department supervisor's
    部门移送 (ZJ-016) on the same form."""
    if request.user.role not in FIELD_REPORTERS:
        raise Http404
    channels = report_channels(request.user)
    form = ReportForm(request.POST or None, request.FILES or None, channels=channels)
    as_json = request.headers.get("Accept") == "application/json"  # the page's offline queue sending
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        channel = d.get("channel") or channels[0]
        # a caller's report taken down by the command centre carries the caller; any other, the person filing
        call = channel == Channel.CITIZEN
        try:
            result = event_submit(channel=channel, actor=request.user, text=d["text"], title=d["title"], lng=d["lng"],
                                  lat=d["lat"], address=d["address"], town_code=request.user.town.code
                                  if request.user.town_id and d["lng"] is None else None,
                                  category_code=d["category"].code if d["category"] else None,
                                  priority=d["priority"],
                                  reporter_name=d.get("reporter_name", "") if call else str(request.user),
                                  reporter_phone=d.get("reporter_phone", "") if call else "",
                                  confidential=bool(d.get("confidential")) if call else False,
                                  attachments=_attachments(request), external_id=d["client_ref"],
                                  occurred_at=d["observed_at"], found_on=d.get("found_on"))
        except ValidationFailed as exc:
            errors_into_form(form, exc)
        else:
            event = result.event
            notice = (gettext("已受理 %(ticket)s") if result.created
                      else gettext("此前已受理 %(ticket)s（重复提交未新建）")) % {"ticket": event.ticket}
            if result.duplicate_of:
                notice += gettext("：与 %(ticket)s 为同一问题，已关联（附议）") % {"ticket": result.duplicate_of.ticket}
            if as_json:
                return JsonResponse({"ticket": event.ticket, "url": event.get_absolute_url(), "notice": notice,
                                     "created": result.created}, status=201 if result.created else 200)
            messages.success(request, notice)
            return redirect("intake:event", event.pk)
    if request.method == "POST" and as_json:
        return JsonResponse({"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, status=422)
    return render(request, "intake/report.html", {"form": form, "referral": channels == [Channel.REFERRAL], "queue_text": {
        "kept": gettext("本机暂存 %s 条报告，联网后自动提交"), "offline": gettext("（当前无网络）"),
        "photos": gettext("照片 %s 张"), "refused": gettext("未被受理："), "drop": gettext("删除"),
        "confirmDrop": gettext("删除这条暂存的报告？删除后无法恢复。"), "sent": gettext("已提交"),
        "saved": gettext("没有网络：报告已暂存在本机，联网后自动提交。可以继续上报下一条。"),
        "signin": gettext("登录已失效：报告已暂存在本机，请重新登录，之后打开本页即自动提交。"),
        "server": gettext("服务器暂时无法受理（%s）：报告已暂存在本机，稍后自动重试。")}})


@functools.cache
def _service_worker() -> tuple[str, str]:
    """The script and its ETag, read once per process (it changes only with a deployment)."""
    script = (settings.BASE_DIR / "static" / "js" / "report-sw.js").read_text(encoding="utf-8")
    return script, '"' + hashlib.sha256(script.encode()).hexdigest()[:32] + '"'


@condition(etag_func=lambda request: _service_worker()[1])
def report_service_worker(request):
    """The report page's service worker, served from the page's own path so it may control it offline.
    ``no-cache`` makes every phone ask on each visit; the ETag lets the answer be a bodiless 304."""
    response = HttpResponse(_service_worker()[0], content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@handle_application_errors
def event_list(request):
    form = EventFilterForm(request.GET or None)
    filters = chosen_filters(form)
    page = Paginator(event_search(user=request.user, **filters), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "intake/event_list.html", {"page": page, "form": form, "querystring": query.urlencode(),
                                                      "can_report": request.user.role in FIELD_REPORTERS})


@login_required
@handle_application_errors
def event_export(request):
    """The filtered event list as CSV (UTF-8 with BOM, so Excel opens it), streamed, and audited."""
    form = EventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "intake/event_list.html", {"page": None, "form": form, "querystring": "",
                                                          "can_report": request.user.role in FIELD_REPORTERS},
                      status=400)
    filters = chosen_filters(form)
    qs = event_search(user=request.user, **filters)
    event_export_record(actor=request.user, filters={k: str(getattr(v, "pk", v)) for k, v in filters.items()},
                        count=qs.count())

    response = StreamingHttpResponse(stream_csv(EXPORT_HEADER, event_export_rows(qs)),
                                     content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="events-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@handle_application_errors
def event_detail(request, pk):
    return _render_detail(request, access_event(user=request.user, pk=pk))


@login_required
@require_POST
@handle_application_errors
def event_contact(request, pk):
    """The reporter's full phone number, for a call back: shown on this response only, and audited."""
    event = access_event(user=request.user, pk=pk)
    dispatch.event_reveal_contact(actor=request.user, event=event)
    response = _render_detail(request, event, revealed=True)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@handle_application_errors
def event_attachment(request, pk, attachment_pk):
    """A report's photo or file, to those who may see the report (not public: MEDIA_URL is not served)."""
    event = access_event(user=request.user, pk=pk)
    attachment = get_object_or_404(event.attachments, pk=attachment_pk)
    return stored_file_response(attachment.file, content_type=attachment.content_type,
                                filename=attachment.original_name)


@login_required
@handle_application_errors
def photo_publish(request, pk, attachment_pk):
    """公开照片: the operator looks at the photo, pixelates (打码) faces, plates and house numbers by drawing
    boxes on it, confirms, and the cleaned copy goes to the ticket page and Open311."""
    event = access_event(user=request.user, pk=pk)
    attachment = get_object_or_404(event.attachments, pk=attachment_pk, content_type__startswith="image/")
    refused = photo_publication_refused(request.user, event)
    form = PhotoPublishForm(request.POST or None)
    status = 403 if refused else 200
    if request.method == "POST" and not refused and form.is_valid():
        try:
            dispatch.attachment_publish(actor=request.user, attachment=attachment,
                                        checked=form.cleaned_data["checked"],
                                        redactions=form.cleaned_data["redactions"])
        except ApplicationError as exc:
            errors_into_form(form, exc)
            status = 400
        else:
            count = len(form.cleaned_data["redactions"])
            messages.success(request, gettext("照片已公开（打码 %(count)s 处）") % {"count": count})
            return redirect("intake:event", event.pk)
    elif request.method == "POST" and not refused:
        status = 400
    return render(request, "intake/photo_publish.html", {
        "e": event, "a": attachment, "form": form, "refused": refused,
        "max_redactions": dispatch.MAX_REDACTIONS}, status=status)


def _explained(decisions):
    """Each routing decision with its reasons said in the reader's language (``d.shown``)."""
    decisions = list(decisions)
    for d in decisions:
        d.shown = explained(d.explanation)
    return decisions


def _render_detail(request, event, *, revealed: bool = False):
    user = request.user
    current = current_instruction(event)
    command = is_command(user)
    decisions = _explained(event.decisions.select_related("department", "team", "item", "boundary_rule"))
    shown = {d.pk: d.shown for d in decisions}
    transitions = list(event.transitions.all())
    for t in transitions:
        t.said = transition_said(t, shown)
    ctx = {
        "e": event, "decisions": decisions,
        "transitions": transitions, "instructions": event.instructions.select_related("department"),
        "returns": event.returns.select_related("department"), "verifications": event.verifications.all(),
        "duplicates": event.duplicates.all(), "current": current, "is_command": command, "can_rule": may_rule(user),
        "reopen_until": reopen_until(event), "can_reopen": reopen_open(event, clock.now()),
        "can_act": works_for(user, event.department), "dispute": event.disputes.filter(status="open").first(),
        "can_verify": event.status == EventStatus.RESOLVED and may_verify(user, event),
        "departments": Department.objects.order_by("code"), "teams": Team.objects.order_by("code"),
        "towns": Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code") if command else [],
        "contact": reporter_contact(user, event, revealed=revealed), "revealed": revealed,
        "attachments": event.attachments.select_related("added_by"),
        "photo_required": config_get("dispatch.feedback_photo_required"),
        "can_publish": not photo_publication_refused(user, event),
        "candidates": duplicate_candidates(event) if command and event.status not in (
            EventStatus.DUPLICATE, EventStatus.INVALID) else [],
        # a merged report is handled on the one it was merged into (附议), which its page links to
        "can_open_case": acts_for(user, event.department) and may_open_cases(user) and not event.duplicate_of_id,
        "can_route": command and event.status in dispatch.HAND_ROUTABLE,  # the service's own states (人工分拨)
        "can_merge": command and event.status in MERGEABLE and not event.duplicates.exists(),
        # the state's own clock (人工分拨, 裁定, 核查), for the command centre and the guidance office
        "clock": Deadline.objects.filter(object_type="intake.event", object_id=str(event.pk), state=Deadline.State.OPEN,
                                         kind=STATE_CLOCKS.get(event.status, "")).first() if command else None,
        "now": clock.now(),
    }
    linked = list(event.cases.all())
    ctx["linked_cases"] = linked
    if ctx["can_act"] and current is not None and current.status == "signed":
        ctx["outcome_proposed"] = spot_outcome(linked)  # the decision made on it, for the officer to complete
    if ctx["can_route"]:
        # 人工分拨 proposes the last decision's body and team (routing's best guess), never a body that sent
        # the report back; nothing proposed → the operator must choose
        returned_by = set(event.returns.values_list("department_id", flat=True))
        last = decisions[-1] if decisions else None
        if last is not None and last.department_id and last.department_id not in returned_by:
            ctx["proposed_department"], ctx["proposed_team"] = last.department_id, last.team_id
        # the operator classifies as they route: the report's category, else the model's guess to confirm
        ctx["categories"] = EventCategory.objects.order_by("code")
        guess = next((d.explanation.get("model", {}).get("label") for d in reversed(decisions)
                      if d.explanation.get("model", {}).get("label")), None)
        ctx["category_proposed"] = event.category_id or next(
            (c.pk for c in ctx["categories"] if guess and c.code == guess), None)
    return render(request, "intake/event_detail.html", ctx)


def _chosen_department(post) -> Department:
    """The body a command-centre form names (分拨给, 流转, 由谁负责); none chosen is the user's error, said."""
    return chosen(Department.objects.all(), post.get("department"), field="department",
                  message=gettext("请从列表中选择负责的单位"))


def _chosen_team(post) -> Team | None:
    """The team a form names, if any (承办队伍 is optional); a value naming no team is the field's error."""
    if not post.get("team"):
        return None
    return chosen(Team.objects.all(), post.get("team"), field="team", message=gettext("请从列表中选择承办队伍"))


@login_required
@require_POST
@handle_application_errors  # an event the user may not see: 404, like its page (it was a 500)
def event_action(request, pk, action):
    event = access_event(user=request.user, pk=pk)
    user, p = request.user, request.POST
    current = current_instruction(event)
    try:
        if action == "sign" and current:
            dispatch.instruction_sign(actor=user, instruction=current)
        elif action == "return":
            dispatch.event_return(actor=user, event=event, reason=p.get("reason", ""))
        elif action == "feedback" and current:
            dispatch.instruction_feedback(actor=user, instruction=current, outcome=p.get("outcome", ""),
                                          attachments=_attachments(request))
        elif action == "verify":
            dispatch.event_verify(actor=user, event=event, passed=p.get("passed") == "1", note=p.get("note", ""),
                                  attachments=_attachments(request))
        elif action == "assign":
            dept = _chosen_department(p)
            team = _chosen_team(p)
            category = chosen(EventCategory.objects.all(), p["category"], field="category",
                              message=gettext("请选择列表中的类别")) if p.get("category") else None
            # the form's id → the region; whether it may be a report's town is the service's rule
            town = chosen(Region.objects.all(), p["town"], field="town",
                          message=gettext("不是本县的乡镇(街道)")) if p.get("town") else None
            dispatch.triage_assign(actor=user, event=event, department=dept, team=team, reason=p.get("reason", ""),
                                   town=town, category=category)
        elif action == "transfer" and current:
            dept = _chosen_department(p)
            team = _chosen_team(p)
            dispatch.instruction_transfer(actor=user, instruction=current, department=dept, team=team,
                                          reason=p.get("reason", ""))
        elif action == "unpublish":
            attachment = get_object_or_404(event.attachments, pk=as_pk(p.get("attachment")))
            dispatch.attachment_unpublish(actor=user, attachment=attachment)
        elif action == "unmerge":
            dispatch.event_unmerge(actor=user, event=event)
        elif action == "invalidate":
            dispatch.event_invalidate(actor=user, event=event, reason=p.get("reason", ""))
        elif action == "reinstate":
            dispatch.event_reinstate(actor=user, event=event, reason=p.get("reason", ""))
        elif action == "merge":
            into = get_object_or_404(Event, ticket=p.get("into", "").strip())
            dispatch.event_merge(actor=user, event=event, into=into)
        elif action == "rule":
            dispute = get_object_or_404(Dispute, pk=as_pk(p.get("dispute")), event=event)
            dept = _chosen_department(p)
            boundary = None
            if p.get("add_boundary"):
                boundary = {"matter": p.get("matter", "") or event.title or event.text[:40],
                            "criteria": p.get("criteria", ""), "keywords": p.get("keywords", "").split(),
                            "item_codes": p.get("item_codes", "").replace("，", " ").replace(",", " ").split()}
            dispatch.dispute_rule(actor=user, dispute=dispute, department=dept, ruling=p.get("ruling", ""),
                                  new_boundary_rule=boundary)
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, errors_as_text(exc))
    else:
        messages.success(request, gettext("已完成"))
    return redirect("intake:event", event.pk)


def public_report(request):
    """Anyone can report; the answer is a ticket number to track the report."""
    form = PublicReportForm(request.POST or None, request.FILES or None)
    # a signed-in citizen's reports are theirs: listed on their home page, counted by account for the limit
    citizen = request.user if request.user.is_authenticated and request.user.role == Role.CITIZEN else None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = event_submit(channel=Channel.CITIZEN, actor=citizen, text=d["text"], title=d["title"], lng=d["lng"], lat=d["lat"],
                                  address=d["address"], town_code=d["town"].code if d["town"] else None,
                                  category_code=d["category"].code if d["category"] else None,
                                  priority=d["priority"], reporter_name=d["reporter_name"],
                                  reporter_phone=d["reporter_phone"], confidential=d["confidential"],
                                  notify_reporter=d["notify_reporter"],
                                  attachments=_attachments(request))
        except ValidationFailed as exc:
            errors_into_form(form, exc)
        except TooManyRequests as exc:
            form.add_error(None, exc.message)
            return render(request, "intake/public_report.html", {"form": form}, status=429)
        else:
            if result.duplicate_of:
                messages.info(request, gettext("该问题已有人反映（%(ticket)s），您的报告已关联并计入附议。") % {"ticket": result.duplicate_of.ticket})
            return redirect("public_track", result.event.ticket)
    return render(request, "intake/public_report.html", {"form": form})


def public_photo(request, token):
    """A photo the command centre published: the cleaned copy only, by its token; gone once unpublished."""
    attachment = published_photos().filter(public_token=token).first()
    if attachment is None:
        raise Http404("没有这张照片")
    response = stored_file_response(attachment.public_file, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=300"  # an unpublished photo leaves caches within minutes
    return response


def public_track(request, ticket):
    event = Event.objects.filter(ticket=ticket.strip().upper()).select_related("department", "category",
                                                                                 "duplicate_of").first()
    if event is None:
        raise Http404("没有这个受理编号")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "reopen":
                dispatch.event_reopen(event=event, reason=request.POST.get("reason", ""), attachments=_attachments(request))
                messages.success(request, gettext("已申请重新处理"))
            elif request.POST.get("action") == "rate":
                score = int(request.POST.get("score", "0") or 0)
                dispatch.event_rate(event=event, score=score, comment=request.POST.get("comment", ""))
                messages.success(request, gettext("感谢您的评价"))
        except (ApplicationError, ValueError) as exc:
            messages.error(request, errors_as_text(exc) if isinstance(exc, ApplicationError) else gettext("评分无效"))
        return redirect("public_track", event.ticket)
    public_steps = [{"at": t.at, "text": public_step(t.old, t.new)} for t in event.transitions.order_by("at", "pk")]
    current = current_instruction(event)
    return render(request, "intake/public_track.html", {
        "e": event, "steps": public_steps, "expected": current.feedback_due if current else None,
        "outcome": redact_public(event.outcome), "rating_comment": redact_public(event.rating_comment),
        "reopen_until": reopen_until(event),
        "photos": published_photos(event),
        "decisions": published_decisions(on=timezone.localtime(clock.now()).date()).filter(case__events=event),
        "can_reopen": reopen_open(event, clock.now())})

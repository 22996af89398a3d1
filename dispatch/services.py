"""Routing, command and dispatch services (指挥调度). Each top-level service is one transaction with its
audit rows; deadlines are rows (core.Deadline) evaluated by ``deadlines_sweep``."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from collections import Counter

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext

from catalogue.models import BoundaryRule, EnforcementItem
from catalogue.services import boundary_rule_add
from core import clock
from core.audit import audit_log
from core.config import config_get
from core.exceptions import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from core.models import Deadline, Notification, NotificationRead
from core.records import counted, inside, recorded_display, said, said_as
from core.validators import length_error
from core.workdays import add_working_days, end_of_day
from dispatch import routing
from dispatch.access import (
    may_verify,
    photo_publication_refused,
    reporter_contact,
    require_command,
    require_guidance,
    works_for,
)
from dispatch.models import (
    Campaign,
    CampaignTask,
    CampaignTaskPhoto,
    Dispute,
    EventReturn,
    Instruction,
    RoutingDecision,
    Whistle,
    WhistleCall,
)
from dispatch.selectors import current_instruction, deadline_links
from intake.choices import (
    MERGEABLE,
    OPEN_STATUSES,
    STATE_CLOCKS,
    VERIFY_CHANNELS,
    AttachmentStage,
    Channel,
    EventStatus,
    TownSource,
)
from intake.messaging import queue_reporter_message
from intake.models import Attachment, Event, ReporterMessage, Verification
from intake.services import NewAttachment, check_attachments, event_transition, store_attachments, store_files
from org.choices import DepartmentKind, RegionLevel, Role, TeamKind
from org.models import Department, Team

LOCAL = timezone.get_fixed_timezone(8 * 60)


def _local_today(now: dt.datetime) -> dt.date:
    return timezone.localtime(now, LOCAL).date()


def _guidance_office() -> Department | None:
    return Department.objects.filter(kind=DepartmentKind.GUIDANCE_OFFICE).first()


# Calls to action, settled once acted on (``settle_notifications``): the prefix names the kind.
NEW_INSTRUCTION = "新指令："
TO_VERIFY = "待核查："
TO_ROUTE = "退单待重新分拨："
TO_RULE = "职责争议待裁定："
HOTSPOT = "热点预警："  # not a call to settle: the operator decides (a campaign, a merge, nothing)


FIELD_WORK_DEADLINES = ("instruction.", "whistle.")  # the time limits of a body's dispatched work


def notify(*, department=None, user=None, level=Notification.Level.INFO, text: str, link: str = "",
           message: str = "", params: dict | None = None, field_work: bool = False) -> None:
    """A notice to a body's staff (or one user); ``text`` as the records say it, with ``message`` and
    ``params`` (from ``core.records.said``) so each reader gets it in their language. ``field_work``: about
    the body's instructions or whistle calls, for those who do that work (``dispatch.access.works_for``)."""
    Notification.objects.create(department=department, user=user, level=level, text=text[:300], link=link[:200],
                                message=message, params=params or {}, field_work=field_work)


def deadline_open(*, kind: str, obj, department, label: dict, due_at: dt.datetime, start: dt.datetime, rule: str,
                  basis: str | dict = "", provisional: bool = False) -> Deadline:
    """``label``: what is due, as :func:`core.records.said` keeps it (the record's text and its parts);
    ``basis`` how the time was computed, kept the same way (or plain text)."""
    fraction = config_get("dispatch.remind_fraction")
    remind_at = start + (due_at - start) * fraction
    escalate2 = due_at + dt.timedelta(hours=config_get("dispatch.escalate_level2_hours"))
    return Deadline.objects.create(kind=kind, object_type=obj._meta.label_lower, object_id=str(obj.pk),
                                   department=department, **Deadline.label_columns(label), due_at=due_at,
                                   remind_at=remind_at,
                                   escalate2_at=escalate2, rule=rule, provisional=provisional,
                                   **Deadline.basis_columns(basis))


def deadline_close(*, kind: str, obj, at: dt.datetime) -> None:
    for d in Deadline.objects.filter(kind=kind, object_type=obj._meta.label_lower, object_id=str(obj.pk),
                                     state=Deadline.State.OPEN):
        Deadline.objects.filter(pk=d.pk, state=Deadline.State.OPEN).update(
            state=Deadline.State.MET if at <= d.due_at else Deadline.State.LATE, closed_at=at)


def deadlines_cancel(obj) -> None:
    Deadline.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), state=Deadline.State.OPEN).update(
        state=Deadline.State.CANCELLED, closed_at=clock.now())


def _instruction_end(instruction: Instruction, status: str) -> None:
    """An instruction taken off its body before it was answered (returned, transferred, re-routed, merged):
    its clocks stop, and the body's 新指令 notice is settled — it is no longer work waiting for them."""
    Instruction.objects.filter(pk=instruction.pk).update(status=status)
    deadlines_cancel(instruction)
    if instruction.event_id:
        settle_notifications(department=instruction.department, prefix=NEW_INSTRUCTION,
                             link=instruction.event.get_absolute_url())


# ------------------------------------------------------------------ instructions


@transaction.atomic(savepoint=False)  # part of its caller's transaction; its own when called alone
def instruction_issue(*, event: Event | None, department: Department, team: Team | None, content: str | dict,
                      priority: str, actor=None, campaign_task=None, transferred_from=None) -> Instruction:
    """``content``: the text, or what the system composed (a :func:`core.records.said` dict) so that each
    reader gets it in their language."""
    kept = content if isinstance(content, dict) else {"text": content, "message": "", "params": {}}
    now = clock.now()
    sign_due = now + dt.timedelta(hours=config_get(f"dispatch.sign_hours.{priority}"))
    wd, rule = config_get(f"dispatch.feedback_working_days.{priority}"), f"dispatch.feedback_working_days.{priority}"
    if event is not None and event.channel == Channel.REFERRAL:
        # 部门移送 (ZJ-016): the receiving body answers whether it takes the referral on within the acceptance
        # limit (§4.9), or sooner where the priority asks for it
        accept = config_get("referral.acceptance_decision.max_working_days")
        if accept < wd:
            wd, rule = accept, "referral.acceptance_decision.max_working_days"
    fb = add_working_days(_local_today(now), wd, rule=rule)
    instruction = Instruction.objects.create(
        event=event, campaign_task=campaign_task, department=department, team=team, content=kept["text"],
        message=kept["message"], params=kept["params"], priority=priority,
        issued_by=actor if getattr(actor, "pk", None) else None, issued_at=now, sign_due=sign_due,
        feedback_due=end_of_day(fb.due), transferred_from=transferred_from)
    which = {"n": instruction.pk, "ticket": event.ticket} if event else {"n": instruction.pk}
    deadline_open(kind="instruction.sign", obj=instruction, department=department,
                  label=said(gettext_noop("指令#%(n)s（%(ticket)s） 签收"), **which) if event
                  else said(gettext_noop("指令#%(n)s 签收"), **which),
                  due_at=sign_due, start=now, rule=f"dispatch.sign_hours.{priority}",
                  basis=said(gettext_noop("签发后 %(n)s 小时"), n=config_get(f"dispatch.sign_hours.{priority}")))
    deadline_open(kind="instruction.feedback", obj=instruction, department=department,
                  label=said(gettext_noop("指令#%(n)s（%(ticket)s） 反馈"), **which) if event
                  else said(gettext_noop("指令#%(n)s 反馈"), **which),
                  due_at=instruction.feedback_due, start=now, rule=fb.rule, basis=fb.basis, provisional=fb.provisional)
    notify(department=department, link=event.get_absolute_url() if event else "", field_work=True,
           **said(gettext_noop("新指令：%(content)s"),
                  content=inside(kept) if kept["message"] else kept["text"][:80]))
    audit_log(actor=actor, action="dispatch.instruction.issue", obj=instruction,
              after={"department": department.pk, "team": team.pk if team else None, "event": event.pk if event else None,
                     "sign_due": sign_due, "feedback_due": instruction.feedback_due})
    return instruction


def _assign(event: Event, decision_method: str, *, department, team, item=None, boundary_rule=None, confidence=None,
            model_version="", explanation=None, actor=None, reason: str, content: dict | None = None) -> Event:
    decision = RoutingDecision.objects.create(
        event=event, method=decision_method, department=department, team=team, item=item, boundary_rule=boundary_rule,
        confidence=confidence, model_version=model_version, explanation=explanation or {},
        decided_by=actor if getattr(actor, "pk", None) else None, at=clock.now())
    # the row is said again from its decision in the reader's language (routing.transition_said)
    event_transition(event=event, new=EventStatus.ROUTED, actor=actor, reason=reason, department=department, team=team,
                     item=item, params={routing.DECISION: decision.pk})
    instruction_issue(event=event, department=department, team=team, priority=event.priority, actor=actor,
                      content=content or said(gettext_noop("请处置：%(title)s（%(ticket)s）"), limit=None,
                                              title=event.title or event.text[:60], ticket=event.ticket))
    return event


@transaction.atomic(savepoint=False)  # part of its caller's transaction; its own when called alone
def route_event(*, event: Event, actor=None, exclude_departments: set[int] | None = None) -> RoutingDecision | None:
    """Automatic routing right after intake (or after a return). Low confidence → triage queue."""
    on = _local_today(event.received_at)
    d = routing.decide(text=f"{event.title} {event.text}", town=event.town, category=event.category,
                       on=on, exclude_departments=exclude_departments,
                       town_source=recorded_display(event, "town_source") if event.town_source else "",
                       border=routing.border_of(event, on))
    if d.category_certain and event.category_id is None:
        Event.objects.filter(pk=event.pk).update(category=d.category)
        event.category = d.category
    if d.needs_triage:
        decision = RoutingDecision.objects.create(
            event=event, method=RoutingDecision.Method.TRIAGE, department=d.department, team=d.team, item=d.item,
            boundary_rule=d.boundary_rule, confidence=d.confidence, model_version=d.model_version,
            explanation=d.explanation, at=clock.now())
        if event.status != EventStatus.TRIAGE:
            event_transition(event=event, new=EventStatus.TRIAGE, reason="；".join(d.explanation["triage_reasons"]),
                             params={routing.DECISION: decision.pk})
        _triage_clock(event)
        audit_log(actor=actor, action="dispatch.route.triage", obj=event, after={"confidence": d.confidence,
                                                                                 "reasons": d.explanation["triage_reasons"]})
        return decision
    _assign(event, RoutingDecision.Method.AUTO, department=d.department, team=d.team, item=d.item,
            boundary_rule=d.boundary_rule, confidence=d.confidence, model_version=d.model_version,
            explanation=d.explanation, actor=actor, reason=d.explanation["summary"])
    audit_log(actor=actor, action="dispatch.route.auto", obj=event,
              after={"department": d.department.pk, "team": d.team.pk if d.team else None,
                     "item": d.item.code if d.item else None, "confidence": d.confidence})
    return event.decisions.order_by("-at", "-id").first()


# 人工分拨 takes a report from triage or after a return. One in work is moved by 流转 (instruction_transfer), which
# keeps its instruction's history — as the report's page offers (until 2026-12-07 this also re-routed one in work,
# cancelling its instruction, which no page offered). Not a duplicate (unlink it first: routing it would leave it
# linked and counted as 附议), a dispute (the guidance office's ruling routes it) or a closed report (the reporter
# reopens it; found by dispatch/tests/test_event_properties.py).
HAND_ROUTABLE = {EventStatus.TRIAGE, EventStatus.RETURNED}


@transaction.atomic
def triage_assign(*, actor, event: Event, department: Department, team: Team | None = None, item=None,
                  reason: str, town=None, category=None) -> Event:
    """The command centre routes an event by hand (from triage, after a return, or to re-route). ``town``
    records where it happened when the report could not say (a call with only a village's name): the
    operator's finding (指挥中心核定), kept for duplicates, the map's statistics and 热点预警. ``category``
    is the operator's classification (the model's guess below the threshold is not written by routing)."""
    event.refresh_from_db()
    require_command(actor)
    if event.status not in HAND_ROUTABLE:
        if event.status == EventStatus.DUPLICATE:
            message = _("该事件已作为 %(ticket)s 的重复事件（附议）关联，请先取消关联再分拨") % {
                "ticket": event.duplicate_of.ticket if event.duplicate_of else "—"}
        elif event.status == EventStatus.DISPUTED:
            message = _("职责争议由指导办裁定，裁定即分派")
        elif event.status == EventStatus.CLOSED:
            message = _("已办结的事件由报告人申请重新处理；问题再次出现的，按新事件办理")
        elif event.status in (EventStatus.ROUTED, EventStatus.ACCEPTED):
            message = _("该事件已分派给%(department)s，改由其他单位办理请使用流转") % {"department": event.department}
        else:
            message = _("当前状态（%(status)s）不能人工分拨") % {"status": event.get_status_display()}
        raise InvalidTransition(message, errors={"status": [event.get_status_display()]})
    if not reason.strip():
        raise ValidationFailed(_("请填写分拨理由"), errors={"reason": [_("人工分拨须写明理由")]})
    if town is not None and town.level != RegionLevel.TOWNSHIP:
        raise ValidationFailed(_("镇街无效"), errors={"town": [_("“%(town)s”不是乡镇(街道)") % {"town": town}]})
    if team is not None and team.department_id != department.pk and not (
            department.kind == DepartmentKind.TOWN_GOVERNMENT and team.towns.filter(pk=department.region_id).exists()):
        raise ValidationFailed(_("承办队伍不属于该责任主体"), errors={"team": [
            _("%(team)s不承办%(department)s的事项") % {"team": team, "department": department}]})
    current = current_instruction(event)
    if current is not None:
        _instruction_end(current, Instruction.Status.CANCELLED)
    town_before, category_before = event.town_id, event.category_id
    if town is not None and town.pk != event.town_id:
        Event.objects.filter(pk=event.pk).update(town=town, town_source=TownSource.STAFF)
        event.town, event.town_source = town, TownSource.STAFF
    if category is not None and category.pk != event.category_id:
        Event.objects.filter(pk=event.pk).update(category=category)
        event.category = category
    explanation = routing.noted("manual", reason, operator=str(actor))
    if event.town is not None:
        explanation["town"] = {"name": event.town.name, "source": recorded_display(event, "town_source")}
    _assign(event, RoutingDecision.Method.MANUAL, department=department, team=team, item=item, actor=actor,
            explanation=explanation, reason=reason)
    settle_notifications(department=_guidance_office(), prefix=TO_ROUTE, link=event.get_absolute_url())
    audit_log(actor=actor, action="dispatch.route.manual", obj=event,
              before={"town": town_before, "category": category_before},
              after={"department": department.pk, "reason": reason, "town": event.town_id,
                     "category": event.category_id})
    return event


@transaction.atomic
def instruction_sign(*, actor, instruction: Instruction) -> Instruction:
    instruction.refresh_from_db()
    if not works_for(actor, instruction.department):
        raise NotPermitted(_("只有受令单位可以签收"), errors={"__all__": [
            _("该指令下达给%(department)s") % {"department": instruction.department}]})
    now = clock.now()
    moved = Instruction.objects.filter(pk=instruction.pk, status=Instruction.Status.ISSUED).update(
        status=Instruction.Status.SIGNED, signed_at=now, signed_by=actor)
    if not moved:
        raise InvalidTransition(_("该指令不是待签收状态"), errors={"status": [instruction.get_status_display()]})
    instruction.refresh_from_db()
    deadline_close(kind="instruction.sign", obj=instruction, at=now)
    if instruction.event_id:
        event_transition(event=instruction.event, new=EventStatus.ACCEPTED, actor=actor,
                         **said_as("reason", gettext_noop("签收指令")))
        settle_notifications(department=instruction.department, prefix=NEW_INSTRUCTION,
                             link=instruction.event.get_absolute_url())
    audit_log(actor=actor, action="dispatch.instruction.sign", obj=instruction, after={"signed_at": now})
    return instruction


def settle_notifications(*, department, prefix: str, link: str) -> int:
    """A call to action that has been acted on (the instruction signed, the report verified) is settled
    for everyone in the body, so nobody's unread list keeps work that is done."""
    return Notification.objects.filter(department=department, text__startswith=prefix, link=link,
                                       read_at__isnull=True).update(read_at=clock.now())


@transaction.atomic
def event_return(*, actor, event: Event, reason: str) -> Event:
    """退单. After ``routing.dispute_after_returns`` returns the event becomes a dispute for the
    guidance office; before that it goes back to the triage queue with the reason."""
    event.refresh_from_db()
    if not works_for(actor, event.department):
        raise NotPermitted(_("只有被分派的单位可以退单"), errors={"__all__": [_("无权退单")]})
    if len(reason.strip()) < 4:
        raise ValidationFailed(_("请写明退单理由"), errors={"reason": [_("退单须说明理由（不少于4个字）")]})
    if (too_long := length_error(reason, EventReturn, "reason")) is not None:
        raise ValidationFailed(_("退单理由太长"), errors={"reason": [too_long]})
    if event.status not in (EventStatus.ROUTED, EventStatus.ACCEPTED):
        raise InvalidTransition(_("当前状态不能退单"), errors={"status": [event.get_status_display()]})
    now = clock.now()
    department = event.department
    EventReturn.objects.create(event=event, department=department, reason=reason, actor=actor, at=now)
    current = current_instruction(event)
    if current is not None:
        _instruction_end(current, Instruction.Status.RETURNED)
    if event.status == EventStatus.ACCEPTED:
        event_transition(event=event, new=EventStatus.ROUTED, actor=actor, **said_as("reason", gettext_noop("签收后退单")))
    # the body that sent it back is no longer responsible: until the command centre (or the guidance
    # office's ruling) routes it again, nobody is — the page and lists must not name the returning body
    event_transition(event=event, new=EventStatus.RETURNED, actor=actor, reason=reason,
                     return_count=event.return_count + 1, department=None, team=None)
    audit_log(actor=actor, action="dispatch.event.return", obj=event, after={"department": department.pk,
                                                                            "reason": reason})
    if event.return_count >= config_get("routing.dispute_after_returns"):
        dispute = Dispute.objects.create(event=event, opened_at=now)
        dispute.departments.set(set(event.returns.values_list("department", flat=True)))
        event_transition(event=event, new=EventStatus.DISPUTED,
                         **said_as("reason", gettext_noop("多次退单（%(n)s次），提交指导办裁定"), n=event.return_count))
        _ruling_clock(event, now)
        notify(department=_guidance_office(), level=Notification.Level.ESCALATE, link=event.get_absolute_url(),
               **said(gettext_noop("职责争议待裁定：%(ticket)s %(title)s"), ticket=event.ticket, title=event.title or event.text[:40]))
        audit_log(actor=actor, action="dispatch.dispute.open", obj=dispute,
                  after={"event": event.pk, "departments": sorted(dispute.departments.values_list("pk", flat=True))})
    else:
        event_transition(event=event, new=EventStatus.TRIAGE, **said_as("reason", gettext_noop("退单后待指挥中心重新分拨")))
        _triage_clock(event)
        notify(department=_guidance_office(), link=event.get_absolute_url(),
               **said(gettext_noop("退单待重新分拨：%(ticket)s（%(reason)s）"), ticket=event.ticket, reason=reason[:60]))
    return event


@transaction.atomic
def dispute_rule(*, actor, dispute: Dispute, department: Department, ruling: str, team: Team | None = None,
                 new_boundary_rule: dict | None = None) -> Dispute:
    """The guidance office decides. ``new_boundary_rule`` (matter, criteria, keywords, supervising and the
    catalogue items it concerns, ``item_codes``) adds a row to the boundary list so routing decides the same
    question the same way next time — with items, by the items' holders and town delegations (ZJ-009)."""
    dispute.refresh_from_db()
    require_guidance(actor)
    if not ruling.strip():
        raise ValidationFailed(_("请填写裁定意见"), errors={"ruling": [_("裁定意见不能为空")]})
    now = clock.now()
    rule = None
    if new_boundary_rule:
        keywords = [k for k in new_boundary_rule.get("keywords", []) if k.strip()]
        if not keywords:
            raise ValidationFailed(_("新增职责边界须有关键词"), errors={"keywords": [_("至少一个关键词，用于今后自动分派")]})
        codes = list(dict.fromkeys(c.strip() for c in new_boundary_rule.get("item_codes", []) if c.strip()))
        known = set(EnforcementItem.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown := [c for c in codes if c not in known]:
            raise ValidationFailed(_("事项编码有误"), errors={"item_codes": [
                _("事项目录中没有编码 %(codes)s") % {"codes": pgettext("list", "、").join(unknown)}]})
        count = BoundaryRule.objects.filter(source=BoundaryRule.Source.RULING).count() + 1
        rule = boundary_rule_add(
            actor=actor, code=f"CD-{now:%Y}-{count:04d}", matter=new_boundary_rule["matter"],
            criteria=new_boundary_rule.get("criteria") or ruling, penalising_department=department,
            supervising_department=new_boundary_rule.get("supervising"), source=BoundaryRule.Source.RULING,
            source_document=f"指导办裁定（事件 {dispute.event.ticket}）", source_date=_local_today(now),
            keywords=keywords, item_codes=codes)
    moved = Dispute.objects.filter(pk=dispute.pk, status=Dispute.Status.OPEN).update(
        status=Dispute.Status.RULED, ruling=ruling, ruled_department=department, boundary_rule=rule, ruled_by=actor,
        ruled_at=now)
    if not moved:
        raise InvalidTransition(_("该争议已裁定"), errors={"status": [_("已裁定")]})
    dispute.refresh_from_db()
    event = dispute.event
    if team is None:
        team = department.teams.filter(active=True).first() or (
            Team.objects.filter(kind=TeamKind.TOWN, towns=department.region).first()
            if department.kind == DepartmentKind.TOWN_GOVERNMENT else None)
    _assign(event, RoutingDecision.Method.RULING, department=department, team=team, boundary_rule=rule, actor=actor,
            explanation=routing.noted("ruling", ruling, boundary_rule={"code": rule.code} if rule else None),
            reason=f"指导办裁定：{ruling}")
    for d in dispute.departments.all():
        notify(department=d, link=event.get_absolute_url(), field_work=True,
               **said(gettext_noop("职责争议已裁定：%(ticket)s 由%(department)s负责。%(ruling)s"), ticket=event.ticket,
                      department=department.name, ruling=ruling[:80]))
    settle_notifications(department=_guidance_office(), prefix=TO_RULE, link=event.get_absolute_url())
    settle_notifications(department=_guidance_office(), prefix=TO_ROUTE, link=event.get_absolute_url())
    audit_log(actor=actor, action="dispatch.dispute.rule", obj=dispute,
              after={"department": department.pk, "ruling": ruling, "boundary_rule": rule.code if rule else None})
    return dispute


@transaction.atomic
def instruction_feedback(*, actor, instruction: Instruction, outcome: str,
                         attachments: list[NewAttachment] | None = None) -> Instruction:
    """反馈 with the outcome and, for an event, photos after the work (处置后照片; required when
    ``dispatch.feedback_photo_required``). Events from grid workers, citizens and the hotline then wait for 核查."""
    instruction.refresh_from_db()
    if not works_for(actor, instruction.department):
        raise NotPermitted(_("只有受令单位可以反馈"), errors={"__all__": [_("无权反馈")]})
    errors: dict[str, list[str]] = {}
    if len(outcome.strip()) < 4:
        errors["outcome"] = [_("反馈须写明处置结果（不少于4个字）")]
    files = check_attachments(attachments or [], errors)
    if instruction.event_id is None and attachments:
        errors.setdefault("attachments", []).append(_("专项任务的照片请随进度填报上传，反馈请写明结果"))
    elif instruction.event_id and not attachments and config_get("dispatch.feedback_photo_required"):
        errors.setdefault("attachments", []).append(_("须附处置后照片"))
    if errors:
        raise ValidationFailed(_("反馈信息有误") if "outcome" not in errors else _("请填写处置结果"), errors=errors)
    now = clock.now()
    moved = Instruction.objects.filter(pk=instruction.pk, status=Instruction.Status.SIGNED).update(
        status=Instruction.Status.DONE, feedback=outcome, feedback_at=now)
    if not moved:
        raise InvalidTransition(_("须先签收指令再反馈"), errors={"status": [instruction.get_status_display()]})
    instruction.refresh_from_db()
    deadline_close(kind="instruction.feedback", obj=instruction, at=now)
    event = instruction.event
    photos = []
    if event is not None:
        # answered: its 新指令 notice is no longer work waiting (one signed on issue, after 核查未通过, never
        # went through signing)
        settle_notifications(department=instruction.department, prefix=NEW_INSTRUCTION, link=event.get_absolute_url())
        photos = store_attachments(event, files, stage=AttachmentStage.FEEDBACK, actor=actor)
        event_transition(event=event, new=EventStatus.RESOLVED, actor=actor, outcome=outcome,
                         **said_as("reason", gettext_noop("反馈处置结果")),
                         resolved_at=now)
        if event.channel not in VERIFY_CHANNELS:
            event_transition(event=event, new=EventStatus.CLOSED, actor=actor, closed_at=now,
                             **said_as("reason", gettext_noop("处置完毕，办结")))
        else:
            _verify_clock(event, now)
            notify(department=_guidance_office(), link=event.get_absolute_url(),
                   **said(gettext_noop("待核查：%(ticket)s"), ticket=event.ticket))
    audit_log(actor=actor, action="dispatch.instruction.feedback", obj=instruction,
              after={"outcome": outcome, "attachments": photos})
    return instruction


def _triage_clock(event: Event, start: dt.datetime | None = None) -> None:
    """人工分拨 is the command centre's own work: a report waiting in triage (low confidence, a border, after a
    return or an unlinking) is to be routed within ``dispatch.triage_hours``, reminded and escalated like any
    instruction. One clock per stay; it stops when the report leaves triage, whatever moves it
    (``intake.services.event_transition``)."""
    if Deadline.objects.filter(kind="event.triage", object_type="intake.event", object_id=str(event.pk),
                               state=Deadline.State.OPEN).exists():
        return
    start, hours = start or clock.now(), config_get("dispatch.triage_hours")
    deadline_open(kind="event.triage", obj=event, department=_guidance_office(),
                  label=said(gettext_noop("%(ticket)s 人工分拨"), ticket=event.ticket), due_at=start + dt.timedelta(hours=hours),
                  start=start, rule="dispatch.triage_hours", basis=said(gettext_noop("进入待分拨后 %(n)s 小时"), n=hours))


def _ruling_clock(event: Event, start: dt.datetime) -> None:
    """裁定 (ZJ-017): the guidance office rules on a responsibility dispute within ``dispatch.ruling_working_days``."""
    due = add_working_days(_local_today(start), config_get("dispatch.ruling_working_days"),
                           rule="dispatch.ruling_working_days")
    deadline_open(kind="event.ruling", obj=event, department=_guidance_office(),
                  label=said(gettext_noop("%(ticket)s 职责争议裁定"), ticket=event.ticket), due_at=end_of_day(due.due),
                  start=start, rule="ZJ-017", basis=due.basis, provisional=due.provisional)


STATE_CLOCK_OPENERS = {EventStatus.TRIAGE: _triage_clock, EventStatus.DISPUTED: _ruling_clock,
                       EventStatus.RESOLVED: lambda event, start: _verify_clock(event, start)}


def state_clocks_backfill() -> int:
    """Reports waiting for the command centre or the guidance office with no clock of their state — those that
    entered it before these clocks existed (2026-12-07) — get one, counted from when they entered it. The worker's
    sweep runs it, so an upgraded installation's waiting reports are on the clock at its first sweep; afterwards
    it finds none. Returns how many it opened."""
    opened = 0
    for status, kind in STATE_CLOCKS.items():
        clocks = Deadline.objects.filter(kind=kind, object_type="intake.event", state=Deadline.State.OPEN,
                                         object_id=Cast(OuterRef("pk"), CharField()))
        waiting = Event.objects.filter(status=status).exclude(Exists(clocks))
        if status == EventStatus.RESOLVED:
            waiting = waiting.filter(channel__in=VERIFY_CHANNELS)
        for event in waiting.iterator():
            entered = event.transitions.filter(new=status).order_by("-at", "-pk").values_list("at", flat=True).first()
            with transaction.atomic():
                STATE_CLOCK_OPENERS[status](event, entered or event.received_at)
            opened += 1
    return opened


def _verify_clock(event: Event, now: dt.datetime) -> None:
    """核查 is work too: from the handler's answer, the command centre (and the town's grid workers) have
    ``dispatch.verify_working_days`` to verify, reminded and escalated like any instruction — a report answered
    is not left waiting for its check without anyone being told."""
    wd = config_get("dispatch.verify_working_days")
    due = add_working_days(_local_today(now), wd, rule="dispatch.verify_working_days")
    deadline_open(kind="event.verify", obj=event, department=_guidance_office(),
                  label=said(gettext_noop("%(ticket)s 核查"), ticket=event.ticket), due_at=end_of_day(due.due),
                  start=now, rule=due.rule, basis=due.basis, provisional=due.provisional)


@transaction.atomic
def event_verify(*, actor, event: Event, passed: bool, note: str,
                 attachments: list[NewAttachment] | None = None) -> Event:
    """核查 by the command centre or a grid worker of the town (not the body that handled it), with photos
    of what was found if taken."""
    event.refresh_from_db()
    if not may_verify(actor, event):
        raise NotPermitted(_("核查须由指挥中心或属地网格员进行，处置单位不能自行核查"), errors={"__all__": [_("无权核查")]})
    if event.status != EventStatus.RESOLVED:
        raise InvalidTransition(_("只有已处置的事件可以核查"), errors={"status": [event.get_status_display()]})
    if not event.outcome.strip():
        raise ValidationFailed(_("没有处置结果不能办结"), errors={"outcome": [_("缺少处置结果")]})
    errors: dict[str, list[str]] = {}
    message = _("核查照片有误")
    if len(note.strip()) < 2:
        errors["note"], message = [_("核查情况不能为空")], _("请填写核查情况")
    elif (too_long := length_error(note, Verification, "note")) is not None:
        errors["note"], message = [too_long], _("核查情况太长")
    files = check_attachments(attachments or [], errors)
    if errors:
        raise ValidationFailed(message, errors=errors)
    now = clock.now()
    Verification.objects.create(event=event, verifier=actor, passed=passed, note=note, at=now)
    photos = store_attachments(event, files, stage=AttachmentStage.VERIFY, actor=actor)
    if passed:
        event_transition(event=event, new=EventStatus.CLOSED, actor=actor, closed_at=now,
                         **said_as("reason", gettext_noop("核查通过：%(note)s"), note=note))
    else:
        event_transition(event=event, new=EventStatus.ACCEPTED, actor=actor,
                         **said_as("reason", gettext_noop("核查未通过：%(note)s"), note=note))
        last = event.instructions.filter(status=Instruction.Status.DONE).order_by("-issued_at").first()
        new = instruction_issue(event=event, department=event.department, team=event.team, priority=event.priority,
                                actor=actor, transferred_from=last,
                                content=said(gettext_noop("核查未通过，请继续处置：%(note)s"), limit=None, note=note))
        Instruction.objects.filter(pk=new.pk).update(status=Instruction.Status.SIGNED, signed_at=now)
        deadline_close(kind="instruction.sign", obj=new, at=now)
    settle_notifications(department=_guidance_office(), prefix=TO_VERIFY, link=event.get_absolute_url())
    audit_log(actor=actor, action="intake.event.verify", obj=event,
              after={"passed": passed, "note": note, "attachments": photos})
    return event


@transaction.atomic
def event_reopen(*, event: Event, reason: str, actor=None, attachments: list[NewAttachment] | None = None) -> Event:
    """The reporter says “not fixed” within ``intake.reopen_days`` of closure, with photos if taken: back to
    the same body."""
    event.refresh_from_db()
    if event.status != EventStatus.CLOSED:
        raise InvalidTransition(_("只有已办结的事件可以申请重新处理"), errors={"status": [event.get_status_display()]})
    from dispatch.selectors import reopen_until

    until = reopen_until(event)
    if until is not None and clock.now() > until:
        days = config_get("intake.reopen_days")
        raise InvalidTransition(_("办结已超过%(days)s天，请重新报告") % {"days": days},
                                errors={"ticket": [_("超过%(days)s天") % {"days": days}]})
    errors: dict[str, list[str]] = {}
    if len(reason.strip()) < 4:
        errors["reason"] = [_("不少于4个字")]
    files = check_attachments(attachments or [], errors)
    if errors:
        raise ValidationFailed(_("请说明未解决的情况") if "reason" in errors else _("照片有误"), errors=errors)
    photos = store_attachments(event, files, stage=AttachmentStage.REOPEN, actor=actor)
    _assign(event, RoutingDecision.Method.REOPEN, department=event.department, team=event.team, item=event.item,
            actor=actor, explanation=routing.noted("reopen", reason), reason=f"报告人申请重新处理：{reason}",
            content=said(gettext_noop("报告人反映问题未解决，请重新处置（%(ticket)s）：%(reason)s"), limit=None,
                         ticket=event.ticket, reason=reason))
    Event.objects.filter(pk=event.pk).update(closed_at=None, rating=None)
    audit_log(actor=actor, action="intake.event.reopen", obj=event, after={"reason": reason, "attachments": photos})
    return event


@transaction.atomic
def event_rate(*, event: Event, score: int, comment: str = "", actor=None) -> Event:
    event.refresh_from_db()
    if event.status != EventStatus.CLOSED:
        raise InvalidTransition(_("办结后才能评价"), errors={"status": [event.get_status_display()]})
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationFailed(_("评价应为1到5分"), errors={"score": [_("应为1到5之间的整数")]})
    if (too_long := length_error(comment, Event, "rating_comment")) is not None:
        raise ValidationFailed(_("评价意见太长"), errors={"comment": [too_long]})
    moved = Event.objects.filter(pk=event.pk, rating__isnull=True).update(rating=score, rating_comment=comment)
    if not moved:
        raise InvalidTransition(_("已经评价过"), errors={"score": [_("每次办结只能评价一次")]})
    event.refresh_from_db()
    audit_log(actor=actor, action="intake.event.rate", obj=event, after={"score": score, "comment": comment})
    return event


@transaction.atomic
def instruction_transfer(*, actor, instruction: Instruction, department: Department, team: Team | None,
                         reason: str) -> Instruction:
    """流转: the command centre moves work to another body; the old instruction keeps its history."""
    instruction.refresh_from_db()
    require_command(actor)
    if instruction.status not in (Instruction.Status.ISSUED, Instruction.Status.SIGNED):
        raise InvalidTransition(_("该指令已结束，不能流转"), errors={"status": [instruction.get_status_display()]})
    if department.pk == instruction.department_id:
        raise ValidationFailed(_("流转对象与原单位相同"), errors={"department": [_("请选择其他单位")]})
    if not reason.strip():
        raise ValidationFailed(_("请填写流转理由"), errors={"reason": [_("流转须写明理由")]})
    _instruction_end(instruction, Instruction.Status.TRANSFERRED)
    new = instruction_issue(event=instruction.event, department=department, team=team, priority=instruction.priority,
                            actor=actor, content=said(gettext_noop("（流转自%(department)s）%(content)s"), limit=None,
                                                      department=instruction.department.short_name,
                                                      content=inside({"message": instruction.message,
                                                                      "params": instruction.params,
                                                                      "text": instruction.content})),
                            transferred_from=instruction, campaign_task=instruction.campaign_task)
    event = instruction.event
    if event is not None:
        RoutingDecision.objects.create(event=event, method=RoutingDecision.Method.MANUAL, department=department,
                                       team=team, explanation=routing.noted("transfer", reason), decided_by=actor,
                                       at=clock.now())
        new_status = EventStatus.ROUTED
        event_transition(event=event, new=new_status, actor=actor, department=department, team=team,
                         **said_as("reason", gettext_noop("流转至%(department)s：%(reason)s"),
                                   department=department.name, reason=reason))
    audit_log(actor=actor, action="dispatch.instruction.transfer", obj=new,
              after={"from": instruction.pk, "department": department.pk, "reason": reason})
    return new


@transaction.atomic
def event_merge(*, actor, event: Event, into: Event) -> Event:
    """合并为重复: the command centre links ``event`` to the report of the same problem it is handled with. Only
    before a body signs for it (``MERGEABLE``): signed work is finished or returned by that body, and a report
    sent back or in dispute is routed or ruled first."""
    event.refresh_from_db()
    require_command(actor)
    if event.status not in MERGEABLE:
        raise InvalidTransition(_("只有待分拨或已分派（未签收）的事件可以合并为重复"),
                                errors={"status": [event.get_status_display()]})
    if into.pk == event.pk or into.duplicate_of_id:
        raise ValidationFailed(_("合并目标无效"), errors={"into": [_("须合并到一个主事件")]})
    if into.status not in OPEN_STATUSES:  # merged into finished work, the report would be handled by nobody
        raise ValidationFailed(_("主事件已办结或无效，不能合并；问题再次出现的，按新事件办理"),
                               errors={"into": [f"{into.ticket} {into.get_status_display()}"]})
    if event.duplicates.exists():
        raise ValidationFailed(_("该事件已有关联的重复事件，请先合并到它"), errors={"event": [_("是主事件")]})
    current = current_instruction(event)
    if current is not None:
        _instruction_end(current, Instruction.Status.CANCELLED)
    event_transition(event=event, new=EventStatus.DUPLICATE, actor=actor, duplicate_of=into,
                     **said_as("reason", gettext_noop("人工合并到 %(ticket)s"), ticket=into.ticket))
    Event.objects.filter(pk=into.pk).update(me_too_count=F("me_too_count") + 1)
    audit_log(actor=actor, action="intake.event.merge", obj=event, after={"into": into.ticket})
    return event


@transaction.atomic
def event_unmerge(*, actor, event: Event) -> Event:
    """Undo a wrong duplicate link; the event is routed on its own."""
    event.refresh_from_db()
    require_command(actor)
    root = event.duplicate_of
    if event.status != EventStatus.DUPLICATE or root is None:
        raise InvalidTransition(_("该事件不是重复事件"), errors={"status": [event.get_status_display()]})
    event_transition(event=event, new=EventStatus.TRIAGE, actor=actor, duplicate_of=None,
                     **said_as("reason", gettext_noop("取消与 %(ticket)s 的关联"), ticket=root.ticket))
    Event.objects.filter(pk=root.pk, me_too_count__gt=0).update(me_too_count=F("me_too_count") - 1)
    audit_log(actor=actor, action="intake.event.unmerge", obj=event, after={"from": root.ticket})
    route_event(event=event, actor=actor)
    return event


STATED_REASON_MAX = 300  # 无效/恢复受理: kept in the report's record (the transition's reason, with its prefix)


def _stated(reason: str, what: str) -> str:
    reason = reason.strip()
    if len(reason) < 4:
        raise ValidationFailed(_("请写明%(what)s的理由") % {"what": what}, errors={"reason": [_("不少于4个字")]})
    if len(reason) > STATED_REASON_MAX:
        error = _("不超过%(limit)s字（现为%(n)s字）") % {"limit": STATED_REASON_MAX, "n": len(reason)}
        raise ValidationFailed(_("理由太长：%(error)s") % {"error": error}, errors={"reason": [error]})
    return reason


@transaction.atomic
def event_invalidate(*, actor, event: Event, reason: str) -> Event:
    """作为无效事件结束: the command centre ends a report that is no matter for anyone here — a test, abuse, nothing
    to act on, not in this county — from triage only, with the reason (never silently: the reason is on the
    record, the reporter's ticket page and Open311 say 经核实不属于可受理的问题 / no_further_action). It can be taken
    up again (:func:`event_reinstate`)."""
    event.refresh_from_db()
    require_command(actor)
    reason = _stated(reason, _("作为无效事件结束"))
    if event.status != EventStatus.TRIAGE:
        raise InvalidTransition(_("只有待分拨的事件可以作为无效事件结束；已分派的由承办单位退单或办结"),
                                errors={"status": [event.get_status_display()]})
    event_transition(event=event, new=EventStatus.INVALID, actor=actor,
                     **said_as("reason", gettext_noop("作为无效事件结束：%(reason)s"), reason=reason))
    settle_notifications(department=_guidance_office(), prefix=TO_ROUTE, link=event.get_absolute_url())
    queue_reporter_message(event, ReporterMessage.Kind.INVALID)  # if they asked to be told
    audit_log(actor=actor, action="intake.event.invalidate", obj=event, after={"reason": reason})
    return event


@transaction.atomic
def event_reinstate(*, actor, event: Event, reason: str) -> Event:
    """恢复受理: a report ended as invalid by mistake is taken up again, with the reason, and routed like a new one."""
    event.refresh_from_db()
    require_command(actor)
    reason = _stated(reason, _("恢复受理"))
    if event.status != EventStatus.INVALID:
        raise InvalidTransition(_("只有已作为无效结束的事件可以恢复受理"), errors={"status": [event.get_status_display()]})
    event_transition(event=event, new=EventStatus.TRIAGE, actor=actor,
                     **said_as("reason", gettext_noop("恢复受理：%(reason)s"), reason=reason))
    audit_log(actor=actor, action="intake.event.reinstate", obj=event, after={"reason": reason})
    route_event(event=event, actor=actor)
    return event


# ------------------------------------------------------------------ 吹哨报到


@transaction.atomic
def whistle_blow(*, actor, title: str, description: str, town, action_at: dt.datetime, place: str,
                 calls: list[tuple[Department, str]], event: Event | None = None) -> Whistle:
    """A town team calls named county departments to a joint action, in one step; each must report
    (报到) within ``whistle.report_hours``."""
    team = actor.team
    if actor.role != Role.TOWN_OFFICER or team is None or not team.towns.filter(pk=town.pk).exists():
        raise NotPermitted(_("只有该镇街的执法队可以吹哨"), errors={"__all__": [_("无权吹哨")]})
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("请填写事由")]
    for field, value in (("title", title), ("place", place)):
        if (too_long := length_error(value, Whistle, field)) is not None:
            errors[field] = [too_long]
    if long_tasks := [e for _d, task in calls if (e := length_error(task, WhistleCall, "task")) is not None]:
        errors["task"] = long_tasks[:1]
    if not calls:
        errors["calls"] = [_("至少呼叫一个部门")]
    if len({d.pk for d, _t in calls}) != len(calls):
        errors["calls"] = [_("同一部门只能呼叫一次")]
    now = clock.now()
    if action_at < now - dt.timedelta(hours=1):
        errors["action_at"] = [_("联合行动时间不能早于现在")]
    if errors:
        raise ValidationFailed(_("吹哨信息有误"), errors=errors)
    whistle = Whistle.objects.create(title=title, description=description, team=team, town=town, event=event,
                                     action_at=action_at, place=place, created_by=actor, created_at=now)
    due = now + dt.timedelta(hours=config_get("whistle.report_hours"))
    for dept, task in calls:
        call = WhistleCall.objects.create(whistle=whistle, department=dept, task=task, report_due=due)
        deadline_open(kind="whistle.report", obj=call, department=dept,
                      label=said(gettext_noop("吹哨报到：%(title)s"), title=title), due_at=due,
                      start=now, rule="whistle.report_hours", basis=said(gettext_noop("吹哨后 %(n)s 小时"), n=config_get("whistle.report_hours")))
        notify(department=dept, level=Notification.Level.REMIND, field_work=True,
               **said(gettext_noop("%(team)s吹哨：%(title)s，请于%(due)s前报到"), team=team.name, title=title,
                      due=f"{timezone.localtime(due):%m-%d %H:%M}"))
    audit_log(actor=actor, action="dispatch.whistle.blow", obj=whistle,
              after={"calls": [d.pk for d, _t in calls], "town": town.pk, "action_at": action_at})
    return whistle


@transaction.atomic
def whistle_report(*, actor, call: WhistleCall, note: str = "") -> WhistleCall:
    if not works_for(actor, call.department):
        raise NotPermitted(_("只有被呼叫的部门可以报到"), errors={"__all__": [_("无权报到")]})
    if (too_long := length_error(note, WhistleCall, "report_note")) is not None:
        raise ValidationFailed(_("报到说明太长"), errors={"note": [too_long]})
    now = clock.now()
    moved = WhistleCall.objects.filter(pk=call.pk, reported_at__isnull=True).update(reported_at=now, reported_by=actor,
                                                                                    report_note=note)
    if not moved:
        raise InvalidTransition(_("已经报到"), errors={"call": [_("已报到")]})
    call.refresh_from_db()
    deadline_close(kind="whistle.report", obj=call, at=now)
    audit_log(actor=actor, action="dispatch.whistle.report", obj=call, after={"note": note, "late": now > call.report_due})
    return call


@transaction.atomic
def whistle_close(*, actor, whistle: Whistle, outcome: str, done_call_ids: list[int] | None = None) -> Whistle:
    if actor.team_id != whistle.team_id:
        raise NotPermitted(_("只有吹哨队伍可以结束联合行动"), errors={"__all__": [_("无权操作")]})
    if len(outcome.strip()) < 4:
        raise ValidationFailed(_("请填写行动结果"), errors={"outcome": [_("不少于4个字")]})
    if set(done_call_ids or []) - set(whistle.calls.values_list("pk", flat=True)):
        raise ValidationFailed(_("完成任务的部门不属于本次行动"), errors={"done": [_("无效的部门")]})
    WhistleCall.objects.filter(whistle=whistle, pk__in=done_call_ids or []).update(task_done=True)
    moved = Whistle.objects.filter(pk=whistle.pk, status=Whistle.Status.OPEN).update(
        status=Whistle.Status.CLOSED, outcome=outcome, closed_at=clock.now())
    if not moved:
        raise InvalidTransition(_("联合行动已结束"), errors={"status": [_("已结束")]})
    whistle.refresh_from_db()
    unreported = list(whistle.calls.filter(reported_at__isnull=True))
    for call in unreported:  # the action is over: nobody is chased to report to it any more (the page and
        deadlines_cancel(call)  # the audit keep that they never did)
    audit_log(actor=actor, action="dispatch.whistle.close", obj=whistle,
              after={"outcome": outcome, "unreported": [c.department.name for c in unreported],
                     "done": sorted(done_call_ids or [])})
    return whistle


# ------------------------------------------------------------------ 专项整治


@transaction.atomic
def campaign_create(*, actor, name: str, description: str, lead: Department, start: dt.date, end: dt.date,
                    targets: dict, partners: list[Department] = (), category=None) -> Campaign:
    """Create a campaign with one task (and one instruction) per town; ``targets`` maps town → count."""
    require_command(actor)
    errors = {}
    if not name.strip():
        errors["name"] = [_("名称不能为空")]
    elif len(name) > 100:
        errors["name"] = [_("不能超过100个字符（现有%(n)s个）") % {"n": len(name)}]
    if end < start:
        errors["end"] = [_("结束日期早于开始日期")]
    if not description.strip():
        errors["description"] = [_("说明不能为空：写明为什么整治、整治什么")]
    if not targets:
        errors["targets"] = [_("至少一个镇街")]
    elif any(not isinstance(n, int) or n < 1 for n in targets.values()):
        errors["targets"] = [_("排查目标须为正整数")]
    if errors:
        raise ValidationFailed(_("专项整治信息有误"), errors=errors)
    partners = [d for d in partners if d.pk != lead.pk]
    campaign = Campaign.objects.create(name=name, description=description, lead_department=lead, start=start, end=end,
                                       category=category, created_by=actor, created_at=clock.now())
    campaign.partner_departments.set(partners)
    for town, target in targets.items():
        team = Team.objects.filter(kind=TeamKind.TOWN, towns=town, active=True).first()
        if team is None:
            raise ValidationFailed(_("镇街没有执法队伍"), errors={"targets": [_("%(name)s没有镇街执法队") % {"name": town.name}]})
        task = CampaignTask.objects.create(campaign=campaign, town=town, team=team, target=target)
        instruction_issue(event=None, campaign_task=task, department=team.department, team=team, priority="normal",
                          actor=actor, content=said(gettext_noop("专项整治“%(name)s”：%(town)s排查 %(target)s 处"),
                                                    limit=None, name=name, town=town.name, target=target))
    audit_log(actor=actor, action="dispatch.campaign.create", obj=campaign,
              after={"towns": {t.name: n for t, n in targets.items()}, "lead": lead.pk})
    return campaign


@transaction.atomic
def campaign_finish(*, actor, campaign: Campaign, results: str) -> Campaign:
    """结束专项整治 with its results (整治成效). Task instructions still open are cancelled with their
    deadlines: the campaign is over, so nobody is reminded or escalated for it any more."""
    require_command(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.ACTIVE:
        raise ValidationFailed(_("专项整治已结束"), errors={"__all__": [_("已结束的专项整治不能再次结束")]})
    if not results.strip():
        raise ValidationFailed(_("请填写整治成效"), errors={"results": [_("不能为空：写明排查、整改的结果")]})
    if len(results) > 2000:
        raise ValidationFailed(_("整治成效过长"), errors={"results": [_("不能超过2000个字符（现有%(n)s个）") % {"n": len(results)}]})
    cancelled = []
    for ins in Instruction.objects.filter(campaign_task__campaign=campaign, status__in=Instruction.OPEN):
        Instruction.objects.filter(pk=ins.pk).update(status=Instruction.Status.CANCELLED)
        deadlines_cancel(ins)
        cancelled.append(ins.pk)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.FINISHED, results=results.strip())
    totals = campaign.tasks.aggregate(found=Sum("found"), fixed=Sum("fixed"))
    audit_log(actor=actor, action="dispatch.campaign.finish", obj=campaign, before={"status": campaign.status},
              after={"results": results.strip(), "found": totals["found"], "fixed": totals["fixed"],
                     "cancelled_instructions": cancelled})
    campaign.refresh_from_db()
    return campaign


@transaction.atomic
def campaign_task_update(*, actor, task: CampaignTask, found: int, fixed: int, note: str = "",
                         attachments: list[NewAttachment] | None = None) -> CampaignTask:
    """专项整治 progress by the task's team: hazards found and fixed, a note, and photos of them (整改照片)."""
    if not (works_for(actor, task.team.department) or actor.team_id == task.team_id):
        raise NotPermitted(_("只有承担任务的队伍可以填报进度"), errors={"__all__": [_("无权填报")]})
    if task.campaign.status != Campaign.Status.ACTIVE:
        raise ValidationFailed(_("专项整治已结束，不能再填报进度"), errors={"__all__": [_("专项整治已结束")]})
    errors: dict[str, list[str]] = {}
    if found < 0 or fixed < 0 or fixed > found:
        errors["fixed"] = [_("已整改数不能超过发现数，且不能为负")]
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = [_("不能超过300个字符（现有%(n)s个）") % {"n": len(note)}]
    files = check_attachments(attachments or [], errors)
    if errors:
        raise ValidationFailed(_("进度数据有误"), errors=errors)
    before = {"found": task.found, "fixed": task.fixed, "note": task.note}
    CampaignTask.objects.filter(pk=task.pk).update(found=found, fixed=fixed, note=note)
    photos = store_files(files, lambda **f: CampaignTaskPhoto(task=task, added_by=actor, **f))
    task.refresh_from_db()
    audit_log(actor=actor, action="dispatch.campaign.progress", obj=task, before=before,
              after={"found": found, "fixed": fixed, "note": note, "photos": photos})
    return task


# ------------------------------------------------------------------ the sweep


def deadlines_sweep(*, now: dt.datetime | None = None) -> dict:
    """Remind before, escalate (督办) when overdue, escalate again later. Idempotent: each step is a
    compare-and-set on the deadline row, so two workers never send the same reminder twice."""
    now = now or clock.now()
    counts = {"reminded": 0, "escalated": 0, "escalated2": 0, "elapsed": 0, "clocks_opened": state_clocks_backfill()}
    guidance = _guidance_office()
    batch = list(Deadline.objects.filter(state=Deadline.State.OPEN, party_period=True, due_at__lte=now)[:500])
    links = deadline_links(batch)
    for d in batch:
        with transaction.atomic():
            if Deadline.objects.filter(pk=d.pk, state=Deadline.State.OPEN).update(state=Deadline.State.ELAPSED,
                                                                                   closed_at=now):
                notify(department=d.department, level=Notification.Level.INFO, link=links[d.pk],
                       **said(gettext_noop("期间届满：%(label)s"), label=inside(d)))  # a party's period: a case's
                audit_log(actor=None, action="dispatch.deadline.elapse", obj=d, after={"due_at": d.due_at})
                counts["elapsed"] += 1
    duties = Deadline.objects.filter(state=Deadline.State.OPEN, party_period=False)
    # the second warning first: a sweep that finds both come sends one (the later), not two at once
    for stamp, remind, second in (("reminded2_at", "remind2_at", True), ("reminded_at", "remind_at", False)):
        batch = list(duties.filter(**{f"{stamp}__isnull": True, f"{remind}__lte": now}, due_at__gt=now)[:500])
        links = deadline_links(batch)
        for d in batch:
            with transaction.atomic():
                stamps = {stamp: now, **({"reminded_at": Coalesce("reminded_at", Value(now))} if second else {})}
                if Deadline.objects.filter(pk=d.pk, **{f"{stamp}__isnull": True}).update(**stamps):
                    notify(department=d.department, level=Notification.Level.REMIND, link=links[d.pk],
                           field_work=d.kind.startswith(FIELD_WORK_DEADLINES), **said(gettext_noop("即将超期：%(label)s，时限 %(due)s"), label=inside(d),
                                  due=f"{timezone.localtime(d.due_at):%m-%d %H:%M}"))
                    audit_log(actor=None, action="dispatch.deadline.remind", obj=d, after={"due_at": d.due_at,
                                                                                          "second": second})
                    counts["reminded"] += 1
    level1, level2 = [], []
    batch = list(duties.filter(escalation_level=0, due_at__lte=now)[:500])
    links = deadline_links(batch)
    for d in batch:
        with transaction.atomic():
            if Deadline.objects.filter(pk=d.pk, escalation_level=0).update(escalation_level=1):
                notice = said(gettext_noop("督办：%(label)s 已超期（时限 %(due)s）"), label=inside(d),
                              due=f"{timezone.localtime(d.due_at):%m-%d %H:%M}")
                link = links[d.pk]
                notify(department=d.department, level=Notification.Level.ESCALATE, link=link,
                       field_work=d.kind.startswith(FIELD_WORK_DEADLINES), **notice)
                level1.append((d.department, said(gettext_noop("%(body)s：督办：%(label)s 已超期（时限 %(due)s）"),
                                                  body=str(d.department), **notice["params"]), link))
                if d.object_type == "dispatch.instruction":
                    Instruction.objects.filter(pk=d.object_id, escalation_level=0).update(escalation_level=1)
                audit_log(actor=None, action="dispatch.deadline.escalate", obj=d, after={"level": 1})
                counts["escalated"] += 1
    batch = list(duties.filter(escalation_level=1, escalate2_at__lte=now)[:500])
    links = deadline_links(batch)
    for d in batch:
        with transaction.atomic():
            if Deadline.objects.filter(pk=d.pk, escalation_level=1).update(escalation_level=2):
                level2.append((d.department, said(gettext_noop("县级督办：%(body)s %(label)s 严重超期"),
                                                  body=str(d.department), label=inside(d)), links[d.pk]))
                if d.object_type == "dispatch.instruction":
                    Instruction.objects.filter(pk=d.object_id).update(escalation_level=2)
                audit_log(actor=None, action="dispatch.deadline.escalate", obj=d, after={"level": 2})
                counts["escalated2"] += 1
    # The supervisors get one notice per pass, not one per item: the body concerned has each item, and the
    # command centre lists them all (超期督办).
    _escalation_digest(guidance, level1, gettext_noop("督办"))
    county = Department.objects.filter(kind=DepartmentKind.GOVERNMENT, region__level="county").first()
    _escalation_digest(county, level2, gettext_noop("县级督办"))
    return counts


def _escalation_digest(department, items: list, title: str) -> None:
    """One notice to a supervisor for a pass's new overdue items: the item itself when there is one, else
    the count with the five bodies that have most (``title`` is a catalogue msgid, said in each reader's
    language like the rest)."""
    if department is None or not items:
        return
    if len(items) == 1:
        _body, notice, link = items[0]
    else:
        by_body = Counter(str(body) for body, _notice, _link in items)
        parts = {"title": title, "n": len(items), "bodies": counted(by_body.most_common(5))}
        notice = said(gettext_noop("%(title)s：本轮新增超期 %(n)s 件（%(bodies)s等%(count)s个单位）"), labels=("title",),
                      count=len(by_body), **parts) if len(by_body) > 5 else \
            said(gettext_noop("%(title)s：本轮新增超期 %(n)s 件（%(bodies)s）"), labels=("title",), **parts)
        link = reverse("dispatch:command")
    notify(department=department, level=Notification.Level.ESCALATE, link=link, **notice)


def hotspot_alerts(*, now: dt.datetime | None = None) -> int:
    """Tell the command centre (the guidance office's notifications) about each new 热点预警 that no active
    campaign covers yet — once per category and place per window, however often the sweep runs."""
    from dispatch.selectors import hot_spots

    now = now or clock.now()
    office = _guidance_office()
    if office is None:
        return 0
    window = config_get("dispatch.hotspot_window_days")
    n = 0
    for h in hot_spots(now=now, limit=20):
        if h.campaign is not None:
            continue
        key = f"{HOTSPOT}{h.category_name}·{h.town_name or '全县'}"
        with transaction.atomic():
            # the office's row serialises concurrent sweeps on several workers: one notice, not two
            Department.objects.select_for_update().filter(pk=office.pk).first()
            if Notification.objects.filter(department=office, text__startswith=key + " ",
                                           created_at__gte=now - dt.timedelta(days=window)).exists():
                continue
            parts = {"category": h.category_name, "town": h.town_name or gettext_noop("全县"), "days": window,
                     "n": h.count}
            notice = said(gettext_noop("热点预警：%(category)s·%(town)s 近%(days)s天%(n)s件，此前每周约%(per_week)s件"),
                          labels=("town",), per_week=f"{h.per_week_before:.1f}", **parts) if h.before else \
                said(gettext_noop("热点预警：%(category)s·%(town)s 近%(days)s天%(n)s件，此前未见"), labels=("town",), **parts)
            notify(department=office, level=Notification.Level.REMIND,
                   link=f"{reverse('intake:events')}?{h.events_query}", **notice)
            audit_log(actor=None, action="dispatch.hotspot.alert", object_type="intake.eventcategory",
                      object_id=h.category_id, after={"town": h.town_id, "count": h.count, "before": h.before,
                                                      "expected": round(h.expected, 3), "p": h.p_value})
        n += 1
    return n


def sweep_all() -> dict:
    """One scheduled pass: deadline rows, then the case states that follow from time passing — unpaid fines
    past their period (XF-072) and credit events of decisions that became final (XY-ZJ-011-016) — the
    text messages queued for reporters, and new 热点预警 for the command centre."""
    from cases.services import credit_sweep, payments_overdue_sweep
    from intake.messaging import send_reporter_messages

    counts = deadlines_sweep()
    counts["payments_overdue"] = payments_overdue_sweep()
    counts["credit_pushed"] = credit_sweep()
    counts["reporter_messages"] = send_reporter_messages()
    counts["hotspot_alerts"] = hotspot_alerts()
    return counts


def open_disputes():
    return Dispute.objects.filter(status=Dispute.Status.OPEN).select_related("event")




@transaction.atomic
def event_reveal_contact(*, actor, event: Event) -> str:
    """Show ``actor`` the reporter's full phone number, for a call back; every look is audited (XF-050)."""
    contact = reporter_contact(actor, event, revealed=True)
    if not contact.can_reveal:
        raise NotPermitted(_("无权查看报告人电话"), errors={"reporter_phone": [_("报告人要求保密或您不是办理单位、指挥中心人员")]})
    audit_log(actor=actor, action="intake.event.contact_view", obj=event,
              after={"ticket": event.ticket, "confidential": event.confidential})
    return contact.phone


@transaction.atomic
def notifications_mark_read(*, actor, pk: int | None = None) -> int:
    """Mark every notification ``actor`` has not yet read — or only notification ``pk`` — as read by
    ``actor`` (only for them: their colleagues in the same body keep theirs unread). A ``pk`` the actor
    may not see is NotFound."""
    from dispatch.selectors import notifications_for, unread_notifications_for

    unread = unread_notifications_for(actor)
    if pk is not None:
        if not notifications_for(actor).filter(pk=pk).exists():
            raise NotFound(_("没有这条通知"), errors={"notification": [_("不存在或无权查看")]})
        unread = unread.filter(pk=pk)
    ids = list(unread.values_list("pk", flat=True))
    now = clock.now()
    NotificationRead.objects.bulk_create([NotificationRead(notification_id=pk, user=actor, at=now) for pk in ids],
                                         ignore_conflicts=True)
    if ids:
        audit_log(actor=actor, action="core.notifications.read", object_type="core.notification",
                  object_id=f"{min(ids)}-{max(ids)}", after={"count": len(ids), "ids": ids})
    return len(ids)


PUBLIC_PHOTO_MAX_SIDE = 1600
MAX_REDACTIONS = 30


def _redaction_boxes(redactions) -> list[tuple[float, float, float, float]]:
    """打码区域: rectangles ``[x, y, width, height]`` as fractions (0–1) of the upright photo, so that they
    mean the same whatever size the publisher's screen showed it at. Each must lie inside the photo."""
    message = _("打码区域须为照片内的矩形 [x, y, 宽, 高]，各值为 0 到 1 之间的比例")
    if not isinstance(redactions, (list, tuple)):
        raise ValidationFailed(message, errors={"redactions": [message]})
    if len(redactions) > MAX_REDACTIONS:
        too_many = _("打码区域最多 %(max)s 处，现有 %(n)s 处") % {"max": MAX_REDACTIONS, "n": len(redactions)}
        raise ValidationFailed(too_many, errors={"redactions": [too_many]})
    boxes = []
    for n, box in enumerate(redactions, 1):
        ok = isinstance(box, (list, tuple)) and len(box) == 4 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in box)
        if ok:
            x, y, w, h = (float(v) for v in box)
            ok = w > 0 and h > 0 and x + w <= 1.001 and y + h <= 1.001
        if not ok:
            bad = _("第 %(n)s 处：%(message)s") % {"n": n, "message": message}
            raise ValidationFailed(bad, errors={"redactions": [bad]})
        boxes.append((x, y, w, h))
    return boxes


def _pixelate(image, boxes) -> None:
    """马赛克 in place: each box is reduced to blocks of at least 12 px (an eighth of the box's longer side
    when that is more) and enlarged back, so a face or number plate cannot be read or sharpened back."""
    from PIL import Image

    width, height = image.size
    for x, y, w, h in boxes:
        left, top = int(x * width), int(y * height)
        right = min(width, max(left + 1, round((x + w) * width)))
        bottom = min(height, max(top + 1, round((y + h) * height)))
        region = image.crop((left, top, right, bottom))
        block = max(12, max(region.size) // 8)
        small = region.resize((max(1, region.width // block), max(1, region.height // block)), Image.Resampling.BOX)
        image.paste(small.resize(region.size, Image.Resampling.NEAREST), (left, top))


def _public_copy(attachment, boxes=()) -> bytes:
    """The photo as the public may see it: turned upright, at most PUBLIC_PHOTO_MAX_SIDE pixels a side, the
    publisher's 打码 regions pixelated, re-encoded as JPEG without EXIF (no GPS position of the reporter's
    phone, no camera serial)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with attachment.file.open("rb") as handle, Image.open(handle) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PUBLIC_PHOTO_MAX_SIDE, PUBLIC_PHOTO_MAX_SIDE))
            image = image.convert("RGB")
            _pixelate(image, boxes)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        unreadable = _("“%(name)s”不是可读的图片") % {"name": attachment.original_name}
        raise ValidationFailed(_("图片无法读取，不能公开"), errors={"attachment": [unreadable]}) from exc
    return out.getvalue()


PUBLICATION_CHECK = gettext_lazy("请先查看照片：确认没有可辨认的人脸、车牌、门牌或证件，或已将其打码")


@transaction.atomic
def attachment_publish(*, actor, attachment: Attachment, checked: bool, redactions=()) -> Attachment:
    """公开照片: the command centre, having looked at a photo, shows a cleaned copy of it on the public ticket
    page and as Open311 ``media_url``. Only photos of reports the public may see (not referrals or
    inspection findings, XF-050), never of a reporter who asked for confidentiality. The publisher confirms
    (``checked``) that no face, number plate, house number or document can be recognised in the copy, and
    marks those that can as ``redactions`` to be pixelated (个人信息保护: the public copy is the only one
    that leaves the system)."""
    attachment = Attachment.objects.select_for_update().select_related("event").get(pk=attachment.pk)
    event = attachment.event
    if refused := photo_publication_refused(actor, event):
        raise NotPermitted(refused, errors={"attachment": [refused]})
    if not attachment.content_type.startswith("image/"):
        raise ValidationFailed(_("只有照片可以公开"), errors={"attachment": [_("不是图片")]})
    if attachment.published_at is not None:
        raise InvalidTransition(_("这张照片已公开"), errors={"attachment": [_("已公开")]})
    boxes = _redaction_boxes(redactions)
    if checked is not True:
        raise ValidationFailed(str(PUBLICATION_CHECK), errors={"checked": [str(PUBLICATION_CHECK)]})
    data = _public_copy(attachment, boxes)
    token = secrets.token_hex(16)
    attachment.public_file.save(f"{token}.jpg", ContentFile(data), save=False)
    attachment.public_token, attachment.published_at, attachment.published_by = token, clock.now(), actor
    attachment.public_redactions = [list(box) for box in boxes]
    attachment.save(update_fields=["public_file", "public_token", "published_at", "published_by",
                                   "public_redactions"])
    audit_log(actor=actor, action="intake.attachment.publish", obj=event,
              after={"attachment": attachment.pk, "sha256": attachment.sha256, "stage": attachment.stage,
                     "public_bytes": len(data), "redactions": attachment.public_redactions})
    return attachment


@transaction.atomic
def attachment_unpublish(*, actor, attachment: Attachment) -> Attachment:
    """取消公开: the public copy is deleted at once; its address stops answering."""
    require_command(actor)
    attachment = Attachment.objects.select_for_update().select_related("event").get(pk=attachment.pk)
    if attachment.published_at is None:
        raise InvalidTransition(_("这张照片没有公开"), errors={"attachment": [_("未公开")]})
    public_file = attachment.public_file
    Attachment.objects.filter(pk=attachment.pk).update(public_file="", public_token="", published_at=None,
                                                        published_by=None, public_redactions=[])
    transaction.on_commit(lambda: public_file.delete(save=False))
    audit_log(actor=actor, action="intake.attachment.unpublish", obj=attachment.event,
              after={"attachment": attachment.pk, "sha256": attachment.sha256})
    attachment.refresh_from_db()
    return attachment

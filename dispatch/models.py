"""Routing decisions, returns and disputes, instructions (指令), 吹哨报到, special campaigns."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import SaidAgain
from intake.choices import Priority
from intake.models import StoredFile


class RoutingDecision(models.Model):
    """Who is responsible for an event, and why. ``explanation`` keeps every reason shown to users:
    the boundary row, the item with its legal basis, the town delegation, the model and its confidence."""

    class Method(models.TextChoices):
        AUTO = "auto", _("自动分派")
        TRIAGE = "triage", _("转人工分拨")
        MANUAL = "manual", _("人工分拨")
        RULING = "ruling", _("指导办裁定")
        REOPEN = "reopen", _("重新处理")

    event = models.ForeignKey("intake.Event", on_delete=models.CASCADE, related_name="decisions")
    method = models.CharField(max_length=8, choices=Method.choices)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True)
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, null=True, blank=True)
    item = models.ForeignKey("catalogue.EnforcementItem", on_delete=models.PROTECT, null=True, blank=True)
    boundary_rule = models.ForeignKey("catalogue.BoundaryRule", on_delete=models.PROTECT, null=True, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    model_version = models.CharField(max_length=60, blank=True)
    explanation = models.JSONField(default=dict)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["event", "at", "id"]
        verbose_name = _("分派决定")
        verbose_name_plural = _("分派决定")

    def __str__(self) -> str:
        return f"{self.event_id} → {self.department_id} ({self.method})"


class EventReturn(models.Model):
    """退单: the receiving body says it is not theirs, with a reason."""

    event = models.ForeignKey("intake.Event", on_delete=models.CASCADE, related_name="returns")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT)
    reason = models.CharField(_("退单理由"), max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.event_id} 退单 {self.department_id}"


class Dispute(models.Model):
    """A responsibility dispute for the guidance office (ZJ-017). The ruling routes the event and can add
    a boundary row, so the same question is never argued twice."""

    class Status(models.TextChoices):
        OPEN = "open", _("待裁定")
        RULED = "ruled", _("已裁定")

    event = models.ForeignKey("intake.Event", on_delete=models.CASCADE, related_name="disputes")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    departments = models.ManyToManyField("org.Department", related_name="disputes")
    opened_at = models.DateTimeField()
    ruling = models.TextField(_("裁定意见"), blank=True)
    ruled_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    boundary_rule = models.ForeignKey("catalogue.BoundaryRule", on_delete=models.PROTECT, null=True, blank=True)
    ruled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    ruled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["event"], condition=Q(status="open"),
                                               name="one_open_dispute_per_event")]

    def __str__(self) -> str:
        return f"争议 {self.event_id} {self.status}"


class Instruction(SaidAgain):
    """指令 from the command centre to a body, with sign-for and feedback deadlines. ``content`` is the record
    (Chinese); what the system composed keeps its parts (``message``/``params``) to be said again."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("待签收")
        SIGNED = "signed", _("已签收")
        DONE = "done", _("已反馈")
        RETURNED = "returned", _("已退回")
        TRANSFERRED = "transferred", _("已流转")
        CANCELLED = "cancelled", _("已撤销")

    OPEN = (Status.ISSUED, Status.SIGNED)  # in hand: to sign for, or signed and not yet answered

    event = models.ForeignKey("intake.Event", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="instructions")
    campaign_task = models.ForeignKey("CampaignTask", on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="instructions")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="instructions")
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, null=True, blank=True)
    content = models.TextField(_("指令内容"))
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ISSUED)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    issued_at = models.DateTimeField()
    sign_due = models.DateTimeField(_("签收时限"))
    feedback_due = models.DateTimeField(_("反馈时限"))
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    feedback_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(_("反馈"), blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    transferred_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="transfers")

    class Meta:
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["department", "status"])]
        verbose_name = _("指令")
        verbose_name_plural = _("指令")

    def __str__(self) -> str:
        return f"指令#{self.pk} → {self.department_id} {self.status}"

    @property
    def shown(self) -> str:
        """The instruction in the reader's language (its stored text where nothing was kept to say again)."""
        return self.said_again(self.content, len(self.content) + 500)


class Whistle(models.Model):
    """吹哨: a town team calls named county departments to a joint action in one step."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已完成")

    title = models.CharField(_("事由"), max_length=200)
    description = models.TextField(_("情况说明"))
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, related_name="whistles", verbose_name=_("吹哨队伍"))
    town = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="whistles")
    event = models.ForeignKey("intake.Event", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="whistles")
    action_at = models.DateTimeField(_("联合行动时间"))
    place = models.CharField(_("地点"), max_length=200)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("行动结果"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class WhistleCall(models.Model):
    """报到: each called department reports by its deadline."""

    whistle = models.ForeignKey(Whistle, on_delete=models.CASCADE, related_name="calls")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="whistle_calls")
    task = models.CharField(_("任务"), max_length=300)
    report_due = models.DateTimeField(_("报到时限"))
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    report_note = models.CharField(max_length=300, blank=True)
    task_done = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["whistle", "department"], name="one_call_per_department")]

    def __str__(self) -> str:
        return f"{self.whistle_id} → {self.department_id}"


class Campaign(models.Model):
    """专项整治 (e.g. 窨井盖 county-wide)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("进行中")
        FINISHED = "finished", _("已结束")

    name = models.CharField(_("名称"), max_length=100)
    category = models.ForeignKey("intake.EventCategory", on_delete=models.PROTECT, null=True, blank=True)
    description = models.TextField(_("说明"))
    lead_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    partner_departments = models.ManyToManyField("org.Department", blank=True, related_name="campaigns")
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    results = models.TextField(_("整治成效"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.name


class CampaignTask(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    town = models.ForeignKey("org.Region", on_delete=models.PROTECT)
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT)
    target = models.PositiveIntegerField(_("排查目标(处)"), default=0)
    found = models.PositiveIntegerField(_("发现隐患(处)"), default=0)
    fixed = models.PositiveIntegerField(_("已整改(处)"), default=0)
    note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "town__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "town"], name="one_task_per_town")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.town_id}"


class CampaignTaskPhoto(StoredFile):
    """整改照片: what a town team found and fixed in a 专项整治, uploaded with its progress (content-hashed,
    type read from the bytes, like a report's photos); staff only."""

    task = models.ForeignKey(CampaignTask, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="campaigns/%Y/%m/")
    uploaded_at = models.DateTimeField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("上传人"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.original_name}"

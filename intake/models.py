"""Intake: one event model for every channel (事件/线索)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import clock
from core.codes import random_code
from core.models import SaidAgain
from intake.choices import AttachmentStage, Channel, EventStatus, Priority, TownSource


class EventCategory(models.Model):
    """What kind of problem: GB/T 30428-style city-management categories plus enforcement ones.
    ``domain`` links to the catalogue (which items may apply); ``department`` is the default body for
    matters that are not enforcement (e.g. repairs)."""

    code = models.CharField(_("编码"), max_length=10, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    group = models.CharField(_("大类"), max_length=30)
    domain = models.ForeignKey("catalogue.Domain", on_delete=models.PROTECT, null=True, blank=True)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   verbose_name=_("默认处置部门"))
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    item_keywords = models.JSONField(_("事项关键词"), default=list, blank=True,
                                     help_text=_("在该领域事项名称中查找的词"))
    source = models.CharField(_("来源"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("事件类别")
        verbose_name_plural = _("事件类别")

    def __str__(self) -> str:
        return f"{self.group}/{self.name}"


class ApiClient(models.Model):
    """A system that sends events (12345 hotline, drone platform, camera/IoT, a department system).
    Only the SHA-256 of the key is stored; the key is shown once when created."""

    class Kind(models.TextChoices):
        HOTLINE = "hotline", _("12345热线")
        DRONE = "drone", _("无人机平台")
        SENSOR = "sensor", _("视频/物联感知")
        DEPARTMENT = "department", _("部门系统")
        OPEN311 = "open311", _("Open311 应用")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    key_prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("接入系统")
        verbose_name_plural = _("接入系统")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def channel(self) -> str:
        return {"hotline": Channel.HOTLINE, "drone": Channel.DRONE, "sensor": Channel.SENSOR,
                "department": Channel.REFERRAL, "open311": Channel.CITIZEN}[self.kind]


def new_ticket() -> str:
    return "CS" + random_code(10)


class Event(models.Model):
    ticket = models.CharField(_("受理编号"), max_length=16, unique=True, default=new_ticket)
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    source = models.ForeignKey(ApiClient, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    external_id = models.CharField(_("来源系统编号"), max_length=100, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="reported_events")
    reporter_name = models.CharField(_("报告人"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("报告人电话"), max_length=20, blank=True)
    notify_reporter = models.BooleanField(
        _("短信告知办理结果"), default=False,
        help_text=_("报告人要求以短信告知受理和办结（须留电话）"))
    confidential = models.BooleanField(
        _("为报告人保密"), default=False,
        help_text=_("报告人要求保密（XF-050）：姓名和电话只有指挥中心可见，办理单位经指挥中心联系报告人"))
    title = models.CharField(_("标题"), max_length=100, blank=True)
    text = models.TextField(_("描述"))
    # a photo or video the sending system keeps (Open311 ``media_url``): a link for staff, never fetched by
    # the server (no requests to addresses a client chooses) and never shown to the public
    media_url = models.URLField(_("外部照片链接"), max_length=500, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    town = models.ForeignKey("org.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="events",
                             verbose_name=_("镇街"))
    town_source = models.CharField(_("镇街依据"), max_length=8, choices=TownSource.choices, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("受理时间"))
    # 部门移送 (ZJ-016): when the department found the lead, and the day it should have referred it by
    # (``referral.business_to_enforcement.max_working_days`` after, as configured on the day it was found)
    found_on = models.DateField(_("发现日期"), null=True, blank=True)
    referral_due = models.DateField(_("应移送日期"), null=True, blank=True)
    category = models.ForeignKey(EventCategory, on_delete=models.PROTECT, null=True, blank=True,
                                 verbose_name=_("类别"))
    priority = models.CharField(_("紧急程度"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("状态"), max_length=10, choices=EventStatus.choices, default=EventStatus.TRIAGE)
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="duplicates", verbose_name=_("重复于"))
    me_too_count = models.PositiveIntegerField(_("附议数"), default=0)
    item = models.ForeignKey("catalogue.EnforcementItem", on_delete=models.PROTECT, null=True, blank=True,
                             verbose_name=_("涉及事项"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="events", verbose_name=_("责任主体"))
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="events",
                             verbose_name=_("承办队伍"))
    campaign = models.ForeignKey("dispatch.Campaign", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="events", verbose_name=_("专项整治"))
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    outcome = models.TextField(_("处置结果"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("合成数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], condition=~Q(external_id=""),
                                    name="event_external_id_unique_per_source"),
            # a signed-in reporter's own reference (the phone form's offline queue): one event per reference
            models.UniqueConstraint(fields=["reporter", "external_id"],
                                    condition=Q(source__isnull=True) & ~Q(external_id=""),
                                    name="event_external_id_unique_per_reporter"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="event_rating_1_to_5"),
        ]
        indexes = [models.Index(fields=["status", "received_at"]), models.Index(fields=["town", "status"]),
                   models.Index(fields=["department", "status"]), models.Index(fields=["category", "received_at"])]

    def __str__(self) -> str:
        return f"{self.ticket} {self.title or self.text[:20]}"

    def get_absolute_url(self) -> str:
        return reverse("intake:event", args=[self.pk])

    @property
    def referral_late_days(self) -> int:
        """Days a department's referral came after the day it should have (0 on time, or not a dated referral)."""
        if self.referral_due is None:
            return 0
        return max(0, (timezone.localtime(self.received_at).date() - self.referral_due).days)

    @property
    def referring_department_id(self) -> int | None:
        """部门移送 (ZJ-016): the 业务主管部门 that referred this report — the department a department system's key
        belongs to, or the department of the supervisor who filed it — to be told what became of it; None for
        every other channel."""
        if self.channel != Channel.REFERRAL:
            return None
        if self.source_id is not None:
            return self.source.department_id
        return self.reporter.department_id if self.reporter_id else None


def referred_by(department_id: int) -> Q:
    """SQL twin of ``Event.referring_department_id == department_id``: the referrals (部门移送, ZJ-016) the
    department made, by its system's key or by its own staff."""
    return Q(channel=Channel.REFERRAL) & (Q(source__department_id=department_id)
                                          | Q(source__isnull=True, reporter__department_id=department_id))


def referring_department():
    """SQL twin of ``Event.referring_department_id``, as an expression to annotate and group by."""
    return models.Case(
        models.When(channel=Channel.REFERRAL, source__isnull=False, then=models.F("source__department_id")),
        models.When(channel=Channel.REFERRAL, then=models.F("reporter__department_id")),
        default=None, output_field=models.IntegerField())


class EventTransition(SaidAgain):
    """One row per status change (house style §9)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="transitions")
    old = models.CharField(max_length=10, blank=True)
    new = models.CharField(max_length=10)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    actor_label = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=500, blank=True)  # as the records say it (Chinese)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.old}→{self.new}"

    @property
    def shown_reason(self) -> str:
        """The reason in the reader's (active) language where it was recorded with its parts."""
        return self.said_again(self.reason, 500)

    @property
    def old_label(self) -> str:
        return str(EventStatus(self.old).label) if self.old in EventStatus.values else ""

    @property
    def new_label(self) -> str:
        return str(EventStatus(self.new).label) if self.new in EventStatus.values else self.new


class StoredFile(models.Model):
    """What ``intake.services.store_files`` writes for every checked upload: the content's SHA-256, the type
    read from its bytes, its size and the name it came with. Subclasses add ``file`` (where it is kept),
    ``uploaded_at`` and what it belongs to."""

    sha256 = models.CharField(max_length=64, db_index=True)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True


class Attachment(StoredFile):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="events/%Y/%m/")
    uploaded_at = models.DateTimeField(default=timezone.now)  # set by the services from core.clock
    stage = models.CharField(_("阶段"), max_length=8, choices=AttachmentStage.choices, default=AttachmentStage.REPORT)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("上传人"))
    # 公开: a reviewed copy for the public (re-encoded, location and camera data stripped), served under an
    # unguessable token; the original is never served publicly.
    public_file = models.FileField(upload_to="public/%Y/%m/", blank=True)
    public_token = models.CharField(max_length=32, blank=True, db_index=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("公开人"))
    # 打码: the regions pixelated in the public copy, [x, y, width, height] as fractions of the photo.
    public_redactions = models.JSONField(_("打码区域"), default=list, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.original_name} {self.sha256[:12]}"


class Verification(models.Model):
    """核查: an independent check that a reported problem was really fixed."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="verifications")
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    passed = models.BooleanField()
    note = models.CharField(max_length=500)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.event_id} {'通过' if self.passed else '不通过'}"


class ReporterMessage(models.Model):
    """A text message to a reporter who asked for one (受理, 合并, 办结), queued by the services and sent
    by the worker's sweep through the configured gateway (``OPENENFORCE_SMS_BACKEND``)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("受理")
        MERGED = "merged", _("合并办理")
        CLOSED = "closed", _("办结")
        INVALID = "invalid", _("不予处理")

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    phone = models.CharField(max_length=20)
    text = models.CharField(max_length=300)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    attempted_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind} {self.status}"

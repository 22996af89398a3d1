"""Core tables: the hash-chained audit trail, the working-day calendar data, configuration history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock
from core.records import resaid


class SaidAgain(models.Model):
    """A stored text (Chinese, the record) kept with its catalogue msgid and parts (``core.records.said``),
    so a reader in another language gets it said again; rows without a message show their text."""

    message = models.CharField(max_length=200, blank=True)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def said_again(self, stored: str, limit: int) -> str:
        return resaid(self.message, self.params, stored=stored)[:limit]


class AuditRecord(models.Model):
    """One append-only entry of the audit trail (执法全过程留痕, XF-047).

    ``hash`` = SHA-256 over the canonical JSON of every other column plus ``prev_hash``; the chain is
    checked by ``openenforce audit_verify``. Actors are stored by id and name, not by foreign key, so
    that no cascade can ever delete or rewrite a record.
    """

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"))
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True)
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, db_index=True)
    object_id = models.CharField(_("对象ID"), max_length=64, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=300, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    origin = models.JSONField(_("来源"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["object_type", "object_id", "seq"]), models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """Single row (pk=1) holding the last sequence number and hash: the lock every appender takes,
    and the anchor that lets ``audit_verify`` notice a deleted tail."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class HolidayNotice(models.Model):
    """A year's official holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知), loaded as data.

    Its days override the bundled ``chinesecalendar`` library for that year (DAY-1..DAY-4)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("通知标题"), max_length=200)
    document_no = models.CharField(_("文号"), max_length=100, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    source_url = models.URLField(_("来源"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日通知")
        verbose_name_plural = _("节假日通知")

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日(休息)")
        WORKDAY = "workday", _("调休上班")

    notice = models.ForeignKey(HolidayNotice, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class ConfigValue(models.Model):
    """A configurable value (the rulebook's UNVERIFIED numbers), with history.

    The value in force on a date is the row with the latest ``valid_from`` not after that date; when
    there is none, the documented default in ``core.config.DEFAULTS`` applies."""

    key = models.CharField(_("配置项"), max_length=100, db_index=True)
    value = models.JSONField(_("值"))
    valid_from = models.DateField(_("生效日期"))
    reason = models.CharField(_("依据/理由"), max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-valid_from", "-id"]
        verbose_name = _("配置值")
        verbose_name_plural = _("配置值")

    def __str__(self) -> str:
        return f"{self.key}={self.value} (from {self.valid_from})"


class Deadline(SaidAgain):
    """A time limit as a row, evaluated by the scheduled sweep (never a sleeping timer).

    ``remind_at`` → a reminder, ``remind2_at`` (where a rule asks for two warnings, XF-060's day 60 and day 80) → a
    second; ``due_at`` passed → escalation level 1 (督办); ``escalate2_at`` → level 2.
    ``rule`` names what produced it (a rulebook id or a configuration key).

    A ``party_period`` is a period the party has (陈述申辩期, 听证申请期, 缴款期, 复议/诉讼期): when it runs
    out nobody in the administration is late, so the sweep marks it 期间届满 and never escalates it."""

    class State(models.TextChoices):
        OPEN = "open", _("未到期")
        MET = "met", _("已按时完成")
        LATE = "late", _("超期完成")
        CANCELLED = "cancelled", _("已取消")
        ELAPSED = "elapsed", _("期间届满")

    kind = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="deadlines")
    label = models.CharField(max_length=200)
    due_at = models.DateTimeField(db_index=True)
    remind_at = models.DateTimeField(null=True, blank=True)
    remind2_at = models.DateTimeField(null=True, blank=True)
    escalate2_at = models.DateTimeField(null=True, blank=True)
    rule = models.CharField(max_length=80)
    basis = models.CharField(max_length=120, blank=True)  # as the records say it (Chinese)
    basis_message = models.CharField(max_length=200, blank=True)  # and its parts (core.records.said)
    basis_params = models.JSONField(default=dict, blank=True)
    provisional = models.BooleanField(default=False)
    party_period = models.BooleanField(_("当事人期间"), default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminded2_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["state", "due_at"]), models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("时限")
        verbose_name_plural = _("时限")

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type}:{self.object_id} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def shown(self) -> str:
        """The label in the reader's language (``label`` is the record's, Chinese)."""
        return self.said_again(self.label, 200)

    @property
    def basis_shown(self) -> str:
        """How the time limit was computed, in the reader's language (rows written before its parts were
        kept show their Chinese)."""
        return resaid(self.basis_message, self.basis_params, stored=self.basis)[:120]

    @property
    def basis_kept(self) -> dict:
        """The basis as :func:`core.records.said` keeps it, to say it inside another basis."""
        return {"text": self.basis, "message": self.basis_message, "params": self.basis_params}

    @staticmethod
    def label_columns(label: dict) -> dict:
        """A label kept by :func:`core.records.said` as the row's columns (the record's text and its parts)."""
        return {"label": label["text"][:200], "message": label["message"], "params": label["params"]}

    @staticmethod
    def basis_columns(basis: str | dict) -> dict:
        """A basis (text, or a :func:`core.records.said` dict) as the row's columns."""
        if isinstance(basis, dict):
            return {"basis": basis["text"][:120], "basis_message": basis["message"], "basis_params": basis["params"]}
        return {"basis": basis[:120]}


class Notification(SaidAgain):
    """A message to a department's users (or one user): reminders, escalations, returns, rulings."""

    class Level(models.TextChoices):
        INFO = "info", _("通知")
        REMIND = "remind", _("提醒")
        ESCALATE = "escalate", _("督办")

    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="notifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="notifications")
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.INFO)
    text = models.CharField(max_length=300)  # as the records say it (Chinese); see SaidAgain
    link = models.CharField(max_length=200, blank=True)
    # About a body's dispatched work (its instructions, whistle calls): for the staff who do that work, not
    # for everyone who acts for the body (its legal reviewer reads its cases, not its instructions).
    field_work = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=clock.now)  # the service clock: a replayed history keeps its dates
    # Settled for everyone (history loaded or replayed, or read before read state was per user). Each
    # user's own reading is a NotificationRead row.
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text

    @property
    def shown(self) -> str:
        """The notice in the reader's (active) language where it was recorded with its parts."""
        return self.said_again(self.text, 300)


class NotificationRead(models.Model):
    """One user has read one notification. A notification addressed to a body is read by each of its
    staff for themselves: one duty officer's reading does not hide it from the director."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_reads")
    at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "user"], name="notification_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.notification_id}"

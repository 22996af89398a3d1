"""The catalogue (事项目录): legal library, domains, enforcement items with their versioned holders
and town delegations, discretion standards, the responsibility-boundary list and parsed candidates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalogue.choices import CandidateStatus, ChangeKind, FineBasis, ItemType, LawLevel


class Law(models.Model):
    """One version of a law or regulation. Versions of the same law share ``short_title``."""

    title = models.CharField(_("名称"), max_length=200)
    short_title = models.CharField(_("简称"), max_length=100, db_index=True)
    level = models.CharField(_("效力级别"), max_length=12, choices=LawLevel.choices)
    version_date = models.DateField(_("版本日期"), help_text=_("最近一次通过/修订/修正日期"))
    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    preamble = models.TextField(_("题注"), blank=True)
    source_file = models.CharField(_("来源文件"), max_length=200, unique=True)
    source = models.CharField(_("来源"), max_length=300, blank=True)

    class Meta:
        ordering = ["short_title", "-version_date"]
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        constraints = [models.UniqueConstraint(fields=["short_title", "version_date"], name="law_version_unique")]

    def __str__(self) -> str:
        return f"{self.short_title}({self.version_date:%Y})"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:law", args=[self.pk])

    def candidates_exist(self) -> bool:
        return ClauseCandidate.objects.filter(article__law=self).exists()


class LawChapter(models.Model):
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="chapters")
    order = models.PositiveIntegerField()
    number = models.CharField(_("章"), max_length=20)
    title = models.CharField(_("标题"), max_length=100)
    is_liability = models.BooleanField(_("法律责任章"), default=False)

    class Meta:
        ordering = ["law", "order"]
        constraints = [models.UniqueConstraint(fields=["law", "order"], name="chapter_order_unique")]
        verbose_name = _("章")
        verbose_name_plural = _("章")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Article(models.Model):
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="articles")
    chapter = models.ForeignKey(LawChapter, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="articles")
    number = models.PositiveIntegerField(_("条号"))
    label = models.CharField(_("条"), max_length=20, help_text=_("如“第五十一条”"))
    text = models.TextField(_("条文"))

    class Meta:
        ordering = ["law", "number"]
        constraints = [models.UniqueConstraint(fields=["law", "number"], name="article_number_unique")]
        verbose_name = _("法条")
        verbose_name_plural = _("法条")

    def __str__(self) -> str:
        return f"《{self.law.short_title}》{self.label}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:article", args=[self.law_id, self.number])

    @property
    def citation(self) -> str:
        return f"《{self.law.title}》{self.label}"


class Domain(models.Model):
    """执法领域 (e.g. 市容环卫, 城乡规划, 食品安全)."""

    code = models.CharField(_("编码"), max_length=2, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("执法领域")
        verbose_name_plural = _("执法领域")

    def __str__(self) -> str:
        return self.name


class CatalogueChange(models.Model):
    """A catalogue decision with an effective date (e.g. 划转, 赋权镇街); holdings and delegations
    opened or closed by it point back here, so the history and the state on any date are kept."""

    kind = models.CharField(_("类型"), max_length=20, choices=ChangeKind.choices)
    effective_date = models.DateField(_("生效日期"))
    document_no = models.CharField(_("依据文件"), max_length=100, blank=True)
    reason = models.CharField(_("说明"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("目录变更")
        verbose_name_plural = _("目录变更")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date} {self.document_no}"


class EnforcementItem(models.Model):
    code = models.CharField(_("事项编码"), max_length=20, unique=True)
    name = models.CharField(_("事项名称"), max_length=300)
    item_type = models.CharField(_("事项类型"), max_length=12, choices=ItemType.choices, default=ItemType.PENALTY)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="items", verbose_name=_("领域"))
    violation = models.TextField(_("违法行为"), blank=True)
    basis = models.ManyToManyField(Article, through="ItemBasis", related_name="items", verbose_name=_("法律依据"))
    penalty_types = models.JSONField(_("处罚种类"), default=list, blank=True)
    fine_min = models.DecimalField(_("罚款下限(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField(_("罚款上限(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    fine_tiers = models.JSONField(_("罚款幅度"), default=list, blank=True,
                                  help_text=_("[{basis, min, max, text}]，basis 见 FineBasis"))
    fine_text = models.TextField(_("罚则原文"), blank=True)
    original_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="original_items", verbose_name=_("原实施部门"))
    supervising_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True,
                                               blank=True, related_name="supervised_items",
                                               verbose_name=_("业务主管(监管)部门"))
    department_named = models.CharField(_("法条规定的部门"), max_length=100, blank=True)
    repealed_on = models.DateField(_("取消日期"), null=True, blank=True)
    last_case_on = models.DateField(_("最近办案日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("执法事项")
        verbose_name_plural = _("执法事项")
        constraints = [
            models.CheckConstraint(
                condition=Q(fine_min__isnull=True) | Q(fine_max__isnull=True) | Q(fine_min__lte=F("fine_max")),
                name="item_fine_min_le_max",
                violation_error_message="罚款下限不得高于上限",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:item", args=[self.code])


class ItemBasis(models.Model):
    class Role(models.TextChoices):
        PENALTY = "penalty", _("处罚依据")
        VIOLATION = "violation", _("违则")

    item = models.ForeignKey(EnforcementItem, on_delete=models.CASCADE)
    article = models.ForeignKey(Article, on_delete=models.PROTECT)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PENALTY)
    clause = models.CharField(_("项"), max_length=20, blank=True, help_text=_("如“第一款第（三）项”"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "article", "role"], name="item_basis_unique")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.article_id} {self.clause}"


class ItemHolding(models.Model):
    """Who exercises the item (实施主体) from ``valid_from`` to ``valid_to`` (exclusive)."""

    item = models.ForeignKey(EnforcementItem, on_delete=models.CASCADE, related_name="holdings")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="holdings",
                                   verbose_name=_("实施主体"))
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="holdings",
                             verbose_name=_("承办队伍"))
    valid_from = models.DateField(_("起始"))
    valid_to = models.DateField(_("截止(不含)"), null=True, blank=True)
    opened_by = models.ForeignKey(CatalogueChange, on_delete=models.PROTECT, related_name="opened_holdings")
    closed_by = models.ForeignKey(CatalogueChange, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="closed_holdings")

    class Meta:
        ordering = ["item", "valid_from"]
        verbose_name = _("实施主体")
        verbose_name_plural = _("实施主体")
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                                   name="holding_period_valid")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} → {self.department} ({self.valid_from}–{self.valid_to or ''})"


class ItemDelegation(models.Model):
    """An item given to a town (赋权镇街, 行政处罚法 第二十四条, ZJ-009) for a period."""

    item = models.ForeignKey(EnforcementItem, on_delete=models.CASCADE, related_name="delegations")
    town = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="delegations",
                             verbose_name=_("镇街"))
    valid_from = models.DateField(_("起始"))
    valid_to = models.DateField(_("截止(不含)"), null=True, blank=True)
    publication = models.CharField(_("公布文件"), max_length=200, blank=True)
    opened_by = models.ForeignKey(CatalogueChange, on_delete=models.PROTECT, related_name="opened_delegations")
    closed_by = models.ForeignKey(CatalogueChange, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="closed_delegations")

    class Meta:
        ordering = ["item", "town", "valid_from"]
        verbose_name = _("镇街赋权")
        verbose_name_plural = _("镇街赋权")
        constraints = [
            models.UniqueConstraint(fields=["item", "town"], condition=Q(valid_to__isnull=True),
                                    name="one_open_delegation_per_item_town"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                                   name="delegation_period_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.town_id} ({self.valid_from}–{self.valid_to or ''})"


class Entrustment(models.Model):
    """委托 (行政处罚法 第二十条、第二十一条, XF-020-021): a body entrusts an organisation, in writing and
    within its own powers, with named items for a period; the delegate acts in the entrusting body's
    name and may not entrust further. Published before it takes effect."""

    principal = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="entrustments_given",
                                  verbose_name=_("委托机关"))
    agent = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="entrustments_received",
                              verbose_name=_("受委托组织"))
    items = models.ManyToManyField(EnforcementItem, related_name="entrustments", verbose_name=_("委托事项"))
    powers = models.CharField(_("委托权限"), max_length=300)
    instrument_no = models.CharField(_("委托书文号"), max_length=100)
    valid_from = models.DateField(_("起始"))
    valid_to = models.DateField(_("截止(不含)"))
    published_on = models.DateField(_("公布日期"))
    public_url = models.URLField(_("公布网址"), blank=True)
    revoked_on = models.DateField(_("终止日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("行政处罚委托")
        verbose_name_plural = _("行政处罚委托")
        constraints = [models.CheckConstraint(condition=Q(valid_to__gt=F("valid_from")), name="entrustment_period_valid")]

    def __str__(self) -> str:
        return f"{self.instrument_no} {self.principal_id}→{self.agent_id}"


class DiscretionStandard(models.Model):
    """A published, versioned 裁量基准 for an item (XF-034)."""

    item = models.ForeignKey(EnforcementItem, on_delete=models.CASCADE, related_name="discretion_standards")
    version = models.PositiveIntegerField(_("版本"))
    effective_from = models.DateField(_("施行日期"))
    publication_url = models.URLField(_("公布网址"), blank=True)
    document_no = models.CharField(_("文件"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-version"]
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="discretion_version_unique")]
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")

    def __str__(self) -> str:
        return f"{self.item.code} v{self.version}"


class DiscretionBand(models.Model):
    standard = models.ForeignKey(DiscretionStandard, on_delete=models.CASCADE, related_name="bands")
    order = models.PositiveSmallIntegerField()
    level = models.CharField(_("裁量阶次"), max_length=20, help_text=_("如 不予处罚/从轻/一般/从重"))
    circumstances = models.TextField(_("适用情形"))
    fine_min = models.DecimalField(_("罚款下限"), max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField(_("罚款上限"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["standard", "order"]

    def __str__(self) -> str:
        return f"{self.level}: {self.fine_min}–{self.fine_max}"


class BoundaryRule(models.Model):
    """One row of the 职责边界清单: a matter, the criteria that decide it, who supervises and who
    penalises. Rows come from the published list or from a guidance-office ruling on a dispute."""

    class Source(models.TextChoices):
        LIST = "list", _("职责边界清单")
        RULING = "ruling", _("指导办裁定")

    code = models.CharField(_("编号"), max_length=30, unique=True)
    matter = models.CharField(_("事项/情形"), max_length=200)
    criteria = models.TextField(_("判定标准"))
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    supervising_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="boundary_supervised", verbose_name=_("监管部门"))
    penalising_department = models.ForeignKey("org.Department", on_delete=models.PROTECT,
                                              related_name="boundary_penalised", verbose_name=_("处罚部门"))
    item_codes = models.JSONField(_("关联事项编码"), default=list, blank=True)
    source = models.CharField(_("来源类型"), max_length=10, choices=Source.choices, default=Source.LIST)
    source_document = models.CharField(_("来源文件"), max_length=200)
    source_date = models.DateField(_("来源日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # routing's in-process copy reloads on an edit

    class Meta:
        ordering = ["code"]
        verbose_name = _("职责边界")
        verbose_name_plural = _("职责边界清单")

    def __str__(self) -> str:
        return f"{self.code} {self.matter}"


class ClauseCandidate(models.Model):
    """A penalty clause found in a 法律责任 chapter, waiting for review (accept / edit / reject)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="candidates")
    seq = models.PositiveSmallIntegerField(_("序号"), help_text=_("同一条内的第几个候选"))
    clause_ref = models.CharField(_("项"), max_length=30, blank=True)
    violation = models.TextField(_("违法行为"))
    penalty_text = models.TextField(_("罚则"))
    penalty_types = models.JSONField(default=list)
    fine_tiers = models.JSONField(default=list)
    department_named = models.CharField(max_length=100, blank=True)
    suggested_domain = models.ForeignKey(Domain, on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField(max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)
    item = models.ForeignKey(EnforcementItem, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="candidates")

    class Meta:
        ordering = ["article", "seq"]
        constraints = [models.UniqueConstraint(fields=["article", "seq"], name="candidate_seq_unique")]
        verbose_name = _("候选事项")
        verbose_name_plural = _("候选事项")

    def __str__(self) -> str:
        return f"{self.article} #{self.seq}"


FINE_BASIS_CHOICES = FineBasis.choices

"""Parties (监管对象/当事人): enterprises and individual businesses, and natural persons."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RiskClass(models.TextChoices):
    """Credit/risk class (JC-RISK): A low, B general, C higher, D high."""

    A = "A", _("A 低风险")
    B = "B", _("B 一般风险")
    C = "C", _("C 较高风险")
    D = "D", _("D 高风险")


class Enterprise(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("企业")
        INDIVIDUAL = "individual", _("个体工商户")
        OTHER_ORG = "other", _("其他组织")

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legacy_reg_no = models.CharField(_("注册号(旧)"), max_length=15, blank=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("主体类型"), max_length=12, choices=Kind.choices, default=Kind.COMPANY)
    legal_representative = models.CharField(_("法定代表人/经营者"), max_length=50, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    registration_authority = models.CharField(_("登记机关"), max_length=100, blank=True)
    town = models.ForeignKey("org.Region", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="enterprises", verbose_name=_("所属镇街"))
    risk_class = models.CharField(_("信用风险分类"), max_length=1, choices=RiskClass.choices, default=RiskClass.B)
    synthetic = models.BooleanField(_("合成数据"), default=False,
                                    help_text=_("演示用的合成企业，不是真实主体"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业/个体户")
        verbose_name_plural = _("企业/个体户")
        constraints = [
            models.UniqueConstraint(fields=["uscc"], condition=~Q(uscc=""), name="enterprise_uscc_unique"),
            models.UniqueConstraint(fields=["legacy_reg_no"], condition=~Q(legacy_reg_no=""),
                                    name="enterprise_legacy_unique"),
            models.CheckConstraint(condition=~Q(uscc="") | ~Q(legacy_reg_no=""), name="enterprise_has_code",
                                   violation_error_message="统一社会信用代码与注册号至少填写一项"),
        ]
        indexes = [models.Index(fields=["town", "risk_class"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("parties:enterprise", args=[self.pk])

    @property
    def code(self) -> str:
        return self.uscc or self.legacy_reg_no


class Person(models.Model):
    """A natural person. The ID number is only shown in full to users who need it
    (``parties.access.can_view_full_id``); every full view is written to the audit trail (XF-050)."""

    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18, unique=True)
    birth_date = models.DateField(_("出生日期"))
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    address = models.CharField(_("住址"), max_length=300, blank=True)
    town = models.ForeignKey("org.Region", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="persons", verbose_name=_("所属镇街"))
    synthetic = models.BooleanField(_("合成数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("自然人")
        verbose_name_plural = _("自然人")

    def __str__(self) -> str:
        return self.name

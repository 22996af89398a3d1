"""Organisation: regions, districts (片区), departments, teams, officers, users and roles."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.choices import DepartmentKind, RegionLevel, Role, TeamKind


class Region(models.Model):
    """A GB/T 2260 division (province → city → county → township → village/grid)."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True,
                            help_text=_("GB/T 2260 代码（乡镇9位、村12位统计用代码）"))
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    township_type = models.CharField(_("乡镇类型"), max_length=10, blank=True)
    district = models.ForeignKey("District", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="towns", verbose_name=_("片区"))
    boundary = models.JSONField(_("边界(GeoJSON)"), null=True, blank=True)
    boundary_approximate = models.BooleanField(_("边界为示意"), default=False)
    centroid_lng = models.FloatField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    source = models.CharField(_("来源"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """片区: a group of towns served by one town enforcement team (常山: 14 镇街 → 7 片区)."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("片区")
        verbose_name_plural = _("片区")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """An administrative body (执法主体 or 业务主管部门, or a town government acting in its own name)."""

    code = models.CharField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30)
    kind = models.CharField(_("类型"), max_length=12, choices=DepartmentKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments",
                               verbose_name=_("所在区划"))
    doc_prefix = models.CharField(_("文书字号前缀"), max_length=20, blank=True)
    reconsideration_body = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                             related_name="+", verbose_name=_("行政复议机关"))
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    code = models.CharField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=TeamKind.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="teams",
                                   verbose_name=_("所属部门"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="teams", verbose_name=_("片区"))
    towns = models.ManyToManyField(Region, blank=True, related_name="teams", verbose_name=_("服务镇街"),
                                   limit_choices_to={"level": RegionLevel.TOWNSHIP})
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("执法队伍")
        verbose_name_plural = _("执法队伍")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A login. ``role`` is the persona; ``department``/``team``/``town`` give the scope."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="users", verbose_name=_("部门"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="users",
                             verbose_name=_("队伍"))
    town = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="users",
                             verbose_name=_("镇街"))
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class OfficerQuerySet(models.QuerySet):
    """The 执法证 rule of :meth:`Officer.is_qualified_on` as filters (XF-042, ZJ-030), so that every list says
    "valid" as the guards do."""

    def certified(self):
        """Officers in post holding a certificate number: never auxiliary staff."""
        return self.filter(is_auxiliary=False, active=True).exclude(certificate_no="")

    def valid_on(self, day: dt.date):
        """Certified, with a certificate in force on ``day`` (issued by then, expiring on or after it)."""
        return self.certified().filter(Officer.valid_on_q(day))


class Officer(models.Model):
    """An enforcement officer (持证执法人员) or auxiliary staff (辅助人员, never counted as an officer:
    ZJ-030, XF-042)."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, null=True, blank=True, related_name="officer")
    name = models.CharField(_("姓名"), max_length=50)
    staff_no = models.CharField(_("工号"), max_length=30, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="officers", verbose_name=_("队伍"))
    stationed_town = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="stationed_officers", verbose_name=_("派驻镇街"))
    is_auxiliary = models.BooleanField(_("辅助人员"), default=False)
    certificate_no = models.CharField(_("执法证号"), max_length=30, blank=True)
    certificate_scope = models.CharField(_("执法证执法范围"), max_length=200, blank=True)
    certificate_issued = models.DateField(_("发证日期"), null=True, blank=True)
    certificate_expiry = models.DateField(_("有效期至"), null=True, blank=True)
    legal_qualification_no = models.CharField(_("法律职业资格证书号"), max_length=40, blank=True)
    competences = models.ManyToManyField("catalogue.Domain", blank=True, related_name="officers",
                                         verbose_name=_("业务领域"))
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    active = models.BooleanField(_("在岗"), default=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["team__code", "staff_no"]
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        constraints = [
            models.UniqueConstraint(fields=["certificate_no"], condition=~Q(certificate_no=""),
                                    name="officer_certificate_no_unique"),
            models.CheckConstraint(
                condition=Q(is_auxiliary=False) | Q(certificate_no=""),
                name="auxiliary_staff_hold_no_certificate",
                violation_error_message="辅助人员不得持有执法证号（ZJ-030）",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def valid_on_q(day: dt.date) -> Q:
        """The dates half of :meth:`is_qualified_on` as a filter (the certificate in force on ``day``)."""
        return Q(certificate_expiry__gte=day) & (Q(certificate_issued__isnull=True) | Q(certificate_issued__lte=day))

    def is_qualified_on(self, day: dt.date) -> bool:
        """XF-042 / ZJ-030: a valid 执法证 on ``day``; auxiliary staff never qualify."""
        if self.is_auxiliary or not self.active or not self.certificate_no:
            return False
        if self.certificate_issued and day < self.certificate_issued:
            return False
        return self.certificate_expiry is not None and day <= self.certificate_expiry

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡镇/街道")
    VILLAGE = "village", _("村/社区")
    GRID = "grid", _("网格")


class DepartmentKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    COMPREHENSIVE_BUREAU = "bureau", _("综合行政执法部门")
    LINE_DEPARTMENT = "department", _("业务主管部门")
    TOWN_GOVERNMENT = "town", _("乡镇人民政府/街道办事处")
    GUIDANCE_OFFICE = "guidance", _("综合行政执法指导机构")
    ENTRUSTED_ORG = "entrusted", _("受委托组织")


class TeamKind(models.TextChoices):
    COUNTY = "county", _("县综合行政执法队")
    PROFESSIONAL = "professional", _("专业执法队")
    TOWN = "town", _("镇街综合行政执法队")


class Role(models.TextChoices):
    """The personas of PRODUCT.md."""

    OPERATOR = "operator", _("指挥中心值班员")
    GUIDANCE = "guidance", _("综合行政执法指导办")
    BUREAU_OFFICER = "bureau_officer", _("县综合执法局执法人员")
    PRO_OFFICER = "pro_officer", _("专业执法队执法人员")
    TOWN_OFFICER = "town_officer", _("镇街执法队员")
    GRID_WORKER = "grid_worker", _("网格员")
    DEPT_SUPERVISOR = "dept_supervisor", _("业务主管部门")
    AGENCY_HEAD = "agency_head", _("机关负责人")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    LEADER = "leader", _("县领导")
    CITIZEN = "citizen", _("群众/企业")
    ADMIN = "admin", _("系统管理员")


OFFICER_ROLES = {Role.BUREAU_OFFICER, Role.PRO_OFFICER, Role.TOWN_OFFICER}
COUNTY_WIDE_ROLES = {Role.OPERATOR, Role.GUIDANCE, Role.BUREAU_OFFICER, Role.LEGAL_REVIEWER, Role.LEADER, Role.ADMIN}

from django.db import models
from django.utils.translation import gettext_lazy as _


class LawLevel(models.TextChoices):
    LAW = "law", _("法律")
    ADMIN_REGULATION = "regulation", _("行政法规")
    LOCAL_REGULATION = "local", _("地方性法规")
    RULE = "rule", _("规章")


class ItemType(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    INSPECTION = "inspection", _("行政检查")
    LEVY = "levy", _("行政征收")
    OTHER = "other", _("其他行政权力")


class PenaltyType(models.TextChoices):
    """XF-009: the closed list of 行政处罚法 第九条. 行政拘留 exists but is never allowed on this
    platform (第十八条第三款: only 公安). 责令改正 is not a penalty (第二十八条) and is not here."""

    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SUSPEND_PERMIT = "suspend_permit", _("暂扣许可证件")
    DOWNGRADE = "downgrade", _("降低资质等级")
    REVOKE_PERMIT = "revoke_permit", _("吊销许可证件")
    RESTRICT_BUSINESS = "restrict_business", _("限制开展生产经营活动")
    SUSPEND_BUSINESS = "suspend_business", _("责令停产停业")
    CLOSE = "close", _("责令关闭")
    RESTRICT_PRACTICE = "restrict_practice", _("限制从业")
    DETENTION = "detention", _("行政拘留")
    OTHER = "other", _("法律、行政法规规定的其他行政处罚")


DISALLOWED_PENALTY_TYPES = {PenaltyType.DETENTION}


class FineBasis(models.TextChoices):
    FIXED = "fixed", _("固定金额")
    ILLEGAL_GAINS = "illegal_gains", _("违法所得倍数")
    GOODS_VALUE = "goods_value", _("货值金额倍数")
    OTHER_MULTIPLE = "other_multiple", _("其他基数倍数")
    PERCENT = "percent", _("比例")


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("已驳回")


class ChangeKind(models.TextChoices):
    CREATE = "create", _("新增事项")
    EDIT = "edit", _("修改事项")
    TRANSFER = "transfer", _("划转(变更实施主体)")
    DELEGATE = "delegate", _("赋权镇街")
    REVOKE_DELEGATION = "revoke_delegation", _("收回镇街赋权")
    REPEAL = "repeal", _("取消事项")
    DISCRETION = "discretion", _("裁量基准")
    BOUNDARY = "boundary", _("职责边界")

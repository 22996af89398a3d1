from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    GRID = "grid", _("网格员")
    CITIZEN = "citizen", _("群众")
    HOTLINE = "hotline", _("12345热线")
    DRONE = "drone", _("无人机")
    SENSOR = "sensor", _("视频/物联感知")
    REFERRAL = "referral", _("部门移送")
    INSPECTION = "inspection", _("检查发现")


# Reports published (redacted) on the public Open311 lists. Referrals from departments and findings of
# inspections concern parties under investigation and stay internal (XF-050).
PUBLIC_CHANNELS = (Channel.GRID, Channel.CITIZEN, Channel.HOTLINE, Channel.DRONE, Channel.SENSOR)


class TownSource(models.TextChoices):
    """How the 镇街 of an event was found: it decides whether a town team is responsible, so staff see it."""

    POINT = "point", _("按定位")
    GIVEN = "given", _("报告人或来源系统所填")
    ADDRESS = "address", _("按地址中的镇街名")
    STAFF = "staff", _("指挥中心核定")


class AttachmentStage(models.TextChoices):
    """When a photo or file was added: with the report, with the body's feedback (处置后照片), at 核查, or
    with the reporter's "not fixed" (申请重办)."""

    REPORT = "report", _("上报")
    FEEDBACK = "feedback", _("处置后")
    VERIFY = "verify", _("核查")
    REOPEN = "reopen", _("申请重办")


class Priority(models.TextChoices):
    URGENT = "urgent", _("紧急")
    HIGH = "high", _("较急")
    NORMAL = "normal", _("一般")
    LOW = "low", _("缓办")


class EventStatus(models.TextChoices):
    TRIAGE = "triage", _("待分拨")
    ROUTED = "routed", _("已分派")
    ACCEPTED = "accepted", _("已签收处置中")
    RETURNED = "returned", _("已退单")
    DISPUTED = "disputed", _("职责争议")
    RESOLVED = "resolved", _("已处置待核查")
    CLOSED = "closed", _("已办结")
    DUPLICATE = "duplicate", _("重复（已关联）")
    INVALID = "invalid", _("无效")


OPEN_STATUSES = {EventStatus.TRIAGE, EventStatus.ROUTED, EventStatus.ACCEPTED, EventStatus.RETURNED,
                 EventStatus.DISPUTED, EventStatus.RESOLVED}

# The one transition table, checked by the services (house style §7).
TRANSITIONS: dict[str, set[str]] = {
    EventStatus.TRIAGE: {EventStatus.ROUTED, EventStatus.DUPLICATE, EventStatus.INVALID},
    EventStatus.ROUTED: {EventStatus.ACCEPTED, EventStatus.RETURNED, EventStatus.ROUTED, EventStatus.DUPLICATE},
    EventStatus.RETURNED: {EventStatus.ROUTED, EventStatus.DISPUTED, EventStatus.TRIAGE},
    EventStatus.DISPUTED: {EventStatus.ROUTED},
    EventStatus.ACCEPTED: {EventStatus.RESOLVED, EventStatus.ROUTED},
    EventStatus.RESOLVED: {EventStatus.CLOSED, EventStatus.ACCEPTED},
    EventStatus.CLOSED: {EventStatus.ROUTED},  # reopened by the reporter within the window
    EventStatus.DUPLICATE: {EventStatus.TRIAGE},  # unmerge (then routed like a new report)
    EventStatus.INVALID: {EventStatus.TRIAGE},
}

# The states that are the command centre's or the guidance office's own work, each on a clock of its kind
# (opened by the dispatch services when a report enters the state, closed when it leaves it, whatever moves it).
STATE_CLOCKS = {EventStatus.TRIAGE: "event.triage", EventStatus.DISPUTED: "event.ruling",
                EventStatus.RESOLVED: "event.verify"}

# A report can be merged into another (合并为重复) only before a body signs for it: from these states.
MERGEABLE = {old for old, new in TRANSITIONS.items() if EventStatus.DUPLICATE in new}

# Reports from these channels are verified (核查) before closure.
VERIFY_CHANNELS = {Channel.GRID, Channel.CITIZEN, Channel.HOTLINE}


# What the public is told about each step of a report (the ticket page and Open311 service request
# updates): the state, never who did it or the internal reason.
PUBLIC_STEP_TEXT = {
    EventStatus.TRIAGE: _("已受理，待分拨"),
    EventStatus.ROUTED: _("已分派办理单位"),
    EventStatus.ACCEPTED: _("办理单位已签收，处置中"),
    EventStatus.RETURNED: _("重新确定办理单位"),
    EventStatus.DISPUTED: _("正在协调职责"),
    EventStatus.RESOLVED: _("已处置，待核查"),
    EventStatus.CLOSED: _("已办结"),
    EventStatus.DUPLICATE: _("与已受理的同一问题合并办理"),
    EventStatus.INVALID: _("经核实不属于可受理的问题"),
}

# A state reached again says why (peers §3.2, honest states): a report moved to another body (流转) is not
# "routed" a second time, a reopened one was sent back by its reporter, a failed 核查 sends it back to work.
TRANSFER_STEPS = {(EventStatus.ACCEPTED, EventStatus.ROUTED), (EventStatus.ROUTED, EventStatus.ROUTED)}  # 流转
PUBLIC_STEP_AGAIN = {
    **{step: _("已转交其他单位办理") for step in TRANSFER_STEPS},
    (EventStatus.CLOSED, EventStatus.ROUTED): _("报告人反映问题未解决，已重新交办"),
    (EventStatus.RESOLVED, EventStatus.ACCEPTED): _("核查未通过，继续处置"),
}


def public_step(old: str, new: str):
    """One step of a report as the public is told it (the ticket page, Open311 updates)."""
    return PUBLIC_STEP_AGAIN.get((old, new)) or PUBLIC_STEP_TEXT.get(new, new)


# Open311 service request updates (the FixMyStreet extension) use a richer status set than the
# requests' open/closed.
OPEN311_UPDATE_STATUS = {
    EventStatus.TRIAGE: "open",
    EventStatus.ROUTED: "action_scheduled",
    EventStatus.ACCEPTED: "in_progress",
    EventStatus.RETURNED: "internal_referral",
    EventStatus.DISPUTED: "investigating",
    EventStatus.RESOLVED: "fixed",
    EventStatus.CLOSED: "closed",
    EventStatus.DUPLICATE: "duplicate",
    EventStatus.INVALID: "no_further_action",
}


def open311_update_status(old: str, new: str) -> str:
    """The same step in the Open311 update extension's status set: a transfer is an ``internal_referral``."""
    return "internal_referral" if (old, new) in TRANSFER_STEPS else OPEN311_UPDATE_STATUS.get(new, "open")

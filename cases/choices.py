"""Case states (rulebook §9.1) and the one transition table the services check."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from org.choices import Role


class Procedure(models.TextChoices):
    GENERAL = "general", _("普通程序")
    SIMPLE = "simple", _("简易程序（当场处罚）")


class CaseStatus(models.TextChoices):
    CLUE = "clue", _("线索登记")
    VERIFYING = "verifying", _("核查中")
    NOT_FILED = "not_filed", _("不予立案")
    FILED = "filed", _("已立案")
    INVESTIGATING = "investigating", _("调查取证")
    INVESTIGATION_CLOSED = "investigation_closed", _("调查终结")
    REVIEW = "review", _("案件审查")
    PENALTY_PROPOSED = "penalty_proposed", _("拟处罚")
    NOTICE_SERVED = "notice_served", _("已告知")
    HEARING_REQUESTED = "hearing_requested", _("申请听证")
    HEARING_SCHEDULED = "hearing_scheduled", _("已通知听证")
    HEARING_CLOSED = "hearing_closed", _("听证结束")
    DECIDED = "decided", _("已决定")
    SERVED = "served", _("已送达")
    OVERDUE = "overdue", _("逾期未履行")
    REMINDED = "reminded", _("已催告")
    COURT_APPLIED = "court_applied", _("已申请法院强制执行")
    EXECUTED = "executed", _("已执行")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")
    TRANSFERRED_JUDICIAL = "transferred_judicial", _("已移送司法机关")
    TRANSFERRED_OUT = "transferred_out", _("已移送其他机关")
    JURISDICTION_DISPUTE = "jurisdiction_dispute", _("管辖争议")
    SPOT_DECIDED = "spot_decided", _("当场处罚已决定")


class Outcome(models.TextChoices):
    """XF-057: the four outcomes after investigation."""

    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY_MINOR = "no_penalty_minor", _("违法行为轻微，不予行政处罚")
    NO_PENALTY_NOT_ESTABLISHED = "no_penalty_not_established", _("违法事实不能成立，不予行政处罚")
    TRANSFER_JUDICIAL = "transfer_judicial", _("涉嫌犯罪，移送司法机关")


NO_PENALTY = {Outcome.NO_PENALTY_MINOR, Outcome.NO_PENALTY_NOT_ESTABLISHED}


class NoPenaltyGround(models.TextChoices):
    """XF-033 (第三十三条): why a minor violation is not penalised — the outcome 违法行为轻微，不予行政处罚 names one."""

    MINOR = "minor", _("违法行为轻微并及时改正，没有造成危害后果（不予处罚）")
    FIRST = "first", _("初次违法且危害后果轻微并及时改正（可以不予处罚）")
    NO_FAULT = "no_fault", _("有证据足以证明没有主观过错（不予处罚）")

# The posts that handle cases (办案): the officers of the three kinds of team, and the administrator.
HANDLER_ROLES = (Role.BUREAU_OFFICER, Role.PRO_OFFICER, Role.TOWN_OFFICER, Role.ADMIN)
# Who answers a body's assistance requests (协助, XF-026): its case handlers, and a line department's
# supervisors — not its legal reviewer or a leader.
ASSIST_ANSWERERS = HANDLER_ROLES + (Role.DEPT_SUPERVISOR,)

# Where a case waits for the legal reviewers (XF-058): proposed (before or after 告知) or heard.
AWAITING_REVIEW = (CaseStatus.PENALTY_PROPOSED, CaseStatus.NOTICE_SERVED, CaseStatus.HEARING_CLOSED)
BEFORE_FILING = (CaseStatus.CLUE, CaseStatus.VERIFYING)  # a clue: its filing request may wait for review (XF-036)
# CaseApproval.details of a filing request citing "法律另有规定": "pending" while its citation waits for the legal
# reviewers, then the pk of the review that answered it
LIMITATION_REVIEW = "limitation_review"
S = CaseStatus
TRANSITIONS: dict[str, set[str]] = {
    S.CLUE: {S.VERIFYING, S.NOT_FILED, S.FILED, S.TRANSFERRED_OUT, S.JURISDICTION_DISPUTE},
    S.VERIFYING: {S.FILED, S.NOT_FILED, S.TRANSFERRED_OUT, S.JURISDICTION_DISPUTE},
    S.JURISDICTION_DISPUTE: {S.VERIFYING, S.TRANSFERRED_OUT},
    S.FILED: {S.INVESTIGATING, S.TRANSFERRED_JUDICIAL, S.TRANSFERRED_OUT},
    S.INVESTIGATING: {S.INVESTIGATION_CLOSED, S.TRANSFERRED_JUDICIAL, S.TRANSFERRED_OUT},
    S.INVESTIGATION_CLOSED: {S.REVIEW},
    S.REVIEW: {S.PENALTY_PROPOSED, S.DECIDED, S.TRANSFERRED_JUDICIAL, S.INVESTIGATING},
    S.PENALTY_PROPOSED: {S.NOTICE_SERVED, S.REVIEW},
    S.NOTICE_SERVED: {S.HEARING_REQUESTED, S.DECIDED, S.PENALTY_PROPOSED, S.TRANSFERRED_JUDICIAL},
    S.HEARING_REQUESTED: {S.HEARING_SCHEDULED},
    S.HEARING_SCHEDULED: {S.HEARING_CLOSED},
    S.HEARING_CLOSED: {S.DECIDED, S.PENALTY_PROPOSED},
    S.DECIDED: {S.SERVED},
    S.SPOT_DECIDED: {S.EXECUTED, S.OVERDUE, S.CLOSED},
    S.SERVED: {S.EXECUTED, S.OVERDUE, S.CLOSED},
    S.OVERDUE: {S.EXECUTED, S.REMINDED},
    S.REMINDED: {S.EXECUTED, S.COURT_APPLIED},
    S.COURT_APPLIED: {S.EXECUTED},
    S.EXECUTED: {S.CLOSED},
    S.TRANSFERRED_JUDICIAL: {S.REVIEW, S.CLOSED},  # returned by the judiciary re-enters REVIEW (XF-027)
    S.TRANSFERRED_OUT: {S.CLOSED},
    S.NOT_FILED: {S.CLOSED},
    S.CLOSED: {S.ARCHIVED},
}


class PartyKind(models.TextChoices):
    PERSON = "person", _("公民")
    INDIVIDUAL_BUSINESS = "individual", _("个体工商户")
    ORG = "org", _("法人或者其他组织")


class OfficerRole(models.TextChoices):
    INVESTIGATOR = "investigator", _("承办人")
    PRESIDER = "presider", _("听证主持人")
    RECORDER = "recorder", _("记录人")


class ActKind(models.TextChoices):
    INSPECTION = "inspection", _("现场检查(勘验)")
    INQUIRY = "inquiry", _("询问")
    SAMPLING = "sampling", _("抽样取证")
    PRESERVATION = "preservation", _("先行登记保存")
    SEIZE = "seize", _("扣押")
    SEAL = "seal", _("查封")
    FORCED_DEMOLITION = "forced_demolition", _("强制拆除")
    SERVICE = "service", _("送达")


AV_REQUIRED = {ActKind.SEIZE, ActKind.SEAL, ActKind.FORCED_DEMOLITION}  # SX-4
AV_WARN = {ActKind.INSPECTION, ActKind.SAMPLING, ActKind.PRESERVATION, ActKind.SERVICE}
COERCIVE = {ActKind.SEIZE, ActKind.SEAL}  # QZ-018-019


class EvidenceKind(models.TextChoices):
    """XF-046: the eight kinds of evidence."""

    DOCUMENTARY = "documentary", _("书证")
    PHYSICAL = "physical", _("物证")
    AUDIOVISUAL = "audiovisual", _("视听资料")
    ELECTRONIC = "electronic", _("电子数据")
    WITNESS = "witness", _("证人证言")
    PARTY_STATEMENT = "party_statement", _("当事人的陈述")
    EXPERT_OPINION = "expert_opinion", _("鉴定意见")
    INSPECTION_RECORD = "inspection_record", _("勘验笔录、现场笔录")


class ServiceMethod(models.TextChoices):
    """XF-061: 民事诉讼法 service methods."""

    DIRECT = "direct", _("直接送达")
    LEFT_AT_RESIDENCE = "left", _("留置送达")
    ELECTRONIC = "electronic", _("电子送达")
    POSTAL = "postal", _("邮寄送达")
    ENTRUSTED = "entrusted", _("委托送达")
    TRANSFER = "transfer", _("转交送达")
    PUBLIC_NOTICE = "public_notice", _("公告送达")


class DocType(models.TextChoices):
    SOURCE = "source", _("案件来源登记表")
    FILING = "filing", _("立案审批表")
    NOT_FILING = "not_filing", _("不予立案审批表")
    ONSITE = "onsite", _("现场检查(勘验)笔录")
    INQUIRY = "inquiry", _("询问笔录")
    PRESERVATION = "preservation", _("先行登记保存证据通知书")
    ORDER = "order", _("责令(限期)改正通知书")
    NOTICE = "notice", _("行政处罚告知书")
    HEARING_NOTICE = "hearing_notice", _("听证通知书")
    HEARING_RECORD = "hearing_record", _("听证笔录")
    LEGAL_REVIEW = "legal_review", _("法制审核表")
    COLLECTIVE = "collective", _("集体讨论记录")
    DECISION = "decision", _("行政处罚决定书")
    SPOT_DECISION = "spot_decision", _("当场行政处罚决定书")
    NO_PENALTY = "no_penalty", _("不予行政处罚决定书")
    SERVICE_RECEIPT = "service_receipt", _("送达回证")
    REMINDER = "reminder", _("催告书")
    CLOSING = "closing", _("结案审批表")
    CRIME_TRANSFER = "crime_transfer", _("涉嫌犯罪案件移送书")
    FILE = "file", _("案卷(卷宗)")


# 执法文书核验 (/public/verify/): the documents a party is handed or served, which a fraudster could imitate;
# internal forms (审批表, 法制审核表, 笔录) are never looked up from outside
PARTY_DOCUMENTS = (DocType.PRESERVATION, DocType.ORDER, DocType.NOTICE, DocType.HEARING_NOTICE, DocType.DECISION,
                   DocType.SPOT_DECISION, DocType.NO_PENALTY, DocType.REMINDER)


class SubmissionKind(models.TextChoices):
    """What a party sends online on its 告知书 (XF-041 网上陈述申辩; XF-044-045-062, XF-064)."""

    REPRESENTATION = "statement", _("陈述、申辩")
    HEARING = "hearing", _("听证申请")


class DutyLeadBody(models.TextChoices):
    """Where a lead of a public official's misconduct goes (YS-310 第十九条, ZJ-019)."""

    SUPERVISION = "supervision", _("监察机关")
    PROCURATORATE = "procuratorate", _("人民检察院")


class PoliceAnswer(models.TextChoices):
    """YS-310 第八条: the public security organ's answer to a transferred case."""

    FILED = "filed", _("立案")
    REFUSED = "refused", _("不予立案")


class RecusalApplicant(models.TextChoices):
    """XF-043: who asks for an officer's recusal (回避)."""

    PARTY = "party", _("当事人申请")
    SELF = "self", _("自行回避")


class PublicationExclusion(models.TextChoices):
    """SX-3 (浙江省行政处罚结果信息网上公开暂行办法, SECONDARY): when a penalty decision is not published."""

    MINOR = "minor", _("当事人为未成年人")
    SECRETS = "secrets", _("涉及国家秘密、商业秘密或者个人隐私")
    SECURITY = "security", _("公开后可能危及国家安全、公共安全、经济安全和社会稳定")
    LAW = "law", _("法律、行政法规另有规定")
    OTHER = "other", _("其他不宜公开的情形")


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class RemedyResult(models.TextChoices):
    PENDING = "pending", _("审理中")
    UPHELD = "upheld", _("维持")
    CHANGED = "changed", _("变更")
    REVOKED = "revoked", _("撤销")
    CONFIRMED_ILLEGAL = "illegal", _("确认违法")
    VOID = "void", _("确认无效")
    WITHDRAWN = "withdrawn", _("撤回申请/起诉")

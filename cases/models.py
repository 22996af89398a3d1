"""Case handling under the 行政处罚法 (rulebook §1–§4). Guards live in cases.services and cases.rules."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    PARTY_DOCUMENTS,
    ActKind,
    CaseStatus,
    DocType,
    DutyLeadBody,
    EvidenceKind,
    NoPenaltyGround,
    OfficerRole,
    Outcome,
    PartyKind,
    PoliceAnswer,
    Procedure,
    RecusalApplicant,
    RemedyKind,
    RemedyResult,
    ServiceMethod,
    SubmissionKind,
)
from core import clock
from core.models import SaidAgain

MONEY = {"max_digits": 14, "decimal_places": 2}


class Case(models.Model):
    number = models.CharField(_("案号"), max_length=60, blank=True)
    procedure = models.CharField(_("程序"), max_length=8, choices=Procedure.choices, default=Procedure.GENERAL)
    status = models.CharField(_("状态"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.CLUE)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="cases",
                                   verbose_name=_("办案机关"))
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    item = models.ForeignKey("catalogue.EnforcementItem", on_delete=models.PROTECT, related_name="cases",
                             verbose_name=_("执法事项"))
    events = models.ManyToManyField("intake.Event", blank=True, related_name="cases")
    entrustment = models.ForeignKey("catalogue.Entrustment", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="cases", verbose_name=_("委托"))  # XF-020-021
    referring_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                             related_name="referred_cases", verbose_name=_("移送部门"))
    temporal_note = models.TextField(_("从旧兼从轻说明"), blank=True)  # XF-037
    # XF-060: a decision made after the 办案期限 ran out (``case.late_decision_allowed``) says why, on the record
    late_decision_reason = models.CharField(_("逾期作出决定的原因"), max_length=300, blank=True)
    no_penalty_ground = models.CharField(_("不予处罚情形"), max_length=10, choices=NoPenaltyGround.choices, blank=True)  # XF-033
    transferred_to = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="cases_received", verbose_name=_("移送至"))  # XF-022-025
    dispute_with = models.ForeignKey("org.Department", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("管辖争议对方"))
    # party
    party_kind = models.CharField(_("当事人类型"), max_length=10, choices=PartyKind.choices)
    party_name = models.CharField(_("当事人"), max_length=200)
    party_code = models.CharField(_("身份证号/统一社会信用代码"), max_length=18, blank=True)
    party_address = models.CharField(_("住所/地址"), max_length=300)
    party_birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    party_enterprise = models.ForeignKey("parties.Enterprise", on_delete=models.PROTECT, null=True, blank=True)
    party_person = models.ForeignKey("parties.Person", on_delete=models.PROTECT, null=True, blank=True)
    party_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # facts
    cause = models.CharField(_("案由"), max_length=300)
    facts = models.TextField(_("违法事实"), blank=True)
    act_date = models.DateField(_("违法行为发生日"))
    act_end_date = models.DateField(_("连续/继续状态终了日"), null=True, blank=True)
    discovery_date = models.DateField(_("线索发现日期"))
    location = models.CharField(_("违法行为发生地"), max_length=300)
    town = models.ForeignKey("org.Region", on_delete=models.PROTECT, null=True, blank=True)
    life_health_with_harm = models.BooleanField(_("涉及生命健康、金融安全且有危害后果"), default=False)
    limitation_override = models.CharField(_("法律另有规定的时效依据"), max_length=300, blank=True)
    is_complex_or_serious = models.BooleanField(_("情节复杂或者重大违法"), default=False)
    # filing
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    filing_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+")
    not_filed_reason = models.CharField(max_length=300, blank=True)
    # proposal
    outcome = models.CharField(_("处理结果"), max_length=30, choices=Outcome.choices, blank=True)
    proposed_types = models.JSONField(_("拟处罚种类"), default=list, blank=True)
    proposed_fine = models.DecimalField(_("拟罚款"), null=True, blank=True, **MONEY)
    proposed_confiscation = models.DecimalField(_("拟没收金额"), null=True, blank=True, **MONEY)
    discretion_band = models.ForeignKey("catalogue.DiscretionBand", on_delete=models.PROTECT, null=True, blank=True)
    mitigation_reasoning = models.TextField(_("从轻/减轻理由"), blank=True)
    reasons = models.TextField(_("处罚理由"), blank=True)
    # notice and representations (XF-044/045, XF-063/064)
    hearing_right = models.BooleanField(_("告知听证权利"), default=False)
    notice_served_on = models.DateField(_("告知书送达日"), null=True, blank=True)
    representation_due = models.DateField(null=True, blank=True)
    hearing_request_due = models.DateField(null=True, blank=True)
    representations = models.TextField(_("陈述申辩意见"), blank=True)
    representations_received_on = models.DateField(null=True, blank=True)
    review_opinion = models.TextField(_("复核意见"), blank=True)
    waived_on = models.DateField(_("书面放弃陈述申辩听证日期"), null=True, blank=True)
    waiver_statement = models.FileField(_("书面放弃声明"), upload_to="waivers/%Y/", blank=True)
    waiver_statement_sha256 = models.CharField(max_length=64, blank=True)
    hearing_held = models.BooleanField(default=False)
    # decision
    final_types = models.JSONField(_("处罚种类"), default=list, blank=True)
    final_fine = models.DecimalField(_("罚款"), null=True, blank=True, **MONEY)
    final_confiscation = models.DecimalField(_("没收金额"), null=True, blank=True, **MONEY)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    remedy_text = models.TextField(_("救济途径"), blank=True)
    order_correction = models.TextField(_("责令改正"), blank=True)
    correction_due = models.DateField(null=True, blank=True)
    # service and execution
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    service_method = models.CharField(max_length=14, choices=ServiceMethod.choices, blank=True)
    e_service_consent = models.BooleanField(_("电子送达确认书"), default=False)
    payment_due = models.DateField(_("缴款期限"), null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    paid_amount = models.DecimalField(null=True, blank=True, **MONEY)
    reminder_served_on = models.DateField(_("催告书送达日"), null=True, blank=True)
    court_applied_on = models.DateField(null=True, blank=True)
    # simple procedure
    on_spot_collected = models.BooleanField(default=False)
    on_spot_reason = models.CharField(max_length=200, blank=True)
    receipt_no = models.CharField(_("专用票据号"), max_length=40, blank=True)
    party_refused_to_sign = models.BooleanField(default=False)
    refusal_note = models.CharField(max_length=200, blank=True)
    filed_with_agency_on = models.DateField(_("备案日期"), null=True, blank=True)
    # closure
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=200, blank=True)
    publish = models.BooleanField(_("须公开"), default=True)
    publication_exclusion = models.CharField(_("不公开理由"), max_length=200, blank=True)
    credit_pushed_on = models.DateField(null=True, blank=True)
    referral_feedback_on = models.DateField(null=True, blank=True)
    synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        indexes = [models.Index(fields=["department", "status"]), models.Index(fields=["party_code", "item"])]

    def __str__(self) -> str:
        return f"{self.label} {self.cause}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case", args=[self.pk])

    @property
    def label(self) -> str:
        """The case number once filed (立案); before that the clue's register number, never a bare id."""
        return self.number or f"线索#{self.pk}"

    @property
    def shown_label(self) -> str:
        """:attr:`label` on a page, in the reader's language (线索#5 → Clue #5); records keep :attr:`label`."""
        return self.number or gettext("线索#%(n)s") % {"n": self.pk}

    @property
    def handled_as(self) -> str:
        """How a report linked to this case was handled, on the report's page: 已当场处罚 (the simple procedure has no
        立案), 已登记案件线索 while a clue is not filed (or was not), else 已立案办理."""
        if self.procedure == Procedure.SIMPLE:
            return gettext("已当场处罚")
        if self.status in (CaseStatus.CLUE, CaseStatus.VERIFYING, CaseStatus.NOT_FILED):
            return gettext("已登记案件线索")
        return gettext("已立案办理")

    @property
    def is_person(self) -> bool:
        return self.party_kind == PartyKind.PERSON


class CaseOfficer(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_officers")
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT)
    role = models.CharField(max_length=12, choices=OfficerRole.choices, default=OfficerRole.INVESTIGATOR)
    no_conflict_declared = models.BooleanField(_("无利害关系声明"), default=False)
    assigned_on = models.DateField()
    released_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "officer", "role"], condition=Q(released_on=None),
                                               name="one_active_assignment")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.officer_id} {self.role}"


class CaseTransition(SaidAgain):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    old = models.CharField(max_length=24, blank=True)
    new = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)  # as the records say it (Chinese)
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.old}→{self.new}"

    @property
    def shown_reason(self) -> str:
        """The reason in the reader's (active) language where it was recorded with its parts."""
        return self.said_again(self.reason, 500)

    @property
    def new_label(self) -> str:
        return str(CaseStatus(self.new).label) if self.new in CaseStatus.values else self.new


class Act(models.Model):
    """An on-site act with its 笔录 (XF-055), officers (XF-042) and audio-video record (SX-4)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="acts")
    kind = models.CharField(max_length=20, choices=ActKind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    place = models.CharField(max_length=300)
    officers = models.ManyToManyField("org.Officer", related_name="acts")
    id_shown = models.BooleanField(_("已出示执法证件"), default=False)
    record = models.TextField(_("笔录"))
    interviewee = models.CharField(max_length=100, blank=True)
    rights_told = models.BooleanField(_("已告知回避与如实回答义务"), default=False)
    party_present = models.BooleanField(default=True)
    party_signed = models.BooleanField(default=False)
    refusal_note = models.CharField(max_length=200, blank=True)
    witness = models.CharField(_("见证人"), max_length=100, blank=True)
    av_file_sha256 = models.CharField(max_length=64, blank=True)
    av_started_at = models.DateTimeField(null=True, blank=True)
    av_ended_at = models.DateTimeField(null=True, blank=True)
    approval_ref = models.CharField(_("负责人批准"), max_length=100, blank=True)
    emergency = models.BooleanField(_("紧急情况当场实施"), default=False)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()} {self.started_at:%Y-%m-%d}"


class MonitoringDevice(models.Model):
    """XF-041 电子技术监控设备 (非现场执法): usable only after legal and technical review, meeting a standard,
    clearly signposted and with its location published."""

    code = models.CharField(_("设备编号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="devices",
                                   verbose_name=_("设置机关"))
    town = models.ForeignKey("org.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("镇街"))
    location = models.CharField(_("设置地点"), max_length=200)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    purpose = models.CharField(_("监控事项"), max_length=200)
    legal_review_ref = models.CharField(_("法制审核文号"), max_length=100, blank=True)
    technical_review_ref = models.CharField(_("技术审核(检定)文号"), max_length=100, blank=True)
    standard = models.CharField(_("技术标准"), max_length=100, blank=True)
    signposted = models.BooleanField(_("已设置明显可见的标识"), default=False)
    published_on = models.DateField(_("地点公布日期"), null=True, blank=True)
    public_url = models.URLField(_("公布网址"), blank=True)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("电子技术监控设备")
        verbose_name_plural = _("电子技术监控设备")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def problems_on(self, day) -> list[str]:
        """What keeps the device's records from being evidence on ``day`` (XF-041); empty when usable."""
        out = []
        if not self.active:
            out.append(gettext("设备已停用"))
        if not self.legal_review_ref.strip():
            out.append(gettext("未经法制审核"))
        if not self.technical_review_ref.strip():
            out.append(gettext("未经技术审核"))
        if not self.standard.strip():
            out.append(gettext("未载明符合的标准"))
        if not self.signposted:
            out.append(gettext("未设置明显可见的标识"))
        if self.published_on is None or self.published_on > day:
            out.append(gettext("设置地点未向社会公布"))
        return out


class Evidence(models.Model):
    class DeviceReview(models.TextChoices):
        PASS = "pass", _("审核通过")
        FAIL = "fail", _("不符合要求，不作为证据")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    description = models.CharField(max_length=300)
    collected_on = models.DateField()
    collected_by = models.ManyToManyField("org.Officer", related_name="+")
    method = models.CharField(_("收集方式"), max_length=200)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    file = models.FileField(upload_to="evidence/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    lawful = models.BooleanField(_("合法取得"), default=True)
    verified = models.BooleanField(_("已查证属实"), default=False)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    verified_on = models.DateField(null=True, blank=True)
    custody = models.CharField(_("保管"), max_length=200, blank=True)
    act = models.ForeignKey(Act, on_delete=models.SET_NULL, null=True, blank=True)
    shared_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="shared_to",
                                    verbose_name=_("共享来源"))  # ZJ-018
    device = models.ForeignKey(MonitoringDevice, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="evidence", verbose_name=_("电子技术监控设备"))
    device_review = models.CharField(_("记录审核"), max_length=4, choices=DeviceReview.choices, blank=True)
    device_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+")
    device_reviewed_on = models.DateField(null=True, blank=True)
    device_review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    party_informed_on = models.DateField(_("告知当事人日期"), null=True, blank=True)
    party_informed_via = models.CharField(_("告知方式"), max_length=50, blank=True)

    class Meta:
        ordering = ["collected_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}"


class Recusal(models.Model):
    """XF-043: an application for recusal (by the party or self-declared) and the head's decision."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recusals")
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT)
    applicant = models.CharField(max_length=10, choices=RecusalApplicant.choices)
    reason = models.CharField(max_length=300)
    applied_on = models.DateField()
    granted = models.BooleanField(null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"回避 {self.case_id}:{self.officer_id}"


class LegalReview(models.Model):
    """XF-058 / SX-5 法制审核."""

    class Result(models.TextChoices):
        PASS = "pass", _("通过")
        RETURN = "return", _("退回补正")
        FAIL = "fail", _("不通过")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    qualification_no = models.CharField(_("法律职业资格证书号"), max_length=40)
    triggers = models.JSONField(default=list)
    checklist = models.JSONField(default=dict)
    result = models.CharField(max_length=6, choices=Result.choices)
    opinion = models.TextField()
    reviewed_on = models.DateField()
    # A review that did not pass is answered by the handlers: 补正后重新提请 (a return, with what they supplied)
    # or a new proposal (either result). Until then the case is theirs, not the reviewers' (XF-058).
    resubmitted_on = models.DateField(_("重新提请审核日期"), null=True, blank=True)
    resubmitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    resubmission_note = models.TextField(_("补正情况"), blank=True)

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"法制审核 {self.case_id} {self.result}"


class CollectiveDiscussion(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="discussions")
    held_on = models.DateField()
    attendees = models.JSONField(default=list)
    opinions = models.TextField()
    conclusion = models.TextField()

    def __str__(self) -> str:
        return f"集体讨论 {self.case_id} {self.held_on}"


class Hearing(models.Model):
    """听证 (XF-063-064). A case may have several: after a hearing the body may propose again (重新拟定, told to
    the party again), and the party may ask for a hearing on the new proposal; the latest one counts."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    requested_on = models.DateField()
    late_request_approved = models.BooleanField(default=False)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    notice_served_on = models.DateField(null=True, blank=True)
    presider = models.ForeignKey("org.Officer", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    public = models.BooleanField(default=True)
    secrecy_reason = models.CharField(max_length=200, blank=True)
    agents = models.JSONField(default=list, blank=True)
    attended = models.BooleanField(null=True)
    record = models.TextField(blank=True)
    party_signed = models.BooleanField(default=False)
    refusal_note = models.CharField(max_length=200, blank=True)
    report = models.TextField(blank=True)
    held_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["requested_on", "id"]

    def __str__(self) -> str:
        return f"听证 {self.case_id}"


class DocumentSequence(models.Model):
    """Gap-free numbers per body, document type and year: a number is taken inside the transaction that
    issues the document, so a rollback gives it back."""

    department = models.ForeignKey("org.Department", on_delete=models.PROTECT)
    doc_type = models.CharField(max_length=20, choices=DocType.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["department", "doc_type", "year"], name="one_sequence")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.doc_type}/{self.year}: {self.last}"


class Document(models.Model):
    class State(models.TextChoices):
        ISSUED = "issued", _("已签发")
        VOIDED = "voided", _("已作废")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(max_length=20, choices=DocType.choices)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField(_("文号"), max_length=80)
    issued_on = models.DateField()
    fields = models.JSONField(default=dict)
    pdf = models.FileField(upload_to="documents/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.ISSUED)
    void_reason = models.CharField(max_length=300, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    # 核验码: printed on the document, asked for by the public check with the number — numbers run in sequence
    # and can be guessed, the code cannot (``core.codes.random_code``)
    check_code = models.CharField(_("核验码"), max_length=8, blank=True)

    class Meta:
        ordering = ["issued_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "doc_type", "year", "seq"], name="document_seq_unique")]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number}"

    @property
    def printed_check_code(self) -> str:
        """The 核验码 as printed on a party-facing document (ABCD-EFGH); "" on internal forms, never checked."""
        code = self.check_code
        return f"{code[:4]}-{code[4:]}" if code and self.doc_type in PARTY_DOCUMENTS else ""


class Remedy(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(max_length=16, choices=RemedyKind.choices)
    body = models.CharField(_("受理机关"), max_length=100)
    filed_on = models.DateField()
    copy_received_on = models.DateField(null=True, blank=True)
    answer_due = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    result = models.CharField(max_length=10, choices=RemedyResult.choices, default=RemedyResult.PENDING)
    via_agency = models.BooleanField(_("通过作出决定的机关提交"), default=False)  # FY-022-032
    forwarded_on = models.DateField(_("转送复议机关日期"), null=True, blank=True)

    class Meta:
        ordering = ["filed_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}"


class Payment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(**MONEY)
    surcharge = models.DecimalField(default=0, **MONEY)
    paid_on = models.DateField()
    method = models.CharField(max_length=20)
    receipt_no = models.CharField(max_length=40, blank=True)
    handover_due = models.DateField(null=True, blank=True)
    handed_over_on = models.DateField(null=True, blank=True)
    deposit_due = models.DateField(null=True, blank=True)
    deposited_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount}"


class Deferral(models.Model):
    """XF-066: deferred or instalment payment approved by the agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deferrals")
    reason = models.CharField(max_length=300)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    approved_on = models.DateField()
    schedule = models.JSONField(help_text="[[due date, amount], ...]")

    def __str__(self) -> str:
        return f"{self.case_id} {self.schedule}"


class EducationRecord(models.Model):
    """XF-033: the education given in every no-penalty case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="education")
    method = models.CharField(max_length=100)
    given_on = models.DateField()
    content = models.TextField()

    def __str__(self) -> str:
        return f"{self.case_id} {self.method}"


class Publication(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="publication")
    due_on = models.DateField()
    redacted_text = models.TextField()
    published_on = models.DateField(null=True, blank=True)
    withdraw_due = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdraw_reason = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"公开 {self.case_id}"


class AssistanceRequest(models.Model):
    """协助调查 (XF-026, ZJ-017): another body asked to assist the handling body's investigation, and its answer —
    what was asked, on which basis, by when (``deadline``: the row the sweep reminds and escalates, and the
    guidance office's cooperation view counts) and what the asked body answered, which is part of the case file:
    the handlers read it on the case page."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assistance_requests")
    to_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("被请求协助的机关"))
    matter = models.CharField(_("协助事项"), max_length=300)
    basis = models.CharField(_("法律依据"), max_length=300)
    requested_on = models.DateField(_("请求日期"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    deadline = models.OneToOneField("core.Deadline", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reply = models.TextField(_("协助结果"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["requested_on", "id"]

    def __str__(self) -> str:
        return f"协助 {self.case_id} → {self.to_department_id}"

    def get_absolute_url(self) -> str:
        """Its row in the asked body's 协助请求 list (``cases:assistance``)."""
        return f"{reverse('cases:assistance')}#assist-{self.pk}"


class PartySubmission(models.Model):
    """What the party sent online (网上陈述申辩, XF-041; 听证申请, XF-064), opened with the number and 核验码 of the
    告知书 it was served: received here, then recorded on the case by its officers with their 复核 — the agency must
    hear and re-examine it before deciding (XF-044-045-062)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="submissions")
    notice = models.ForeignKey("Document", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=10, choices=SubmissionKind.choices)
    text = models.TextField(_("内容"))
    contact = models.CharField(_("联系电话"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    handled_at = models.DateTimeField(null=True, blank=True)  # recorded on the case by its officers
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}"


class CrimeTransfer(models.Model):
    """YS-310: the transfer of a suspected crime to the public security organ."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="crime_transfer")
    report_on = models.DateTimeField()
    head_decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True)
    refusal_reason = models.CharField(max_length=300, blank=True)
    transferred_at = models.DateTimeField(null=True, blank=True)
    police_receipt_no = models.CharField(max_length=60, blank=True)
    # after the transfer (YS-310 第八、九、十一条; XF-027): the police's answer, and what the agency did with it
    police_answer = models.CharField(_("公安机关决定"), max_length=8, choices=PoliceAnswer.choices, blank=True)
    police_answered_on = models.DateField(null=True, blank=True)
    police_notice_no = models.CharField(_("立案/不予立案通知书文号"), max_length=60, blank=True)
    reconsideration_on = models.DateField(null=True, blank=True)  # 提请复议, within 3 days of a refusal
    reconsideration_answered_on = models.DateField(null=True, blank=True)
    handed_over_on = models.DateField(null=True, blank=True)  # 涉案物品和材料, within 3 days of the police filing
    handed_over_items = models.CharField(max_length=300, blank=True)
    returned_on = models.DateField(null=True, blank=True)  # back to the agency for an administrative penalty
    return_basis = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"移送 {self.case_id}"

    @property
    def transferred_on(self):
        return self.transferred_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() if self.transferred_at else None


class DutyLeadTransfer(models.Model):
    """职务违法犯罪线索移送 (YS-310 第十九条, ZJ-019): a lead, found while handling the case, that a state employee
    embezzled, took bribes, neglected or abused their duty, or used their power against citizens' rights, sent to
    the 监察机关 or the 人民检察院 as its nature requires. The case goes on: the lead is not the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duty_leads")
    to_kind = models.CharField(_("移送机关类别"), max_length=14, choices=DutyLeadBody.choices)
    to_body = models.CharField(_("接收机关"), max_length=100)
    transferred_on = models.DateField(_("移送日期"))
    content = models.TextField(_("线索内容"))
    receipt_no = models.CharField(_("回执编号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["transferred_on", "pk"]

    def __str__(self) -> str:
        return f"线索移送 {self.case_id}"


class ReferralFeedback(SaidAgain):
    """结果反馈 (ZJ-016): one answer told to the 业务主管部门 that referred the case — taken on or not, decided,
    passed on, closed — as its notice said it. Numbered in order, so the department's own system can read what it
    has not yet read (``GET /api/cases/referral-feedback``) as its staff read the notice."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referral_feedback")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("环节"), max_length=24, choices=CaseStatus.choices)
    text = models.CharField(_("反馈内容"), max_length=300)  # as the records say it (Chinese); see SaidAgain
    on = models.DateField(_("反馈日期"))
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["department", "id"])]

    def __str__(self) -> str:
        return f"反馈 {self.case_id} {self.status}"

    @property
    def shown(self) -> str:
        """The answer in the reader's language."""
        return self.said_again(self.text, 300)


class CaseApproval(models.Model):
    """A request to the agency head (行政机关负责人) for an approval the case documents carry: 立案审批
    and 不予立案审批 (WS-FILE: the handling officers' opinion, then the head's approval and date) and 结案审批
    (WS-CLOSE), and the retroactive approval of a coercive measure taken on the spot in an emergency
    (QZ-018-019: report to the head within 24 hours; if the head disagrees, release at once), and the prior
    approval of a preservation (XF-056) or a coercive measure (QZ-018-019) that an act then uses once. The officers ask with
    their opinion; the head of the deciding body approves or refuses with his own. One request of a
    kind is pending at a time; refused requests stay on the case as history."""

    class Kind(models.TextChoices):
        FILING = "filing", _("立案审批")
        NOT_FILING = "not_filing", _("不予立案审批")
        CLOSING = "closing", _("结案审批")
        EMERGENCY = "emergency", _("紧急强制措施补办批准")
        MEASURE = "measure", _("先行登记保存/强制措施审批")
        LATE_HEARING = "hearing", _("逾期听证申请审批")
        EXTENSION = "extension", _("延长办案期限审批")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不批准")

    RULES = {"filing": "WS-FILE", "not_filing": "WS-FILE", "closing": "WS-CLOSE", "emergency": "QZ-018-019，24小时内",
             "measure": "XF-056 QZ-018-019", "hearing": "XF-064", "extension": "XF-060"}

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField(_("申请日期"))
    opinion = models.TextField(_("承办人意见"))
    details = models.JSONField(default=dict, blank=True)  # what the request carries besides the opinion
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decision_opinion = models.CharField(_("负责人意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["requested_on", "pk"]
        # to file, not to file and to close: one pending request per case; measures one per act or request
        constraints = [models.UniqueConstraint(
            fields=["case", "kind"], name="one_pending_approval_per_kind",
            condition=models.Q(status="pending") & models.Q(kind__in=["filing", "not_filing", "closing",
                                                                       "hearing", "extension"]))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}"

    @property
    def rule(self) -> str:
        return self.RULES[self.kind]

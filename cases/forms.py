"""Forms for the case-handling steps. They check shape only (types, required, dates not in the
future); every legal rule is checked again by the service the step calls (cases/services.py)."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    ActKind,
    CaseStatus,
    DutyLeadBody,
    EvidenceKind,
    NoPenaltyGround,
    OfficerRole,
    Outcome,
    PartyKind,
    Procedure,
    PublicationExclusion,
    RecusalApplicant,
    RemedyKind,
    RemedyResult,
    ServiceMethod,
    SubmissionKind,
)
from cases.models import (
    Act,
    Case,
    CrimeTransfer,
    Deferral,
    DutyLeadTransfer,
    Evidence,
    Hearing,
    LegalReview,
    MonitoringDevice,
    Payment,
    Publication,
    Recusal,
)
from cases.selectors import coercive_acts_in_force, recusable_officers
from catalogue.choices import PenaltyType
from catalogue.models import DiscretionBand, EnforcementItem
from core.forms import DateRangeMixin
from core.punctuation import bracketed, colon
from org.models import Department, Officer


def DATE():  # noqa: N802 - a fresh widget for each field
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def DATETIME():  # noqa: N802
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


TEXT = forms.Textarea(attrs={"rows": 3})
PENALTIES = [(v, lbl) for v, lbl in PenaltyType.choices if v != "detention"]


def _today() -> dt.date:
    return timezone.localdate()


def case_officers_qs(case: Case):
    """Certified, active officers of the deciding body's teams, the case's own investigators first
    (auxiliary staff are never offered: ZJ-030)."""
    from django.db.models import Exists, OuterRef

    from cases.models import CaseOfficer

    assigned = CaseOfficer.objects.filter(case=case, officer=OuterRef("pk"), released_on__isnull=True)
    bodies = [case.department_id] + ([case.entrustment.agent_id] if case.entrustment_id else [])
    return Officer.objects.filter(team__department_id__in=bodies, active=True, is_auxiliary=False).annotate(
        on_case=Exists(assigned)).order_by("-on_case", "name")


def officers_field(field, case: Case, *, preselect: bool = True) -> None:
    """Fill an officer picker: checkboxes when the team is small, a list box otherwise; the case's
    investigators are listed first and ticked."""
    qs = case_officers_qs(case)
    if isinstance(field, forms.ModelMultipleChoiceField) and qs.count() > 12:
        field.widget = forms.SelectMultiple(attrs={"size": 8})  # before the queryset, which fills its choices
        field.help_text = _("★ 为本案承办人员；按住 Ctrl 可多选")
    field.queryset = qs
    field.label_from_instance = lambda o: (o.name + bracketed(o.certificate_no)
                                           + ("★" if o.on_case else ""))
    if isinstance(field, forms.ModelMultipleChoiceField):
        if preselect:
            field.initial = [o.pk for o in qs if o.on_case]


def limit(model, column: str) -> int:
    """The length of the column a text is kept in: a form takes no more than its record holds (the service checks
    it again, ``services._check_length``)."""
    return model._meta.get_field(column).max_length


class StepForm(forms.Form):
    """Base: knows its case; dates and times may not lie in the future unless listed in ``future_ok``,
    nor before the case's latest recorded step."""

    future_ok: tuple[str, ...] = ()

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateTimeField):
                field.widget = DATETIME()
                field.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
            elif isinstance(field, forms.DateField):
                field.widget = DATE()
                if name not in self.future_ok and not self.is_bound and field.initial is None:
                    field.initial = _today
        self.setup()

    def setup(self) -> None:
        pass

    def clean(self):
        data = super().clean()
        today = _today()
        last = self.case.transitions.order_by("-on").values_list("on", flat=True).first() if self.case.pk else None
        for name, value in list(data.items()):
            if name in self.future_ok or value is None:
                continue
            day = value.date() if isinstance(value, dt.datetime) else value if isinstance(value, dt.date) else None
            if day is None:
                continue
            if day > today:
                self.add_error(name, _("不能晚于今天"))
            elif last and day < last and name not in ("collected_on", "act_date", "discovery_date"):
                self.add_error(name, _("不能早于本案上一步骤的日期（%(d)s）") % {"d": last})
        return data


def lines(text: str) -> list[str]:
    return [x.strip() for x in text.replace("，", "\n").replace(",", "\n").splitlines() if x.strip()]


class CodedDocumentForm(forms.Form):
    """A document a person holds, by the number and the 核验码 printed on it (the code typed as read: case, spaces and
    the hyphen ignored, its length checked here)."""

    number = forms.CharField(label=_("文书编号"), max_length=80,
                             widget=forms.TextInput(attrs={"placeholder": _("如：常综执罚决字〔2026〕第7号"), "size": 28}))
    code = forms.CharField(label=_("核验码"), max_length=20,
                           widget=forms.TextInput(attrs={"placeholder": _("文书末尾的8位核验码，如：K7QM-3XPA"),
                                                         "autocapitalize": "characters"}))

    def clean_code(self):
        from cases.documents import CHECK_CODE_LENGTH
        from core.codes import typed_code

        code = typed_code(self.cleaned_data["code"])
        if len(code) != CHECK_CODE_LENGTH:
            raise forms.ValidationError(_("核验码为%(n)s位字母和数字（现为%(m)s位）") % {"n": CHECK_CODE_LENGTH, "m": len(code)})
        return code


class DocumentCheckForm(CodedDocumentForm):
    """执法文书核验: the number and the 核验码 printed on a document, and optionally the party's name as printed on it."""

    party = forms.CharField(label=_("当事人名称（选填）"), max_length=100, required=False)


class NoticeOpenForm(CodedDocumentForm):
    """网上陈述申辩: the 告知书 the party holds, by the number and 核验码 printed on it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].label = _("告知书编号")
        self.fields["number"].widget.attrs["placeholder"] = _("如：常综执罚告字〔2026〕第7号")


class PartySubmissionForm(NoticeOpenForm):
    kind = forms.ChoiceField(label=_("提交"), choices=SubmissionKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("陈述、申辩的事实、理由和证据（申请听证的，可写明理由）"), widget=forms.Textarea(attrs={"rows": 8}),
                           required=False, max_length=2000)  # services.SUBMISSION_TEXT_MAX
    contact = forms.CharField(label=_("联系电话（选填，办案机关联系您时使用）"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("number", "code"):  # the notice opened above
            self.fields[name].widget = forms.HiddenInput()


class CaseFilterForm(DateRangeMixin, forms.Form):
    """案件台账: every case the user may see, found by number, party or cause, state, procedure and filing date."""

    date_range = ("filed_from", "filed_to")

    q = forms.CharField(label=_("案号/当事人/案由"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), ("open", _("在办（未办结）"))] + CaseStatus.choices)
    procedure = forms.ChoiceField(label=_("程序"), required=False, choices=[("", _("全部"))] + Procedure.choices)
    department = forms.ModelChoiceField(Department.objects.order_by("code"),
                                        label=_("办案机关"), required=False, empty_label=_("全部"))
    filed_from = forms.DateField(label=_("立案日期自"), required=False, widget=DATE())
    filed_to = forms.DateField(label=_("至"), required=False, widget=DATE())
    mine = forms.BooleanField(label=_("我承办的"), required=False)


class OpenForm(forms.Form):
    """案件来源登记: a clue, opened by hand or from one or more events."""

    department = forms.ModelChoiceField(Department.objects.none(), label=_("办案机关"))
    item = forms.ModelChoiceField(EnforcementItem.objects.none(), label=_("执法事项"))
    party_kind = forms.ChoiceField(label=_("当事人类型"), choices=PartyKind.choices)
    party_name = forms.CharField(label=_("当事人"), max_length=200)
    party_code = forms.CharField(label=_("统一社会信用代码/身份证号"), max_length=30, required=False)
    party_address = forms.CharField(label=_("住所/地址"), max_length=300)
    party_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    cause = forms.CharField(label=_("案由"), max_length=200)
    act_date = forms.DateField(label=_("违法行为发生日"), widget=DATE())
    discovery_date = forms.DateField(label=_("发现日期"), widget=DATE(), initial=_today)
    location = forms.CharField(label=_("违法行为地点"), max_length=300)
    source = forms.CharField(label=_("案件来源"), max_length=200)
    summary = forms.CharField(label=_("简要案情"), widget=TEXT)

    def __init__(self, *args, departments, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda i: f"{i.code} {i.name[:50]}"


class AssignForm(StepForm):
    officer = forms.ModelChoiceField(Officer.objects.none(), label=_("执法人员"))
    role = forms.ChoiceField(label=_("角色"), choices=OfficerRole.choices, initial=OfficerRole.INVESTIGATOR)
    no_conflict_declared = forms.BooleanField(label=_("本人声明与本案无利害关系（XF-043）"), required=False)
    on = forms.DateField(label=_("指派日期"))

    def setup(self):
        officers_field(self.fields["officer"], self.case)


class FileForm(StepForm):
    on = forms.DateField(label=_("申请日期"))
    basis = forms.CharField(label=_("立案理由（承办人意见）"), widget=TEXT,
                            initial="有违法事实，属于本机关管辖，在追责时效内，依法应当给予行政处罚")
    limitation_citation = forms.CharField(label=_("超过两年/五年的，援引“法律另有规定”"), required=False, max_length=300)


def _decision(yes, no=None, label=None):
    return forms.TypedChoiceField(label=label or _("负责人审批"), choices=[("1", yes), ("0", no or _("不同意"))],
                                  coerce=lambda v: v == "1")


class HeadDecisionForm(StepForm):
    """The head approves or refuses what the officers asked (``CaseApproval``); a refusal gives reasons.
    Subclasses declare ``approved`` (``_decision``) and ``on``; where several requests of a kind may wait
    (measures), ``pending_kind`` adds the choice of which one (``approval``)."""

    field_order = ["approval", "approved", "on", "opinion"]
    refusal_message = _("不同意的，须写明理由")
    pending_kind = ""
    pending_label = ""
    opinion = forms.CharField(label=_("审批意见"), widget=TEXT, max_length=300, required=False,
                              help_text=_("不同意的，须写明理由"))

    def setup(self):
        if self.pending_kind:
            from cases.models import CaseApproval

            self.fields["approval"] = forms.ModelChoiceField(
                self.case.approvals.filter(kind=self.pending_kind, status=CaseApproval.Status.PENDING),
                label=self.pending_label)
            self.fields["approval"].label_from_instance = \
                lambda a: f"{a.requested_by} {a.requested_on}{colon()}{a.opinion[:60]}"
            pending = list(self.fields["approval"].queryset[:2])
            if len(pending) == 1:  # the usual case: the one waiting is chosen
                self.fields["approval"].initial = pending[0].pk
            self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        if data.get("approved") is False and not (data.get("opinion") or "").strip():
            self.add_error("opinion", self.refusal_message)
        return data


class CloseApproveForm(HeadDecisionForm):
    refusal_message = _("不同意结案的，须写明理由")
    approved = _decision(_("同意结案"))
    on = forms.DateField(label=_("审批日期（即结案日期）"))


class ExtensionRequestForm(StepForm):
    on = forms.DateField(label=_("申请日期"))
    days = forms.IntegerField(label=_("延长日数"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("延长理由（案情复杂、需检测鉴定等）"), widget=TEXT)

    def setup(self):
        from cases.services import decision_due
        from core.config import config_get

        self.fields["days"].initial = config_get("case.decision_extension_days")
        due = decision_due(self.case)
        self.fields["days"].help_text = gettext("办案期限现至%(due)s；首次延长经负责人批准，至多%(most)s日，再次延长由负责人集体讨论决定") % {
            "due": due.due, "most": config_get("case.decision_extension_days")}


class ExtensionApproveForm(HeadDecisionForm):
    refusal_message = _("不同意延长的，须写明理由")
    approved = _decision(_("同意延长"))
    on = forms.DateField(label=_("审批日期"))
    attendees = forms.CharField(label=_("参加集体讨论的负责人（再次延长时填写，逗号分隔）"), required=False, max_length=300)

    def clean_attendees(self):
        return lines(self.cleaned_data["attendees"])  # as the collective discussion's attendees


class NotFileApproveForm(HeadDecisionForm):
    approved = _decision(_("同意不予立案"))
    on = forms.DateField(label=_("审批日期"))


class FileApproveForm(HeadDecisionForm):
    refusal_message = _("不同意立案的，须写明理由")
    approved = _decision(_("同意立案"))
    on = forms.DateField(label=_("审批日期（即立案日期）"))


class NotFileForm(StepForm):
    on = forms.DateField(label=_("日期"))
    reason = forms.CharField(label=_("不予立案理由"), widget=TEXT, max_length=limit(Case, "not_filed_reason"))


class ActForm(StepForm):
    kind = forms.ChoiceField(label=_("行为"), choices=[c for c in ActKind.choices if c[0] != ActKind.SERVICE])
    started_at = forms.DateTimeField(label=_("开始时间"))
    ended_at = forms.DateTimeField(label=_("结束时间"))
    place = forms.CharField(label=_("地点"), max_length=300)
    officers = forms.ModelMultipleChoiceField(Officer.objects.none(), label=_("执法人员（两名以上）"),
                                              widget=forms.CheckboxSelectMultiple)
    id_shown = forms.BooleanField(label=_("已出示执法证件（XF-055）"), required=False)
    record = forms.CharField(label=_("笔录内容"), widget=forms.Textarea(attrs={"rows": 5}))
    interviewee = forms.CharField(label=_("被询问人（询问时）"), required=False, max_length=100)
    rights_told = forms.BooleanField(label=_("已告知申请回避的权利和如实回答的义务"), required=False)
    party_present = forms.BooleanField(label=_("当事人在场"), required=False, initial=True)
    party_signed = forms.BooleanField(label=_("当事人已签名"), required=False, initial=True)
    refusal_note = forms.CharField(label=_("不在场/拒签情况"), required=False, max_length=limit(Act, "refusal_note"))
    witness = forms.CharField(label=_("见证人"), required=False, max_length=100)
    approval = forms.ModelChoiceField(None, label=_("负责人事先批准（本系统审批）"), required=False,
                                      help_text=_("先行登记保存、查封、扣押：选择负责人已批准的审批"))
    approval_ref = forms.CharField(label=_("或：纸质审批表编号"), required=False, max_length=100)
    emergency = forms.BooleanField(label=_("情况紧急，当场实施（24小时内补办批准）"), required=False)
    av_sha256 = forms.RegexField(label=_("执法记录仪音像文件 SHA-256"), regex=r"^[0-9a-fA-F]{64}$", required=False,
                                 error_messages={"invalid": _("应为64位十六进制")})
    av_started_at = forms.DateTimeField(label=_("音像记录开始"), required=False)
    av_ended_at = forms.DateTimeField(label=_("音像记录结束"), required=False)

    def setup(self):
        from cases.models import CaseApproval

        officers_field(self.fields["officers"], self.case)
        self.fields["approval"].queryset = self.case.approvals.filter(
            kind=CaseApproval.Kind.MEASURE, status=CaseApproval.Status.APPROVED).exclude(details__has_key="used_by_act")
        self.fields["approval"].label_from_instance = lambda a: f"#{a.pk} {a.opinion[:50]}" + bracketed(
            f"{a.decided_by}{pgettext('list', '，')}{a.decided_on}")


class EvidenceForm(StepForm):
    kind = forms.ChoiceField(label=_("证据种类"), choices=EvidenceKind.choices)
    description = forms.CharField(label=_("证据内容"), max_length=500)
    collected_on = forms.DateField(label=_("收集日期"))
    collectors = forms.ModelMultipleChoiceField(Officer.objects.none(), label=_("收集人"),
                                                widget=forms.CheckboxSelectMultiple)
    method = forms.CharField(label=_("收集方式"), max_length=200)
    file = forms.FileField(label=_("文件（照片、扫描件、音视频）"), required=False)
    report_file = forms.ModelChoiceField(None, label=_("或：调取关联事件的照片/附件"), required=False)
    lawful = forms.BooleanField(label=_("合法取得"), required=False, initial=True)
    source = forms.CharField(label=_("来源"), required=False, max_length=200)
    device = forms.ModelChoiceField(MonitoringDevice.objects.none(), label=_("电子技术监控设备（非现场执法记录）"),
                                    required=False)

    def setup(self):
        from intake.models import Attachment

        officers_field(self.fields["collectors"], self.case)
        self.fields["device"].queryset = MonitoringDevice.objects.filter(department=self.case.department, active=True)
        self.fields["report_file"].queryset = Attachment.objects.filter(event__cases=self.case).select_related("event")
        self.fields["report_file"].label_from_instance = lambda a: (
            f"{a.event.ticket} · {a.get_stage_display()} · {a.original_name or a.content_type} · {a.uploaded_at:%Y-%m-%d %H:%M}")

    def clean(self):
        data = super().clean()
        if data.get("file") and data.get("report_file"):
            self.add_error("report_file", _("上传文件和调取事件附件只能选一项"))
        return data

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f and f.size > 200 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过200MB"))
        return f


class VerifyForm(StepForm):
    evidence = forms.ModelChoiceField(None, label=_("证据"))
    on = forms.DateField(label=_("查证日期"))

    def setup(self):
        self.fields["evidence"].queryset = self.case.evidence.filter(verified=False)
        self.fields["evidence"].label_from_instance = lambda e: f"{e.get_kind_display()}{colon()}{e.description[:40]}"


class CloseInvestigationForm(StepForm):
    on = forms.DateField(label=_("调查终结日期"))
    facts = forms.CharField(label=_("调查认定的违法事实"), widget=forms.Textarea(attrs={"rows": 5}))

    def setup(self):
        self.fields["facts"].initial = self.case.facts


class ProposeForm(StepForm):
    on = forms.DateField(label=_("日期"))
    outcome = forms.ChoiceField(label=_("处理意见（XF-057）"), choices=Outcome.choices)
    ground = forms.ChoiceField(label=_("违法行为轻微不予处罚的情形（XF-033）"), required=False,
                               choices=[("", "—")] + list(NoPenaltyGround.choices))
    types = forms.MultipleChoiceField(label=_("处罚种类"), choices=PENALTIES, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    fine = forms.DecimalField(label=_("罚款（元）"), required=False, min_value=Decimal("0.01"), decimal_places=2,
                              max_digits=14)
    confiscation = forms.DecimalField(label=_("没收金额（元）"), required=False, min_value=Decimal("0.01"),
                                      decimal_places=2, max_digits=14)
    band = forms.ModelChoiceField(DiscretionBand.objects.none(), label=_("裁量阶次"), required=False)
    reasons = forms.CharField(label=_("理由"), widget=TEXT, required=False)
    mitigation_reasoning = forms.CharField(label=_("从轻/减轻理由"), widget=TEXT, required=False)
    is_complex = forms.BooleanField(label=_("情节复杂或者重大违法（须集体讨论）"), required=False)

    def setup(self):
        self.fields["band"].queryset = DiscretionBand.objects.filter(standard__item=self.case.item).select_related(
            "standard")
        self.fields["band"].label_from_instance = lambda b: gettext("%(level)s（%(min)s–%(max)s元）%(circumstances)s") % {
            "level": b.level, "min": b.fine_min, "max": b.fine_max, "circumstances": b.circumstances}
        c = self.case
        if c.proposed_types:
            self.fields["types"].initial = c.proposed_types
            self.fields["fine"].initial = c.proposed_fine


class NoPenaltyForm(StepForm):
    on = forms.DateField(label=_("决定日期"))
    grounds = forms.CharField(label=_("不予处罚理由"), widget=TEXT)
    education_method = forms.CharField(label=_("教育方式（XF-033）"), required=False, max_length=100)
    education_content = forms.CharField(label=_("教育内容"), widget=TEXT, required=False)
    late_reason = forms.CharField(label=_("超过办案期限的：逾期原因（XF-060，记录在案）"), widget=TEXT, required=False,
                                  max_length=limit(Case, "late_decision_reason"))


class NoticeForm(StepForm):
    served_on = forms.DateField(label=_("告知书送达日期"))
    method = forms.ChoiceField(label=_("送达方式"), choices=ServiceMethod.choices)


class RepresentationsForm(StepForm):
    received_on = forms.DateField(label=_("收到日期"))
    text = forms.CharField(label=_("陈述申辩意见"), widget=TEXT)
    review_opinion = forms.CharField(label=_("复核意见"), widget=TEXT)

    def setup(self):
        """What the party sent online and nobody recorded yet: its words, from the day it came (XF-041)."""
        waiting = list(self.case.submissions.filter(kind=SubmissionKind.REPRESENTATION, handled_at__isnull=True))
        if waiting and not self.is_bound:
            self.fields["received_on"].initial = timezone.localtime(waiting[0].submitted_at).date()
            self.fields["text"].initial = "\n\n".join(s.text for s in waiting)


class WaiverForm(StepForm):
    on = forms.DateField(label=_("书面放弃日期"))
    statement = forms.FileField(label=_("当事人签名的书面放弃声明（PDF扫描件或照片）"))
    confirm = forms.BooleanField(label=_("当事人已书面明确放弃陈述、申辩和听证权利"))


class HearingRequestForm(StepForm):
    requested_on = forms.DateField(label=_("申请日期"))
    late_reason = forms.CharField(label=_("逾期申请的，当事人的理由（报负责人决定是否受理）"), widget=TEXT, required=False,
                                  max_length=500)

    def setup(self):
        """A request the party sent online: the day it came, and its words as the reason if it came late."""
        waiting = self.case.submissions.filter(kind=SubmissionKind.HEARING, handled_at__isnull=True).first()
        if waiting is not None and not self.is_bound:
            self.fields["requested_on"].initial = timezone.localtime(waiting.submitted_at).date()
            self.fields["late_reason"].initial = waiting.text[:500]


class LateHearingForm(HeadDecisionForm):
    approved = _decision(_("受理，举行听证"), _("不予受理"), label=_("负责人决定"))
    on = forms.DateField(label=_("决定日期"))


class HearingScheduleForm(StepForm):
    future_ok = ("scheduled_for",)
    notice_served_on = forms.DateField(label=_("听证通知书送达日期"))
    scheduled_for = forms.DateTimeField(label=_("听证时间"))
    place = forms.CharField(label=_("地点"), max_length=200)
    presider = forms.ModelChoiceField(Officer.objects.none(), label=_("主持人（非本案调查人员）"))
    public = forms.BooleanField(label=_("公开举行"), required=False, initial=True)
    secrecy_reason = forms.CharField(label=_("不公开理由"), required=False, max_length=200)
    agents = forms.CharField(label=_("委托代理人（一至二人，逗号分隔）"), required=False, max_length=200)

    def setup(self):
        officers_field(self.fields["presider"], self.case)


class HearingHoldForm(StepForm):
    held_on = forms.DateField(label=_("听证日期"))
    attended = forms.BooleanField(label=_("当事人到场"), required=False, initial=True)
    record = forms.CharField(label=_("听证笔录"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    party_signed = forms.BooleanField(label=_("当事人已签字"), required=False)
    refusal_note = forms.CharField(label=_("拒绝签字情况"), required=False, max_length=limit(Hearing, "refusal_note"))
    report = forms.CharField(label=_("听证报告"), widget=TEXT, required=False)


# the review's points, recorded in Chinese (the 审核表); each labelled in the reviewer's language
CHECKLIST = [gettext_noop("执法主体合法"), gettext_noop("执法人员具备资格"), gettext_noop("事实清楚、证据确凿"),
             gettext_noop("适用依据正确"), gettext_noop("程序合法"), gettext_noop("裁量适当"), gettext_noop("文书规范")]


class LegalReviewForm(StepForm):
    on = forms.DateField(label=_("审核日期"))
    result = forms.ChoiceField(label=_("审核结论"), choices=LegalReview.Result.choices)
    opinion = forms.CharField(label=_("审核意见"), widget=TEXT)
    checklist = forms.MultipleChoiceField(label=_("审核要点（勾选为符合）"), choices=[(c, _(c)) for c in CHECKLIST],
                                          required=False, widget=forms.CheckboxSelectMultiple)


class ReviewResubmitForm(StepForm):
    on = forms.DateField(label=_("提请日期"))
    note = forms.CharField(label=_("补正情况（按审核意见补充、更正了什么）"), widget=TEXT)


class CollectiveForm(StepForm):
    held_on = forms.DateField(label=_("讨论日期"))
    attendees = forms.CharField(label=_("参加人员（三人以上，逗号分隔）"), max_length=500)
    opinions = forms.CharField(label=_("讨论意见"), widget=TEXT)
    conclusion = forms.CharField(label=_("结论"), widget=TEXT)


class DecideForm(StepForm):
    future_ok = ("correction_due",)
    decided_on = forms.DateField(label=_("决定日期"))
    types = forms.MultipleChoiceField(label=_("处罚种类"), choices=PENALTIES, widget=forms.CheckboxSelectMultiple)
    fine = forms.DecimalField(label=_("罚款（元）"), required=False, min_value=Decimal("0.01"), decimal_places=2,
                              max_digits=14)
    confiscation = forms.DecimalField(label=_("没收金额（元）"), required=False, min_value=Decimal("0.01"),
                                      decimal_places=2, max_digits=14)
    order_correction = forms.CharField(label=_("责令改正内容"), required=False, max_length=300)
    correction_due = forms.DateField(label=_("改正期限"), required=False)
    temporal_note = forms.CharField(label=_("依据修改时：适用旧法或较轻新法的说明（XF-037）"), widget=TEXT, required=False)
    late_reason = forms.CharField(label=_("超过办案期限的：逾期原因（XF-060，记录在案）"), widget=TEXT, required=False,
                                  max_length=limit(Case, "late_decision_reason"))

    def setup(self):
        self.fields["types"].initial = self.case.proposed_types
        self.fields["fine"].initial = self.case.proposed_fine
        self.fields["confiscation"].initial = self.case.proposed_confiscation


class ServeForm(StepForm):
    served_on = forms.DateField(label=_("送达日期"))
    method = forms.ChoiceField(label=_("送达方式（XF-061）"), choices=ServiceMethod.choices)
    receiver = forms.CharField(label=_("受送达人"), max_length=100)
    signed = forms.BooleanField(label=_("已签收"), required=False, initial=True)
    refusal_note = forms.CharField(label=_("拒收事由"), required=False, max_length=300)
    witness = forms.CharField(label=_("见证人"), required=False, max_length=100)
    e_service_consent = forms.BooleanField(label=_("已签订送达地址确认书，同意电子送达"), required=False)
    public_notice_on = forms.DateField(label=_("公告日期（公告送达）"), required=False)

    def setup(self):
        self.fields["receiver"].initial = self.case.party_name


class PaymentForm(StepForm):
    paid_on = forms.DateField(label=_("缴款日期"))
    amount = forms.DecimalField(label=_("金额（元）"), min_value=Decimal("0.01"), decimal_places=2, max_digits=14)
    method = forms.CharField(label=_("方式"), max_length=limit(Payment, "method"), initial="银行缴款")


class DeferralForm(StepForm):
    on = forms.DateField(label=_("批准日期"))
    reason = forms.CharField(label=_("确有经济困难的理由（XF-066）"), widget=TEXT, max_length=limit(Deferral, "reason"))
    schedule = forms.CharField(label=_("分期计划（每行：日期 金额，如 2026-12-31 3000）"), widget=TEXT)

    def clean_schedule(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["schedule"].splitlines(), 1):
            if not line.strip():
                continue
            parts = line.split()
            try:
                rows.append((dt.date.fromisoformat(parts[0]), Decimal(parts[1])))
            except (IndexError, ValueError, ArithmeticError):
                raise forms.ValidationError(_("第%(n)d行应为“日期 金额”") % {"n": n}) from None
        if not rows:
            raise forms.ValidationError(_("至少一期"))
        return rows


class DatedForm(StepForm):
    on = forms.DateField(label=_("日期"))


class CourtApplyForm(StepForm):
    applied_on = forms.DateField(label=_("申请日期"))


class RemedyFileForm(StepForm):
    kind = forms.ChoiceField(label=_("类型"), choices=RemedyKind.choices)
    body = forms.CharField(label=_("复议机关/法院"), max_length=100, initial="常山县人民政府")
    filed_on = forms.DateField(label=_("申请/起诉日期"))
    copy_received_on = forms.DateField(label=_("收到申请书/起诉状副本日期"), required=False)
    via_agency = forms.BooleanField(label=_("当事人通过本机关提交复议申请（当场处罚或电子监控记录，FY-022-032）"),
                                    required=False)


class RemedyCloseForm(StepForm):
    remedy = forms.ModelChoiceField(None, label=_("复议/诉讼"))
    result = forms.ChoiceField(label=_("结果"), choices=[c for c in RemedyResult.choices if c[0] != RemedyResult.PENDING])
    closed_on = forms.DateField(label=_("结果日期"))

    def setup(self):
        self.fields["remedy"].queryset = self.case.remedies.filter(closed_on__isnull=True)
        self.fields["remedy"].label_from_instance = lambda r: f"{r.get_kind_display()} {r.body} {r.filed_on}"


class PublicationExcludeForm(StepForm):
    on = forms.DateField(label=_("日期"))
    ground = forms.ChoiceField(label=_("不予公开的情形"), choices=PublicationExclusion.choices)
    # kept as "情形：理由" in one column: the service says how much room the chosen 情形 leaves
    reason = forms.CharField(label=_("理由"), widget=TEXT, max_length=limit(Case, "publication_exclusion"))


class ReasonForm(StepForm):
    on = forms.DateField(label=_("日期"))
    reason = forms.CharField(label=_("理由"), widget=TEXT)


class CloseForm(ReasonForm):
    """结案 and 申请结案: the reason becomes the case's closing reason."""

    reason = forms.CharField(label=_("结案理由"), widget=TEXT, max_length=limit(Case, "close_reason"))


class WithdrawForm(ReasonForm):
    reason = forms.CharField(label=_("撤回理由（公开说明）"), widget=TEXT, max_length=limit(Publication, "withdraw_reason"))


class RecusalApplyForm(StepForm):
    officer = forms.ModelChoiceField(Officer.objects.none(), label=_("申请回避的执法人员"))
    applicant = forms.ChoiceField(label=_("申请人"), choices=RecusalApplicant.choices)
    reason = forms.CharField(label=_("回避理由"), widget=TEXT, max_length=Recusal._meta.get_field("reason").max_length)
    on = forms.DateField(label=_("申请日期"))

    def setup(self):
        self.fields["officer"].queryset = recusable_officers(self.case)


class RecusalDecideForm(StepForm):
    recusal = forms.ModelChoiceField(None, label=_("回避申请"))
    granted = forms.TypedChoiceField(label=_("决定"), choices=[("1", _("准予回避")), ("0", _("驳回申请"))],
                                     coerce=lambda v: v == "1")
    on = forms.DateField(label=_("决定日期"))

    def setup(self):
        self.fields["recusal"].queryset = self.case.recusals.filter(granted__isnull=True).select_related("officer")
        self.fields["recusal"].label_from_instance = lambda r: f"{r.officer.name}{colon()}{r.reason[:40]}" + bracketed(r.get_applicant_display())




class SeizureExtendForm(StepForm):
    act = forms.ModelChoiceField(None, label=_("查封/扣押"))
    on = forms.DateField(label=_("批准日期"))
    approval_ref = forms.CharField(label=_("审批表编号（可不填）"), max_length=100, required=False)
    reason = forms.CharField(label=_("延长理由（书面告知当事人）"), widget=TEXT)

    def setup(self):
        self.fields["act"].queryset = coercive_acts_in_force(self.case)
        self.fields["act"].label_from_instance = lambda a: f"{a.get_kind_display()} {a.started_at:%Y-%m-%d} {a.place}"


class SeizureTestingForm(StepForm):
    act = forms.ModelChoiceField(None, label=_("查封/扣押"))
    lab = forms.CharField(label=_("检测、检验、检疫或技术鉴定机构"), max_length=200)
    started_on = forms.DateField(label=_("检测开始日期"))
    ended_on = forms.DateField(label=_("检测结束日期"))
    party_notified_on = forms.DateField(label=_("书面告知当事人检测期间的日期"), required=False)

    def setup(self):
        self.fields["act"].queryset = coercive_acts_in_force(self.case)
        self.fields["act"].label_from_instance = lambda a: f"{a.get_kind_display()} {a.started_at:%Y-%m-%d} {a.place}"


class MeasureRequestForm(StepForm):
    kind = forms.ChoiceField(label=_("措施"), choices=[(ActKind.PRESERVATION, ActKind.PRESERVATION.label),
                                                     (ActKind.SEIZE, ActKind.SEIZE.label),
                                                     (ActKind.SEAL, ActKind.SEAL.label)])
    on = forms.DateField(label=_("申请日期"))
    reason = forms.CharField(label=_("理由和对象（物品、场所）"), widget=TEXT, max_length=500)


class MeasureApproveForm(HeadDecisionForm):
    pending_kind, pending_label = "measure", _("待审批的措施")
    approved = _decision(_("批准"), _("不批准"))
    on = forms.DateField(label=_("审批日期"))


class EmergencyApproveForm(HeadDecisionForm):
    """The head's decision on a coercive measure taken on the spot in an emergency (QZ-018-019)."""

    pending_kind, pending_label = "emergency", _("紧急实施的强制措施")
    approved = _decision(_("补办批准"), _("不批准，立即解除"))
    on = forms.DateField(label=_("审批日期"))


class SeizureReleaseForm(SeizureExtendForm):
    approval_ref = None
    reason = forms.CharField(label=_("解除或处理理由"), widget=TEXT)


class AssistanceRequestForm(StepForm):
    to_department = forms.ModelChoiceField(Department.objects.none(), label=_("请求协助的机关"))
    matter = forms.CharField(label=_("协助事项"), max_length=300)
    basis = forms.CharField(label=_("法律依据"), max_length=300, initial="《中华人民共和国行政处罚法》第二十六条")
    on = forms.DateField(label=_("请求日期"))

    def setup(self):
        self.fields["to_department"].queryset = Department.objects.exclude(pk=self.case.department_id).order_by("code")


class AssistanceReplyForm(StepForm):
    on = forms.DateField(label=_("答复日期"))
    reply = forms.CharField(label=_("协助结果"), widget=TEXT)


class CrimeReportForm(StepForm):
    report_at = forms.DateTimeField(label=_("报告时间"))


class CrimeDecideForm(StepForm):
    approved = forms.TypedChoiceField(label=_("负责人决定"), choices=[("1", _("批准移送")), ("0", _("不批准"))],
                                      coerce=lambda v: v == "1")
    at = forms.DateTimeField(label=_("决定时间"))
    reason = forms.CharField(label=_("不批准的理由"), widget=TEXT, required=False,
                             max_length=limit(CrimeTransfer, "refusal_reason"))


class CrimeTransferForm(StepForm):
    at = forms.DateTimeField(label=_("移送时间"))
    police = forms.CharField(label=_("接收的公安机关"), max_length=100)  # services.CRIME_TRANSFER_POLICE_MAX
    receipt_no = forms.CharField(label=_("公安机关接收回执编号"), max_length=limit(CrimeTransfer, "police_receipt_no"))
    items = forms.CharField(label=_("涉案物品清单（无则不填）"), widget=TEXT, required=False, max_length=1000)  # services.CRIME_TRANSFER_ITEMS_MAX


class PoliceAnswerForm(StepForm):
    filed = forms.TypedChoiceField(label=_("公安机关决定"), choices=[("1", _("立案")), ("0", _("不予立案"))],
                                   coerce=lambda v: v == "1")
    on = forms.DateField(label=_("收到通知书的日期"))
    notice_no = forms.CharField(label=_("立案/不予立案通知书文号"), max_length=limit(CrimeTransfer, "police_notice_no"))


class CrimeHandoverForm(StepForm):
    on = forms.DateField(label=_("移交日期"))
    items = forms.CharField(label=_("移交的涉案物品和有关材料"), widget=TEXT, max_length=limit(CrimeTransfer, "handed_over_items"))


class DutyLeadForm(StepForm):
    on = forms.DateField(label=_("移送日期"))
    to_kind = forms.ChoiceField(label=_("移送机关类别"), choices=DutyLeadBody.choices)
    to_body = forms.CharField(label=_("接收机关"), max_length=limit(DutyLeadTransfer, "to_body"),
                              initial="常山县监察委员会")
    content = forms.CharField(label=_("线索内容（涉及的公职人员、事实、已移送的材料）"), widget=TEXT, max_length=2000)
    receipt_no = forms.CharField(label=_("回执编号"), required=False, max_length=limit(DutyLeadTransfer, "receipt_no"))


class CrimeReturnForm(StepForm):
    on = forms.DateField(label=_("退回日期"))
    basis = forms.CharField(label=_("退回依据（如公安机关不予立案通知书、检察院不起诉决定书）"), widget=TEXT,
                            max_length=limit(CrimeTransfer, "return_basis"))


class DeviceReviewForm(StepForm):
    evidence = forms.ModelChoiceField(None, label=_("设备记录"))
    result = forms.ChoiceField(label=_("审核结论（XF-041）"), choices=Evidence.DeviceReview.choices)
    on = forms.DateField(label=_("审核日期"))
    party_informed_via = forms.CharField(label=_("告知当事人及网上陈述申辩途径的方式（如 短信+浙里办）"), required=False,
                                         max_length=50)
    note = forms.CharField(label=_("审核意见"), required=False, max_length=300)

    def setup(self):
        self.fields["evidence"].queryset = self.case.evidence.filter(device__isnull=False, device_review="")
        self.fields["evidence"].label_from_instance = lambda e: f"{e.device.code}{colon()}{e.description[:40]}"


class RemedyForwardForm(StepForm):
    remedy = forms.ModelChoiceField(None, label=_("复议申请"))
    on = forms.DateField(label=_("转送日期"))

    def setup(self):
        self.fields["remedy"].queryset = self.case.remedies.filter(via_agency=True, forwarded_on__isnull=True,
                                                                   closed_on__isnull=True)
        self.fields["remedy"].label_from_instance = lambda r: f"{r.body} {r.filed_on}"


class CashHandoverForm(StepForm):
    payment = forms.ModelChoiceField(None, label=_("当场收缴的罚款"))
    handed_over_on = forms.DateField(label=_("交回行政机关日期"), required=False)
    deposited_on = forms.DateField(label=_("缴付指定银行日期"), required=False)

    def setup(self):
        self.fields["payment"].queryset = self.case.payments.exclude(receipt_no="").filter(deposited_on__isnull=True)
        self.fields["payment"].label_from_instance = lambda p: gettext("%(amount)s 元 收据 %(receipt)s（%(paid_on)s）") % {
            "amount": p.amount, "receipt": p.receipt_no, "paid_on": p.paid_on}
        self.fields["handed_over_on"].initial = None
        self.fields["deposited_on"].initial = None


class TransferOutForm(StepForm):
    to_department = forms.ModelChoiceField(Department.objects.none(), label=_("移送至（有管辖权的机关）"))
    on = forms.DateField(label=_("移送日期"))
    reason = forms.CharField(label=_("移送理由和依据"), widget=TEXT)

    def setup(self):
        self.fields["to_department"].queryset = Department.objects.exclude(pk=self.case.department_id).order_by("code")


class DisputeForm(StepForm):
    other = forms.ModelChoiceField(Department.objects.none(), label=_("争议对方"))
    on = forms.DateField(label=_("日期"))
    reason = forms.CharField(label=_("争议事项"), widget=TEXT)

    def setup(self):
        self.fields["other"].queryset = Department.objects.exclude(pk=self.case.department_id).order_by("code")


class RulingForm(StepForm):
    handler = forms.ModelChoiceField(Department.objects.none(), label=_("由谁管辖"))
    on = forms.DateField(label=_("协调日期"))
    reason = forms.CharField(label=_("协调意见"), widget=TEXT)

    def setup(self):
        self.fields["handler"].queryset = Department.objects.filter(
            pk__in=[self.case.department_id, self.case.dispute_with_id])


class CorrectionCheckForm(StepForm):
    on = forms.DateField(label=_("复查日期"))
    corrected = forms.TypedChoiceField(label=_("复查结果"), choices=[("1", _("已改正")), ("0", _("未改正"))],
                                       coerce=lambda v: v == "1")
    note = forms.CharField(label=_("复查情况"), widget=TEXT)


class ShareEvidenceForm(StepForm):
    evidence = forms.ModelChoiceField(None, label=_("证据（已查证、合法取得）"))
    to_case_number = forms.CharField(label=_("接收案件的案号"), max_length=80)
    on = forms.DateField(label=_("共享日期"))

    def setup(self):
        self.fields["evidence"].queryset = self.case.evidence.filter(verified=True, lawful=True)
        self.fields["evidence"].label_from_instance = lambda e: f"{e.get_kind_display()}{colon()}{e.description[:40]}"

    def clean_to_case_number(self):
        number = self.cleaned_data["to_case_number"].strip()
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise forms.ValidationError(_("没有案号为“%(n)s”的案件") % {"n": number})
        return case

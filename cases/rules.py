"""The procedural law as functions, each named after its rulebook id. Services call these; tests are
named after the same ids. All dates are local (Asia/Shanghai) calendar dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from catalogue.choices import DISALLOWED_PENALTY_TYPES, FineBasis, PenaltyType
from core.config import config_get
from core.workdays import Deadline, add_calendar_days, add_months, add_working_days

# -------------------------------------------------------------- XF-036 limitation


def limitation_end(act_date: dt.date, act_end_date: dt.date | None, *, life_health_with_harm: bool) -> dt.date:
    """XF-036: 2 years from the act (from its end for a continuing act); 5 years where life, health or
    financial security is involved and harm resulted."""
    start = act_end_date or act_date
    years = 5 if life_health_with_harm else 2
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def within_limitation(*, act_date, act_end_date, discovery_date, life_health_with_harm) -> bool:
    return discovery_date <= limitation_end(act_date, act_end_date, life_health_with_harm=life_health_with_harm)


# -------------------------------------------------------------- XF-030-032 age


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# -------------------------------------------------------------- XF-009 penalty types


@dataclass(frozen=True)
class Problem:
    """Why a proposed penalty is not allowed: the rule it breaks, the field at fault and the message."""

    rule: str
    field: str
    message: str


def invalid_penalty_types(types: list[str]) -> list[Problem]:
    problems = []
    for t in types:
        if t not in PenaltyType.values:
            problems.append(Problem("XF-009", "types",
                                    _("“%(type)s”不是行政处罚法第九条规定的处罚种类（XF-009）") % {"type": t}))
        elif t in DISALLOWED_PENALTY_TYPES:
            problems.append(Problem("XF-009", "types", _("行政拘留只能由公安机关决定，本平台不得作出（XF-009，第十八条第三款）")))
    return problems


# -------------------------------------------------------------- XF-051 / XF-053 simple procedure


def simple_procedure_limit(party_kind: str) -> Decimal:
    """XF-051: 200 yuan for a citizen, 3,000 for a legal person or other organisation. An individual
    business follows the citizen limit by default (configurable, UNVERIFIED)."""
    as_person = party_kind == "person" or (party_kind == "individual" and config_get("case.individual_business_as_person"))
    return Decimal(config_get("case.simple_limit.person" if as_person else "case.simple_limit.org"))


def simple_procedure_problems(*, party_kind: str, types: list[str], fine: Decimal | None) -> list[Problem]:
    problems = invalid_penalty_types(types)
    if not types:
        problems.append(Problem("XF-009", "types", _("请选择处罚种类")))
    extra = [t for t in types if t not in (PenaltyType.WARNING, PenaltyType.FINE)]
    if extra:
        problems.append(Problem("XF-051", "types", _("简易程序只能给予警告或者罚款（XF-051）")))
    if PenaltyType.FINE in types:
        limit = simple_procedure_limit(party_kind)
        if fine is None or fine <= 0:
            problems.append(Problem("XF-051", "fine", _("罚款须填写金额")))
        elif fine > limit:
            problems.append(Problem("XF-051", "fine",
                                    _("简易程序罚款不得超过%(limit)s元（XF-051），请适用普通程序") % {"limit": limit}))
    return problems


def fixed_fine_range(fine_tiers: list[dict]) -> tuple[Decimal | None, Decimal | None]:
    """The statutory fine range of an item whose every fine is a fixed amount (固定金额): the lowest floor and the
    highest ceiling of its tiers. A fine counted in multiples of illegal gains, goods value or a cost has no range
    known before that amount is: (None, None)."""
    if not fine_tiers or any(t.get("basis") != FineBasis.FIXED or not t.get("max") for t in fine_tiers):
        return None, None
    floors = [Decimal(t["min"]) for t in fine_tiers if t.get("min") not in (None, "")]
    return (min(floors) if len(floors) == len(fine_tiers) else None), max(Decimal(t["max"]) for t in fine_tiers)


def simple_procedure_item(*, penalty_types: list[str], fine_tiers: list[dict]) -> bool:
    """Whether the simple procedure (XF-051) can apply to an item at all: its law provides a warning, or a fine
    whose statutory floor is within the higher of the two limits (an organisation's). An item whose penalties or
    range the catalogue does not record is left to the decision's own check."""
    if not penalty_types or PenaltyType.WARNING in penalty_types:
        return True
    if PenaltyType.FINE not in penalty_types:
        return False
    floor, _top = fixed_fine_range(fine_tiers)
    return floor is None or floor <= max(simple_procedure_limit("person"), simple_procedure_limit("org"))


def yuan(amount: Decimal) -> str:
    """An amount of yuan as the law writes it: 50000, not 50000.00 nor 5E+4."""
    return f"{Decimal(amount).normalize():f}"


def spot_penalty_hint(*, penalty_types: list[str], fine_tiers: list[dict]) -> str:
    """What the item's law lets an on-the-spot decision give, for the form's list: 警告, 罚款 with its statutory
    range when every tier is a fixed amount (none where its floor is above the simple limit) — so the officer sees
    the range before the decision is refused."""
    parts = []
    if not penalty_types or PenaltyType.WARNING in penalty_types:
        parts.append(_("警告"))
    floor, top = fixed_fine_range(fine_tiers)
    limit = max(simple_procedure_limit("person"), simple_procedure_limit("org"))
    if (not penalty_types or PenaltyType.FINE in penalty_types) and (floor is None or floor <= limit):
        if floor is None or top is None:
            parts.append(_("罚款"))
        elif floor:
            parts.append(_("罚款%(floor)s–%(top)s元") % {"floor": yuan(floor), "top": yuan(top)})
        else:
            parts.append(_("罚款%(top)s元以下") % {"top": yuan(top)})
    return pgettext("list", "、").join(parts)


def item_penalty_problems(*, penalty_types: list[str], fine_tiers: list[dict], party_kind: str, types: list[str],
                          fine: Decimal | None) -> list[Problem]:
    """XF-051 “有法定依据” for an on-the-spot decision: a penalty the item's law provides (XF-038), a fine within
    its statutory range. Below the floor is 减轻处罚, whose reasons only the general procedure records
    (XF-030-032); an item whose floor is above the simple limit goes to the general procedure."""
    problems = []
    if penalty_types:
        outside = [str(PenaltyType(t).label) if t in PenaltyType.values else t for t in types if t not in penalty_types]
        if outside:
            problems.append(Problem("XF-038", "types", _("事项依据的条文未规定%(v)s，没有法律依据") % {"v": pgettext("list", "、").join(outside)}))
    floor, top = fixed_fine_range(fine_tiers)
    if PenaltyType.FINE not in types or fine is None or fine <= 0:
        return problems
    limit = simple_procedure_limit(party_kind)
    if floor is not None and floor > limit:
        problems.append(Problem("XF-051", "fine", _("本事项法定罚款最低%(floor)s元，超出简易程序限额%(limit)s元，请适用普通程序")
                                % {"floor": yuan(floor), "limit": yuan(limit)}))
    elif floor is not None and fine < floor:
        problems.append(Problem("XF-051", "fine", _("罚款低于本事项法定下限%(floor)s元；减轻处罚须适用普通程序并写明理由")
                                % {"floor": yuan(floor)}))
    if top is not None and fine > top:
        problems.append(Problem("XF-038", "fine", _("罚款超出法定上限%(top)s元，没有法律依据") % {"top": yuan(top)}))
    return problems


def on_spot_collection_allowed(*, fine: Decimal, hard_to_enforce_reason: str = "", remote_area_request: bool = False
                               ) -> bool:
    """XF-053: officers may collect on the spot only ≤ 100 yuan, or when it would be hard to enforce
    later (with a reason), or in remote areas at the party's request."""
    return fine <= Decimal(config_get("case.on_spot_collection_max")) or bool(hard_to_enforce_reason.strip()) \
        or remote_area_request


# -------------------------------------------------------------- XF-063 hearing right


HEARING_TYPES = {PenaltyType.DOWNGRADE, PenaltyType.REVOKE_PERMIT, PenaltyType.SUSPEND_BUSINESS, PenaltyType.CLOSE,
                 PenaltyType.RESTRICT_PRACTICE}


def hearing_right(*, party_kind: str, types: list[str], fine: Decimal | None, confiscation: Decimal | None,
                  on: dt.date) -> bool:
    """XF-063: the right to a hearing for heavy penalties; the 较大数额 thresholds are configuration."""
    if HEARING_TYPES & set(types):
        return True
    key = "case.hearing_threshold.person" if party_kind in ("person", "individual") else "case.hearing_threshold.org"
    if fine is not None and fine >= Decimal(config_get(key, on=on)):
        return True
    return confiscation is not None and confiscation >= Decimal(config_get("case.hearing_threshold.confiscation", on=on))


# -------------------------------------------------------------- XF-058 legal review triggers


def legal_review_triggers(*, is_complex: bool, hearing_held: bool, fine: Decimal | None, types: list[str],
                          on: dt.date) -> list[str]:
    triggers = []
    if is_complex:
        triggers.append("情节复杂、涉及多个法律关系（第五十八条第一款第三项）")
    if hearing_held:
        triggers.append("经过听证程序（第五十八条第一款第二项）")
    if fine is not None and fine >= Decimal(config_get("case.legal_review_fine_threshold", on=on)):
        triggers.append("达到本机关重大执法决定法制审核目录标准（第五十八条第一款第四项）")
    if HEARING_TYPES & set(types):
        triggers.append("直接关系当事人重大权益（第五十八条第一款第二项）")
    return triggers


# -------------------------------------------------------------- timers (all return core.workdays.Deadline)

# The statutory periods: the timers count them, and the public guide (:func:`party_guide`) states them — one
# number each, so what a party reads is what the system enforces.
HEARING_REQUEST_WORKING_DAYS = 5  # XF-064(一)
HEARING_NOTICE_WORKING_DAYS = 7  # XF-064(二)
DECISION_DAYS = 90  # XF-060
SERVICE_WORKING_DAYS = 7  # XF-061
PAYMENT_DAYS = 15  # XF-067
SURCHARGE_DAILY_RATE = Decimal("0.03")  # XF-072, capped at the fine
RECONSIDERATION_DAYS = 60  # FY-020
LITIGATION_MONTHS = 6  # SS-046-045, a direct suit
LITIGATION_AFTER_RECONSIDERATION_DAYS = 15  # SS-046-045, after a reconsideration decision


def party_guide(on: dt.date) -> dict:
    """The numbers the public guide to the procedure states (SX-1; 行政处罚法 第三十九条: 实施程序和救济渠道应当
    公示), on ``on``: the statutory periods above and the configured limits and thresholds the guards apply."""
    return {
        "simple_person": config_get("case.simple_limit.person", on=on),
        "simple_org": config_get("case.simple_limit.org", on=on),
        "on_spot_max": config_get("case.on_spot_collection_max", on=on),
        "representation_days": config_get("case.representation_working_days", on=on),
        "hearing_person": config_get("case.hearing_threshold.person", on=on),
        "hearing_org": config_get("case.hearing_threshold.org", on=on),
        "hearing_confiscation": config_get("case.hearing_threshold.confiscation", on=on),
        "hearing_request_days": HEARING_REQUEST_WORKING_DAYS, "hearing_notice_days": HEARING_NOTICE_WORKING_DAYS,
        "decision_days": DECISION_DAYS, "service_days": SERVICE_WORKING_DAYS, "payment_days": PAYMENT_DAYS,
        "surcharge_percent": int(SURCHARGE_DAILY_RATE * 100), "reconsideration_days": RECONSIDERATION_DAYS,
        "litigation_months": LITIGATION_MONTHS,
        "after_reconsideration_days": LITIGATION_AFTER_RECONSIDERATION_DAYS,
    }


def legal_review_deadline(submitted_on: dt.date) -> Deadline:
    """XF-058 timer: the review's turnaround from the day the case needs it (UNVERIFIED for Zhejiang;
    ``case.legal_review_working_days``, default the SAMR's 10 working days)."""
    return add_working_days(submitted_on, config_get("case.legal_review_working_days", on=submitted_on), rule="XF-058")


def decision_deadline(filed_on: dt.date, extended_days: int = 0, excluded_days: int = 0) -> Deadline:
    """XF-060: decide within 90 (calendar) days of filing, and the days the head approved beyond them, and the
    days of periods not counted where configured (``case.decision_excludes_hearing``; ``cases.services.decision_due``)."""
    return add_calendar_days(filed_on, DECISION_DAYS + extended_days + excluded_days, rule="XF-060")


def representation_deadline(notice_served_on: dt.date) -> Deadline:
    """XF-044-045-062: the representation period (UNVERIFIED, default 5 working days)."""
    return add_working_days(notice_served_on, config_get("case.representation_working_days", on=notice_served_on),
                            rule="XF-044-045-062")


def hearing_request_deadline(notice_served_on: dt.date) -> Deadline:
    """XF-064(一): a hearing request within 5 working days of being informed."""
    return add_working_days(notice_served_on, HEARING_REQUEST_WORKING_DAYS, rule="XF-064")


def earliest_hearing_date(hearing_notice_served_on: dt.date) -> dt.date:
    """XF-064(二): notify 7 working days before the hearing → the hearing is on or after the day after
    the 7th working day."""
    return add_working_days(hearing_notice_served_on, HEARING_NOTICE_WORKING_DAYS, rule="XF-064").due + dt.timedelta(days=1)


def service_deadline(decided_on: dt.date) -> Deadline:
    """XF-061: serve within 7 working days when not delivered on the spot."""
    return add_working_days(decided_on, SERVICE_WORKING_DAYS, rule="XF-061")


def payment_deadline(served_on: dt.date) -> Deadline:
    """XF-067: pay within 15 days of receipt (DAY-4 applies)."""
    return add_calendar_days(served_on, PAYMENT_DAYS, rule="XF-067")


def preservation_deadline(started_on: dt.date) -> Deadline:
    """XF-056: decide on evidence preserved by registration within 7 working days."""
    return add_working_days(started_on, 7, rule="XF-056")


def publication_deadline(decided_on: dt.date) -> Deadline:
    """SX-3 (SECONDARY): publish within 7 working days of the decision."""
    return add_working_days(decided_on, config_get("case.publication_working_days", on=decided_on), rule="SX-3")


def withdrawal_deadline(changed_on: dt.date) -> Deadline:
    """XF-048-039: withdraw a changed/revoked published decision within 3 working days."""
    return add_working_days(changed_on, 3, rule="XF-048-039")


def reconsideration_deadline(served_on: dt.date) -> Deadline:
    """FY-020: 60 days from knowing the act."""
    return add_calendar_days(served_on, RECONSIDERATION_DAYS, rule="FY-020")


def litigation_deadline(served_on: dt.date, *, simple: bool) -> Deadline | None:
    """SS-046-045: 6 months for a direct suit. None for on-the-spot decisions: reconsideration first (FY-023)."""
    return None if simple else add_months(served_on, LITIGATION_MONTHS, rule="SS-046-045")


def seizure_deadline(started_on: dt.date, *, extended: bool = False) -> Deadline:
    """QZ-024-028: seizure/sealing lasts at most 30 days, extendable once by at most 30 (calendar days;
    the 强制法 counts periods over ten days in calendar days, DAY-2)."""
    return add_calendar_days(started_on, 60 if extended else 30, rule="QZ-024-028")


def cash_handover_deadlines(collected_on: dt.date) -> tuple[Deadline, Deadline]:
    """XF-070-071: officer → agency within 2 working days; agency → bank within 2 more."""
    handover = add_working_days(collected_on, 2, rule="XF-070-071")
    return handover, add_working_days(handover.due, 2, rule="XF-070-071")


def reconsideration_answer_deadline(copy_received_on: dt.date, *, simple: bool) -> Deadline:
    """FY-048-054: answer within 10 working days (5 in the simple procedure)."""
    return add_working_days(copy_received_on, 5 if simple else 10, rule="FY-048-054")


def court_evidence_deadline(complaint_received_on: dt.date) -> Deadline:
    """SS-026-067: the defendant submits evidence within 15 days."""
    return add_calendar_days(complaint_received_on, 15, rule="SS-026-067")


def court_application_window(*, served_on: dt.date, reminder_served_on: dt.date | None,
                             reconsideration_decided_on: dt.date | None = None) -> tuple[dt.date | None, dt.date]:
    """QZ-046-053-054: opens when the litigation period has run and ≥10 working days after the reminder;
    closes 3 months after the litigation period."""
    if reconsideration_decided_on is not None:
        lit_end = add_calendar_days(reconsideration_decided_on, LITIGATION_AFTER_RECONSIDERATION_DAYS,
                                    rule="SS-046-045").due
    else:
        lit_end = add_months(served_on, LITIGATION_MONTHS, rule="SS-046-045").due
    close = add_months(lit_end, 3, rule="QZ-046-053-054").due
    if reminder_served_on is None:
        return None, close
    after_reminder = add_working_days(reminder_served_on, 10, rule="QZ-046-053-054").due
    return max(lit_end + dt.timedelta(days=1), after_reminder + dt.timedelta(days=1)), close


def crime_transfer_deadlines(report_at: dt.datetime) -> dict[str, dt.datetime]:
    """YS-310: the head decides within 3 days of the report (calendar, conservative); after approval the
    case goes to the police within 24 hours."""
    return {"head_decision_due": report_at + dt.timedelta(days=3)}


POLICE_FOLLOW_UP_DAYS = 3  # YS-310: 提请复议 within 3 days of a refusal; 移交 within 3 days of the police filing


POLICE_REVIEW_DAYS = 3  # YS-310 第八条: the police review a transferred case; 第九条: they answer a reconsideration


def police_review_due(received_on: dt.date) -> Deadline:
    """YS-310 第八条/第九条: the police decide whether to file a transferred case within 3 days of receiving it, and
    answer a request to reconsider within 3 days of receiving it (calendar, conservative as the rulebook notes).
    Their time, not the agency's: when it runs out the agency is told, to press them or to ask the procuratorate
    to supervise (第九条)."""
    return add_calendar_days(received_on, POLICE_REVIEW_DAYS, rule="YS-310")


def crime_follow_up_due(answered_on: dt.date) -> Deadline:
    """YS-310 第九条/第十二条: after the police answer, the agency asks them to reconsider a refusal, or hands over
    the items and materials of a filed case, within 3 days (calendar, conservative as the rulebook notes)."""
    return add_calendar_days(answered_on, POLICE_FOLLOW_UP_DAYS, rule="YS-310")


# -------------------------------------------------------------- XF-072 / XF-073 surcharge


def surcharge(*, fine: Decimal, due_on: dt.date, on: dt.date, paused: list[tuple[dt.date, dt.date | None]] = ()) -> Decimal:
    """XF-072: 3 % of the fine per day from the day after the due date, capped at the fine; days with a
    pending reconsideration or lawsuit (XF-073) or an approved deferral (XF-066) are not counted."""
    if on <= due_on or fine <= 0:
        return Decimal("0.00")
    days = 0
    day = due_on + dt.timedelta(days=1)
    while day <= on:
        if not any(start <= day and (end is None or day <= end) for start, end in paused):
            days += 1
        day += dt.timedelta(days=1)
    amount = (fine * SURCHARGE_DAILY_RATE * days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(amount, fine)


# -------------------------------------------------------------- remedies text (FY-020, FY-023, FY-024, SS-046, SS-064)


@dataclass
class RemedyText:
    text: str
    body: str


def remedy_text(*, reconsideration_body: str, simple: bool) -> RemedyText:
    if simple:
        text = (f"如不服本决定，应当自收到本决定书之日起六十日内向{reconsideration_body}申请行政复议；"
                f"对行政复议决定不服的，可以依法向人民法院提起行政诉讼。")
    else:
        text = (f"如不服本决定，可以在收到本决定书之日起六十日内向{reconsideration_body}申请行政复议，"
                f"也可以在收到本决定书之日起六个月内依法向人民法院提起行政诉讼。")
    return RemedyText(text, reconsideration_body)


def remedy_text_problems(text: str, *, body: str, simple: bool) -> list[str]:
    """SS-064: a decision cannot be issued unless the remedy text names the body, 60 days, and either
    6 months or (on-the-spot) reconsideration first."""
    problems = []
    if body not in text:
        problems.append(_("救济途径须写明行政复议机关（FY-024-027）"))
    if "六十日" not in text:
        problems.append(_("救济途径须写明六十日复议期限（FY-020）"))
    if simple and "应当" not in text:
        problems.append(_("当场处罚决定须告知先申请行政复议（FY-023）"))
    if not simple and "六个月" not in text:
        problems.append(_("救济途径须写明六个月诉讼期限（SS-046-045）"))
    return problems


# -------------------------------------------------------------- SX-3 redaction


def redact(text: str, *, party_name: str, is_person: bool, other_names: list[str] = ()) -> str:
    """SX-3 / XF-050: remove ID numbers, phone numbers, bank accounts, natural persons' addresses and the
    names of persons other than the party (and the party's name when a minor — excluded upstream)."""
    import re

    from core.privacy import redact_public

    # the names to hide are known here (the case's persons); a legal person's 法定代表人 is published with it
    text = redact_public(text, names=[n for n in other_names if n and n != party_name], find_names=False)
    if is_person:
        text = re.sub(r"(住址|住所|地址)[：:][^，。；\n]*", r"\1：[已隐去]", text)
    return text

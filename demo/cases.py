"""Demo cases in every state, driven through the case services (all guards apply). Synthetic parties.

Each case follows the lawful path up to its target state on dates in the past year; some go through a
hearing, one is transferred to the police, one is referred by a department, one is a no-penalty case,
and several are on-the-spot decisions by town teams.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from cases import services as S
from cases.choices import ActKind, EvidenceKind, Outcome, PartyKind, ServiceMethod
from catalogue.choices import FineBasis
from catalogue.models import EnforcementItem
from catalogue.selectors import active_on
from core import clock
from core.exceptions import ApplicationError
from org.models import Department, Officer, Region, User
from parties.models import Enterprise

TZ = dt.timezone(dt.timedelta(hours=8))
CITIZEN_CASE = 12  # the plan's case that the demo citizen reported (a closed case whose decision is public)
ORDER = ["clue", "filed", "review", "proposed", "notice", "hearing_requested", "hearing_scheduled", "hearing_closed",
         "decided", "served", "overdue", "reminded", "court", "executed", "closed"]


def at(day, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


class CaseReplay:
    def __init__(self, *, today: dt.date, out=None):
        self.today = today
        self.out = out
        self.rng = random.Random(2021)
        self.actor = User.objects.get(username="zfj_officer")
        self.reviewer = User.objects.get(username="fazhi")
        self.head = User.objects.get(username="zfj_head")
        self.zf = Department.objects.get(code="ZF")
        team_officers = list(Officer.objects.filter(team__code="T-ZF", is_auxiliary=False,
                                                    certificate_expiry__gt=today).exclude(user__username="fazhi")
                             .order_by("staff_no"))
        self.me = self.actor.officer
        self.partner = next(o for o in team_officers if o.pk != self.me.pk)
        self.presider = team_officers[-1]
        self.enterprises = list(Enterprise.objects.filter(synthetic=True, kind="company").order_by("pk")[:200])
        self.made = []

    def item(self, *, big=False, domains=("01", "02", "03", "05", "07", "10", "11")):
        candidates = []
        for item in EnforcementItem.objects.filter(domain__code__in=domains).order_by("code"):
            if "fine" not in item.penalty_types:
                continue
            fixed = [t for t in item.fine_tiers if t.get("basis") == FineBasis.FIXED and t.get("max")]
            if len(fixed) != len(item.fine_tiers) or not fixed:
                continue
            top = max(Decimal(t["max"]) for t in fixed)
            low = min(Decimal(t["min"] or 0) for t in fixed)
            if (top >= 100000) == big and active_on(item.holdings.filter(department=self.zf), self.today).exists():
                candidates.append((item, low, top))
        return self.rng.choice(candidates)

    def run(self):
        plan = [("clue", 0), ("requested", 0), ("filed", 0), ("review", 0), ("proposed", 0), ("notice", 0), ("decided", 0),
                ("served", 0), ("overdue", 0), ("reminded", 0), ("court", 0), ("executed", 0), ("closed", 0),
                ("closed", 0), ("closed", 0), ("hearing_requested", 1), ("hearing_scheduled", 1), ("hearing_closed", 1),
                ("closed", 1)]
        for i, (target, big) in enumerate(plan):
            try:
                self.general(i, target, big=bool(big))
            except ApplicationError as exc:  # a demo case the rules refuse is skipped, never forced
                if self.out:
                    self.out.write(f"  demo case {i} ({target}) stopped: {exc.message}")
        self.special()
        if self.out:
            from django.db.models import Count

            from cases.models import Case

            counts = dict(Case.objects.values_list("status").annotate(n=Count("id")))
            self.out.write(f"cases: {sum(counts.values())} {counts}")

    def citizen_report(self, *, ent, cause, found):
        """The demo citizen (account ``citizen``, 张先生) reported the business on the public page the evening
        before the bureau found the case: the model could not place it, so the command centre sent it to the
        bureau the next morning and the officer signed for it. None when intake did not bring it to the bureau
        (the case is then found on patrol, never forced)."""
        from dispatch import services as dispatch
        from intake.choices import EventStatus
        from intake.models import EventCategory
        from intake.services import event_submit

        citizen, operator = User.objects.get(username="citizen"), User.objects.get(username="zhihui")
        evening = at(found - dt.timedelta(days=1), 19)
        place = ent.address.replace("浙江省衢州市常山县", "") if ent.address else ent.town.name
        with clock.frozen(evening):
            event = event_submit(channel="citizen", text=f"举报：{place}{ent.name}{cause}，请执法部门查处。",
                                 title=f"举报{ent.name}", address=ent.address or ent.town.name, received_at=evening,
                                 occurred_at=evening - dt.timedelta(hours=3), actor=citizen, reporter_name="张先生",
                                 reporter_phone="13905700001", synthetic=True).event
        if event.status == EventStatus.TRIAGE:
            decision = event.decisions.order_by("-id").first()  # the operator confirms the model's category
            guess = decision.explanation.get("model", {}).get("label") if decision else None
            with clock.frozen(at(found, 8)):
                dispatch.triage_assign(actor=operator, event=event, department=self.zf, team=self.zf.teams.first(),
                                       reason="举报企业违法行为，需调查处理，分拨县综合行政执法局",
                                       category=EventCategory.objects.filter(code=guess).first() if guess else None)
            event.refresh_from_db()
        if event.status != EventStatus.ROUTED or event.department_id != self.zf.pk:
            return None
        with clock.frozen(at(found, 9)):
            dispatch.instruction_sign(actor=self.actor, instruction=event.instructions.get(status="issued"))
        return event

    def department_referral(self, *, ent, cause, found):
        """The 住建局 supervisor (account ``zj_supervisor``) referred the business (部门移送, ZJ-016) the morning
        before the bureau found the case, the day after the department found it; intake (or the command centre,
        when the model could not place it) brought it to the bureau, whose officer signed for it. The case opened
        from it takes the department as its referrer, which is then told of each answer (结果反馈) — in its notices
        and in the feed its system reads. None when intake did not bring it to the bureau."""
        from dispatch import services as dispatch
        from intake.choices import Channel, EventStatus
        from intake.services import event_submit

        supervisor, operator = User.objects.get(username="zj_supervisor"), User.objects.get(username="zhihui")
        morning = at(found - dt.timedelta(days=1), 10)
        place = ent.address.replace("浙江省衢州市常山县", "") if ent.address else ent.town.name
        with clock.frozen(morning):
            event = event_submit(channel=Channel.REFERRAL, actor=supervisor, received_at=morning,
                                 text=f"日常监管中发现{place}{ent.name}涉嫌{cause}，该事项处罚权已划转综合执法，移送查处；"
                                      "检查记录和照片已上传", title=f"移送：{ent.name}",
                                 address=ent.address or ent.town.name, found_on=morning.date() - dt.timedelta(days=1),
                                 synthetic=True).event
        if event.status == EventStatus.TRIAGE:
            with clock.frozen(at(found - dt.timedelta(days=1), 11)):
                dispatch.triage_assign(actor=operator, event=event, department=self.zf, team=self.zf.teams.first(),
                                       reason="住建局移送的综合执法事项，分拨县综合行政执法局")
            event.refresh_from_db()
        if event.status != EventStatus.ROUTED or event.department_id != self.zf.pk:
            return None
        with clock.frozen(at(found - dt.timedelta(days=1), 14)):
            dispatch.instruction_sign(actor=self.actor, instruction=event.instructions.get(status="issued"))
        return event

    def report_answered(self, event, case, found):
        """The officer answers the report with the case it became; the command centre calls 张先生 back (核查)
        and he rates the answer — his ticket page later links the decision once it is published (SX-3)."""
        from dispatch import services as dispatch
        from intake.models import Event

        operator = User.objects.get(username="zhihui")
        with clock.frozen(at(found, 16)):
            dispatch.instruction_feedback(actor=self.actor, instruction=event.instructions.get(status="signed"),
                                          outcome=f"已登记为案件线索（{case.shown_label}），将依法调查处理")
        with clock.frozen(at(found + dt.timedelta(days=1))):
            dispatch.event_verify(actor=operator, event=Event.objects.get(pk=event.pk), passed=True,
                                  note="回访报告人，已告知立案调查情况")
        with clock.frozen(at(found + dt.timedelta(days=2))):
            dispatch.event_rate(event=Event.objects.get(pk=event.pk), score=5, actor=User.objects.get(username="citizen"),
                                comment="反映的问题有人管了，谢谢")

    def close(self, case, *, on, reason):
        """结案 (WS-CLOSE): the officer asks, the head approves the same day."""
        S.case_close_request(actor=self.actor, case=case, on=on, reason=reason)
        S.case_close(actor=self.head, case=case, on=on, opinion="同意结案，归档")

    def general(self, i, target, *, big=False, referred=False, no_penalty=False, crime=False):
        # a 住建局 referral concerns its own former powers: planning, municipal works, housing and construction, gas
        item, low, top = self.item(big=big, **({"domains": ("02", "03", "05", "07")} if referred else {}))
        ent = self.enterprises[i % len(self.enterprises)]
        stop = 1 if target == "requested" else ORDER.index(target)  # requested: asked to file, with the head
        age_days = 330 - i * 12 if target in ("closed", "court", "reminded", "overdue", "executed") else 80 - i * 3
        if target == "requested":
            age_days = 20  # found 18 days ago, within its verification period; asked to file yesterday
        elif target == "served":
            age_days = 25  # served about 9 days ago: its payment period is still running today
        elif target == "decided":
            age_days = 20  # decided about 5 days ago: still within its 7 days for service
        act = self.today - dt.timedelta(days=max(age_days, 20))
        found = act + dt.timedelta(days=2)
        report = self.citizen_report(ent=ent, cause=item.name[:100], found=found) if i == CITIZEN_CASE else \
            self.department_referral(ent=ent, cause=item.name[:100], found=found) if referred else None
        source = ("部门移送" if referred else "群众举报") if report else "巡查发现" if i % 2 else "群众举报"
        case = S.case_open(actor=self.actor, department=self.zf, item=item, party_kind=PartyKind.ORG,
                           party_name=ent.name, party_code=ent.code, party_address=ent.address or "常山县",
                           cause=item.name[:100], act_date=act, discovery_date=found, location=ent.address or "常山县",
                           town=ent.town, source=f"{source} {report.ticket}" if report else source,
                           summary=report.text if report else f"{ent.name}涉嫌{item.name[:60]}", events=[report] if report else [],
                           # a referral that intake did not bring to the bureau: the department is named by hand
                           referring_department=Department.objects.get(code="ZJ") if referred and not report else None,
                           synthetic=True)
        self.made.append(case)
        if report and not referred:
            self.report_answered(report, case, found)
        elif report:  # the bureau answers the referral's instruction with the clue it became
            from dispatch import services as dispatch

            with clock.frozen(at(found, 16)):
                dispatch.instruction_feedback(actor=self.actor, instruction=report.instructions.get(status="signed"),
                                              outcome=f"已登记为案件线索（{case.shown_label}），将依法调查处理")
        if stop == 0:
            return case
        filed = found + dt.timedelta(days=1)
        if target == "requested":  # asked yesterday: waiting on the head's desk, not for months
            filed = max(filed, self.today - dt.timedelta(days=1))
        for o in (self.me, self.partner):
            S.case_assign(actor=self.actor, case=case, officer=o, on=filed, no_conflict_declared=True)
        S.case_file_request(actor=self.actor, case=case, on=filed, basis="有违法事实，属于本机关管辖，在追责时效内")
        if target == "requested":
            return case
        S.case_file(actor=self.head, case=case, on=filed, opinion="同意立案，由承办人员调查取证")
        visit = filed + dt.timedelta(days=2)
        a = S.act_record(actor=self.actor, case=case, kind=ActKind.INSPECTION, started_at=at(visit, 9),
                         ended_at=at(visit, 10), place=case.location, officers=[self.me, self.partner], id_shown=True,
                         record=f"现场检查：{case.facts}。当事人在场并签字。", party_signed=True,
                         av_sha256=f"{i:064x}", av_started_at=at(visit, 9), av_ended_at=at(visit, 10))
        ev = S.evidence_add(actor=self.actor, case=case, kind=EvidenceKind.INSPECTION_RECORD, description="现场检查笔录及照片",
                            collected_on=visit, collectors=[self.me, self.partner], method="现场检查、拍照",
                            data=f"demo evidence {case.pk}".encode(), filename="photo.jpg", act=a)
        S.evidence_verify(actor=self.actor, evidence=ev, on=visit)
        if crime:
            S.crime_report(actor=self.actor, case=case, report_at=at(visit + dt.timedelta(days=1)))
            S.crime_decide(actor=self.head, case=case, approved=True, at=at(visit + dt.timedelta(days=2)))
            S.crime_transfer(actor=self.actor, case=case, at=at(visit + dt.timedelta(days=2), 16), receipt_no="常公受〔2026〕演示",
                             police="常山县公安局", items="涉案建筑材料样品2件（已封存）")
            # the police file it (YS-310 第八条); its items and materials are handed over within 3 days (第十二条)
            S.crime_police_answer(actor=self.actor, case=case, on=visit + dt.timedelta(days=5), filed=True,
                                  notice_no="常公立〔2026〕演示")
            S.crime_handover(actor=self.actor, case=case, on=visit + dt.timedelta(days=6),
                             items="涉案物品清单、现场检查笔录及照片、检验报告")
            return case
        if i == 2:  # the party asks for the second officer's recusal (XF-043); the head finds no conflict
            r = S.recusal_apply(actor=self.actor, case=case, officer=self.partner, applicant="party",
                                reason="当事人称承办人员与其竞争对手的经营者系同学，可能影响公正执法", on=visit)
            S.recusal_decide(actor=self.head, recusal=r, granted=False, on=visit + dt.timedelta(days=1))
        if stop == 1:
            return case
        review = visit + dt.timedelta(days=5)
        S.investigation_close(actor=self.actor, case=case, on=review,
                              facts=f"经查，{ent.name}于{act}实施了{item.name[:60]}的行为，有现场检查笔录、照片等证据证实。")
        if stop == 2:
            return case
        if no_penalty:
            S.case_propose(actor=self.actor, case=case, on=review + dt.timedelta(days=1), outcome=Outcome.NO_PENALTY_MINOR,
                           ground="first")  # 首违不罚: checked against the party's earlier penalties (XF-033)
            S.case_decide_no_penalty(actor=self.head, case=case, decided_on=review + dt.timedelta(days=2),
                                     grounds="初次违法、危害后果轻微并及时改正（行政处罚法第三十三条第一款）",
                                     education_method="当面教育", education_content="讲解相关法律规定，当事人承诺遵守")
            S.case_serve(actor=self.actor, case=case, served_on=review + dt.timedelta(days=3), method=ServiceMethod.DIRECT,
                         receiver=ent.legal_representative or "当事人")
            self.close(case, on=review + dt.timedelta(days=4), reason="不予处罚，已教育")
            return case
        fine = top if big else max(low, (top * Decimal("0.4")).quantize(Decimal(1)))
        propose_on = review + dt.timedelta(days=1)
        S.case_propose(actor=self.actor, case=case, on=propose_on, outcome=Outcome.PENALTY, types=["fine"], fine=fine,
                       reasons="违法事实清楚，证据确凿")
        if stop == 3:
            return case
        if target == "notice":  # returned for correction first (退回补正), answered the next day, then passed
            S.legal_review_record(actor=self.reviewer, case=case, result="return",
                                  opinion="拟处罚意见未说明适用裁量基准的理由，请补充裁量说明",
                                  checklist={"主体": True, "程序": True, "事实": True, "依据": True, "裁量": False},
                                  on=propose_on)
            propose_on += dt.timedelta(days=1)
            S.legal_review_resubmit(actor=self.actor, case=case, on=propose_on,
                                    note="已补充裁量说明：初次违法、积极配合调查，适用一般阶次下限")
        S.legal_review_record(actor=self.reviewer, case=case, result="pass", opinion="主体合法、程序合法、事实清楚、适用依据正确",
                              checklist={"主体": True, "程序": True, "事实": True, "依据": True, "裁量": True},
                              on=propose_on)
        notice_on = propose_on + dt.timedelta(days=1)
        S.notice_serve(actor=self.actor, case=case, served_on=notice_on)
        case.refresh_from_db()
        if stop == 4:  # the party answered online (网上陈述申辩, XF-041): on the officers' workbench, to record
            notice = case.documents.filter(doc_type="notice").order_by("-pk").first()
            with clock.frozen(min(at(notice_on + dt.timedelta(days=2), 20), clock.now() - dt.timedelta(hours=1))):
                S.party_submit(number=notice.number, code=notice.check_code, kind="statement", contact="13800000000",
                               text="我单位已于收到告知书后立即停止违法行为并整改完毕，系初次违法，请求从轻处罚。整改照片可到现场核实。")
            return case
        if big:
            S.hearing_request(actor=self.actor, case=case, requested_on=notice_on + dt.timedelta(days=2))
            if stop == 5:
                return case
            hn = notice_on + dt.timedelta(days=3)
            from cases.rules import earliest_hearing_date

            day = earliest_hearing_date(hn) + dt.timedelta(days=1)
            S.hearing_schedule(actor=self.actor, case=case, notice_served_on=hn, scheduled_for=at(day, 14),
                               place="县综合行政执法局听证室", presider=self.presider, agents=["委托代理人"])
            if stop == 6:
                return case
            S.hearing_hold(actor=self.actor, case=case, held_on=day, attended=True,
                           record="调查人员陈述事实、证据和处罚建议；当事人申辩并质证。", party_signed=True,
                           report="建议维持拟处罚意见")
            S.legal_review_record(actor=self.reviewer, case=case, result="pass", opinion="听证后审核：同意",
                                  checklist={"听证程序": True}, on=day)
            if stop == 7:
                return case
            decide_on = day + dt.timedelta(days=3)
        else:
            S.representations_record(actor=self.actor, case=case, text="当事人称已经整改", received_on=notice_on + dt.timedelta(days=2),
                                     review_opinion="已整改可作为从轻情节，但不影响违法事实认定")
            decide_on = notice_on + dt.timedelta(days=3)
        S.case_decide(actor=self.head, case=case, decided_on=decide_on, types=["fine"], fine=fine,
                      order_correction="立即改正违法行为", correction_due=decide_on + dt.timedelta(days=7))
        if stop == 8:
            return case
        served = decide_on + dt.timedelta(days=1)
        S.case_serve(actor=self.actor, case=case, served_on=served, method=ServiceMethod.DIRECT,
                     receiver=ent.legal_representative or "当事人")
        if i == 14:  # one decision the head keeps from publication (SX-3 不予公开), with its ground
            S.publication_exclude(actor=self.head, case=case, on=served, ground="secrets",
                                  reason="决定书载有当事人的生产工艺参数，属于商业秘密")
        case.refresh_from_db()
        # The agency's own duties after a decision are done whether or not the party pays (公开, 复查).
        if case.publish and hasattr(case, "publication"):
            S.publication_publish(actor=self.actor, case=case, on=min(decide_on + dt.timedelta(days=3), self.today))
        S.correction_check_record(actor=self.actor, case=case, on=min(decide_on + dt.timedelta(days=7), self.today),
                                  corrected=True, note="复查：当事人已改正违法行为")
        if stop == 9:
            return case
        if target in ("closed", "executed"):
            paid = min(served + dt.timedelta(days=7), self.today)  # never a payment dated in the future
            S.payment_record(actor=self.actor, case=case, amount=fine, paid_on=paid)
            if target == "closed":
                self.close(case, on=max(paid, min(served + dt.timedelta(days=200), self.today)),
                           reason="已按期缴纳罚款，履行完毕")
            return case
        S.mark_overdue(case=case, on=case.payment_due + dt.timedelta(days=1))
        if stop == 10:
            return case
        S.reminder_serve(actor=self.actor, case=case, served_on=case.payment_due + dt.timedelta(days=20))
        if stop == 11:
            return case
        from cases.rules import court_application_window

        case.refresh_from_db()
        opens, closes = court_application_window(served_on=case.served_on, reminder_served_on=case.reminder_served_on)
        S.court_apply(actor=self.actor, case=case, applied_on=min(opens, self.today))
        return case

    def special(self):
        i = 40
        for kind in ("referred", "no_penalty", "crime", "not_filed"):
            i += 1
            try:
                if kind == "referred":
                    self.general(i, "closed", referred=True)
                elif kind == "no_penalty":
                    self.general(i, "closed", no_penalty=True)
                elif kind == "crime":
                    self.general(i, "filed", crime=True)
                else:
                    case = self.general(i, "clue")
                    day = case.discovery_date + dt.timedelta(days=3)
                    S.case_not_file_request(actor=self.actor, case=case, on=day, reason="经核查，不存在违法事实")
                    S.case_not_file(actor=self.head, case=case, on=day, opinion="同意不予立案")
            except ApplicationError as exc:
                if self.out:
                    self.out.write(f"  demo case {kind} stopped: {exc.message}")
        try:
            self.late_clue(i + 1)
        except ApplicationError as exc:
            if self.out:
                self.out.write(f"  demo late clue stopped: {exc.message}")
        self.devices(i + 2)
        self.entrustment()
        # on-the-spot decisions by the 天马 town team for a delegated item
        tianma_user = User.objects.get(username="tianma_officer")
        town = Region.objects.get(code="330822001")
        gov = Department.objects.get(code="TOWN-330822001")
        items = [it for it in EnforcementItem.objects.filter(delegations__town=town, delegations__valid_to__isnull=True)
                 .distinct().order_by("code") if "fine" in it.penalty_types]
        officers = list(Officer.objects.filter(team=tianma_user.team, is_auxiliary=False,
                                               certificate_expiry__gt=self.today).order_by("staff_no")[:2])
        for n in range(6):
            item = items[n % len(items)]
            day = self.today - dt.timedelta(days=3 + n * 9)
            try:
                case = S.spot_decide(actor=tianma_user, department=gov, item=item, party_kind=PartyKind.PERSON,
                                     party_name=f"当事人{n + 1}", party_code="", party_address="常山县天马街道",
                                     violation=item.name[:80], place="天马街道人民路", at=at(day, 15), officers=officers,
                                     types=["fine"], fine=Decimal(50 + 30 * n), collected_on_spot=50 + 30 * n <= 100,
                                     receipt_no=f"浙财票{day:%Y%m%d}{n}" if 50 + 30 * n <= 100 else "", town=town,
                                     synthetic=True)
                S.spot_file_with_agency(actor=tianma_user, case=case, on=day + dt.timedelta(days=1))
                if case.paid_on:  # the cash goes to the agency, then to the bank, within 2 working days each
                    S.cash_handover(actor=tianma_user, payment=case.payments.get(), handed_over_on=day + dt.timedelta(days=1),
                                    deposited_on=day + dt.timedelta(days=2))
                    if n:  # the latest one is banked but not yet closed
                        S.case_close(actor=tianma_user, case=case, on=day + dt.timedelta(days=2), reason="当场缴纳，已备案")
                elif n % 2 == 0:  # paid at the bank within the period; the others run out and show as 逾期未履行
                    paid = day + dt.timedelta(days=7)
                    S.payment_record(actor=tianma_user, case=case, amount=case.final_fine, paid_on=paid)
                    S.case_close(actor=tianma_user, case=case, on=paid, reason="已缴纳罚款")
            except ApplicationError as exc:
                if self.out:
                    self.out.write(f"  demo spot case {n} stopped: {exc.message}")

    def late_clue(self, i):
        """A clue found three years after the act, past the two-year limitation (XF-036): the officers ask to file
        citing the five-year period for harm to health, and the request waits for the legal reviewers (fazhi's
        queue shows it as 立案前必审) before the head may approve it."""
        item, _low, _top = self.item()
        ent = self.enterprises[i % len(self.enterprises)]
        found = self.today - dt.timedelta(days=6)
        act = found - dt.timedelta(days=3 * 365)
        case = S.case_open(actor=self.actor, department=self.zf, item=item, party_kind=PartyKind.ORG, party_name=ent.name,
                           party_code=ent.code, party_address=ent.address or "常山县", cause=item.name[:100], act_date=act,
                           discovery_date=found, location=ent.address or "常山县", town=ent.town, source="群众举报",
                           summary=f"{ent.name}涉嫌{item.name[:60]}，举报人称三年前曾致多人身体不适", synthetic=True)
        self.made.append(case)
        asked = found + dt.timedelta(days=3)
        for o in (self.me, self.partner):
            S.case_assign(actor=self.actor, case=case, officer=o, on=asked, no_conflict_declared=True)
        S.case_file_request(actor=self.actor, case=case, on=asked, basis="有违法事实，属于本机关管辖；违法行为已逾两年",
                            limitation_citation="《中华人民共和国行政处罚法》第三十六条第一款：涉及公民生命健康安全且有危害后果的，"
                                                "期限延长至五年（举报人称曾致多人身体不适，待核实）")
        return case

    def devices(self, i):
        """XF-041: four devices (three reviewed and published, one awaiting its technical review) and a
        case opened from a device record that still waits for the agency's review of the record."""
        from cases.choices import EvidenceKind
        from cases.models import MonitoringDevice

        published = self.today - dt.timedelta(days=200)
        rows = [("CS-TM-001", "人民路违停抓拍", "330822001", "天马街道人民路与定阳路交叉口", "机动车违法停放", True),
                ("CS-TM-002", "文峰路占道经营监控", "330822001", "天马街道文峰路农贸市场东门", "占道经营", True),
                ("CS-ZC-001", "紫港渣土车抓拍", "330822002", "紫港街道常山港大桥北", "渣土运输车辆未密闭", True),
                ("CS-HB-001", "辉埠矿区扬尘监测", "330822115", "辉埠镇矿区入口", "工地扬尘", False)]
        devices = []
        for code, name, town, place, purpose, ready in rows:
            devices.append(MonitoringDevice.objects.create(
                code=code, name=name, department=self.zf, town=Region.objects.filter(code=town).first(),
                location=place, purpose=purpose, legal_review_ref=f"常综执法审〔{published.year}〕{len(devices) + 1}号",
                technical_review_ref=f"衢计检〔{published.year}〕{80 + len(devices)}号" if ready else "",
                standard="GA/T 832-2014" if ready else "", signposted=ready, published_on=published if ready else None))
        try:
            case = self.general(i, "filed")
            ev = S.evidence_add(actor=self.actor, case=case, kind=EvidenceKind.ELECTRONIC,
                                description=f"{devices[2].name}抓拍记录3张", collected_on=case.act_date,
                                collectors=[o.officer for o in case.case_officers.all()[:2]],
                                method="设备自动记录，执法人员调取", data=f"demo-{case.pk}".encode(),
                                filename="capture.jpg", device=devices[2])
            if self.out:
                self.out.write(f"  device record {ev.pk} on case {case.pk} waits for review (XF-041)")
            # XF-026: two assistance requests — one answered late, one still unanswered (ZJ-034-036-037)
            asked = case.filed_on
            for code in ("SCJG", "ZJ"):
                S.assistance_request(actor=self.actor, case=case, to_department=Department.objects.get(code=code),
                                     matter="提供当事人相关许可和登记信息", basis="《中华人民共和国行政处罚法》第二十六条",
                                     on=asked)
            S.assistance_reply(actor=User.objects.get(username="scjg_supervisor"), case=case,
                               on=min(asked + dt.timedelta(days=12), self.today), reply="已提供登记信息")
        except ApplicationError as exc:
            if self.out:
                self.out.write(f"  demo device case stopped: {exc.message}")

    def entrustment(self):
        """XF-020-021: the bureau entrusts the municipal facilities centre (a 受委托组织) with two road and
        facility items for a year, published a week before it starts."""
        from catalogue.models import EnforcementItem, ItemHolding
        from catalogue.services import entrustment_create
        from org.models import Region

        agent = Department.objects.create(code="CSZX", name="常山县市政设施管理中心", short_name="市政中心",
                                          kind="entrusted", region=Region.objects.get(code="330822"))
        held = ItemHolding.objects.filter(department=self.zf, valid_to__isnull=True).values_list("item_id", flat=True)
        items = list(EnforcementItem.objects.filter(pk__in=held, name__contains="道路").order_by("code")[:2]) or \
            list(EnforcementItem.objects.filter(pk__in=held).order_by("code")[:2])
        start = self.today - dt.timedelta(days=60)
        entrustment_create(actor=User.objects.get(username="zhidaoban"), principal=self.zf, agent=agent, items=items,
                           powers="对委托事项立案、调查取证、作出行政处罚决定（以县综合行政执法局名义）",
                           instrument_no=f"常综执委〔{start.year}〕1号", valid_from=start,
                           valid_to=start + dt.timedelta(days=365), published_on=start - dt.timedelta(days=7),
                           public_url="https://www.zjcs.gov.cn/")


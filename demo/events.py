"""A year of synthetic events for the 常山县 demo, replayed through the real services with a frozen
clock (core.clock), so every routing decision, instruction, deadline and audit row is the one the
system would have produced. All events are flagged ``synthetic``.

History (received before the last fortnight) is handled: signed, fed back, verified and closed, with
some returns, disputes and late signatures. The routing model is then trained on that history and the
last fortnight is submitted mostly without a category, so the model routes it; part of it is still open
(including a burst of 窨井盖破损 reports, which starts a county-wide campaign).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db.models import F
from django.utils import timezone

from core import clock
from core.models import Deadline, Notification
from demo import data as D
from demo.photos import manhole_photo
from dispatch import services as dispatch
from dispatch.training import retrain_from_history
from intake.choices import EventStatus
from intake.models import Event, EventCategory, ReporterMessage
from intake.services import NewAttachment, api_client_create, event_submit
from org.choices import DepartmentKind, Role, TeamKind
from org.models import Department, Region, Team, User

CHANNEL_WEIGHTS = [("grid", 38), ("hotline", 24), ("citizen", 14), ("drone", 9), ("sensor", 5), ("referral", 5),
                   ("inspection", 5)]


class _NotYet(Exception):
    """A replayed step would fall after now."""


def fortnight_start(today: dt.date) -> dt.datetime:
    """The start of the last fortnight: what the replayed history said before it was read at the time."""
    return dt.datetime.combine(today - dt.timedelta(days=14), dt.time(0, 0), tzinfo=timezone.get_current_timezone())


def sweep_as_it_ran(*, now: dt.datetime, read_before: dt.datetime) -> dict:
    """The worker's deadline sweep through the replayed history, as it would have run: a pass within the
    hour of each reminder, due time and second escalation that has come, so reminders, 督办 and 期间届满
    are dated when they happened — not all at the moment the demo was loaded — then a pass now. What is
    dated before ``read_before`` was read at the time; the last fortnight's notices stay unread. Returns the
    passes' counts added up."""
    moments = set()
    for row in Deadline.objects.filter(state=Deadline.State.OPEN).values("remind_at", "remind2_at", "due_at", "escalate2_at"):
        for at in (row["remind_at"], row["remind2_at"], row["due_at"], row["escalate2_at"]):
            if at is not None and at < now:
                moments.add(at.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1))
    passes = sorted(m for m in moments if m < now)
    counts = Counter()
    for at in passes:
        with clock.frozen(at):
            counts.update(dispatch.deadlines_sweep(now=at))
    counts.update(dispatch.deadlines_sweep(now=now))
    Notification.objects.filter(read_at__isnull=True, created_at__lt=read_before).update(read_at=F("created_at"))
    return dict(counts, passes=len(passes) + 1)


class EventReplay:
    def __init__(self, *, loader, count: int, today: dt.date, out=None):
        self.L = loader
        self.rng = random.Random(20261126)
        self.transfer_rng = random.Random(20261206)  # its own stream: adding transfers left the rest as it was
        self.transfers = 0
        self.count = count
        self.today = today
        self.out = out
        self.towns = list(Region.objects.filter(level="township").order_by("code"))
        self.categories = {c.code: c for c in EventCategory.objects.all()}
        # repairs a department does itself (道路破损, 自来水管破裂 …: the category names the department)
        self.repair_codes = {code for code, c in self.categories.items() if c.department_id}
        self.duty: dict[int, User] = {}

    def log(self, msg):
        if self.out:
            self.out.write(msg)

    # -------------------------------------------------------------- set-up
    def setup(self):
        self.now = timezone.now()
        admin = self.L.admin
        self.clients = {}
        for name, kind in [("12345政务服务热线", "hotline"), ("辉埠镇无人机巡查平台", "drone"),
                           ("县城视频感知平台", "sensor"), ("县住建局城建监管系统", "department"), ("浙里办市民端", "open311")]:
            # a department's system refers its department's leads (部门移送, ZJ-016): 住建 here
            self.clients[kind], _key = api_client_create(actor=admin, name=name, kind=kind, department=Department.objects.get(
                code="ZJ") if kind == "department" else None)
        # one on-duty account per team and per department without a team (not printed; used to replay)
        from org import services as org

        for team in Team.objects.select_related("department"):
            role = {TeamKind.TOWN: Role.TOWN_OFFICER, TeamKind.PROFESSIONAL: Role.PRO_OFFICER}.get(team.kind,
                                                                                                   Role.BUREAU_OFFICER)
            user = org.user_create(actor=admin, username=f"duty_{team.code.lower()}", password=self.L.password,
                                   role=role, display_name=f"{team.name}值班", team=team, department=team.department)
            self.duty[team.department_id] = user
            if team.kind == TeamKind.TOWN:
                for town in team.towns.all():
                    gov = Department.objects.filter(kind=DepartmentKind.TOWN_GOVERNMENT, region=town).first()
                    self.duty[gov.pk] = user
        # the guidance office's duty officer works as the office does, the county government's as its leaders: as a
        # department's supervisor they could open none of the reports their body's notices link to
        duty_roles = {DepartmentKind.GUIDANCE_OFFICE: Role.GUIDANCE, DepartmentKind.GOVERNMENT: Role.LEADER}
        for dept in Department.objects.exclude(pk__in=list(self.duty)):
            self.duty[dept.pk] = org.user_create(actor=admin, username=f"duty_{dept.code.lower()}",
                                                 password=self.L.password,
                                                 role=duty_roles.get(dept.kind, Role.DEPT_SUPERVISOR),
                                                 display_name=f"{dept.short_name}值班", department=dept)
        self.operator = User.objects.get(username="zhihui")
        self.guidance = User.objects.get(username="zhidaoban")
        self.grid = User.objects.get(username="wangge_tianma")
        self.citizen = User.objects.get(username="citizen")

    # -------------------------------------------------------------- generation
    def point(self, town):
        return self.L.point_in(town)

    def text_for(self, code, town=None) -> tuple[str, str]:
        """A report's text, naming a road of the town it happened in (a town's own road, or the county
        seat's streets for the three 街道), so the text and the map agree; and its address (town, road and,
        where the text names one, the place)."""
        template = self.rng.choice(D.EVENT_TEMPLATES[code])
        roads = D.ROADS
        if town is not None:
            roads = [r for r in D.ROADS if r.startswith(town.name[:2])]
            if town.name.endswith("街道"):
                roads += D.COUNTY_SEAT_ROADS
            roads = roads or D.ROADS
        road, place = self.rng.choice(roads), self.rng.choice(D.PLACES)
        address = f"{town.name if town else ''}{road}{place if '{place}' in template else ''}"
        return template.format(road=road, place=place), address

    def submit(self, *, at, code, town, channel, give_category=True, lnglat=None, priority="normal", attachments=None):
        lng, lat = lnglat or self.point(town)
        if channel == "referral" and code in self.repair_codes:
            channel = "sensor"  # a department refers what needs a case, not a broken pipe: a camera saw that
        source = {"hotline": "hotline", "drone": "drone", "sensor": "sensor", "referral": "department"}.get(channel)
        text, address = self.text_for(code, town)
        if channel == "hotline" and lnglat is None and at.minute % 4 == 0:
            lng = lat = None  # a call with an address the operator could not place on the map
        if channel in ("drone", "sensor"):
            address = ""  # devices send their position
        # a department refers what it found days ago (0–11, no draw from the rng): some past its 5 working days
        found_days = at.minute % 12 if channel == "referral" else 0
        with clock.frozen(at):
            return event_submit(
                channel=channel, text=text, title=text[:18], lng=lng, lat=lat, address=address, received_at=at,
                occurred_at=at - dt.timedelta(minutes=self.rng.randint(5, 600), days=found_days),
                found_on=timezone.localtime(at - dt.timedelta(days=found_days)).date() if channel == "referral" else None,
                category_code=code if give_category else None, priority=priority,
                source=self.clients.get(source), external_id=f"{channel}-{at:%Y%m%d%H%M%S}-{self.rng.randint(0, 10**6)}"
                if source else "", actor=self.grid if channel == "grid" and town.code == "330822001" else None,
                reporter_name={"grid": f"网格员{self.L.name()}", "citizen": self.L.name(), "hotline": self.L.name()}
                .get(channel, ""), reporter_phone=f"13{self.rng.randint(100000000, 999999999)}"
                if channel in ("citizen", "hotline") else "",
                # about one citizen report in ten asks for confidentiality; no extra draw from the rng
                confidential=channel in ("citizen", "hotline") and at.minute % 10 == 0,
                # some citizens ask to be texted (the 12345 hotline calls its reporters back itself)
                notify_reporter=channel == "citizen" and at.minute % 3 == 0, attachments=attachments,
                synthetic=True).event

    def _when(self, at):
        """The service clock at ``at`` for one replayed step; a step that would fall after now is not
        played (the lifecycle stops there: the work is still in hand)."""
        if at > self.now:
            raise _NotYet
        return clock.frozen(at)

    def handle(self, event, **kwargs):
        """Play the lifecycle: sign (sometimes late), feed back, verify, close; a few returns.
        ``close=False`` stops after signing; ``verify=False`` after the feedback (待核查). Steps that
        would fall after now are not played."""
        try:
            self._handle(event, **kwargs)
        except _NotYet:
            pass

    def _handle(self, event, *, at, close=True, verify=True):
        if event.status == EventStatus.TRIAGE:
            decision = event.decisions.order_by("-id").first()
            dept = decision.department if decision and decision.department else None
            if dept is None:
                cat = event.category
                dept = Department.objects.get(code="ZF") if cat is None or cat.domain_id else cat.department
            # the operator confirms the model's guess of the category, as the form proposes it
            guess = (decision.explanation.get("model", {}).get("label") if decision else None)
            with self._when(at + dt.timedelta(minutes=self.rng.randint(10, 90))):
                dispatch.triage_assign(actor=self.operator, event=event, department=dept,
                                       team=dept.teams.first(), reason="值班员核对后分拨",
                                       category=self.categories.get(guess) if guess and not event.category_id else None)
            event.refresh_from_db()
        if event.status != EventStatus.ROUTED:
            return
        if self.rng.random() < 0.04:  # a return and re-dispatch
            ins = event.instructions.get(status="issued")
            with self._when(at + dt.timedelta(hours=2)):
                dispatch.event_return(actor=self.duty[ins.department_id], event=event,
                                      reason="经现场核实，该问题不属于本单位职责范围")
            event.refresh_from_db()
            if event.status != EventStatus.TRIAGE:
                return
            other = Department.objects.get(code="ZF") if ins.department.code != "ZF" else Department.objects.get(code="ZJ")
            with self._when(at + dt.timedelta(hours=3)):
                dispatch.triage_assign(actor=self.operator, event=event, department=other, team=other.teams.first(),
                                       reason="退单后重新分拨")
            event.refresh_from_db()
        ins = event.instructions.get(status="issued")
        user = self.duty[ins.department_id]
        sign_at = ins.issued_at + dt.timedelta(hours=self.rng.choice([0.3, 1, 2, 5, 10, 20, 30]))
        with self._when(sign_at):
            dispatch.instruction_sign(actor=user, instruction=ins)
        if self.transfer_rng.random() < 0.04:
            ins, user, sign_at = self._transfer(event, ins, sign_at)
        if not close:
            return
        fb_at = sign_at + dt.timedelta(hours=self.rng.randint(3, 100))
        outcome = self.rng.choice(["已到现场处置，责令当事人立即改正，现场已恢复", "已联系相关单位完成修复",
                                   "已教育劝导，当事人当场整改", "已责令限期改正，复查时现场问题已消除", "已清理完毕并加强巡查"])
        after = [NewAttachment("处置后.jpg", manhole_photo(event.pk, fixed=True))] \
            if event.category_id and event.category.code == "0410" else []  # a new cover is photographed
        with self._when(fb_at):
            dispatch.instruction_feedback(actor=user, instruction=ins, outcome=outcome, attachments=after)
        event.refresh_from_db()
        if event.status == EventStatus.RESOLVED and verify:
            verifier = self.grid if event.town_id == self.grid.town_id else self.operator
            with self._when(fb_at + dt.timedelta(hours=self.rng.randint(2, 30))):
                passed = self.rng.random() > 0.05
                dispatch.event_verify(actor=verifier, event=event, passed=passed,
                                      note="现场核查，问题已解决" if passed else "现场核查，问题仍然存在，未整改到位")
            event.refresh_from_db()
            if event.status == EventStatus.ACCEPTED:  # failed verification, handled again
                ins2 = event.instructions.filter(status="signed").order_by("-id").first()
                with self._when(fb_at + dt.timedelta(days=2)):
                    dispatch.instruction_feedback(actor=user, instruction=ins2, outcome="再次处置，问题已彻底解决")
                with self._when(fb_at + dt.timedelta(days=3)):
                    dispatch.event_verify(actor=self.operator, event=event, passed=True, note="复核通过")
        event.refresh_from_db()
        if event.status == EventStatus.CLOSED and event.channel in ("citizen", "hotline") and self.rng.random() < 0.04:
            self.reopen(event)
        if event.status == EventStatus.CLOSED and self.rng.random() < 0.3:
            with self._when((event.closed_at or fb_at) + dt.timedelta(hours=5)):
                dispatch.event_rate(event=event, score=self.rng.choice([5, 5, 5, 4, 4, 3, 2]), comment="")

    def _transfer(self, event, ins, signed_at):
        """流转: the body that signed finds on the scene that the work is another body's and rings the command
        centre, which moves it there (the signed instruction keeps its history); the new body signs. The
        reasons are what a scene shows, not a second opinion on the routing's item: a town finds more than
        it may handle, a department finds a penalty matter, the bureau finds a supervision matter."""
        bureau = Department.objects.get(code="ZF")
        supervisor = event.category.department if event.category_id else None
        if ins.department.kind == DepartmentKind.TOWN_GOVERNMENT:
            other, reason = bureau, "现场核实违法情节复杂、涉及相邻乡镇，需县级立案查处，流转县综合执法局"
        elif ins.department_id != bureau.pk:
            other, reason = bureau, "现场核实需立案处罚，该处罚权已划转综合行政执法，流转县综合执法局"
        elif supervisor is not None and supervisor.pk != bureau.pk:
            other, reason = supervisor, "现场核实未发现违法行为，属行业监管问题，流转主管部门督促整改"
        else:
            return ins, self.duty[ins.department_id], signed_at
        with self._when(signed_at + dt.timedelta(hours=self.transfer_rng.choice([1, 2, 4]))):
            new = dispatch.instruction_transfer(actor=self.operator, instruction=ins, department=other,
                                                team=other.teams.first(), reason=reason)
        self.transfers += 1
        user = self.duty[other.pk]
        sign_at = new.issued_at + dt.timedelta(hours=self.transfer_rng.choice([0.5, 1, 3]))
        with self._when(sign_at):
            dispatch.instruction_sign(actor=user, instruction=new)
        event.refresh_from_db()
        return new, user, sign_at

    def reopen(self, event):
        """The reporter says "not fixed" the next day; the same body handles it again and it is re-verified."""
        at = event.closed_at + dt.timedelta(days=1)
        with self._when(at):
            dispatch.event_reopen(event=event, reason="问题又出现了，没有彻底解决")
        ins = event.instructions.get(status="issued")
        user = self.duty[ins.department_id]
        with self._when(at + dt.timedelta(hours=3)):
            dispatch.instruction_sign(actor=user, instruction=ins)
        with self._when(at + dt.timedelta(days=1)):
            dispatch.instruction_feedback(actor=user, instruction=ins, outcome="再次到现场彻底整治，已约谈当事人")
        with self._when(at + dt.timedelta(days=1, hours=5)):
            dispatch.event_verify(actor=self.operator, event=event, passed=True, note="回访报告人，问题已解决")
        event.refresh_from_db()

    def run(self):
        self.setup()
        tz = timezone.get_current_timezone()
        start = self.today - dt.timedelta(days=365)
        recent_from = self.today - dt.timedelta(days=14)
        recent_from_at = fortnight_start(self.today)
        codes = [c for c in D.EVENT_TEMPLATES if c != "0410"]
        town_weights = [4 if t.name.endswith("街道") else (3 if t.code == "330822115" else 1.2) for t in self.towns]
        channels, cweights = zip(*CHANNEL_WEIGHTS, strict=True)
        # one steady rate all year: the last fortnight gets its 14/365 share, so neither the trend nor
        # 热点预警's baselines see a surge that is only the demo's (the 窨井盖 burst is the one surge)
        recent = max(1, round(self.count * 14 / 365))
        history = self.count - recent
        times = sorted(dt.datetime.combine(start + dt.timedelta(days=self.rng.randint(0, 350)),
                                           dt.time(self.rng.randint(6, 22), self.rng.randint(0, 59)), tzinfo=tz)
                       for _ in range(history))
        made = 0
        for at in times:
            town = self.rng.choices(self.towns, town_weights)[0]
            channel = self.rng.choices(channels, cweights)[0]
            if channel == "drone" and self.rng.random() < 0.8:
                town = next(t for t in self.towns if t.code == "330822115")  # 辉埠镇's drones
            event = self.submit(at=at, code=self.rng.choice(codes), town=town, channel=channel)
            if event.status != EventStatus.DUPLICATE:
                self.handle(event, at=at)
            made += 1
        self.log(f"events: {made} historical events replayed ({self.transfers} moved to another body, 流转)")
        result = retrain_from_history(min_events=50)
        self.log(f"routing model trained on history: {result}")
        # the last fortnight: the model routes what comes without a category; some work is still open
        for i in range(recent):
            day = recent_from + dt.timedelta(days=self.rng.randint(0, 13))
            at = dt.datetime.combine(day, dt.time(self.rng.randint(7, 21), self.rng.randint(0, 59)), tzinfo=tz)
            if at > timezone.now():
                at = timezone.now() - dt.timedelta(minutes=self.rng.randint(5, 600))
            town = self.rng.choices(self.towns, town_weights)[0]
            channel = self.rng.choices(channels, cweights)[0]
            event = self.submit(at=at, code=self.rng.choice(codes), town=town, channel=channel,
                                give_category=channel == "grid")
            age = (timezone.now() - at).days
            if event.status in (EventStatus.ROUTED, EventStatus.TRIAGE):
                if age > 5 and i % 3:
                    self.handle(event, at=at)
                elif age >= 1 and i % 4 == 1 and channel in ("grid", "citizen", "hotline"):
                    self.handle(event, at=at, verify=False)  # fed back, waiting for 核查
                elif age >= 1 and (i % 5 or age > 5):
                    self.handle(event, at=at, close=False)  # signed, being handled; one in five of the
                    # last days' left unsigned, for 督办 to chase
        for _ in range(max(3, self.count // 300)):  # a few already today
            at = timezone.now() - dt.timedelta(minutes=self.rng.randint(5, 300))
            town = self.rng.choices(self.towns, town_weights)[0]
            self.submit(at=at, code=self.rng.choice(codes), town=town, channel=self.rng.choices(channels, cweights)[0],
                        give_category=False)
        self.manhole_burst()
        self.whistles()
        self.boundary_questions()
        self.citizen_reports()
        self.supervisor_referrals()
        # the texts to reporters of the history went out at the time; the last fortnight's wait for the worker
        ReporterMessage.objects.filter(status=ReporterMessage.Status.QUEUED, created_at__lt=recent_from_at).update(
            status=ReporterMessage.Status.SENT, sent_at=F("created_at"), attempts=1)
        counts = sweep_as_it_ran(now=timezone.now(), read_before=recent_from_at)
        self.log(f"deadline sweep: {counts}")
        self.log("recent fortnight, manhole burst, campaign and whistles generated")

    def manhole_burst(self):
        tz = timezone.get_current_timezone()
        base = dt.datetime.combine(self.today - dt.timedelta(days=9), dt.time(8, 0), tzinfo=tz)
        hot_spots = []
        for town in self.towns:
            for _ in range(2 if town.name.endswith("街道") else 1):
                hot_spots.append((town, self.point(town)))
        for i in range(48):
            town, (lng, lat) = self.rng.choice(hot_spots)
            at = base + dt.timedelta(hours=i * 3 + self.rng.randint(0, 2))
            jitter = (lng + self.rng.uniform(-0.0002, 0.0002), lat + self.rng.uniform(-0.0002, 0.0002))
            channel = self.rng.choice(["grid", "hotline", "citizen", "sensor"])
            photo = [NewAttachment(f"IMG_{i:04d}.jpg", manhole_photo(i, fixed=False))] \
                if channel in ("grid", "citizen") else []  # reports from a phone come with a photo
            event = self.submit(at=at, code="0410", town=town, channel=channel, lnglat=jitter, priority="high",
                                attachments=photo)
            # The towns worked through the burst; the reports of the last three days are still in hand.
            if event.status == EventStatus.ROUTED and at < timezone.now() - dt.timedelta(days=3):
                self.handle(event, at=at, close=bool(i % 3))
        # the command centre shows the public the before and after of two repaired covers
        repaired = Event.objects.filter(category__code="0410", status=EventStatus.CLOSED, confidential=False,
                                        channel__in=["grid", "citizen"]).order_by("received_at")[:2]
        for event in repaired:
            try:
                with self._when(event.closed_at + dt.timedelta(hours=1)):
                    for photo in event.attachments.filter(content_type="image/jpeg"):
                        dispatch.attachment_publish(actor=self.operator, attachment=photo, checked=True)
            except _NotYet:
                pass
        with clock.frozen(base + dt.timedelta(days=7)):
            campaign = dispatch.campaign_create(
                actor=self.operator, name="窨井盖安全隐患专项排查",
                description="“窨井盖破损”多次出现在大屏高频词中，县综合执法局会同公安、交通、电力、通信等部门全县排查整治",
                lead=Department.objects.get(code="ZF"), start=self.today - dt.timedelta(days=2),
                end=self.today + dt.timedelta(days=28), category=self.categories.get("0410"),
                partners=list(Department.objects.filter(code__in=["GA", "JT", "ZJ"])),
                targets={t: (80 if t.name.endswith("街道") else 30) for t in self.towns})
        for n, task in enumerate(campaign.tasks.all()[:9]):  # these teams signed for the task and report progress
            found = self.rng.randint(3, 20)
            with clock.frozen(base + dt.timedelta(days=7, hours=3)):
                dispatch.instruction_sign(actor=self.duty[task.team.department_id],
                                          instruction=task.instructions.get(status="issued"))
            fixed = self.rng.randint(0, found)
            with clock.frozen(base + dt.timedelta(days=8)):
                dispatch.campaign_task_update(
                    actor=self.duty[task.team.department_id], task=task, found=found, fixed=fixed,
                    note=f"已排查{task.town.name}主要道路，发现隐患{found}处，已整改{fixed}处",
                    attachments=[NewAttachment(f"整改_{n:02d}.jpg", manhole_photo(1000 + n, fixed=True))] if fixed else [])

    def whistles(self):
        tianma = User.objects.get(username="tianma_officer")
        huibu = User.objects.get(username="huibu_officer")
        now = timezone.now()
        with clock.frozen(now - dt.timedelta(days=3)):
            w = dispatch.whistle_blow(actor=huibu, title="辉埠工业园区企业违规堆放固废联合检查",
                                      description="网格员发现园区内多家企业露天堆放固体废物，需生态环境、应急、市场监管协同",
                                      town=Region.objects.get(code="330822115"), action_at=now - dt.timedelta(days=2),
                                      place="辉埠工业园区", calls=[(Department.objects.get(code=c), t) for c, t in [
                                          ("STHJ", "固废鉴定与查处"), ("YJ", "安全生产检查"), ("SCJG", "核查经营资质")]])
        for call in w.calls.all()[:2]:
            with clock.frozen(now - dt.timedelta(days=2, hours=20)):
                dispatch.whistle_report(actor=self.duty[call.department_id], call=call, note="已派员报到")
        with clock.frozen(now - dt.timedelta(hours=6)):
            dispatch.whistle_blow(actor=tianma, title="人民路违法建设联合拆除",
                                  description="居民举报违建已下达责令改正通知书逾期未改，需住建、自然资源规划协同",
                                  town=Region.objects.get(code="330822001"), action_at=now + dt.timedelta(days=1),
                                  place="天马街道人民路", calls=[(Department.objects.get(code=c), t) for c, t in [
                                      ("ZJ", "房屋安全鉴定"), ("ZRZY", "出具规划意见")]])


    # -------------------------------------------------------------- the queues' work
    def _report(self, *, at, text, town, channel="hotline", address="", actor=None, category_code=None, title="",
                found_on=None):
        """A report in its own words (not a template), as it arrives on ``channel`` (from ``actor``'s
        account when given); titled by its first clause unless the reporter gave a title. ``found_on``: a
        department's referral, the day it found the lead."""
        lng, lat = self.point(town)
        name = actor.display_name.split()[-1] if actor else self.L.name()
        with clock.frozen(at):
            return event_submit(channel=channel, text=text, title=title or text.split("，")[0][:18], lng=lng, lat=lat,
                                address=address or town.name, received_at=at,
                                # a referral's violation went on before the department found it
                                occurred_at=at - dt.timedelta(hours=1) if found_on is None else at - dt.timedelta(
                                    days=(timezone.localtime(at).date() - found_on).days + 1),
                                source=self.clients["hotline"] if channel == "hotline" else None,
                                external_id=f"demo-{at:%Y%m%d%H%M}" if channel == "hotline" else "",
                                actor=actor or (self.grid if channel == "grid" else None), category_code=category_code,
                                reporter_name=name if channel != "grid" else f"网格员{self.L.name()}",
                                reporter_phone=f"13{self.rng.randint(100000000, 999999999)}"
                                if channel not in ("grid", "referral") else "", found_on=found_on,
                                synthetic=True).event

    def _bounce(self, event, steps, at):
        """The command centre sends ``event`` to each body of ``steps`` in turn (when it is in triage) and
        that body returns it with its reason (退单); two returns make it a dispute (ZJ-017)."""
        for n, (code, sent_why, returned_why) in enumerate(steps):
            event.refresh_from_db()
            if event.status == EventStatus.TRIAGE:
                dept = Department.objects.get(code=code)
                with clock.frozen(at + dt.timedelta(hours=5 * n + 1)):
                    dispatch.triage_assign(actor=self.operator, event=event, department=dept,
                                           team=dept.teams.first(), reason=sent_why)
                event.refresh_from_db()
            if event.status != EventStatus.ROUTED:
                return event
            with clock.frozen(at + dt.timedelta(hours=5 * n + 3)):
                dispatch.event_return(actor=self.duty[event.department_id], event=event, reason=returned_why)
        event.refresh_from_db()
        return event

    def boundary_questions(self):
        """What the command centre's queues hold besides overdue work: a boundary question settled by the
        guidance office months ago, whose ruling added a boundary row that routed the next such report by
        itself ("the same question is never argued twice"); one still waiting for its ruling (职责争议);
        the last hours' reports the model could not route (待分拨) and one a town returned (退单)."""
        tz = timezone.get_current_timezone()
        now = timezone.now()
        tianma = Region.objects.get(code="330822001")
        zigang = Region.objects.filter(name="紫港街道").first() or tianma
        # 1. settled: poultry kept in a residential compound (物业 vs 市容)
        at = dt.datetime.combine(self.today - dt.timedelta(days=75), dt.time(9, 20), tzinfo=tz)
        event = self._report(at=at, text="幸福小区有住户在楼道和绿化带里养鸡养鸭，气味很大，物业劝阻无效", town=tianma,
                             address="天马街道幸福小区")
        event = self._bounce(event, [
            ("ZJ", "涉及住宅小区物业管理，分拨住建部门", "小区内饲养家禽影响环境卫生，不属于物业行政监管事项"),
            ("ZF", "退单后改派县综合执法局", "住宅小区内部事务应由物业服务企业劝阻，住建部门督促物业履责")], at)
        dispute = event.disputes.filter(status="open").first()
        if dispute is not None:
            with clock.frozen(at + dt.timedelta(days=2)):
                dispatch.dispute_rule(
                    actor=self.guidance, dispute=dispute, department=Department.objects.get(code="TOWN-330822001"),
                    ruling="住宅小区内饲养家畜家禽影响市容和环境卫生的，属市容环境卫生管理事项，由综合行政执法部门查处，"
                           "已赋权镇街的由镇街查处；物业服务企业负责劝阻、报告",
                    new_boundary_rule={"matter": "住宅小区内饲养家畜家禽",
                                       "criteria": "住宅小区内饲养家畜家禽影响市容和环境卫生的，由综合行政执法部门查处；"
                                                   "已赋权镇街的由镇街查处；物业服务企业负责劝阻、报告",
                                       "keywords": ["养鸡", "养鸭", "家禽", "家畜"], "item_codes": ["330822010008"],
                                       "supervising": Department.objects.get(code="ZJ")})
            self.handle(Event.objects.get(pk=event.pk), at=at + dt.timedelta(days=2))
        # ...and the next such report, a month later, went to the town by the new row, with no argument
        at = dt.datetime.combine(self.today - dt.timedelta(days=40), dt.time(15, 5), tzinfo=tz)
        self.handle(self._report(at=at, text="阳光小区有人在公共绿地上围栏养鸡，鸡粪很臭", town=zigang, channel="citizen",
                                 address=f"{zigang.name}阳光小区"), at=at)
        # 2. open: street trees cut down in a green belt (林业 vs 城市绿化)
        at = now - dt.timedelta(days=2, hours=3)
        self._bounce(self._report(at=at, text="定阳路绿化带的行道树被人砍了好几棵，树桩还在", town=tianma,
                                  address="天马街道定阳路"), [
            ("LS", "涉及林木采伐，分拨林业水利局", "城市道路绿化带树木属城市绿化，不属于林地林木管理范围"),
            ("ZJ", "退单后改派城市绿化主管部门", "损毁城市绿化的行政处罚权已划转综合行政执法部门，应由执法部门查处")], at)
        # 3. the last few hours: reports the model could not place, and one a town sent back
        for hours, text, channel, town in [
                (3, "小区门口有问题好几天了，请相关部门来看看", "hotline", tianma),
                (2, "桥下堆放了很多旧轮胎，下雨积水有蚊子", "citizen", zigang),
                (1, "楼上住户把空调外机装在公共走廊里，挡住通道", "grid", tianma)]:
            self._report(at=now - dt.timedelta(hours=hours, minutes=self.rng.randint(0, 40)), text=text,
                         channel=channel, town=town)
        at = now - dt.timedelta(hours=5)
        returned = self.submit(at=at, code="0304", town=tianma, channel="grid")
        if returned.status == EventStatus.ROUTED:
            with clock.frozen(at + dt.timedelta(hours=2)):
                dispatch.event_return(actor=self.duty[returned.department_id], event=returned,
                                      reason="经现场核实，系市政道路改造工程占道施工，已办理占道审批，不属于本单位查处范围")

    def supervisor_referrals(self):
        """The 住建局 supervisor's own referrals (account ``zj_supervisor``, 部门移送, ZJ-016): one found 20 days ago
        and referred 12 days ago — past the department's 5 working days, marked 移送超期 — taken on and answered by
        the bureau; one found two days ago, referred yesterday, waiting for the bureau's answer."""
        supervisor = User.objects.get(username="zj_supervisor")
        tianma = Region.objects.get(code="330822001")
        scenes = [
            (12, 20, "日常巡查发现城东某建筑工地渣土运输车辆未密闭，沿文峰路遗撒泥土，施工单位经两次约谈仍未整改，"
             "移送立案查处；巡查记录和照片已上传", "天马街道文峰路", "已受理，现场核查属实，责令施工单位立即清理路面，视整改情况决定是否立案"),
            (1, 2, "日常巡查发现定阳路一处工地运输车辆沿途撒漏砂石，现场未见冲洗设施，移送依法查处", "天马街道定阳路", ""),
        ]
        for days, found_days, text, address, outcome in scenes:
            at = self.now - dt.timedelta(days=days, hours=2)
            event = self._report(at=at, text=text, town=tianma, channel="referral", address=address, actor=supervisor,
                                 category_code="0112", found_on=timezone.localtime(at).date()
                                 - dt.timedelta(days=found_days - days))
            if event.status != EventStatus.ROUTED or not outcome:
                continue
            ins = event.instructions.get(status="issued")
            user = self.duty[ins.department_id]
            with clock.frozen(at + dt.timedelta(hours=3)):
                dispatch.instruction_sign(actor=user, instruction=ins)
            with clock.frozen(at + dt.timedelta(days=2)):
                dispatch.instruction_feedback(actor=user, instruction=ins, outcome=outcome)

    def citizen_reports(self):
        """The demo citizen's own reports (account ``citizen``, 张先生), filed on the public page signed in:
        what his home page (我反映的问题) and the ticket page show — one handled, closed and rated a month
        ago; one reported four days ago, closed the next day and waiting for his rating (he may still say "not fixed"); one from
        yesterday that the body has signed for and is handling."""
        tianma = Region.objects.get(code="330822001")
        scenes = [
            (35, "0510", "楼下夜宵摊露天烧烤到凌晨", "我家楼下的夜宵摊每天晚上在人行道上露天烧烤到凌晨，油烟和噪音很大，"
             "窗户都不敢开", "天马街道人民路", "已到现场处置，责令摊主撤离人行道、改为店内经营并安装油烟净化设施，现场已恢复"),
            (4, "0410", "小区门口窨井盖松动", "小区门口人行道上的窨井盖松动了，踩上去会晃，晚上走路很危险", "天马街道定阳路",
             "已联系产权单位更换井盖并加固井座，现场已恢复"),
            (1, "0112", "渣土车沿路撒泥", "每天早上有渣土车从文峰路经过，沿路撒下很多泥土，下雨天路面全是泥浆", "天马街道文峰路",
             ""),
        ]
        for days, code, title, text, address, outcome in scenes:
            at = self.now - dt.timedelta(days=days, hours=2)  # every step before now, at whatever hour it is run
            event = self._report(at=at, text=text, town=tianma, channel="citizen", address=address,
                                 actor=self.citizen, category_code=code, title=title)
            if event.status != EventStatus.ROUTED:
                continue
            ins = event.instructions.get(status="issued")
            user = self.duty[ins.department_id]
            with clock.frozen(at + dt.timedelta(hours=3)):
                dispatch.instruction_sign(actor=user, instruction=ins)
            if not outcome:
                continue
            with clock.frozen(at + dt.timedelta(days=1)):
                dispatch.instruction_feedback(actor=user, instruction=ins, outcome=outcome)
            with clock.frozen(at + dt.timedelta(days=1, hours=5)):
                # the command centre calls him back (a town's grid worker may not verify the town's own work)
                dispatch.event_verify(actor=self.operator, event=Event.objects.get(pk=event.pk), passed=True,
                                      note="回访报告人，问题已解决")
            if days > 30:
                with clock.frozen(at + dt.timedelta(days=3)):
                    dispatch.event_rate(event=Event.objects.get(pk=event.pk), score=4, actor=self.citizen,
                                        comment="处理及时，现在晚上安静多了")


def load_categories(*, actor, domains: dict, departments: dict) -> int:
    from core.audit import audit_log

    n = 0
    for code, group, name, domain, dept, keywords, item_words in D.CATEGORIES:
        cat = EventCategory.objects.create(code=code, group=group, name=name, domain=domains.get(domain) if domain else None,
                                           department=departments.get(dept) if dept else None, keywords=keywords,
                                           item_keywords=item_words, source=D.CATEGORY_SOURCE)
        audit_log(actor=actor, action="intake.category.create", obj=cat, after={"code": code, "name": name})
        n += 1
    return n

"""The demo's event history replays through the services: all channels, towns, states, the burst."""

import collections
import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from core.audit import verify_chain
from dispatch.models import Campaign, RoutingDecision, Whistle
from intake.models import Event


@pytest.fixture(scope="module")
def demo_events(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", "--enterprises", "200", "--events", "300", "--quiet")
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--noinput")


@pytest.mark.django_db
def test_demo_events_cover_channels_towns_and_states(demo_events):
    events = Event.objects.all()
    assert events.count() >= 300 + 48
    assert set(events.values_list("channel", flat=True)) == {"grid", "hotline", "citizen", "drone", "sensor",
                                                              "referral", "inspection"}
    assert events.values("town").distinct().count() == 14
    statuses = set(events.values_list("status", flat=True))
    assert {"closed", "routed", "accepted", "resolved", "duplicate"} <= statuses  # resolved: 待核查 queue
    assert not events.filter(synthetic=False).exists()
    from intake.models import Verification

    verdicts = set(Verification.objects.values_list("passed", "note"))  # a failed 核查 does not say it is fixed
    assert not [note for passed, note in verdicts if not passed and "已解决" in note]


@pytest.mark.django_db
def test_demo_manhole_burst_and_campaign(demo_events):
    burst = Event.objects.filter(category__code="0410")
    assert burst.count() >= 48
    assert burst.filter(status="duplicate").exists()  # neighbours' reports linked as me-too
    campaign = Campaign.objects.get(name="窨井盖安全隐患专项排查")
    assert campaign.tasks.count() == 14
    assert campaign.tasks.filter(photos__isnull=False).exists()  # 整改照片 with the teams' progress
    # phone reports carry a photo, the repairs a photo after the work; two repairs are shown to the public
    from intake.models import Attachment

    photos = Attachment.objects.filter(event__category__code="0410")
    assert photos.filter(stage="report", event__channel__in=["grid", "citizen"]).exists()
    assert not photos.filter(stage="report").exclude(event__channel__in=["grid", "citizen"]).exists()
    assert photos.filter(stage="feedback").exists()
    # each photo carries the time it was taken in the replayed history, not the time the demo was loaded
    for photo in photos.filter(stage="report").select_related("event"):
        assert photo.uploaded_at == photo.event.received_at
    for photo in photos.filter(stage="feedback").select_related("event"):
        assert photo.uploaded_at in set(photo.event.instructions.values_list("feedback_at", flat=True))
    published = photos.filter(published_at__isnull=False)
    assert published.values("event").distinct().count() == 2 and published.filter(stage="feedback").count() == 2


@pytest.mark.django_db
def test_demo_model_routes_recent_events(demo_events):
    methods = dict(RoutingDecision.objects.values_list("method").annotate(n=Count("id")))
    assert methods.get("auto", 0) > 0
    assert RoutingDecision.objects.filter(explanation__model__label__isnull=False).exists()
    assert Whistle.objects.count() == 2
    assert verify_chain().ok


@pytest.mark.django_db
def test_demo_cases_in_every_state(demo_events):
    from cases.models import Case, Document

    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"clue", "investigating", "review", "penalty_proposed", "notice_served", "hearing_requested",
            "hearing_scheduled", "hearing_closed", "decided", "served", "overdue", "reminded", "court_applied",
            "executed", "closed", "not_filed", "transferred_judicial", "spot_decided"} <= statuses
    assert Document.objects.filter(doc_type="hearing_record").exists()
    # XF-058: one case was returned for correction, answered by its handlers and then passed
    from cases.models import LegalReview

    returned = LegalReview.objects.get(result="return")
    assert returned.resubmitted_on and returned.resubmission_note
    assert returned.case.legal_reviews.filter(result="pass", reviewed_on__gte=returned.resubmitted_on).exists()
    # 立案审批: two requests wait (one for its limitation review first); every filed case was approved by the head
    from cases.models import CaseApproval
    from cases.selectors import awaiting_head, review_queue
    from org.models import User

    pending = CaseApproval.objects.filter(status="pending", kind="filing")
    assert pending.count() == 2  # one asked yesterday; one past its limitation, with the legal reviewers (XF-036)
    late = pending.get(details__limitation_review="pending").case
    assert late.status == "clue" and late in review_queue()
    assert any("立案审批" in what for _c, what in awaiting_head(User.objects.get(username="zfj_head")))
    assert not Case.objects.filter(filed_on__isnull=False).exclude(filing_approved_by__role="agency_head").exists()
    assert Case.objects.filter(referring_department__isnull=False, referral_feedback_on__isnull=False).exists()
    # XF-041: published devices, one awaiting its review (not published), and a device record awaiting review
    from cases.models import Evidence, MonitoringDevice

    assert MonitoringDevice.objects.filter(published_on__isnull=False).count() == 3
    assert MonitoringDevice.objects.filter(published_on__isnull=True).count() == 1
    assert Evidence.objects.filter(device__isnull=False, device_review="").exists()
    # XF-020-021: one published entrustment in force
    from catalogue.models import Entrustment

    e = Entrustment.objects.get()
    assert e.agent.kind == "entrusted" and e.items.count() == 2 and e.published_on < e.valid_from
    from core.models import Deadline

    assist = dict(Deadline.objects.filter(kind__startswith="case.assist.").values_list("department__code", "state"))
    assert assist["SCJG"] in ("late", "met") and assist["ZJ"] == "open"
    # on-the-spot fines: cash collected on the spot is handed over and banked on time (XF-070-071), so the
    # demo's 督办 are real backlogs, not bookkeeping the loader skipped; some bank payments never came
    from cases.models import Payment

    spot = Case.objects.filter(procedure="simple", final_fine__isnull=False)
    assert not Payment.objects.filter(case__in=spot, handed_over_on__isnull=True, method__contains="当场").exists()
    assert not Deadline.objects.filter(kind__in=("case.cash_handover", "case.cash_deposit"), state="open").exists()
    assert spot.filter(status="closed").count() == 3 and spot.filter(status="overdue").count() == 2
    # SX-3: the published decisions are public; one was kept from publication by the head, with its ground
    from cases.models import Publication
    from cases.selectors import published_decisions

    assert published_decisions(on=dt.date.today()).count() >= 5
    kept = Case.objects.get(publish=False, publication_exclusion__startswith="涉及国家秘密、商业秘密或者个人隐私：")
    assert Publication.objects.get(case=kept).published_on is None
    # YS-310: the transferred case was filed by the police, its materials handed over, with its 移送书
    from cases.models import CrimeTransfer, PartySubmission

    ct = CrimeTransfer.objects.get(transferred_at__isnull=False)
    assert ct.police_answer == "filed" and ct.handed_over_on and ct.case.documents.filter(doc_type="crime_transfer").exists()
    # XF-041: a party answered its notice online; it waits for the officers, and so does the decision
    waiting = PartySubmission.objects.get(handled_at__isnull=True)
    assert waiting.case.status == "notice_served" and waiting.submitted_at <= timezone.now()


@pytest.mark.django_db
def test_demo_replay_writes_nothing_dated_after_now(demo_events):
    """A step of the replayed lifecycle that would fall after now is left undone, not dated in the future."""
    from django.utils import timezone

    from core.models import Notification
    from dispatch.models import Instruction
    from intake.models import EventTransition

    now = timezone.now()
    assert not Notification.objects.filter(created_at__gt=now).exists()
    assert not EventTransition.objects.filter(at__gt=now).exists()
    assert not Instruction.objects.filter(signed_at__gt=now).exists()
    assert not Instruction.objects.filter(feedback_at__gt=now).exists()
    assert not Event.objects.filter(resolved_at__gt=now).exists() and not Event.objects.filter(closed_at__gt=now).exists()
    assert RoutingDecision.objects.filter(method="reopen").exists()  # reporters said "not fixed" and it was redone
    from intake.models import ReporterMessage

    # the replayed year's texts went out at the time; only the last fortnight's wait for the worker
    texts = ReporterMessage.objects.all()
    assert texts.filter(status="sent").exists() and not texts.filter(sent_at__gt=now).exists()
    fortnight = now - timezone.timedelta(days=15)
    assert not texts.filter(status="queued", created_at__lt=fortnight).exists()


@pytest.mark.django_db
def test_demo_report_texts_name_roads_of_their_own_town(demo_events):
    from demo import data as D
    from org.models import Region

    towns = {t.name[:2]: t.pk for t in Region.objects.filter(level="township")}
    town_roads = {r: towns[r[:2]] for r in D.ROADS if r[:2] in towns}
    assert len(town_roads) >= 14
    checked = 0
    for text, town_id in Event.objects.filter(synthetic=True).values_list("text", "town_id"):
        for road, owner in town_roads.items():
            if road in text:
                assert town_id == owner, (text, town_id)
                checked += 1
    assert checked > 50


@pytest.mark.django_db
def test_demo_queues_hold_triage_returns_and_disputes(demo_events):
    """The command centre's queues show work: reports waiting to be routed by hand (one a town sent
    back), a dispute waiting for the guidance office, and one it settled whose ruling added a boundary
    row that routed the next such report to the town by itself."""
    from catalogue.models import BoundaryRule
    from dispatch.models import Dispute, EventReturn
    from intake.choices import EventStatus

    waiting = Event.objects.filter(status=EventStatus.TRIAGE)
    assert waiting.count() >= 4 and waiting.filter(returns__isnull=False).exists()
    assert EventReturn.objects.filter(event__in=waiting).count() >= 1
    open_dispute = Dispute.objects.get(status="open")
    assert open_dispute.event.status == EventStatus.DISPUTED and open_dispute.event.return_count == 2
    assert set(open_dispute.departments.values_list("code", flat=True)) == {"LS", "ZJ"}
    ruled = Dispute.objects.get(status="ruled")
    row = ruled.boundary_rule
    assert row.source == BoundaryRule.Source.RULING and row.item_codes == ["330822010008"]
    assert ruled.event.department.code == "TOWN-330822001" and ruled.event.status == EventStatus.CLOSED
    later = RoutingDecision.objects.get(boundary_rule=row, method="auto")
    assert later.event.received_at > ruled.ruled_at and later.department.name.endswith("紫港街道办事处")
    assert later.explanation["delegation"]["town"] == "紫港街道"
    from core.models import Notification  # a ruling of months ago was read at the time; it is not news

    assert Notification.objects.filter(link=ruled.event.get_absolute_url()).exists()
    assert not Notification.objects.filter(link=ruled.event.get_absolute_url(), read_at__isnull=True).exists()


@pytest.mark.django_db
def test_demo_citizen_account_has_reports_to_follow(demo_events, client):
    """The demo citizen signs in to his own reports: one that became a case whose decision is public, one
    closed and rated, one closed and waiting for his rating (still reopenable), one being handled; the ticket
    page offers what each allows and links the published decision."""
    from django.contrib.auth import get_user_model

    from intake.choices import EventStatus

    citizen = get_user_model().objects.get(username="citizen")
    mine = Event.objects.filter(reporter=citizen).order_by("received_at")
    assert [e.status for e in mine] == [EventStatus.CLOSED] * 3 + [EventStatus.ACCEPTED]
    assert [e.rating for e in mine] == [5, 4, None, None]
    reported = mine[0].cases.get()  # the case names the report it came from, and its decision is public
    assert reported.status == "closed" and mine[0].ticket in reported.transitions.get(old="").reason
    client.force_login(citizen)
    page = client.get(f"/public/track/{mine[0].ticket}/").content.decode()
    assert "已依法作出行政处罚决定并公开" in page and f"/public/decisions/{reported.publication.pk}/" in page
    mine = mine[1:]
    assert all(e.channel == "citizen" and e.reporter_name == "张先生" for e in mine)
    client.force_login(citizen)
    home = client.get("/").content.decode()
    assert all(f"/public/track/{e.ticket}/" in home for e in mine) and "我反映的问题" in home
    waiting = client.get(f"/public/track/{mine[1].ticket}/").content.decode()
    assert 'value="reopen"' in waiting and 'value="rate"' in waiting
    rated = client.get(f"/public/track/{mine[0].ticket}/").content.decode()
    assert 'value="reopen"' not in rated and 'value="rate"' not in rated


@pytest.mark.django_db
def test_demo_sweeps_ran_when_the_history_happened(demo_events):
    """The worker's sweep is replayed through the history: a party's period that ran out months ago was
    marked 期间届满 within the hour, not at load time, and only the last fortnight's notices are unread."""
    import datetime as dt

    from core.models import Deadline, Notification
    from demo.events import fortnight_start

    elapsed = Deadline.objects.filter(state=Deadline.State.ELAPSED)
    assert elapsed.filter(due_at__lt=fortnight_start(dt.date.today())).exists()
    assert all(dt.timedelta(0) <= d.closed_at - d.due_at <= dt.timedelta(hours=1) for d in elapsed)
    escalated = Deadline.objects.filter(escalation_level__gte=1, due_at__lt=fortnight_start(dt.date.today()))
    assert escalated.exists()
    assert Notification.objects.filter(read_at__isnull=True).exists()
    assert not Notification.objects.filter(read_at__isnull=True, created_at__lt=fortnight_start(dt.date.today())).exists()


@pytest.mark.django_db
def test_demo_history_holds_transfers_with_their_trail(demo_events):
    """流转 is in the demo: the command centre moved signed work to another body with a reason; the old
    instruction keeps its signature, the new one names it, the event's history says where and why, and
    考评 counts it against the body the work was taken from."""
    import datetime as dt

    from django.utils import timezone

    from dispatch.models import Instruction
    from dispatch.selectors import body_performance

    moved = Instruction.objects.filter(status=Instruction.Status.TRANSFERRED).select_related("event")
    assert moved.count() >= 3
    for old in moved:
        assert old.signed_at is not None
        new = Instruction.objects.get(transferred_from=old)
        assert new.department_id != old.department_id and new.content.startswith("（流转自")
        said = [t.reason for t in old.event.transitions.all()]
        assert any(r.startswith(f"流转至{new.department.name}：") for r in said), said
        assert RoutingDecision.objects.filter(event=old.event, method="manual", department=new.department).exists()
    now = timezone.now()
    rows = body_performance(start=now - dt.timedelta(days=400), end=now + dt.timedelta(days=1))
    assert sum(b.transferred for b in rows) == moved.count()


@pytest.mark.django_db
def test_every_persona_follows_its_links_without_an_error(demo_events, client):
    """Each demo account, and a visitor, follows the links its pages show (breadth first from the home page and
    执法公示, up to 80 pages each; downloads, exports and the admin left out): no page answers 500, and no page
    links to one the person may not open (404/403) — the event list offered 上报事件 to every role, which
    answered 404 to most (found by this crawl on 2026-12-07)."""
    import collections
    import re

    from django.contrib.auth import get_user_model

    skip = re.compile(r"^/(admin|static|media|accounts/logout|i18n)|export|\.csv|\.pdf|/sw\.js|points\.json"
                      r"|/photos/|/attachments/|/documents/")
    broken = []
    for name in ("zhihui", "zhidaoban", "zfj_officer", "zfj_head", "tianma_officer", "wangge_tianma",
                 "zj_supervisor", "scjg_supervisor", "fazhi", "lingdao", "citizen", None):
        client.logout()
        if name:
            client.force_login(get_user_model().objects.get(username=name))
        seen, queue = set(), collections.deque([("/", None), ("/public/", None)])
        while queue and len(seen) < 80:
            path, source = queue.popleft()
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code >= 400:
                broken.append((name, path, response.status_code, source))
            elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
                    href = href.replace("&amp;", "&")
                    if not skip.search(href) and href not in seen:
                        queue.append((href, path))
        assert len(seen) >= 5, name  # the crawl reached beyond its start
    assert broken == []


@pytest.mark.django_db
def test_every_notice_opens_for_those_it_is_addressed_to(demo_events, client):
    """A notice's link opens (no 403/404) for the person it names, or for each account of the body it is addressed
    to — three of each kind of notice per account. Found 2026-12-07: a 协助请求 notice led to the case page, which
    the asked body no longer sees once it has answered; the guidance office's duty account was made a department
    supervisor and could open none of the reports its office's notices link to."""
    from core.models import Notification
    from org.models import User

    broken, tried = [], collections.Counter()
    for notice in Notification.objects.exclude(link="").order_by("pk"):
        users = [notice.user] if notice.user_id else list(User.objects.filter(department_id=notice.department_id,
                                                                               is_active=True))
        for user in users:
            key = (user.pk, notice.message or notice.text[:20])
            tried[key] += 1
            if tried[key] > 3:
                continue
            client.force_login(user)
            status = client.get(notice.link.split("#")[0]).status_code
            if status >= 400:
                broken.append((user.username, notice.text[:40], notice.link, status))
    assert sum(min(n, 3) for n in tried.values()) > 100 and broken == []


@pytest.mark.django_db
def test_demo_department_referrals(demo_events):
    """部门移送 (ZJ-016): the 住建局's system refers leads with the day each was found, some past the department's 5
    working days; its supervisor's own two referrals — one late, answered by the body that took it; one waiting —
    and the department's notices say what became of them."""
    from core.models import Notification
    from org.models import User

    supervisor = User.objects.get(username="zj_supervisor")
    system = Event.objects.filter(channel="referral", source__department=supervisor.department)
    assert system.exists() and not system.filter(found_on__isnull=True).exists()
    assert any(e.referral_late_days for e in system) and any(not e.referral_late_days for e in system)
    assert not system.filter(category__department__isnull=False).exists()  # no repair job of its own referred
    own = list(Event.objects.filter(channel="referral", reporter=supervisor, cases=None).order_by("received_at"))
    assert len(own) == 2 and [bool(e.referral_late_days) for e in own] == [True, False]
    assert own[0].status == "closed" and own[1].status == "routed"
    assert Notification.objects.filter(department=supervisor.department, text__contains=own[0].ticket).exists()
    # and the one the bureau made a case of: the case was opened from the referral, so each answer reached the
    # department as a notice and as a row of the feed its system reads (GET /api/cases/referral-feedback)
    from cases.models import Case, ReferralFeedback
    from cases.selectors import referrals_of

    case = Case.objects.get(events__channel="referral", events__reporter=supervisor)
    assert case.referring_department == supervisor.department and case.status == "closed"
    assert list(ReferralFeedback.objects.filter(case=case).values_list("status", flat=True)) == \
        ["filed", "decided", "closed"]
    assert referrals_of(supervisor.department_id, [case.pk])[case.pk] == [(case.events.get().ticket, "")]

"""管罚衔接 (ZJ-016) for a department's own system: ``GET /api/cases/referral-feedback`` gives it, in order, each
结果反馈 its staff got as a notice, naming the case and the department's referrals it answers."""

import datetime as dt

from django.utils import timezone

from cases import services as S
from cases.models import ReferralFeedback
from cases.tests.helpers import D, file_case, not_file, uscc
from core import clock
from core.models import Notification
from intake.choices import Channel, EventStatus
from intake.services import api_client_create, event_submit

URL = "/api/cases/referral-feedback"
TEXT = "日常检查发现人民路某食品店未取得食品经营许可证从事食品经营，移送查处"


def _open(cw, events, n):
    return S.case_open(actor=cw.bureau_officer, department=cw.zf, item=cw.item_food, party_kind="org",
                       party_name=f"常山测试{n}食品有限公司", party_code=uscc(n),
                       party_address=f"常山县天马街道人民路{n}号", cause="未取得食品经营许可从事食品经营",
                       act_date=D(2026, 3, 2), discovery_date=D(2026, 3, 5), location=f"天马街道人民路{n}号",
                       source=f"部门移送 {events[0].ticket}", summary=TEXT, events=events)


def _read(client, key, **params):
    with clock.frozen(timezone.now() + dt.timedelta(minutes=10)):  # past the settle hold-back
        return client.get(URL, params, HTTP_X_API_KEY=key)


def test_a_department_system_reads_what_became_of_its_referrals(iw, cw, client, django_assert_max_num_queries):
    system, key = api_client_create(actor=iw.admin, name="市场监管业务系统", kind="department", department=iw.scjg)
    body = {"external_id": "SC-7", "text": TEXT, "lng": iw.tianma_point[0], "lat": iw.tianma_point[1],
            "category": "1001", "found_on": f"{clock.today():%Y-%m-%d}"}
    r = client.post("/api/intake/events", body, content_type="application/json", HTTP_X_API_KEY=key)
    assert r.status_code == 201, r.content
    ticket = r.json()["ticket"]
    # the department's supervisor refers the same shop on the page: merged into the system's referral (附议)
    again = event_submit(channel=Channel.REFERRAL, actor=iw.scjg_supervisor, text=TEXT, lng=iw.tianma_point[0],
                         lat=iw.tianma_point[1], category_code="1001", found_on=clock.today()).event
    assert again.status == EventStatus.DUPLICATE and again.duplicate_of.ticket == ticket
    filed = _open(cw, [again.duplicate_of], 1)
    file_case(cw, filed)
    other = event_submit(channel=Channel.REFERRAL, actor=iw.scjg_supervisor, found_on=clock.today(),
                         text="日常检查发现文峰路某超市销售过期食品，移送查处", lng=iw.tianma_point[0] + 0.05,
                         lat=iw.tianma_point[1], category_code="1001").event
    refused = _open(cw, [other], 2)
    not_file(cw, refused, D(2026, 3, 10), reason="经核查，当事人已取得食品经营许可证")
    filed.refresh_from_db()

    assert client.get(URL, HTTP_X_API_KEY=key).json() == {"feedback": [], "next_after": 0}  # not yet settled
    with django_assert_max_num_queries(4):  # the key, the answers with their cases, the referrals (two)
        page = _read(client, key)
    assert page.status_code == 200, page.content
    first, second = page.json()["feedback"]
    assert (first["case"], first["status"], first["status_label"], first["on"]) == \
        (filed.number, "filed", "已立案", f"{filed.filed_on:%Y-%m-%d}")
    assert first["text"] == f"贵单位移送的未取得食品经营许可从事食品经营已立案（{filed.number}）"
    assert first["text"] == Notification.objects.get(department=iw.scjg, text__contains="已立案").text
    assert first["referrals"] == [{"ticket": ticket, "external_id": "SC-7"},
                                  {"ticket": again.ticket, "external_id": ""}]
    assert (second["case"], second["status"], second["text"]) == \
        (None, "not_filed", "贵单位移送的未取得食品经营许可从事食品经营不予立案：经核查，当事人已取得食品经营许可证")
    assert second["referrals"] == [{"ticket": other.ticket, "external_id": ""}]
    assert page.json()["next_after"] == second["id"] == ReferralFeedback.objects.latest("pk").pk

    one = _read(client, key, limit=1).json()
    assert [f["id"] for f in one["feedback"]] == [first["id"]] and one["next_after"] == first["id"]
    rest = _read(client, key, after=one["next_after"]).json()
    assert [f["id"] for f in rest["feedback"]] == [second["id"]]
    assert _read(client, key, after=second["id"]).json() == {"feedback": [], "next_after": second["id"]}
    with clock.frozen(timezone.now() + dt.timedelta(minutes=10)):
        en = client.get(URL, HTTP_X_API_KEY=key, HTTP_ACCEPT_LANGUAGE="en").json()["feedback"][1]
    assert en["status_label"] == "Not filed" and en["text"].startswith("The case your department referred, 未取得食品经营许可从事食品经营, will not be filed")


def test_only_the_referring_departments_system_reads_its_feedback(iw, cw, client):
    own = event_submit(channel=Channel.REFERRAL, actor=iw.scjg_supervisor, text=TEXT, lng=iw.tianma_point[0],
                       lat=iw.tianma_point[1], category_code="1001", found_on=clock.today()).event
    file_case(cw, _open(cw, [own], 3))
    _other, other_key = api_client_create(actor=iw.admin, name="住建业务系统", kind="department", department=iw.zj)
    assert _read(client, other_key).json() == {"feedback": [], "next_after": 0}
    for key in (iw.hotline_key, iw.drone_key):
        r = _read(client, key)
        assert r.status_code == 403 and r.json()["message"] == "只有业务主管部门的系统可读取移送结果反馈"
    assert _read(client, "wrong-key").status_code == 401
    _mine, key = api_client_create(actor=iw.admin, name="市场监管业务系统", kind="department", department=iw.scjg)
    r = _read(client, key, limit=0)
    assert r.status_code == 422 and list(r.json()["errors"]) == ["limit"]
    assert [f["status"] for f in _read(client, key).json()["feedback"]] == ["filed"]


def test_the_department_reads_its_referral_ledger(iw, cw, client, django_assert_max_num_queries):
    """移送台账: the department's supervisors see each referral, the body that has it, the case made of it (its own,
    or the one of the report it was merged into) and the last answer; the guidance office any department's."""
    from django.urls import reverse

    first = event_submit(channel=Channel.REFERRAL, actor=iw.scjg_supervisor, text=TEXT, lng=iw.tianma_point[0],
                         lat=iw.tianma_point[1], category_code="1001", found_on=clock.today()).event
    joined = event_submit(channel=Channel.REFERRAL, actor=iw.scjg_supervisor, text=TEXT, lng=iw.tianma_point[0],
                          lat=iw.tianma_point[1], category_code="1001", found_on=clock.today()).event
    assert joined.duplicate_of == first
    waiting = event_submit(channel=Channel.REFERRAL, actor=iw.scjg_supervisor, found_on=clock.today(),
                           text="日常检查发现文峰路某超市销售过期食品，移送查处", lng=iw.tianma_point[0] + 0.05,
                           lat=iw.tianma_point[1], category_code="1001").event
    case = _open(cw, [first], 4)
    file_case(cw, case)
    case.refresh_from_db()
    other_party = _open(cw, [first], 5)  # the report named a second business: a second clue, not yet answered
    client.force_login(iw.scjg_supervisor)
    with django_assert_max_num_queries(12):  # the session, the counts, the page and four for its rows: none per row
        page = client.get(reverse("cases:referrals")).content.decode()
    assert "共移送 3 件：立案办理 2 件，办理中未立案 1 件，未立案已办结 0 件。" in page
    rows = {e.ticket: r for r in page.split("<tr>")[2:] for e in (first, joined, waiting) if e.ticket in r.split("</td>")[0]}
    assert set(rows) == {first.ticket, joined.ticket, waiting.ticket}
    told = f"贵单位移送的未取得食品经营许可从事食品经营已立案（{case.number}）"
    for t in (first.ticket, joined.ticket):
        assert case.number in rows[t] and told in rows[t] and "已立案" in rows[t]
        assert other_party.get_absolute_url() in rows[t] and "线索登记" in rows[t]
    assert f"并入 <a href=\"{first.get_absolute_url()}\">{first.ticket}</a>" in rows[joined.ticket]
    assert waiting.department.name in rows[waiting.ticket] and case.number not in rows[waiting.ticket]
    assert 'href="/cases/referrals/"' in page  # in the supervisor's menu
    def tickets(params):
        page = client.get(reverse("cases:referrals"), params).content.decode()
        return {e.ticket for e in (first, joined, waiting) if f">{e.ticket}</a>" in page.split("<tbody>")[1]}

    assert tickets({"state": "in_case"}) == {first.ticket, joined.ticket}
    assert tickets({"state": "in_hand"}) == {waiting.ticket}
    assert tickets({"state": "ended"}) == set()
    assert client.get(reverse("cases:referrals"), {"state": "x"}).status_code == 404
    export = client.get(reverse("cases:referrals"), {"export": "csv"})
    assert export.status_code == 200 and export["Content-Disposition"].startswith('attachment; filename="referrals-')
    import csv
    import io

    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert lines[0][:3] == ["受理编号", "发送方编号", "发现日期"] and len(lines) == 1 + 5  # two referrals × two cases, one
    by_ticket = {}
    for line in lines[1:]:
        by_ticket.setdefault(line[0], []).append(line)
    assert [r[8] for r in by_ticket[first.ticket]] == [case.number, other_party.shown_label]
    assert by_ticket[first.ticket][0][11] == told and by_ticket[joined.ticket][0][7] == first.ticket
    assert by_ticket[waiting.ticket][0][5] == waiting.department.name and by_ticket[waiting.ticket][0][8] == ""
    from core.models import AuditRecord

    assert AuditRecord.objects.get(action="cases.referrals.export").after == {"department": iw.scjg.code,
                                                                             "state": "", "rows": 3}
    assert 'export=csv' in client.get(reverse("cases:referrals")).content.decode()
    from cases.selectors import ledger_export_rows, referral_ledger

    events, _counts = referral_ledger(iw.scjg.pk)
    rows = [[str(v) for v in r] for r in ledger_export_rows(events, iw.scjg.pk)]
    assert [[str(v) for v in r] for r in ledger_export_rows(events, iw.scjg.pk, chunk=1)] == rows == lines[1:]
    client.force_login(iw.zj_officer)  # another department's supervisor: its own ledger, empty
    assert "共移送 0 件" in client.get(reverse("cases:referrals")).content.decode()
    client.force_login(iw.guidance)
    page = client.get(reverse("cases:referrals"), {"department": iw.scjg.pk}).content.decode()
    assert "共移送 3 件" in page and f'<option value="{iw.scjg.pk}" selected>' in page
    assert f'href="?department={iw.scjg.pk}&amp;state=in_hand"' in page  # the filters keep the department
    assert tickets({"department": iw.scjg.pk, "state": "in_hand"}) == {waiting.ticket}
    assert client.get(reverse("cases:referrals"), {"department": iw.zj.pk}).status_code == 404  # never referred
    client.force_login(cw.bureau_officer)
    assert client.get(reverse("cases:referrals")).status_code == 404

"""案件台账 (the case register) and whose case time limits count as one's own work (我的待办)."""

import pytest
from django.urls import reverse

from cases import selectors
from cases import services as S
from cases.choices import CaseStatus, Procedure
from cases.models import Case
from cases.tests.helpers import FILED, D, file_case, open_case


@pytest.fixture
def three(cw):
    """Two filed cases of the county bureau — one handled by 洪一 (the bureau officer's own), one by two of
    their colleagues — and a clue nobody has been assigned to yet."""
    mine = open_case(cw, n=1, party_name="常山甲食品有限公司")
    file_case(cw, mine, officers=(cw.o1, cw.o2))
    theirs = open_case(cw, n=2, party_name="常山乙餐饮店")
    file_case(cw, theirs, officers=(cw.o2, cw.o3))
    clue = open_case(cw, n=3, party_name="常山丙超市")
    return [Case.objects.get(pk=c.pk) for c in (mine, theirs, clue)]


def _case_ids(deadlines) -> set[int]:
    return {int(d.object_id) for d in deadlines}


def test_an_officers_own_time_limits_are_the_cases_they_handle(cw, three):
    mine, theirs, clue = three
    later = D(2030, 1, 1)  # every limit of the three has passed by then
    assert _case_ids(selectors.overdue(cw.bureau_officer, later)) == {mine.pk}
    # the body's head watches the body's cases; the clue's 核查立案 limit too
    assert _case_ids(selectors.overdue(cw.zf_head, later)) == {mine.pk, theirs.pk, clue.pk}
    assert str(selectors.deadline_scope(cw.bureau_officer)) == "我承办的案件"
    assert str(selectors.deadline_scope(cw.zf_head)) == "本单位案件"
    assert selectors.counts_case_deadlines(cw.bureau_officer) and selectors.counts_case_deadlines(cw.zf_head)
    for post in (cw.operator, cw.guidance, cw.legal_reviewer, cw.leader):
        assert not selectors.counts_case_deadlines(post), post


def test_home_counts_case_time_limits_only_for_those_who_handle_or_head(cw, three, client):
    client.force_login(cw.bureau_officer)
    assert "办案期限" in client.get(reverse("home")).content.decode()
    client.force_login(cw.operator)  # sees every case, handles none: not their to-do
    assert "办案期限" not in client.get(reverse("home")).content.decode()
    # the workbench still shows them, and says whose they are
    body = client.get(reverse("cases:workbench")).content.decode()
    assert "以下期限：可查看的全部在办案件" in body
    assert "<h2>在办案件 " in body and "我的案件" not in body  # they handle none
    client.force_login(cw.bureau_officer)
    body = client.get(reverse("cases:workbench")).content.decode()
    assert "<h2>我的案件 " in body and "?status=open&amp;mine=on" in body


def test_status_counts_follow_the_procedure_and_link_to_the_register(cw, three, client):
    counts = selectors.status_counts(selectors.cases_visible_to(cw.bureau_officer))
    assert [(c["status"], c["n"]) for c in counts] == [(CaseStatus.CLUE, 1), (CaseStatus.INVESTIGATING, 2)]
    client.force_login(cw.bureau_officer)
    body = client.get(reverse("cases:workbench")).content.decode()
    assert f'{reverse("cases:list")}?status=investigating">调查取证 <b>2</b>' in body
    assert f'{reverse("cases:list")}">全部案件 <b>3</b>' in body


def test_the_register_finds_cases_by_number_party_cause_and_state(cw, three):
    mine, theirs, clue = three
    search = lambda **kw: set(selectors.case_search(user=cw.bureau_officer, **kw).values_list("pk", flat=True))  # noqa: E731
    assert search() == {mine.pk, theirs.pk, clue.pk}
    assert search(q=mine.number) == {mine.pk}
    assert search(q="乙餐饮") == {theirs.pk}
    assert search(q="食品经营许可") == {mine.pk, theirs.pk, clue.pk}  # the cause
    assert search(q=f"线索#{clue.pk}") == {clue.pk}
    assert search(q=f"Clue #{clue.pk}") == {clue.pk} and search(q=f"#{clue.pk}") == {clue.pk}
    assert search(q="不存在的当事人") == set()
    assert search(status=CaseStatus.CLUE) == {clue.pk}
    assert search(status="open") == {mine.pk, theirs.pk, clue.pk}
    assert search(status=CaseStatus.CLOSED) == set()
    assert search(procedure=Procedure.SIMPLE) == set()
    assert search(department=cw.zf) == {mine.pk, theirs.pk, clue.pk} and search(department=cw.scjg) == set()
    assert search(filed_from=FILED, filed_to=FILED) == {mine.pk, theirs.pk}
    assert search(filed_from=D(2026, 3, 7)) == set()
    assert search(mine=True) == {mine.pk}
    assert set(selectors.case_search(user=cw.operator, mine=True)) == set()  # handles none
    # another body's officer sees none of them
    assert not selectors.case_search(user=cw.huibu_officer).exists()


def test_the_register_page_filters_and_says_what_is_wrong(cw, three, client):
    mine, theirs, clue = three
    client.force_login(cw.bureau_officer)
    url = reverse("cases:list")
    body = client.get(url, {"q": "乙餐饮"}).content.decode()
    assert "常山乙餐饮店" in body and "常山甲食品有限公司" not in body
    assert '<p class="muted">1 件 · <a href="/cases/list/export.csv?q=' in body
    # a range that ends before it starts: said on the field, and nothing filtered
    body = client.get(url, {"filed_from": "2026-03-10", "filed_to": "2026-03-01"}).content.decode()
    assert "至：结束日期不能早于开始日期" in body
    assert "常山乙餐饮店" in body and "常山丙超市" in body
    body = client.get(url, {"filed_from": "not-a-date"}).content.decode()
    assert "立案日期自：输入一个有效的日期。" in body
    client.force_login(cw.huibu_officer)
    body = client.get(url).content.decode()
    assert "没有符合条件的案件" in body and "常山乙餐饮店" not in body


def test_the_register_in_english(cw, three, client):
    client.force_login(cw.bureau_officer)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("cases:list"), {"status": "investigating"}).content.decode()
    assert "Case register" in body and "Handled by me" in body
    assert "案件台账" not in body and "我承办的" not in body
    body = client.get(reverse("cases:list"), {"status": "clue"}).content.decode()
    clue = three[2]
    assert f">Clue #{clue.pk}</a>" in body and "线索#" not in body
    assert '<p class="muted">1 case · <a href=' in body
    body = client.get(reverse("cases:workbench")).content.decode()
    assert "All cases" in body and "Time limits below: cases I handle" in body


def test_assistance_requests_wait_on_the_asked_bodys_home_until_answered(cw, three, client):
    """XF-026: the body asked to assist finds the request in 我的待办 (not only among its notices), with its
    time limit; its legal reviewer is not the one to answer it, on the page or in the service."""
    from conftest import make_user
    from core.exceptions import NotPermitted
    from org.choices import Role

    mine = three[0]
    row = S.assistance_request(actor=cw.bureau_officer, case=mine, to_department=cw.scjg, matter="提供当事人登记信息",
                               basis="《行政处罚法》第二十六条", on=D(2026, 9, 29))
    reviewer = make_user("scjg_reviewer", Role.LEGAL_REVIEWER, department=cw.scjg)
    assert list(selectors.assistance_owed(cw.scjg_supervisor)) == [row]
    assert list(selectors.assistance_owed(cw.scjg_officer)) == [row]
    for other in (cw.bureau_officer, cw.operator, reviewer, cw.leader):
        assert not selectors.assistance_owed(other).exists(), other
    with pytest.raises(NotPermitted):
        S.assistance_reply(actor=reviewer, case=mine, on=D(2026, 10, 9), reply="已提供")

    client.force_login(cw.scjg_supervisor)
    body = client.get(reverse("home")).content.decode()
    assert "协助请求待答复" in body and f'href="{reverse("cases:case", args=[mine.pk])}"' in body
    assert "提供当事人登记信息" in body and "答复时限 10-12" in body

    S.assistance_reply(actor=cw.scjg_supervisor, case=mine, on=D(2026, 10, 9), reply="登记信息已提供")
    assert not selectors.assistance_owed(cw.scjg_supervisor).exists()
    assert "协助请求待答复" not in client.get(reverse("home")).content.decode()


def test_the_register_exports_what_it_lists_as_csv_audited_and_without_personal_data(cw, three, client):
    """导出: the filtered cases as CSV (Excel-readable), one audit row saying who took what; a natural
    person's name is reduced to 王某 and no identity number, phone or address leaves the system."""
    from cases.choices import PartyKind
    from core.models import AuditRecord

    person = open_case(cw, n=4, party_kind=PartyKind.PERSON, party_name="王小明", code="")
    Case.objects.filter(pk=person.pk).update(party_phone="13905701234")
    client.force_login(cw.bureau_officer)
    resp = client.get(reverse("cases:list_export"), {"status": "clue"})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    text = b"".join(resp.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("案号,程序,状态,办案机关,执法事项,案由,当事人类型,当事人,")
    assert len(lines) == 3  # the header and the two clues
    assert f"线索#{person.pk}" in text and "王某" in text and "常山丙超市" in text
    assert "王小明" not in text and "13905701234" not in text and "人民路1号" not in text
    log = AuditRecord.objects.get(action="cases.register.export")
    assert log.actor_id == cw.bureau_officer.pk and log.after == {"filters": {"status": "clue"}, "rows": 2}
    resp = client.get(reverse("cases:list_export"), {"status": "clue", "department": cw.scjg.pk})
    assert len(b"".join(resp.streaming_content).decode("utf-8-sig").strip().splitlines()) == 1  # the header only
    log = AuditRecord.objects.filter(action="cases.register.export").latest("pk")
    assert log.after == {"filters": {"status": "clue", "department": str(cw.scjg.pk)}, "rows": 0}

    # a bad filter exports nothing and says why
    resp = client.get(reverse("cases:list_export"), {"filed_from": "2026-03-10", "filed_to": "2026-03-01"})
    assert resp.status_code == 400 and "结束日期不能早于开始日期" in resp.content.decode()
    assert AuditRecord.objects.filter(action="cases.register.export").count() == 2
    # another body's officer exports none of these cases
    client.force_login(cw.huibu_officer)
    text = b"".join(client.get(reverse("cases:list_export")).streaming_content).decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 1

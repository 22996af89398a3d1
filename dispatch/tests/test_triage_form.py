"""The command centre's hand-routing form (人工分拨) and the guidance office's ruling form on the event
page: what they propose, what they refuse, and that the operator classifies the report as they route it."""

import re
from pathlib import Path

from catalogue.models import BoundaryRule
from core.models import AuditRecord
from dispatch import services
from dispatch.classifier import TextClassifier
from dispatch.models import Dispute
from intake.models import EventCategory
from intake.services import event_submit

VAGUE = "小区门口有问题好几天了，请相关部门来看看"


def selected(page: str, name: str) -> list[str]:
    """The values selected in the page's <select name=...>."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"\s*selected', select)


def submit(iw, text, ref, **kw):
    return event_submit(channel="hotline", source=iw.hotline, external_id=ref, text=text, lng=iw.tianma_point[0],
                        lat=iw.tianma_point[1], **kw).event


def test_the_operator_confirms_the_models_guess_and_the_category_is_recorded(iw, client, settings):
    texts = [("店铺店外经营，商品摆到人行道上", "0504"), ("超市在卖过期食品", "1001"), ("窨井盖破损很危险", "0410")] * 4
    TextClassifier().fit([t for t, _ in texts], [y for _, y in texts], source="test").save(
        Path(settings.OPENENFORCE_ROUTING_MODEL))
    event = submit(iw, VAGUE, "T-1")
    assert event.status == "triage" and event.category is None  # the guess is below the threshold
    decision = event.decisions.get()
    guess = decision.explanation["model"]["label"]
    client.force_login(iw.operator)
    page = client.get(f"/intake/events/{event.pk}/").content.decode()
    assert selected(page, "category") == [str(EventCategory.objects.get(code=guess).pk)]
    # routing's best guess below the threshold is proposed, to confirm or change
    assert selected(page, "department") == ([str(decision.department_id)] if decision.department_id else [])
    url = f"/intake/events/{event.pk}/assign/"
    page = client.post(url, {"department": iw.tianma_gov.pk, "reason": "电话回访：门口占道经营",
                             "category": "abc"}, follow=True).content.decode()
    assert "请选择列表中的类别" in page
    event.refresh_from_db()
    assert event.status == "triage" and event.category is None  # nothing written
    page = client.post(url, {"department": "", "reason": "电话回访：门口占道经营"}, follow=True).content.decode()
    assert "请从列表中选择负责的单位" in page
    client.post(url, {"department": iw.tianma_gov.pk, "reason": "电话回访：门口占道经营", "category": iw.cat_stall.pk})
    event.refresh_from_db()
    assert (event.status, event.department, event.category) == ("routed", iw.tianma_gov, iw.cat_stall)
    record = AuditRecord.objects.get(action="dispatch.route.manual")
    assert (record.before["category"], record.after["category"]) == (None, iw.cat_stall.pk)


def test_a_returned_report_does_not_propose_the_body_that_returned_it(iw, client):
    event = submit(iw, "天马街道人民路有人占道摆摊经营", "T-2", category_code="0504")
    event.refresh_from_db()
    assert event.department == iw.tianma_gov
    client.force_login(iw.operator)
    services.event_return(actor=iw.tianma_officer, event=event, reason="该路段属县城主干道，由县局管辖")
    page = client.get(f"/intake/events/{event.pk}/").content.decode()
    assert selected(page, "department") == [] and selected(page, "category") == [str(iw.cat_stall.pk)]
    other = submit(iw, VAGUE, "T-3")  # routing proposed nothing: nothing selected, not the first body in the list
    assert selected(client.get(f"/intake/events/{other.pk}/").content.decode(), "department") == []


def test_a_ruling_needs_the_body_chosen(iw, client):
    event = submit(iw, VAGUE, "T-4")
    services.triage_assign(actor=iw.operator, event=event, department=iw.zf, team=iw.bureau_team, reason="试派")
    services.event_return(actor=iw.bureau_officer, event=event, reason="不属于执法事项")
    services.triage_assign(actor=iw.operator, event=event, department=iw.zj, team=iw.zj_team, reason="改派")
    services.event_return(actor=iw.zj_officer, event=event, reason="不属于住建职责")
    dispute = Dispute.objects.get(event=event)
    client.force_login(iw.guidance)
    page = client.get(f"/intake/events/{event.pk}/").content.decode()
    assert selected(page, "department") == []
    page = client.post(f"/intake/events/{event.pk}/rule/", {"dispute": dispute.pk, "department": "",
                                                           "ruling": "由住建部门处理"}, follow=True).content.decode()
    assert "请从列表中选择负责的单位" in page
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_a_body_found_below_the_threshold_is_said_as_a_proposal():
    """The routing card of a report sent to triage does not say "由X负责" as if decided."""
    from django.utils import translation

    from dispatch.routing import summary

    body = {"department": "常山县住房和城乡建设局", "team": ""}
    low = [{"code": "low_confidence", "confidence": "0.06", "threshold": "0.55"}]
    assert summary({"body": body, "triage": []}) == "由常山县住房和城乡建设局负责"
    assert summary({"body": body, "triage": low}) == "转人工分拨；初步判断：由常山县住房和城乡建设局负责"
    with translation.override("en"):
        assert summary({"body": body, "triage": low}).startswith("Sent to triage; first assessment: ")
    assert summary({"triage": [{"code": "no_body"}]}) == "未能确定责任主体，转人工分拨"


def test_posted_values_that_name_nothing_are_refused_not_a_server_error(iw, client):
    """A tampered or stale form: a team, photo or dispute that is not a number names nothing (it raised)."""
    event = submit(iw, VAGUE, "T-5")
    client.force_login(iw.operator)
    page = client.post(f"/intake/events/{event.pk}/assign/", {"department": iw.zf.pk, "team": "t", "reason": "试派"},
                       follow=True).content.decode()
    assert "请从列表中选择承办队伍" in page
    event.refresh_from_db()
    assert event.status == "triage"
    assert client.post(f"/intake/events/{event.pk}/unpublish/", {"attachment": "a"}).status_code == 404
    assert client.post(f"/intake/events/{event.pk}/rule/", {"dispute": "d", "department": iw.zf.pk}).status_code == 404


def test_a_ruling_with_items_routes_the_next_report_by_their_town_delegation(iw, client):
    """The ruling form takes the catalogue items the row concerns: the next report matching the row goes to
    the town where the item is delegated (ZJ-009), not to the ruled body everywhere; unknown codes are refused."""
    event = submit(iw, "小区门口有人在公共通道摆摊卖菜，物业管不了", "T-6")
    for dept, team, officer in [(iw.zf, iw.bureau_team, iw.bureau_officer), (iw.zj, iw.zj_team, iw.zj_officer)]:
        services.triage_assign(actor=iw.operator, event=event, department=dept, team=team, reason="试派")
        services.event_return(actor=officer, event=event, reason="不属于本单位职责")
    dispute = Dispute.objects.get(event=event)
    client.force_login(iw.guidance)
    url = f"/intake/events/{event.pk}/rule/"
    form = {"dispute": dispute.pk, "department": iw.tianma_gov.pk, "ruling": "小区公共通道摆摊属占道经营，由镇街查处",
            "add_boundary": "1", "matter": "小区公共通道摆摊", "keywords": "公共通道 摆摊"}
    page = client.post(url, {**form, "item_codes": "330822999999"}, follow=True).content.decode()
    assert "事项目录中没有编码 330822999999" in page
    dispute.refresh_from_db()
    assert dispute.status == "open" and not BoundaryRule.objects.filter(source="ruling").exists()
    client.post(url, {**form, "item_codes": iw.item_stall.code})
    row = BoundaryRule.objects.get(source="ruling")
    assert row.item_codes == [iw.item_stall.code] and row.penalising_department == iw.tianma_gov
    later = submit(iw, "幸福小区公共通道又有人摆摊", "T-7")
    later.refresh_from_db()
    assert later.department == iw.tianma_gov and later.decisions.get().explanation["delegation"]["town"] == "天马街道"
    elsewhere = event_submit(channel="hotline", source=iw.hotline, external_id="T-8", text="辉埠镇小区公共通道有人摆摊",
                             lng=iw.huibu_point[0], lat=iw.huibu_point[1]).event
    elsewhere.refresh_from_db()
    assert elsewhere.department == iw.zf  # not delegated in 辉埠镇: the item's holder, not that town

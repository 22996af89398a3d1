"""处罚决定公开 (SX-3): what a published decision shows the public, for how long, and who may publish it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cases import selectors
from cases import services as S
from cases.choices import Outcome
from cases.models import Act, Case, Publication
from cases.tests.helpers import TZ, D, propose, ready_for_notice, ready_to_decide
from core import clock
from core.exceptions import NotPermitted, RuleViolation, ValidationFailed
from core.models import AuditRecord

DECIDED, PUBLISHED = D(2026, 3, 23), D(2026, 3, 30)


def at(day):
    return clock.frozen(dt.datetime.combine(day, dt.time(10), tzinfo=TZ))


@pytest.fixture
def decided(cw):
    case = ready_to_decide(cw)
    Case.objects.filter(pk=case.pk).update(facts="经查，当事人于2026年3月2日起未取得食品经营许可从事熟食经营，联系电话13905701234。"
                                                 "执法人员洪一、叶二在见证人李见证在场时现场检查。")
    Act.objects.filter(case=case).update(witness="李见证")
    S.case_decide(actor=cw.zf_head, case=Case.objects.get(pk=case.pk), decided_on=DECIDED, types=["fine"],
                  fine=Decimal(60000))
    return Case.objects.get(pk=case.pk)


def test_a_decision_is_public_from_its_publication_until_withdrawn(cw, decided, client):
    pub = decided.publication
    assert "13905701234" not in pub.redacted_text and "。。" not in pub.redacted_text
    # SX-3: natural persons other than the party are not named — the officers and the witness here
    assert "执法人员洪某、叶某在见证人李某在场时" in pub.redacted_text and decided.party_name in pub.redacted_text
    with at(D(2026, 3, 31)):
        assert not selectors.published_decisions(on=D(2026, 3, 31)).exists()  # decided, not yet published
        assert client.get(reverse("public_decision", args=[pub.pk])).status_code == 404
        client.force_login(cw.bureau_officer)
        assert "待公开</span> 时限 2026年4月1日" in client.get(reverse("cases:case", args=[decided.pk])).content.decode()
        S.publication_publish(actor=cw.bureau_officer, case=decided, on=PUBLISHED)
        page = client.get(reverse("cases:case", args=[decided.pk])).content.decode()
        assert f'2026年3月30日 <a href="{reverse("public_decision", args=[pub.pk])}">查看公开内容</a>' in page
        client.logout()
        body = client.get(reverse("public_decisions")).content.decode()  # no login
        assert decided.party_name in body and decided.cause in body and "常综执罚决字〔2026〕第1号" in body
        body = client.get(reverse("public_decision", args=[pub.pk])).content.decode()
        assert "经查，当事人于2026年3月2日起" in body and "13905701234" not in body and "[电话]" in body
        assert decided.party_code not in body
        # found by party, not by something it is not
        assert "常综执罚决字" in client.get(reverse("public_decisions"), {"q": decided.party_name[:4]}).content.decode()
        assert "暂无公开的处罚决定" in client.get(reverse("public_decisions"), {"q": "不存在"}).content.decode()
    with at(D(2026, 6, 3)):
        S.publication_withdraw(actor=cw.bureau_officer, case=decided, on=D(2026, 6, 2), reason="复议决定变更")
        assert not selectors.published_decisions(on=D(2026, 6, 3)).exists()
        assert client.get(reverse("public_decision", args=[pub.pk])).status_code == 404
        assert "暂无公开的处罚决定" in client.get(reverse("public_decisions")).content.decode()
        client.force_login(cw.bureau_officer)
        page = client.get(reverse("cases:case", args=[decided.pk])).content.decode()
        assert "已撤回公开</span> 2026年6月2日（复议决定变更）" in page


def test_a_published_decision_leaves_the_list_after_the_display_period(cw, decided):
    """SX-3: displayed "generally 1 year" (UNVERIFIED) — ``case.publication_display_days``, 365 by default."""
    with at(D(2026, 4, 1)):
        S.publication_publish(actor=cw.bureau_officer, case=decided, on=PUBLISHED)
    assert selectors.published_decisions(on=PUBLISHED + dt.timedelta(days=364)).exists()
    assert not selectors.published_decisions(on=PUBLISHED + dt.timedelta(days=365)).exists()
    assert not selectors.published_decisions(on=PUBLISHED - dt.timedelta(days=1)).exists()  # not before it


def test_only_the_handling_body_publishes_once_on_or_after_the_decision(cw, decided):
    with at(D(2026, 4, 1)):
        for outsider in (cw.huibu_officer, cw.operator):
            with pytest.raises(NotPermitted):
                S.publication_publish(actor=outsider, case=decided, on=PUBLISHED)
        with pytest.raises(ValidationFailed) as exc:
            S.publication_publish(actor=cw.bureau_officer, case=decided, on=D(2026, 3, 20))
        assert exc.value.errors["on"] == ["不能早于2026-03-23"]
        with pytest.raises(ValidationFailed):
            S.publication_publish(actor=cw.bureau_officer, case=decided, on=D(2026, 4, 2))  # tomorrow
        assert Publication.objects.get(case=decided).published_on is None  # nothing written by a refusal
        with pytest.raises(RuleViolation):  # nothing to withdraw yet
            S.publication_withdraw(actor=cw.bureau_officer, case=decided, on=PUBLISHED, reason="x")
        S.publication_publish(actor=cw.bureau_officer, case=decided, on=PUBLISHED)
        with pytest.raises(RuleViolation) as exc:
            S.publication_publish(actor=cw.bureau_officer, case=decided, on=D(2026, 3, 31))
        assert "已于2026-03-30公开" in exc.value.message
        with pytest.raises(ValidationFailed):  # a withdrawal is not dated before the publication
            S.publication_withdraw(actor=cw.bureau_officer, case=decided, on=D(2026, 3, 29), reason="复议决定变更")
        with pytest.raises(NotPermitted):
            S.publication_withdraw(actor=cw.huibu_officer, case=decided, on=D(2026, 3, 31), reason="复议决定变更")
    assert Publication.objects.get(case=decided).published_on == PUBLISHED


def test_the_public_pages_in_english_and_the_visitors_menu(cw, decided, client):
    with at(D(2026, 4, 1)):
        S.publication_publish(actor=cw.bureau_officer, case=decided, on=PUBLISHED)
        body = client.get(reverse("public_report")).content.decode()
        for public in ("public_decisions", "public_disclosure"):  # a visitor's menu; 执法公示 lists the rest
            assert f'href="{reverse(public)}"' in body, public
        client.cookies["django_language"] = "en"
        body = client.get(reverse("public_decisions")).content.decode()
        assert "Published penalty decisions" in body and "Decision no." in body and "行政处罚决定公开" not in body
        assert '<p class="muted">1 decision</p>' in body
        body = client.get(reverse("public_decision", args=[decided.publication.pk])).content.decode()
        assert "Published text" in body and "公开内容" not in body
        client.force_login(cw.citizen)  # a signed-in citizen finds them in the menu
        assert f'href="{reverse("public_decisions")}"' in client.get(reverse("home")).content.decode()


def test_the_head_may_keep_a_decision_from_publication_on_a_ground_the_rules_allow(cw, decided, client):
    """SX-3 不予公开 (Zhejiang's exceptions): the body's head decides, with the ground and the reason; the 7-day
    publication limit is cancelled, the decision cannot then be published, and the case page says why."""
    from cases.selectors import case_rows
    from cases.steps import steps_for

    assert case_rows(decided, kind="case.publish").exists()
    with at(D(2026, 3, 25)):
        assert "publication_exclude" not in [s.key for s in steps_for(decided, cw.bureau_officer)]
        assert "publication_exclude" in [s.key for s in steps_for(decided, cw.zf_head)]
        with pytest.raises(NotPermitted):  # the handling officer does not decide it
            S.publication_exclude(actor=cw.bureau_officer, case=decided, on=D(2026, 3, 24), ground="secrets",
                                  reason="涉及商业秘密")
        with pytest.raises(ValidationFailed) as exc:
            S.publication_exclude(actor=cw.zf_head, case=decided, on=D(2026, 3, 24), ground="nope", reason="x")
        assert exc.value.errors == {"ground": ["请选择"]}
        with pytest.raises(ValidationFailed) as exc:
            S.publication_exclude(actor=cw.zf_head, case=decided, on=D(2026, 3, 24), ground="secrets", reason=" ")
        assert exc.value.errors == {"reason": ["不能为空"]}
        assert Case.objects.get(pk=decided.pk).publish  # nothing written by a refusal
        client.force_login(cw.zf_head)
        resp = client.post(reverse("cases:step", args=[decided.pk, "publication_exclude"]),
                           {"on": "2026-03-24", "ground": "secrets", "reason": "决定书载有当事人的配方工艺"})
        assert resp.status_code == 302
    case = Case.objects.get(pk=decided.pk)
    assert not case.publish and case.publication_exclusion == "涉及国家秘密、商业秘密或者个人隐私：决定书载有当事人的配方工艺"
    assert not case_rows(case, kind="case.publish").exists()  # the limit no longer runs
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "不予公开（涉及国家秘密、商业秘密或者个人隐私：决定书载有当事人的配方工艺）" in page
    with at(D(2026, 3, 30)):
        with pytest.raises(RuleViolation) as exc:
            S.publication_publish(actor=cw.bureau_officer, case=case, on=PUBLISHED)
        assert "已决定不予公开" in exc.value.message
        with pytest.raises(RuleViolation) as exc:  # decided once
            S.publication_exclude(actor=cw.zf_head, case=case, on=PUBLISHED, ground="other", reason="再次")
        assert "已决定不予公开" in exc.value.message
    assert not selectors.published_decisions(on=D(2026, 4, 1)).exists()


def test_a_case_kept_from_publication_before_its_decision_is_decided_without_one(cw):
    case = ready_to_decide(cw, n=2)
    with at(D(2026, 3, 22)):
        S.publication_exclude(actor=cw.zf_head, case=case, on=D(2026, 3, 22), ground="security", reason="涉及在办刑事线索")
    S.case_decide(actor=cw.zf_head, case=Case.objects.get(pk=case.pk), decided_on=DECIDED, types=["fine"],
                  fine=Decimal(60000))
    assert not Publication.objects.filter(case=case).exists()


def test_only_a_penalty_is_kept_from_publication(cw):
    """SX-3 is about penalty decisions: a case still under review with no proposal, or one heading for 不予处罚,
    is not offered 决定不予公开 and the service refuses it, writing nothing; the proposal of a penalty opens it."""
    from cases.steps import steps_for

    case = ready_for_notice(cw)
    with at(D(2026, 3, 17)):
        assert "publication_exclude" not in [s.key for s in steps_for(case, cw.zf_head)]
        with pytest.raises(RuleViolation) as exc:
            S.publication_exclude(actor=cw.zf_head, case=case, on=D(2026, 3, 17), ground="secrets", reason="涉及商业秘密")
        assert exc.value.rule == "SX-3" and "未拟给予行政处罚" in exc.value.message
        S.case_propose(actor=cw.bureau_officer, case=case, on=D(2026, 3, 17), outcome=Outcome.NO_PENALTY_MINOR,
                       types=[], fine=None, reasons="违法行为轻微并及时改正，没有造成危害后果", ground="minor")
        case = Case.objects.get(pk=case.pk)
        assert "publication_exclude" not in [s.key for s in steps_for(case, cw.zf_head)]
        with pytest.raises(RuleViolation):
            S.publication_exclude(actor=cw.zf_head, case=case, on=D(2026, 3, 17), ground="secrets", reason="涉及商业秘密")
        assert Case.objects.get(pk=case.pk).publish
        assert not AuditRecord.objects.filter(action="cases.publication.exclude").exists()
    other = ready_for_notice(cw, n=2)
    propose(cw, other)
    with at(D(2026, 3, 17)):
        assert "publication_exclude" in [s.key for s in steps_for(Case.objects.get(pk=other.pk), cw.zf_head)]


def test_a_published_decision_is_withdrawn_not_excluded(cw, decided):
    with at(D(2026, 4, 1)):
        S.publication_publish(actor=cw.bureau_officer, case=decided, on=PUBLISHED)
        with pytest.raises(RuleViolation) as exc:
            S.publication_exclude(actor=cw.zf_head, case=decided, on=D(2026, 4, 1), ground="secrets", reason="x")
        assert "须撤回公开" in exc.value.message


def test_the_exclusion_form_in_english(cw, decided, client):
    client.force_login(cw.zf_head)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("cases:step", args=[decided.pk, "publication_exclude"])).content.decode()
    assert "Decide not to publish" in body and "Ground for not publishing" in body
    assert "It involves state secrets, trade secrets or personal privacy" in body and "不予公开" not in body


def test_the_reporters_ticket_page_links_the_published_decision(cw, decided, client):
    """The citizen who reported what became the case sees, on the ticket page, that a penalty followed — once
    the decision is public, never before, and not after its withdrawal."""
    from intake.models import Event

    event = Event.objects.create(channel="citizen", text="人民路1号无证经营熟食", address="人民路1号",
                                 received_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), department=cw.zf,
                                 town=cw.tianma)
    decided.events.add(event)
    track = reverse("public_track", args=[event.ticket])
    link = f'href="{reverse("public_decision", args=[decided.publication.pk])}"'
    with at(D(2026, 4, 1)):
        assert link not in client.get(track).content.decode()
        S.publication_publish(actor=cw.bureau_officer, case=decided, on=PUBLISHED)
        body = client.get(track).content.decode()
        assert link in body and "已依法作出行政处罚决定并公开" in body
    with at(D(2026, 6, 3)):
        S.publication_withdraw(actor=cw.bureau_officer, case=decided, on=D(2026, 6, 2), reason="复议决定变更")
        assert link not in client.get(track).content.decode()


def test_a_party_checks_a_document_it_holds(cw, decided, client):
    """执法文书核验: the number on a decision and its 核验码 find it (brackets as typed on a phone, spaces, case and
    the hyphen ignored) with its body, date and state; a party's name says whether it is theirs — never whose it is
    otherwise. A number without its code finds nothing, exactly as an unknown number: numbers run in sequence and
    would tell a guesser which documents exist. An internal form is never found. Each printed party-facing
    document carries its code and says where to check it."""
    from cases.choices import DocType
    from cases.documents import _document_html
    from cases.models import Document
    from core.codes import READABLE as CHECK_CODE_SYMBOLS

    def check(**params):
        return client.get(reverse("public_verify"), params).content.decode()

    doc = Document.objects.get(case=decided, doc_type=DocType.DECISION)
    assert len(doc.check_code) == 8 and set(doc.check_code) <= set(CHECK_CODE_SYMBOLS)
    typed = doc.number.replace("〔", "(").replace("〕", ")").replace("第", " 第")
    code = f" {doc.check_code[:4].lower()}-{doc.check_code[4:]} "
    page = check(number=typed, code=code)
    assert "行政处罚决定书" in page and decided.department.name in page and "已签发" in page
    assert decided.party_name not in page  # the document alone never says to whom it was issued
    assert "与您填写的一致" in check(number=doc.number, code=doc.check_code, party=decided.party_name)
    page = check(number=doc.number, code=doc.check_code, party="另一家公司")
    assert "与您填写的不一致" in page and decided.party_name not in page
    wrong = "".join(CHECK_CODE_SYMBOLS[(CHECK_CODE_SYMBOLS.index(c) + 1) % len(CHECK_CODE_SYMBOLS)] for c in doc.check_code)
    unknown = check(number="常综执罚决字〔2099〕第1号", code=doc.check_code)
    assert "未查到编号和核验码都相符的执法文书" in unknown
    page = check(number=doc.number, code=wrong, party=decided.party_name)
    assert "未查到编号和核验码都相符的执法文书" in page and "制发机关" not in page and "与您填写的" not in page
    internal = Document.objects.filter(case=decided, doc_type=DocType.FILING).first()
    assert internal is not None and internal.printed_check_code == ""
    assert "未查到编号和核验码都相符的执法文书" in check(number=internal.number, code=internal.check_code)
    page = check(number="x" * 81, code=doc.check_code)
    assert "文书编号" in page and "errors" in page  # too long: said on the field, nothing looked up
    page = check(number=doc.number, code="ABC")
    assert "核验码为8位字母和数字（现为3位）" in page and "未查到" not in page
    page = check(number=doc.number)
    assert "核验码" in page and "errors" in page and "已签发" not in page
    Document.objects.filter(pk=doc.pk).update(state=Document.State.VOIDED, void_reason="复议撤销")
    assert "已作废" in check(number=doc.number, code=doc.check_code)
    printed = _document_html(doc)
    assert f"核验码 <b style=\"white-space:nowrap\">{doc.check_code[:4]}-{doc.check_code[4:]}</b>" in printed and "执法文书核验" in printed
    assert "执法文书核验" not in _document_html(internal) and internal.check_code not in _document_html(internal)
    client.cookies["django_language"] = "en"
    page = check(number=doc.number, code=doc.check_code)
    assert "Check an enforcement document" in page and "Issued by" in page and "核验" not in page

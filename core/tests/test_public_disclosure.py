"""执法公示 (SX-1 事前公开; 行政处罚法 第三十四条、第三十九条): who enforces what, on which basis, by which officers —
public pages, no login."""

import datetime as dt

from django.urls import reverse

from catalogue.models import DiscretionBand, DiscretionStandard
from org.models import Officer


def test_a_visitor_finds_the_bodies_and_the_published_lists(world, client):
    page = client.get(reverse("public_disclosure")).content.decode()
    for name in ("catalogue:items", "public_officers", "catalogue:entrustments", "cases:devices", "public_decisions",
                 "public_report", "catalogue:laws", "public_verify", "public_statement", "public_procedure"):
        assert f'href="{reverse(name)}"' in page, name
    # the bodies holding items today, with how many, and the towns with delegated items
    assert f'href="/catalogue/items/?holder={world.zf.pk}">2 项</a>' in page
    assert f'href="/catalogue/items/?holder={world.scjg.pk}">1 项</a>' in page
    assert f'href="/catalogue/items/?town={world.tianma.pk}">1 项</a>' in page
    menu = client.get(reverse("public_report")).content.decode()
    assert f'href="{reverse("public_disclosure")}"' in menu  # in the visitor's menu
    client.force_login(world.citizen)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("public_disclosure")}"' in home


def test_a_visitor_reads_an_item_with_its_basis_and_its_discretion_standard(world, client):
    """XF-034: the 裁量基准 are published; the item's legal basis is shown with the article's text."""
    std = DiscretionStandard.objects.create(item=world.item_food, version=1, effective_from=dt.date(2022, 1, 1))
    DiscretionBand.objects.create(standard=std, order=1, level="较轻", circumstances="首次违法且货值较小", fine_min=50000,
                                  fine_max=60000)
    listed = client.get(reverse("catalogue:items"), {"q": "食品"})
    assert listed.status_code == 200 and world.item_food.code in listed.content.decode()
    assert reverse("catalogue:history") not in listed.content.decode()  # the catalogue's versions are staff's
    page = client.get(reverse("catalogue:item", args=[world.item_food.code])).content.decode()
    assert "首次违法且货值较小" in page and "有下列行为之一者" in page and "常山县市场监督管理局" in page
    assert client.get(reverse("catalogue:law", args=[world.law.pk])).status_code == 200
    assert client.get(reverse("catalogue:item", args=["000000000000"])).status_code == 404


def test_the_officer_register_shows_valid_certificates_and_checks_a_number(world, client):
    """Listed: officers whose 执法证 is valid today — never auxiliary staff, an expired card or one whose
    holder left; never a phone or staff number. A whole certificate number is checked whatever its state."""
    valid = world.make_officer("洪有效", world.bureau_team, no="33082200101")
    Officer.objects.filter(pk=valid.pk).update(phone="13905701234", certificate_scope="城市管理领域")
    world.make_officer("辅助甲", world.bureau_team, aux=True)
    world.make_officer("过期乙", world.bureau_team, expiry=dt.date(2020, 1, 1), no="33082200102")
    gone = world.make_officer("离岗丙", world.tianma_team, no="33082200103")
    Officer.objects.filter(pk=gone.pk).update(active=False)
    page = client.get(reverse("public_officers")).content.decode()
    assert "洪有效" in page and "33082200101" in page and "城市管理领域" in page and "有效" in page
    assert "辅助甲" not in page and "过期乙" not in page and "离岗丙" not in page
    assert "13905701234" not in page and "S-洪有效" not in page
    checked = client.get(reverse("public_officers"), {"q": "33082200102"}).content.decode()
    assert "过期乙" in checked and "证件不在有效期内" in checked and "洪有效" not in checked
    checked = client.get(reverse("public_officers"), {"q": "33082200103"}).content.decode()
    assert "离岗丙" in checked and "已不在执法岗位，证件失效" in checked
    by_name = client.get(reverse("public_officers"), {"q": "过期"}).content.decode()  # a name finds valid ones only
    assert "过期乙" not in by_name and "没有查到该姓名或证号的有效执法证件" in by_name
    scoped = client.get(reverse("public_officers"), {"department": world.scjg.pk}).content.decode()
    assert "洪有效" not in scoped
    assert client.get(reverse("public_officers"), {"department": "x", "page": "zz"}).status_code == 200


def test_the_public_pages_in_english(world, client):
    world.make_officer("洪有效", world.bureau_team, no="33082200101")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("public_disclosure")).content.decode()
    assert "Enforcement disclosure" in page and "执法公示" not in page
    page = client.get(reverse("public_officers")).content.decode()
    assert "Enforcement officers" in page and '<span class="tag green">Valid</span>' in page and "执法证号" not in page


def test_the_procedure_page_states_what_the_guards_apply(world, client):
    """行政处罚法 第三十九条: the procedure and the remedies are published — with the configured thresholds as
    they stand (a changed hearing threshold changes the page) and the statutory periods the timers count."""
    from cases import rules
    from core.services import config_set

    assert f'href="{reverse("public_procedure")}"' in client.get(reverse("public_disclosure")).content.decode()
    page = client.get(reverse("public_procedure")).content.decode()
    assert "对公民处以200元以下、对法人或者其他组织处以3000元以下" in page  # XF-051
    assert "对公民10000元以上，对法人或者其他组织100000元以上" in page  # XF-063, configured
    assert f"自收到行政处罚决定书之日起{rules.PAYMENT_DAYS}日内" in page and "每日按罚款数额的3%加处罚款" in page
    assert "自知道该决定之日起60日内" in page and "6个月内向人民法院提起行政诉讼" in page
    assert "应当先申请行政复议" in page  # FY-023: on the spot, reconsideration first
    config_set(actor=world.guidance, key="case.hearing_threshold.person", value=5000, valid_from=dt.date(2020, 1, 1),
               reason="县政府确定的较大数额标准")
    assert "对公民5000元以上" in client.get(reverse("public_procedure")).content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("public_procedure")).content.decode()
    assert "The penalty procedure and the party" in page and "5000 yuan or more for a citizen" in page
    assert "应当" not in page


def test_the_statutory_periods_are_the_timers_periods(db):
    """One number each: the guide states the periods the timers count (each timer's basis names its number)."""
    from cases import rules

    served = dt.date(2026, 3, 2)
    guide = rules.party_guide(served)
    assert (guide["payment_days"], guide["reconsideration_days"], guide["decision_days"]) == (15, 60, 90)
    assert guide["surcharge_percent"] == 3 and guide["litigation_months"] == 6
    for deadline, days in ((rules.payment_deadline(served), guide["payment_days"]),
                           (rules.reconsideration_deadline(served), guide["reconsideration_days"]),
                           (rules.decision_deadline(served), guide["decision_days"]),
                           (rules.hearing_request_deadline(served), guide["hearing_request_days"])):
        assert f"+ {days} " in deadline.basis_text, (deadline.basis_text, days)


def test_the_home_page_counts_certified_officers_as_the_register_does(world, client):
    """持证执法人员 on the staff home page: certificates valid today, not every officer in post."""
    from org.selectors import officer_register

    world.make_officer("洪有效", world.bureau_team, no="33082200101")
    world.make_officer("过期乙", world.bureau_team, expiry=dt.date(2020, 1, 1), no="33082200102")
    world.make_officer("辅助甲", world.bureau_team, aux=True)
    client.force_login(world.guidance)
    n = officer_register(on=dt.date.today()).count()
    assert n == Officer.objects.filter(is_auxiliary=False, active=True, certificate_expiry__gte=dt.date.today()).count()
    assert f"{n} 名持证执法人员" in client.get(reverse("home")).content.decode()


def test_the_menu_marks_one_entry_the_page_belongs_to(world, client):
    """/command/performance/ is 考评's page, not 指挥中心's as well (both were highlighted)."""
    import re

    client.force_login(world.operator)
    page = client.get(reverse("dispatch:performance")).content.decode()
    nav = page[page.index("<nav>"):page.index("</nav>")]
    assert re.findall(r'<a href="([^"]+)" class="active">', nav) == [reverse("dispatch:performance")]
    page = client.get(reverse("dispatch:command")).content.decode()
    nav = page[page.index("<nav>"):page.index("</nav>")]
    assert re.findall(r'<a href="([^"]+)" class="active">', nav) == [reverse("dispatch:command")]
    client.force_login(world.citizen)  # 执法公示 is /public/, a prefix of 处罚决定公开's pages
    page = client.get(reverse("public_decisions")).content.decode()
    nav = page[page.index("<nav>"):page.index("</nav>")]
    assert re.findall(r'<a href="([^"]+)" class="active">', nav) == [reverse("public_decisions")]


def test_a_visitor_sees_where_they_are_in_the_menu(world, client):
    """Every page the disclosure lists marks 执法公示 in a visitor's menu; the decisions mark their own entry."""
    for path in ("/public/", "/public/officers/", "/public/procedure/", "/public/verify/", "/catalogue/items/",
                 "/cases/devices/", "/catalogue/entrustments/"):
        page = client.get(path).content.decode()
        nav = page[page.index("<nav>"):page.index("</nav>")]
        assert f'href="{reverse("public_disclosure")}" class="active"' in nav, path
    page = client.get(reverse("public_decisions")).content.decode()
    nav = page[page.index("<nav>"):page.index("</nav>")]
    assert f'href="{reverse("public_disclosure")}" class=""' in nav
    client.force_login(world.citizen)  # the same menu, built the same way, for a signed-in citizen
    page = client.get("/public/officers/").content.decode()
    nav = page[page.index("<nav>"):page.index("</nav>")]
    assert nav.count('class="active"') == 1 and f'href="{reverse("public_disclosure")}" class="active"' in nav

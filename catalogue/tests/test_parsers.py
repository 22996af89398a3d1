from decimal import Decimal
from pathlib import Path

from django.conf import settings

from catalogue.clauseparse import candidates_for_article, department_named, parse_fines, penalty_types
from catalogue.cn_numbers import cn_to_decimal, cn_to_int
from catalogue.lawparse import parse_law_file

LAWS = Path(settings.OPENENFORCE_DATA_DIR) / "laws"


def tiers(text):
    return [(str(t.basis), t.min, t.max) for t in parse_fines(text)]


def test_chinese_numerals():
    assert cn_to_int("一百二十二") == 122
    assert cn_to_int("十五") == 15
    assert cn_to_int("一百零一") == 101
    assert cn_to_decimal("五十万") == Decimal(500000)
    assert cn_to_decimal("两千") == Decimal(2000)
    assert cn_to_decimal("一亿") == Decimal(100_000_000)
    assert cn_to_decimal("2000") == Decimal(2000)


def test_fixed_range():
    assert tiers("处一万元以上十万元以下的罚款") == [("fixed", Decimal(10000), Decimal(100000))]


def test_upper_bound_only():
    assert tiers("可以并处五百元以下罚款") == [("fixed", Decimal(0), Decimal(500))]


def test_multiple_of_illegal_gains_and_fallback_range():
    text = "没收违法所得，并处违法所得一倍以上五倍以下的罚款；没有违法所得或者违法所得不足一万元的，处一万元以上五万元以下的罚款"
    assert tiers(text) == [("illegal_gains", Decimal(1), Decimal(5)), ("fixed", Decimal(10000), Decimal(50000))]


def test_goods_value_condition_amount_is_not_a_fine():
    text = "货值金额不足一万元的，并处五万元以上十万元以下罚款；货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款"
    assert tiers(text) == [("fixed", Decimal(50000), Decimal(100000)), ("goods_value", Decimal(10), Decimal(20))]


def test_percent_of_income():
    assert tiers("处上一年年收入百分之四十的罚款") == [("percent", Decimal(40), Decimal(40))]


def test_discipline_is_not_a_penalty():
    text = "对直接负责的主管人员和其他直接责任人员给予警告、记过或者记大过处分"
    assert penalty_types(text) == []


def test_penalty_types_and_department():
    text = "由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产经营的食品，并处罚款；情节严重的，吊销许可证"
    assert penalty_types(text) == ["fine", "confiscate_gains", "confiscate_property", "revoke_permit"]
    assert department_named(text) == "县级以上人民政府食品安全监督管理部门"


def test_enumerated_items_become_one_candidate_each():
    paragraphs = [
        "有下列行为之一者，城市人民政府市容环境卫生行政主管部门或者其委托的单位除责令其纠正违法行为、采取补救措施外，可以并处警告、罚款：",
        "(一)随地吐痰、便溺，乱扔果皮、纸屑和烟头等废弃物的；",
        "(二)在城市建筑物、设施以及树木上涂写、刻画的。",
    ]
    cands = candidates_for_article(34, paragraphs)
    assert [c.violation for c in cands] == ["随地吐痰、便溺，乱扔果皮、纸屑和烟头等废弃物", "在城市建筑物、设施以及树木上涂写、刻画"]
    assert cands[0].clause_ref == "第1款第（一）项"
    assert cands[0].department_named == "城市人民政府市容环境卫生行政主管部门或者其委托的单位"
    assert cands[0].penalty_types == ["warning", "fine"]


def test_later_paragraph_assigns_fines_to_listed_items():
    paragraphs = [
        "有下列行为之一的，由县级以上地方人民政府环境保护主管部门责令停止违法行为，处以罚款:",
        "（一）向水体排放油类的；", "（二）在水体清洗车辆的；",
        "有前款第二项行为的，处二万元以上二十万元以下的罚款。有前款第一项行为的，处十万元以上一百万元以下的罚款。",
    ]
    one, two = candidates_for_article(85, paragraphs)
    assert [(t.min, t.max) for t in one.fine_tiers] == [(Decimal(100000), Decimal(1000000))]
    assert [(t.min, t.max) for t in two.fine_tiers] == [(Decimal(20000), Decimal(200000))]


def test_every_bundled_law_parses_without_gaps():
    for path in sorted(LAWS.glob("*.md")):
        law = parse_law_file(path)
        numbers = [a.number for _ch, a in law.all_articles()]
        assert numbers == list(range(1, len(numbers) + 1)), path.name
        assert law.title and law.version_date


def test_administrative_penalty_law_structure():
    law = parse_law_file(LAWS / "行政处罚法(2021-01-22).md")
    assert law.title == "中华人民共和国行政处罚法"
    assert law.level == "law"
    assert str(law.effective_from) == "2021-07-15"
    art = next(a for _c, a in law.all_articles() if a.number == 51)
    assert "二百元以下" in art.text and "三千元以下" in art.text
    liability = [c for c in law.chapters if c.is_liability]
    assert liability and liability[0].title == "法律责任"

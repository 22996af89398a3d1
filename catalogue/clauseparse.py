"""Find penalty clauses in 法律责任 chapters and turn them into candidate enforcement items.

For each paragraph (款) of a liability article that imposes an administrative penalty:
- a lead-in ending in "：" followed by numbered items "（一）…" gives one candidate per item, all
  sharing the lead-in's penalty;
- any other penalty paragraph gives one candidate whose violation is the condition before "的，".

Fine ranges are parsed into *tiers* ``{basis, min, max}`` (see ``catalogue.choices.FineBasis``):
"处一万元以上十万元以下的罚款" → fixed 10000–100000; "处五百元以下罚款" → fixed 0–500;
"处违法所得一倍以上五倍以下的罚款" → illegal_gains ×1–×5; "货值金额十倍以上二十倍以下" → goods_value;
"百分之一以上百分之五以下" → percent. Measured against a hand-checked sample in
``docs/catalogue-parser.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from catalogue.choices import FineBasis, PenaltyType
from catalogue.cn_numbers import cn_to_decimal

NUM = r"[零〇一二两三四五六七八九十百千万亿0-9][零〇一二两三四五六七八九十百千万亿0-9.,]*"
ENUM_RE = re.compile(r"^[（(](?P<n>[一二三四五六七八九十]+)[)）]\s*(?P<text>.*)$")

MULTIPLE_RE = re.compile(
    rf"(?P<base>违法所得|货值金额|[\u4e00-\u9fa5]{{0,14}}?(?:费用|金额|价款|收入|工程款|造价|价值|数额|货值|税款|费))?"
    rf"的?(?P<lo>{NUM})倍以上(?P<hi>{NUM})倍以下(?=的?罚款)"
)
MULTIPLE_MAX_RE = re.compile(
    rf"(?P<base>违法所得|货值金额|[\u4e00-\u9fa5]{{0,14}}?(?:费用|金额|价款|收入|工程款|造价|价值|数额|货值|税款|费))的?(?P<hi>{NUM})倍以下(?=的?罚款)"
)
PERCENT_RE = re.compile(rf"(?:百分之(?P<lo>{NUM})以上)?百分之(?P<hi>{NUM})以下")
PERCENT_EXACT_RE = re.compile(rf"百分之(?P<x>{NUM})的罚款")
PERCENT_SIGN_RE = re.compile(r"(?P<lo>[0-9.]+)%以上(?P<hi>[0-9.]+)%以下")
EQUAL_RE = re.compile(r"处(?P<base>[\u4e00-\u9fa5]{1,12}?)等额的?罚款")
RANGE_RE = re.compile(rf"(?P<lo>{NUM})元以上(?P<hi>{NUM})元以下")
MAX_RE = re.compile(rf"处(?:以)?(?P<hi>{NUM})元以下")
MIN_RE = re.compile(rf"处(?:以)?(?P<lo>{NUM})元以上(?:的)?罚款")
EXACT_RE = re.compile(rf"处(?:以)?(?P<x>{NUM})元(?:的)?罚款")

PENALTY_KEYWORDS = [
    (PenaltyType.CRITICISM, re.compile(r"通报批评")),
    (PenaltyType.WARNING, re.compile(r"警告")),
    (PenaltyType.FINE, re.compile(r"罚款")),
    (PenaltyType.CONFISCATE_GAINS, re.compile(r"没收[^，；。]*?违法所得|没收违法所得")),
    (PenaltyType.CONFISCATE_PROPERTY,
     re.compile(r"没收(?!违法所得[，；。])(?!违法所得$)[^，；。]*?(?:物品|财物|工具|设备|原料|产品|食品|商品|渔获物|渔具|农药|烟草|动物|野生动物|制品|车辆|船舶|药品|材料|林木|木材|广告|物料|设施)")),
    (PenaltyType.SUSPEND_PERMIT, re.compile(r"暂扣")),
    (PenaltyType.DOWNGRADE, re.compile(r"降低资质等级")),
    (PenaltyType.REVOKE_PERMIT, re.compile(r"吊销")),
    (PenaltyType.RESTRICT_BUSINESS, re.compile(r"限制开展生产经营活动")),
    (PenaltyType.SUSPEND_BUSINESS, re.compile(r"停产停业|责令停业|停业整顿|停止营业")),
    (PenaltyType.CLOSE, re.compile(r"责令关闭|予以关闭|责令其关闭|停业、关闭|提请.{0,20}关闭")),
    (PenaltyType.RESTRICT_PRACTICE, re.compile(r"限制从业|禁止从业")),
]
DEPT_RE = re.compile(r"由(?P<dept>[^，；。：]{2,60}?(?:部门|机关|机构|大队|支队)(?:或者其委托的单位)?)")
DEPT_GOV_RE = re.compile(r"由(?P<dept>[^，；。：]{2,40}?人民政府)")
DEPT_NO_YOU_RE = re.compile(
    r"^(?:[^，；。]*?，)?(?P<dept>[^，；。由]{2,60}?(?:部门|机关|机构)(?:或者其委托的单位)?)(?:除)?责令"
)
DISCIPLINE_RE = re.compile(r"[^；。]*处分[^；。]*")
LEAD_STRIP_RE = re.compile(r"^(?:违反本(?:法|条例|办法|规定)(?:第[^，]*?条)?(?:的)?规定，)")


@dataclass
class FineTier:
    basis: str
    min: Decimal | None
    max: Decimal | None
    text: str

    def key(self) -> tuple:
        return (self.basis, self.min, self.max)

    def as_json(self) -> dict:
        return {
            "basis": self.basis,
            "min": None if self.min is None else str(self.min),
            "max": None if self.max is None else str(self.max),
            "text": self.text,
        }


@dataclass
class Candidate:
    article_number: int
    seq: int
    clause_ref: str
    violation: str
    penalty_text: str
    penalty_types: list[str] = field(default_factory=list)
    fine_tiers: list[FineTier] = field(default_factory=list)
    department_named: str = ""


def _dec(text: str) -> Decimal:
    return cn_to_decimal(text)


def _multiple_basis(base: str | None) -> str:
    if not base:
        return FineBasis.OTHER_MULTIPLE
    if "违法所得" in base:
        return FineBasis.ILLEGAL_GAINS
    if "货值" in base:
        return FineBasis.GOODS_VALUE
    return FineBasis.OTHER_MULTIPLE


def parse_fines(text: str) -> list[FineTier]:
    """Every fine tier in ``text``, in order of appearance, without duplicates."""
    text = DISCIPLINE_RE.sub("", text)
    found: list[tuple[int, FineTier]] = []
    taken = [False] * len(text)

    def claim(m) -> bool:
        if any(taken[m.start():m.end()]):
            return False
        for i in range(m.start(), m.end()):
            taken[i] = True
        return True

    for m in MULTIPLE_RE.finditer(text):
        if claim(m):
            found.append((m.start(), FineTier(_multiple_basis(m["base"]), _dec(m["lo"]), _dec(m["hi"]), m.group(0))))
    for m in MULTIPLE_MAX_RE.finditer(text):
        if claim(m):
            found.append((m.start(), FineTier(_multiple_basis(m["base"]), Decimal(0), _dec(m["hi"]), m.group(0))))
    for m in PERCENT_RE.finditer(text):
        if claim(m):
            lo = _dec(m["lo"]) if m["lo"] else Decimal(0)
            found.append((m.start(), FineTier(FineBasis.PERCENT, lo, _dec(m["hi"]), m.group(0))))
    for m in PERCENT_EXACT_RE.finditer(text):
        if claim(m):
            x = _dec(m["x"])
            found.append((m.start(), FineTier(FineBasis.PERCENT, x, x, m.group(0))))
    for m in PERCENT_SIGN_RE.finditer(text):
        if claim(m):
            found.append((m.start(), FineTier(FineBasis.PERCENT, _dec(m["lo"]), _dec(m["hi"]), m.group(0))))
    for m in EQUAL_RE.finditer(text):
        if claim(m):
            found.append((m.start(), FineTier(_multiple_basis(m["base"]), Decimal(1), Decimal(1), m.group(0))))
    for m in RANGE_RE.finditer(text):
        if claim(m):
            found.append((m.start(), FineTier(FineBasis.FIXED, _dec(m["lo"]), _dec(m["hi"]), m.group(0))))
    for m in MAX_RE.finditer(text):
        if claim(m):
            found.append((m.start(), FineTier(FineBasis.FIXED, Decimal(0), _dec(m["hi"]), m.group(0))))
    for m in MIN_RE.finditer(text):
        if claim(m):
            found.append((m.start(), FineTier(FineBasis.FIXED, _dec(m["lo"]), None, m.group(0))))
    for m in EXACT_RE.finditer(text):
        if claim(m):
            x = _dec(m["x"])
            found.append((m.start(), FineTier(FineBasis.FIXED, x, x, m.group(0))))
    tiers: list[FineTier] = []
    seen = set()
    for _, tier in sorted(found, key=lambda p: p[0]):
        if tier.key() not in seen:
            seen.add(tier.key())
            tiers.append(tier)
    return tiers


def penalty_types(text: str) -> list[str]:
    text = DISCIPLINE_RE.sub("", text)
    return [ptype.value for ptype, rx in PENALTY_KEYWORDS if rx.search(text)]


def department_named(text: str) -> str:
    if m := DEPT_RE.search(text):
        return m["dept"].strip()
    if m := DEPT_GOV_RE.search(text):
        return m["dept"].strip()
    if m := DEPT_NO_YOU_RE.search(text):
        return m["dept"].strip()
    return ""


def imposes_penalty(text: str) -> bool:
    """An administrative penalty of its own (not only discipline, compensation or a cross-reference)."""
    cleaned = DISCIPLINE_RE.sub("", text)
    if not penalty_types(cleaned):
        return False
    if re.search(r"依照.{0,30}(?:《[^》]+》|本法第[^条]+条|本条例第[^条]+条)的?规定(?:给予)?处罚", cleaned) and not parse_fines(cleaned) \
            and "罚款" not in cleaned.replace("规定处罚", ""):
        return False
    return True


def _violation_of(paragraph: str) -> str:
    text = LEAD_STRIP_RE.sub("", paragraph.strip())
    for sep in ("的，由", "的，", "者，", "，由"):
        idx = text.find(sep)
        if idx > 0:
            return text[: idx + (1 if sep.startswith("的") else 0)].rstrip("，")
    return text[:80]


def _clean_item(text: str) -> str:
    return text.strip().rstrip("；;。").removesuffix("的")


ITEM_REF_PARA_RE = re.compile(r"^有前款(?:规定的)?第[一二三四五六七八九十]+项")
ITEM_NO_RE = re.compile(r"第([一二三四五六七八九十]+)项")


def _apply_item_refs(paragraph: str, by_item: dict[str, Candidate]) -> None:
    """"有前款第三项、第四项行为之一的，处二万元以上二十万元以下的罚款。" adds that tier to items 三, 四."""
    for sentence in re.split(r"。", paragraph):
        refs = ITEM_NO_RE.findall(sentence.split("的，")[0])
        if not refs:
            continue
        fines = parse_fines(sentence)
        types = [t for t in penalty_types(sentence) if t != PenaltyType.DETENTION]
        for ref in refs:
            cand = by_item.get(ref)
            if cand is None:
                continue
            cand.penalty_text += "\n" + sentence.strip() + "。"
            for tier in fines:
                if tier.key() not in {t.key() for t in cand.fine_tiers}:
                    cand.fine_tiers.append(tier)
            for t in types:
                if t not in cand.penalty_types:
                    cand.penalty_types.append(t)


def candidates_for_article(number: int, paragraphs: list[str]) -> list[Candidate]:
    result: list[Candidate] = []
    last_items: dict[str, Candidate] = {}
    i = 0
    para_no = 0
    while i < len(paragraphs):
        para = paragraphs[i]
        if last_items and ITEM_REF_PARA_RE.match(para):
            _apply_item_refs(para, last_items)
            para_no += 1
            i += 1
            continue
        if ENUM_RE.match(para):  # stray item without a lead-in we understood
            i += 1
            continue
        para_no += 1
        items: list[tuple[str, str]] = []
        j = i + 1
        while j < len(paragraphs) and (m := ENUM_RE.match(paragraphs[j])):
            items.append((m["n"], m["text"]))
            j += 1
        if imposes_penalty(para):
            dept = department_named(para)
            types = [t for t in penalty_types(para) if t != PenaltyType.DETENTION]
            fines = parse_fines(para)
            if items and para.rstrip().endswith(("：", ":")):
                last_items = {}
                for n, text in items:
                    item_fines = list(fines)
                    for tier in parse_fines(text):
                        if tier.key() not in {t.key() for t in item_fines}:
                            item_fines.append(tier)
                    item_types = list(dict.fromkeys(types + [t for t in penalty_types(text) if t != PenaltyType.DETENTION]))
                    violation = _clean_item(text.split("的，")[0] if penalty_types(text) else text)
                    cand = Candidate(number, len(result) + 1, f"第{para_no}款第（{n}）项", violation, para,
                                     item_types, item_fines, dept)
                    result.append(cand)
                    last_items[n] = cand
            else:
                result.append(Candidate(number, len(result) + 1, f"第{para_no}款", _violation_of(para), para,
                                        types, fines, dept))
        i = j
    return result

"""Chinese numerals as they appear in statutes (第一百二十三条, 五十万元, 两千元, 百分之十, 2000元)."""

from __future__ import annotations

from decimal import Decimal

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS) + "".join(BIG_UNITS) + "0123456789.,，"


def cn_to_int(text: str) -> int:
    """``一百二十三`` -> 123; ``十五`` -> 15; ``一千零五`` -> 1005; arabic digits pass through."""
    return int(cn_to_decimal(text))


def cn_to_decimal(text: str) -> Decimal:
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        raise ValueError("empty numeral")
    total = Decimal(0)
    section = Decimal(0)
    number = Decimal(0)
    arabic = ""
    for ch in text:
        if ch.isdigit() or ch == ".":
            arabic += ch
            continue
        if arabic:
            number = Decimal(arabic)
            arabic = ""
        if ch in DIGITS:
            number = Decimal(DIGITS[ch])
        elif ch in UNITS:
            section += (number if number else Decimal(1)) * UNITS[ch]
            number = Decimal(0)
        elif ch in BIG_UNITS:
            section += number
            total += (section if section else Decimal(1)) * BIG_UNITS[ch]
            section = Decimal(0)
            number = Decimal(0)
        else:
            raise ValueError(f"not a numeral: {ch!r} in {text!r}")
    if arabic:
        number = Decimal(arabic)
    return total + section + number

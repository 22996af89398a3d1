"""Personal data in free text and on public pages (XF-050 confidentiality, SX-3 redaction).

``mask_identifiers`` removes what identifies a person wherever it appears in text: 身份证号码 and other
certificate numbers, mobile and fixed-line numbers, bank card/account numbers. It is the common first
pass of the case-decision redaction (``cases.rules.redact``) and of everything the intake shows the
public (Open311 GET, the ticket page).
"""

from __future__ import annotations

import re

_PATTERNS = (
    (re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"), "[身份证号码]"),
    (re.compile(r"(?<!\d)\d{15}(?!\d)"), "[证件号码]"),
    (re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)"), "[电话]"),
    (re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), "[电话]"),
    (re.compile(r"(?<!\d)\d{16,19}(?!\d)"), "[账号]"),
)

# Public maps show where a problem is, not whose door it is at: about 100 m.
PUBLIC_COORDINATE_DECIMALS = 3


# The part of an address that points at one door: a house number (12号, 12-3号, 3#楼), a building, unit,
# room or floor (5幢, 二单元, 301室, 3层), a lane or village group (8弄, 3组). From there on the address is cut.
_DOOR = re.compile(r"(?:[0-9０-９]+(?:[-－—][0-9０-９]+)*\s*[#＃]?\s*(?:号|幢|栋|单元|室|层|楼|弄|组|户|排)"
                   r"|[一二三四五六七八九十]+\s*(?:幢|栋|单元|组)"
                   r"|[0-9０-９]{2,})")


def public_address(address: str, *, names=(), town: str = "", confidential: bool = False) -> str:
    """An address as the public may see it: the street, village or estate, not the door — the same
    precision as the rounded coordinates (about 100 m). "人民路12号门口" → "人民路"; "东山村3组15号" →
    "东山村"; "新都花园5幢2单元301" → "新都花园". When the reporter asked for confidentiality only the
    town is shown (their street may be enough to tell who complained about whom)."""
    if confidential:
        return town
    text = redact_public(address or "", names=names)
    match = _DOOR.search(text)
    if match:
        text = text[:match.start()]
    return text.rstrip(" ，,、；;:：（(-—")


def mask_identifiers(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_public(text: str, *, names: tuple[str, ...] | list[str] = ()) -> str:
    """Text for the public: identifiers masked and the given persons' names reduced to 张某."""
    text = mask_identifiers(text or "")
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2:
            text = text.replace(name, name[0] + "某")
    return text


def public_coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, PUBLIC_COORDINATE_DECIMALS)

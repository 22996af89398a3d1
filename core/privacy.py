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

"""Code validators with messages that say, in the user's language (Chinese by default), exactly what is wrong.

- 统一社会信用代码 (GB 32100-2015): 18 characters, check character over the first 17.
- Legacy 15-digit 工商注册号 (GB/T 17710 ISO 7064 MOD 11,10 check digit).
- 居民身份证号码 (GB 11643-1999): 18 characters, birth date, check digit (ISO 7064 MOD 11-2).
- GB/T 2260 administrative division codes (6 digits; 12-digit statistical codes accepted and cut).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
USCC_AUTHORITIES = {"1", "5", "9", "Y"} | set("2345678")  # 登记管理部门代码 1-9 and Y
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82",
}


def _clean(value) -> str:
    return re.sub(r"\s+", "", str(value or "")).upper()


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value) -> str:
    """Return the normalised 统一社会信用代码 or raise ``ValidationError`` saying what is wrong."""
    code = _clean(value)
    if not code:
        raise ValidationError(_("统一社会信用代码不能为空"), code="required")
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位，实际为%(n)s位") % {"n": len(code)}, code="length")
    for i, c in enumerate(code, start=1):
        if c not in USCC_CHARSET:
            raise ValidationError(
                _("统一社会信用代码第%(i)s位“%(c)s”不是允许的字符（不使用I、O、Z、S、V）") % {"i": i, "c": c}, code="charset"
            )
    if code[0] not in USCC_AUTHORITIES:
        raise ValidationError(_("统一社会信用代码第1位登记管理部门代码“%(c)s”无效") % {"c": code[0]}, code="authority")
    if not code[2:8].isdigit() or code[2:4] not in PROVINCE_CODES:
        raise ValidationError(_("统一社会信用代码第3-8位登记管理机关行政区划码“%(c)s”无效") % {"c": code[2:8]},
                              code="region")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(_("统一社会信用代码校验位错误：第18位应为“%(expected)s”，实际为“%(actual)s”")
                              % {"expected": expected, "actual": code[17]}, code="check")
    return code


def mod11_10_check_digit(first14: str) -> str:
    p = 10
    for ch in first14:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return str((11 - p) % 10)


def validate_legacy_reg_no(value) -> str:
    """Return the normalised 15-digit 注册号 or raise ``ValidationError``."""
    code = _clean(value)
    if not code:
        raise ValidationError(_("注册号不能为空"), code="required")
    if len(code) != 15 or not code.isdigit():
        raise ValidationError(_("旧版工商注册号应为15位数字，实际为“%(code)s”（%(n)s位）") % {"code": code, "n": len(code)},
                              code="length")
    if code[:2] not in PROVINCE_CODES:
        raise ValidationError(_("注册号前6位登记机关代码“%(c)s”无效") % {"c": code[:6]}, code="region")
    expected = mod11_10_check_digit(code[:14])
    if code[14] != expected:
        raise ValidationError(_("注册号校验位错误：第15位应为“%(expected)s”，实际为“%(actual)s”")
                              % {"expected": expected, "actual": code[14]}, code="check")
    return code


def validate_enterprise_code(value) -> tuple[str, str]:
    """Accept either code kind; return (kind, code) with kind ``uscc`` or ``legacy``."""
    code = _clean(value)
    if len(code) == 15 and code.isdigit():
        return "legacy", validate_legacy_reg_no(code)
    return "uscc", validate_uscc(code)


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value, *, today: dt.date | None = None) -> str:
    """Return the normalised 18-digit 居民身份证号码 or raise ``ValidationError``."""
    code = _clean(value)
    if not code:
        raise ValidationError(_("身份证号码不能为空"), code="required")
    if len(code) != 18:
        raise ValidationError(_("身份证号码应为18位，实际为%(n)s位") % {"n": len(code)}, code="length")
    if not code[:17].isdigit() or not (code[17].isdigit() or code[17] == "X"):
        raise ValidationError(_("身份证号码前17位应为数字，第18位应为数字或X"), code="charset")
    if code[:2] not in PROVINCE_CODES:
        raise ValidationError(_("身份证号码前6位地址码“%(c)s”无效") % {"c": code[:6]}, code="region")
    try:
        birth = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码第7-14位出生日期“%(c)s”不是有效日期") % {"c": code[6:14]}, code="birth") from None
    if birth > (today or dt.date.today()) or birth.year < 1900:
        raise ValidationError(_("身份证号码出生日期“%(c)s”超出合理范围") % {"c": code[6:14]}, code="birth")
    expected = id_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(_("身份证号码校验位错误：第18位应为“%(expected)s”，实际为“%(actual)s”")
                              % {"expected": expected, "actual": code[17]}, code="check")
    return code


def id_birth_date(code: str) -> dt.date:
    return dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))


def validate_region_code(value, *, known: set[str] | None = None) -> str:
    """Validate a GB/T 2260 code (6 digits; a 9- or 12-digit statistical code is accepted and kept).

    ``known`` (the region table's codes) additionally checks that the code exists."""
    code = _clean(value)
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise ValidationError(_("行政区划代码“%(code)s”应为6位数字（统计用代码可为9或12位）") % {"code": code}, code="format")
    if code[:2] not in PROVINCE_CODES:
        raise ValidationError(_("行政区划代码“%(code)s”的省级代码“%(p)s”不存在") % {"code": code, "p": code[:2]},
                              code="province")
    if known is not None and code not in known:
        raise ValidationError(_("行政区划代码“%(code)s”不在本系统的区划表中") % {"code": code}, code="unknown")
    return code


def mask_id_number(code: str) -> str:
    """``330822199001011234`` -> ``3308**********1234`` for users without full access."""
    if len(code) < 8:
        return "*" * len(code)
    return code[:4] + "*" * (len(code) - 8) + code[-4:]


PHONE_MOBILE = re.compile(r"1[3-9]\d{9}")
PHONE_FIXED = re.compile(r"0\d{2,3}-?\d{7,8}")


def validate_phone(value) -> str:
    """A mainland mobile (``13812345678``; ``+86``/``86`` prefix and spaces accepted) or fixed line
    (``0570-8765432``). Returns the number without spaces; blank stays blank."""
    raw = str(value or "").strip()
    if not raw:
        return ""
    phone = re.sub(r"[\s()（）]", "", raw)
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    phone = phone.lstrip("-")
    if PHONE_MOBILE.fullmatch(phone) or PHONE_FIXED.fullmatch(phone):
        return phone
    raise ValidationError(_("“%(raw)s”不是有效的电话号码：应为11位手机号码或带区号的固定电话（如0570-8765432）")
                          % {"raw": raw}, code="invalid")


def mask_phone(phone: str) -> str:
    """Keep the first three and last four characters: ``13812345678`` -> ``138****5678``."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def length_error(value: str, model, column: str) -> str | None:
    """The field's message when ``value`` is longer than the column ``model.column`` that keeps it — 不超过N字
    （现为M字） — or None when it fits. PostgreSQL refuses longer text (a server error) and SQLite keeps it whole:
    services ask this first, so that every caller gets the field named, and nothing is cut short."""
    return too_long(value, model._meta.get_field(column).max_length)


def too_long(value: str, limit: int) -> str | None:
    """不超过N字（现为M字） when ``value`` is longer than ``limit`` characters, else None (text kept where the
    length is not a column's: a document's field)."""
    if len(value) > limit:
        return _("不超过%(limit)s字（现为%(n)s字）") % {"limit": limit, "n": len(value)}
    return None

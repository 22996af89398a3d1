"""Personal data in free text and on public pages (XF-050 confidentiality, SX-3 redaction).

``mask_identifiers`` removes what identifies a person wherever it appears in text: 身份证号码 and other
certificate numbers, mobile and fixed-line numbers, bank card/account numbers. It is the common first
pass of the case-decision redaction (``cases.rules.redact``) and of everything the intake shows the
public (Open311 GET, the ticket page), where ``redact_public`` also reduces the names the text introduces.
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


# Third persons' names in what citizens write: no offline tagger is good enough (jieba's person tags were
# mostly 谢谢, 幼儿园, 明白), but citizens introduce the names they write: 我叫王林红, 名叫吴成梓, 法人张耀照,
# 负责人吴平海, 户主谢周自, 村民蔡云庆, 老板黎志军, 总经理孙琳都. A common surname (about 200 of the most
# frequent, less those that are also common words after such an introducer: 和, 应, 于, 向, 查 …) and one or
# two more characters after such a word are taken as a name; characters that start a title or a common word
# (局长, 总, 的, 是, 房屋, 申请 …) end it. Measured on the 11,536 messages of shared/data/complaints: 120 matches,
# 116 of them names (docs/intake-and-dispatch.md).
_COMPOUND_SURNAMES = "欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|长孙|夏侯|轩辕|令狐|司徒"
_SURNAMES = (f"{_COMPOUND_SURNAMES}|"
             "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
             "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施"
             "牛樊葛邢齐乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳祝符舒阮柯纪梅童凌毕季裴霍涂苗谷"
             "盛曲翁冉骆蓝辛靳柴蒙鲍喻祁蒲房滕屈饶牟艾尤穆卓缪芦麦褚娄窦戚岑景党宫费卜冷晏"
             "席卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池麻苑迟邝]")
_NOT_IN_NAME = "局总主书经老先女师校院村所队镇科站组社园医律警部厅区市县长委会某姓家们等的了在是和与及说称讲叫重屋请便切"
_COMPOUND_SURNAME = re.compile(f"(?:{_COMPOUND_SURNAMES})")
_INTRODUCED_NAME = re.compile(
    r"(?:我叫|名叫|叫做|姓名[:：]?|法人代表|法定代表人|法人|负责人|户主|村民|老板|经理|被举报人)"
    rf"((?:{_SURNAMES})[^\W\d_A-Za-z{_NOT_IN_NAME}]{{1,2}})")


def introduced_names(text: str) -> list[str]:
    """The persons' names a text introduces ("我叫王林红，…" → ["王林红"]), longest first."""
    return sorted({m.group(1) for m in _INTRODUCED_NAME.finditer(text or "")}, key=len, reverse=True)


def mask_identifiers(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_public(text: str, *, names: tuple[str, ...] | list[str] = (), find_names: bool = True) -> str:
    """Text for the public: identifiers masked and persons' names reduced to 张某 — the given ones and, with
    ``find_names``, those the text introduces (:func:`introduced_names`), wherever else they recur."""
    text = mask_identifiers(text or "")
    if find_names:
        names = [*names, *introduced_names(text)]
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2:
            surname = name[:2] if len(name) >= 3 and _COMPOUND_SURNAME.match(name) else name[0]
            text = text.replace(name, surname + "某")
    return text


def public_coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, PUBLIC_COORDINATE_DECIMALS)

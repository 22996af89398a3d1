import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from core.validators import (
    USCC_CHARSET,
    id_check_char,
    mask_id_number,
    mod11_10_check_digit,
    uscc_check_char,
    validate_enterprise_code,
    validate_id_number,
    validate_legacy_reg_no,
    validate_region_code,
    validate_uscc,
)


def test_uscc_valid_published_example():
    assert validate_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_uscc_bad_check_character_names_expected():
    with pytest.raises(ValidationError) as exc:
        validate_uscc("91350100M000100Y44")
    assert exc.value.messages == ["统一社会信用代码校验位错误：第18位应为“3”，实际为“4”"]


def test_uscc_length_and_charset_messages():
    with pytest.raises(ValidationError) as exc:
        validate_uscc("9135010")
    assert "应为18位，实际为7位" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        validate_uscc("91350100M000100I43")
    assert "第16位“I”不是允许的字符" in exc.value.messages[0]


@settings(max_examples=300)
@given(st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17))
def test_uscc_check_char_agrees_with_python_stdnum(body):
    assert uscc.calc_check_digit(body) == uscc_check_char(body)


@settings(max_examples=300)
@given(st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2020, 12, 31)), st.integers(0, 999))
def test_id_check_char_agrees_with_python_stdnum(birth, seq):
    body = f"330822{birth:%Y%m%d}{seq:03d}"
    assert ric.calc_check_digit(body + "0") == id_check_char(body)  # stdnum drops the last char
    assert validate_id_number(body + id_check_char(body)) == body + id_check_char(body)


def test_id_number_published_example_and_errors():
    assert validate_id_number("11010519491231002x") == "11010519491231002X"
    with pytest.raises(ValidationError) as exc:
        validate_id_number("110105194912310021")
    assert exc.value.messages == ["身份证号码校验位错误：第18位应为“X”，实际为“1”"]
    with pytest.raises(ValidationError) as exc:
        validate_id_number("110105194902310028")
    assert "出生日期“19490231”不是有效日期" in exc.value.messages[0]


def test_legacy_registration_number():
    body = "33082200001234"
    good = body + mod11_10_check_digit(body)
    assert validate_legacy_reg_no(good) == good
    bad = body + str((int(good[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as exc:
        validate_legacy_reg_no(bad)
    assert f"第15位应为“{good[-1]}”" in exc.value.messages[0]
    assert validate_enterprise_code(good) == ("legacy", good)


def test_region_codes():
    assert validate_region_code("330822") == "330822"
    assert validate_region_code("330822115") == "330822115"
    with pytest.raises(ValidationError):
        validate_region_code("990822")
    with pytest.raises(ValidationError) as exc:
        validate_region_code("330899", known={"330822"})
    assert "不在本系统的区划表中" in exc.value.messages[0]


def test_mask_id_number():
    assert mask_id_number("11010519491231002X") == "1101**********002X"

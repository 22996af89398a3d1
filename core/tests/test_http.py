from django.utils import translation

from core.exceptions import ValidationFailed
from core.http import errors_as_text


def test_a_refusal_on_a_page_reads_without_field_keys():
    exc = ValidationFailed("进度数据有误", errors={"fixed": ["已整改数不能超过发现数，且不能为负"],
                                                   "note": ["不能超过300个字符（现有301个）"], "__all__": ["进度数据有误"]})
    assert errors_as_text(exc) == "进度数据有误：已整改数不能超过发现数，且不能为负；不能超过300个字符（现有301个）"
    with translation.override("en"):
        assert errors_as_text(exc) == "进度数据有误: 已整改数不能超过发现数，且不能为负; 不能超过300个字符（现有301个）"
    assert errors_as_text(ValidationFailed("该争议已裁定")) == "该争议已裁定"

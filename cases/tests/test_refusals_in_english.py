"""The procedure's refusals are said in the user's language; the rule id and the fields stay the same."""

from decimal import Decimal

import pytest
from django.utils import translation

from cases import services as S
from cases.choices import PartyKind
from cases.tests.helpers import D, at, open_case, ready_to_decide
from core.exceptions import NotPermitted, RuleViolation


def spot(cw, fine):
    return S.spot_decide(actor=cw.bureau_officer, department=cw.zf, item=cw.item_litter, party_address="天马街道",
                         violation="乱扔垃圾", place="人民路", at=at(D(2026, 3, 9)), officers=[cw.o1, cw.o2],
                         party_kind=PartyKind.PERSON, party_name="张三", party_code="", types=["fine"], fine=fine)


def test_XF_051_refusal_in_chinese_and_in_english(cw):
    with pytest.raises(RuleViolation) as zh:
        spot(cw, Decimal(201))
    with translation.override("en"), pytest.raises(RuleViolation) as en:
        spot(cw, Decimal(201))
    assert zh.value.rule == en.value.rule == "XF-051"
    assert zh.value.message == "不符合简易程序条件：简易程序罚款不得超过200元（XF-051），请适用普通程序"
    assert en.value.message == ("The simple procedure does not apply: A fine under the simple procedure cannot exceed "
                                "200 yuan (XF-051); use the general procedure")
    assert set(en.value.errors) == set(zh.value.errors) == {"fine"}


def test_XF_042_and_XF_057_refusals_in_english(cw):
    case = open_case(cw)
    S.case_assign(actor=cw.bureau_officer, case=case, officer=cw.o1, on=D(2026, 3, 6), no_conflict_declared=True)
    with translation.override("en"), pytest.raises(RuleViolation) as exc:
        S.case_file_request(actor=cw.bureau_officer, case=case, on=D(2026, 3, 6), basis="x")
    assert exc.value.rule == "XF-042"
    assert exc.value.message == "Filing needs two or more officers with valid enforcement certificates (XF-042)"

    case = ready_to_decide(cw)
    with translation.override("en"), pytest.raises(NotPermitted) as exc:
        S.case_decide(actor=cw.bureau_officer, case=case, decided_on=D(2026, 3, 23), types=["fine"],
                      fine=Decimal(60000))
    assert exc.value.message == f"The penalty decision: for the head of {cw.zf} to decide (XF-057)"
    assert exc.value.errors == {"__all__": ["The penalty decision must be decided by the head of the agency (XF-057)"]}


def test_next_steps_and_the_heads_queue_in_english(cw):
    from cases.selectors import awaiting_head, next_steps
    from cases.tests.helpers import file_case

    case = open_case(cw)
    file_case(cw, case)
    today = D(2026, 3, 7)
    assert [str(s) for s in next_steps(case, today)][1] == "收集并查证证据"
    with translation.override("en"):
        assert [str(s) for s in next_steps(case, today)][1] == "Gather and verify evidence"
    decided = ready_to_decide(cw, n=2)
    with translation.override("en"):
        waiting = dict(awaiting_head(cw.zf_head))
    assert waiting[decided].startswith("Penalty decision (XF-057): proposed a fine of ")
    assert dict(awaiting_head(cw.zf_head))[decided].startswith("行政处罚决定（XF-057）：拟罚款")

import datetime as dt

import pytest

from core.config import config_get
from core.exceptions import ValidationFailed
from core.models import AuditRecord
from core.services import config_set


def test_config_default_then_history_by_date(world):
    assert config_get("routing.auto_threshold") == 0.55
    config_set(actor=world.guidance, key="routing.auto_threshold", value=0.7, valid_from=dt.date(2026, 1, 1),
               reason="指导办2026年第1号通知")
    config_set(actor=world.guidance, key="routing.auto_threshold", value=0.6, valid_from=dt.date(2026, 7, 1),
               reason="调整")
    assert config_get("routing.auto_threshold", on=dt.date(2025, 12, 31)) == 0.55
    assert config_get("routing.auto_threshold", on=dt.date(2026, 3, 1)) == 0.7
    assert config_get("routing.auto_threshold", on=dt.date(2026, 8, 1)) == 0.6
    assert AuditRecord.objects.filter(action="core.config.set").count() == 2


def test_config_set_needs_reason_and_known_key(world):
    with pytest.raises(ValidationFailed):
        config_set(actor=world.guidance, key="nope", value=1, valid_from=dt.date(2026, 1, 1), reason="x")
    with pytest.raises(ValidationFailed):
        config_set(actor=world.guidance, key="routing.auto_threshold", value=0.5, valid_from=dt.date(2026, 1, 1),
                   reason=" ")


def test_only_guidance_office_changes_configuration(world):
    from core.exceptions import NotPermitted

    with pytest.raises(NotPermitted):
        config_set(actor=world.operator, key="routing.auto_threshold", value=0.1, valid_from=dt.date(2026, 1, 1),
                   reason="想改")
    assert config_get("routing.auto_threshold") == 0.55

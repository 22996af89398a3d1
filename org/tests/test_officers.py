import datetime as dt

import pytest
from django.db import IntegrityError

from core.exceptions import ValidationFailed
from org import services
from org.models import Officer


def test_qualification_on_date_zj_030_xf_042(world):
    valid = world.make_officer("甲", world.bureau_team, expiry=dt.date(2026, 6, 30))
    aux = world.make_officer("辅", world.bureau_team, aux=True)
    assert valid.is_qualified_on(dt.date(2026, 6, 30))
    assert not valid.is_qualified_on(dt.date(2026, 7, 1))
    assert not aux.is_qualified_on(dt.date(2026, 1, 1))


def test_auxiliary_staff_can_never_hold_a_certificate_zj_030(world):
    with pytest.raises(ValidationFailed) as exc:
        services.officer_create(actor=world.guidance, name="辅", staff_no="A1", team=world.bureau_team,
                                is_auxiliary=True, certificate_no="C-1", certificate_expiry=dt.date(2030, 1, 1))
    assert "ZJ-030" in exc.value.errors["certificate_no"][0]
    with pytest.raises(IntegrityError):  # and the database refuses it too
        Officer.objects.create(name="辅", staff_no="A2", team=world.bureau_team, is_auxiliary=True, certificate_no="C-2")


def test_officer_needs_certificate(world):
    with pytest.raises(ValidationFailed):
        services.officer_create(actor=world.guidance, name="甲", staff_no="S1", team=world.bureau_team)

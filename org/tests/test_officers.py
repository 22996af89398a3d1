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


def test_the_lists_read_a_certificate_as_the_guards_do(world):
    """``Officer.objects.valid_on`` (the registers, the officer list) and ``is_qualified_on`` (the guards) agree
    on every kind of officer and day: in force, expired, not yet issued, out of post, auxiliary."""
    from org.selectors import officer_register

    world.make_officer("有效", world.bureau_team, expiry=dt.date(2026, 6, 30), no="C-1")
    world.make_officer("过期", world.bureau_team, expiry=dt.date(2025, 1, 1), no="C-2")
    future = world.make_officer("未发", world.bureau_team, expiry=dt.date(2030, 1, 1), no="C-3")
    Officer.objects.filter(pk=future.pk).update(certificate_issued=dt.date(2026, 3, 1))
    gone = world.make_officer("离岗", world.bureau_team, expiry=dt.date(2030, 1, 1), no="C-4")
    Officer.objects.filter(pk=gone.pk).update(active=False)
    world.make_officer("辅助", world.bureau_team, aux=True)
    for day in (dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 7, 1)):
        expected = {o.pk for o in Officer.objects.all() if o.is_qualified_on(day)}
        assert set(Officer.objects.valid_on(day).values_list("pk", flat=True)) == expected, day
        assert {o.pk for o in officer_register(on=day)} == expected, day
    assert {o.name for o in Officer.objects.valid_on(dt.date(2026, 2, 1))} == {"有效"}


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

import pytest

from core.exceptions import NotFound, NotPermitted, ValidationFailed
from core.models import AuditRecord
from parties import services
from parties.access import access_enterprise, enterprises_visible_to
from parties.models import Enterprise, Person
from parties.tests.test_import import code

ID = "11010519491231002X"


def test_enterprise_scoping_by_persona(world):
    t = Enterprise.objects.create(uscc=code(1), name="天马店", town=world.tianma)
    h = Enterprise.objects.create(uscc=code(2), name="辉埠厂", town=world.huibu)
    assert set(enterprises_visible_to(world.tianma_officer)) == {t}
    assert set(enterprises_visible_to(world.huibu_officer)) == {h}
    assert set(enterprises_visible_to(world.grid_tianma)) == {t}
    assert set(enterprises_visible_to(world.operator)) == {t, h}
    assert set(enterprises_visible_to(world.scjg_supervisor)) == {t, h}
    assert list(enterprises_visible_to(world.citizen)) == []
    with pytest.raises(NotFound):
        access_enterprise(user=world.tianma_officer, pk=h.pk)


def test_enterprise_create_validates_code_in_chinese(world):
    with pytest.raises(ValidationFailed) as exc:
        good = code(1)
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        services.enterprise_create(actor=world.guidance, code=bad, name="甲")
    assert "校验位错误" in exc.value.errors["code"][0]
    assert Enterprise.objects.count() == 0


def test_person_id_is_masked_in_audit_and_revealed_only_with_purpose(world):
    person = services.person_create(actor=world.bureau_officer, name="张三", id_number=ID, town=world.tianma)
    rec = AuditRecord.objects.get(action="parties.person.create")
    assert ID not in str(rec.after) and rec.after["id_number"] == "1101**********002X"
    assert services.person_reveal_id(actor=world.tianma_officer, person=person, purpose="立案审批") == ID
    assert AuditRecord.objects.filter(action="parties.person.reveal_id").count() == 1
    with pytest.raises(NotPermitted):
        services.person_reveal_id(actor=world.grid_tianma, person=person, purpose="看看")
    with pytest.raises(NotPermitted):
        services.person_reveal_id(actor=world.huibu_officer, person=person, purpose="不在辖区")
    assert AuditRecord.objects.filter(action="parties.person.reveal_id").count() == 1


def test_person_bad_id_number(world):
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(actor=world.bureau_officer, name="李四", id_number="110105194912310021")
    assert exc.value.errors["id_number"] == ["身份证号码校验位错误：第18位应为“X”，实际为“1”"]
    assert Person.objects.count() == 0

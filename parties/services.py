"""Party write services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import audit_log, snapshot
from core.exceptions import Conflict, NotPermitted, ValidationFailed
from core.validators import id_birth_date, mask_id_number, validate_enterprise_code, validate_id_number
from org.access import require
from parties.access import can_view_full_id
from parties.models import Enterprise, Person

ENTERPRISE_FIELDS = ["name", "kind", "legal_representative", "address", "lng", "lat", "industry",
                     "registration_authority", "town", "risk_class", "synthetic"]


def _code_fields(code: str) -> dict:
    try:
        kind, normalised = validate_enterprise_code(code)
    except ValidationError as exc:
        raise ValidationFailed(_("企业代码有误"), errors={"code": exc.messages}) from None
    return {"uscc": normalised, "legacy_reg_no": ""} if kind == "uscc" else {"uscc": "", "legacy_reg_no": normalised}


@transaction.atomic
def enterprise_create(*, actor, code: str, name: str, **fields) -> Enterprise:
    require(actor, "parties.manage")
    ent = Enterprise(name=name.strip(), **_code_fields(code), **{k: v for k, v in fields.items() if k in ENTERPRISE_FIELDS})
    try:
        ent.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationFailed(_("企业信息有误"), errors=exc.message_dict) from None
    try:
        with transaction.atomic():
            ent.save()
    except IntegrityError:
        raise Conflict(_("该代码的企业已存在"), errors={"code": [_("代码“%(code)s”已登记") % {"code": ent.code}]}) from None
    audit_log(actor=actor, action="parties.enterprise.create", obj=ent, after=snapshot(ent))
    return ent


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, **changes) -> Enterprise:
    require(actor, "parties.manage")
    unknown = set(changes) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise ValidationFailed(_("不可修改的字段"), errors={f: [_("该字段不可修改")] for f in unknown})
    before = snapshot(enterprise, list(changes))
    for k, v in changes.items():
        setattr(enterprise, k, v)
    try:
        enterprise.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationFailed(_("企业信息有误"), errors=exc.message_dict) from None
    enterprise.save(update_fields=[*changes, "updated_at"])
    audit_log(actor=actor, action="parties.enterprise.update", obj=enterprise, before=before,
              after=snapshot(enterprise, list(changes)))
    return enterprise


@transaction.atomic
def person_create(*, actor, name: str, id_number: str, **fields) -> Person:
    require(actor, "parties.manage")
    try:
        code = validate_id_number(id_number)
    except ValidationError as exc:
        raise ValidationFailed(_("身份证号码有误"), errors={"id_number": exc.messages}) from None
    if not name.strip():
        raise ValidationFailed(_("姓名不能为空"), errors={"name": [_("姓名不能为空")]})
    try:
        with transaction.atomic():
            person = Person.objects.create(name=name.strip(), id_number=code, birth_date=id_birth_date(code),
                                           **{k: v for k, v in fields.items() if k in ("phone", "address", "town",
                                                                                     "synthetic")})
    except IntegrityError:
        raise Conflict(_("该身份证号码已登记"), errors={"id_number": [_("%(v)s 已登记") % {"v": mask_id_number(code)}]}) from None
    # The audit trail never stores the full ID number.
    audit_log(actor=actor, action="parties.person.create", obj=person,
              after={"name": person.name, "id_number": mask_id_number(code), "town": person.town_id})
    return person


@transaction.atomic
def person_reveal_id(*, actor, person: Person, purpose: str) -> str:
    """Return the full ID number to a user allowed to see it, recording who looked and why (XF-050)."""
    if not can_view_full_id(actor, person):
        raise NotPermitted(_("您无权查看完整身份证号码"), errors={"id_number": [_("仅办案人员和法制审核人员可查看")]})
    if not purpose.strip():
        raise ValidationFailed(_("请说明查看用途"), errors={"purpose": [_("查看完整身份证号码须说明用途")]})
    audit_log(actor=actor, action="parties.person.reveal_id", obj=person, after={"purpose": purpose[:200]})
    return person.id_number

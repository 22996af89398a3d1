"""Organisation write services (audited)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import audit_log, snapshot
from core.exceptions import Conflict, ValidationFailed
from core.validators import validate_region_code
from org import geo
from org.access import require
from org.choices import RegionLevel, Role
from org.models import Department, District, Officer, Region, Team, User

LEVELS = {"province": RegionLevel.PROVINCE, "city": RegionLevel.CITY, "county": RegionLevel.COUNTY,
          "township": RegionLevel.TOWNSHIP, "village": RegionLevel.VILLAGE}


@transaction.atomic
def regions_load(*, actor, divisions_csv: Path, county_outline: Path | None = None,
                 town_areas: Path | None = None) -> int:
    """Load divisions (GB/T 2260 / NBS codes) and, optionally, the county outline and approximate town areas."""
    created = 0
    by_code: dict[str, Region] = {r.code: r for r in Region.objects.all()}
    with divisions_csv.open(encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            try:
                code = validate_region_code(row["code"])
            except ValidationError as exc:
                raise ValidationFailed(_("区划数据有误"), errors={f"第{i}行 code": exc.messages}) from None
            level = LEVELS.get(row["level"])
            if level is None:
                raise ValidationFailed(_("区划数据有误"), errors={f"第{i}行 level": [_("未知层级“%(v)s”") % {"v": row['level']}]})
            parent = by_code.get(row["parent_code"]) if row.get("parent_code") else None
            if row.get("parent_code") and parent is None:
                raise ValidationFailed(_("区划数据有误"), errors={f"第{i}行 parent_code": [_("上级区划不存在（须先于下级出现）")]})
            region, was_created = Region.objects.update_or_create(
                code=code, defaults={"name": row["name"], "level": level, "parent": parent,
                                     "township_type": row.get("township_type", ""), "source": row.get("source", "")[:300]})
            by_code[code] = region
            created += was_created
    if county_outline:
        feature = json.loads(county_outline.read_text(encoding="utf-8"))["features"][0]
        code = str(feature["properties"]["adcode"])
        lng, lat = feature["properties"].get("centroid", [None, None])
        Region.objects.filter(code=code).update(boundary=feature["geometry"], boundary_approximate=False,
                                                centroid_lng=lng, centroid_lat=lat)
    if town_areas:
        for feature in json.loads(town_areas.read_text(encoding="utf-8"))["features"]:
            lng, lat = feature["properties"]["seat"]
            Region.objects.filter(code=feature["properties"]["code"]).update(
                boundary=feature["geometry"], boundary_approximate=bool(feature["properties"].get("approximate", True)),
                centroid_lng=lng, centroid_lat=lat)
    # the shapes change now for this transaction (a loader that goes on to place reports in the same
    # transaction must not use a process's earlier shapes) and again for everyone once committed
    geo.clear_cache()
    transaction.on_commit(geo.clear_cache)
    audit_log(actor=actor, action="org.regions.load", object_type="org.region", object_id="*",
              object_repr=str(divisions_csv.name), after={"created": created, "total": len(by_code)})
    return created


def _save(obj, *, actor, action: str):
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(_("数据有误"), errors=exc.message_dict) from None
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict(_("与已有记录冲突"), errors={"__all__": [str(exc)[:200]]}) from None
    audit_log(actor=actor, action=action, obj=obj, after=snapshot(obj))
    return obj


@transaction.atomic
def district_create(*, actor, code: str, name: str, county: Region, towns: list[Region], note: str = "") -> District:
    require(actor, "org.manage")
    district = _save(District(code=code, name=name, county=county, note=note), actor=actor, action="org.district.create")
    Region.objects.filter(pk__in=[t.pk for t in towns]).update(district=district)
    return district


@transaction.atomic
def department_create(*, actor, **fields) -> Department:
    require(actor, "org.manage")
    return _save(Department(**fields), actor=actor, action="org.department.create")


@transaction.atomic
def team_create(*, actor, towns: list[Region] | None = None, **fields) -> Team:
    require(actor, "org.manage")
    team = _save(Team(**fields), actor=actor, action="org.team.create")
    if towns:
        bad = [t.name for t in towns if t.level != RegionLevel.TOWNSHIP]
        if bad:
            raise ValidationFailed(_("服务范围只能是乡镇(街道)"), errors={"towns": bad})
        team.towns.set(towns)
    return team


@transaction.atomic
def officer_create(*, actor, competences=(), **fields) -> Officer:
    require(actor, "org.manage")
    officer = Officer(**fields)
    if officer.is_auxiliary and officer.certificate_no:
        raise ValidationFailed(_("辅助人员不得持有执法证"), errors={"certificate_no": [_("辅助人员不得持有执法证（ZJ-030）")]})
    if not officer.is_auxiliary and (not officer.certificate_no or not officer.certificate_expiry):
        raise ValidationFailed(_("执法人员须有执法证"), errors={"certificate_no": [_("执法人员须填写执法证号和有效期")]})
    officer = _save(officer, actor=actor, action="org.officer.create")
    if competences:
        officer.competences.set(competences)
    return officer


@transaction.atomic
def officer_renew_certificate(*, actor, officer: Officer, certificate_no: str, expiry: dt.date) -> Officer:
    require(actor, "org.manage")
    if officer.is_auxiliary:
        raise ValidationFailed(_("辅助人员不得持有执法证"), errors={"certificate_no": [_("辅助人员不得持有执法证（ZJ-030）")]})
    before = snapshot(officer, ["certificate_no", "certificate_expiry"])
    officer.certificate_no = certificate_no
    officer.certificate_expiry = expiry
    officer.save(update_fields=["certificate_no", "certificate_expiry"])
    audit_log(actor=actor, action="org.officer.renew_certificate", obj=officer, before=before,
              after=snapshot(officer, ["certificate_no", "certificate_expiry"]))
    return officer


@transaction.atomic
def user_create(*, actor, username: str, password: str, role: str, **fields) -> User:
    if actor is not None:
        require(actor, "org.manage")
    if role not in Role.values:
        raise ValidationFailed(_("角色无效"), errors={"role": [_("未知角色“%(role)s”") % {"role": role}]})
    if User.objects.filter(username=username).exists():
        raise Conflict(_("用户名已存在"), errors={"username": [username]})
    user = User(username=username, role=role, **fields)
    user.set_password(password)
    user.save()
    audit_log(actor=actor, action="org.user.create", obj=user,
              after={"username": username, "role": role, **{k: getattr(v, "pk", v) for k, v in fields.items()}})
    return user

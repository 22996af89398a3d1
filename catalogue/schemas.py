import datetime as dt
from decimal import Decimal

from ninja import Schema


class HolderOut(Schema):
    department: str
    team: str | None
    valid_from: dt.date


class BasisOut(Schema):
    law: str
    article: str
    url: str


class ItemOut(Schema):
    code: str
    name: str
    item_type: str
    domain: str
    penalty_types: list[str]
    fine_min: Decimal | None
    fine_max: Decimal | None
    holders: list[HolderOut]
    towns: list[str]
    basis: list[BasisOut]

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from catalogue import selectors
from catalogue.schemas import ItemOut
from core.api_schemas import refusals
from core.exceptions import NotFound
from org.access import require

router = Router(tags=["catalogue"])


class ItemFilter(Schema):
    q: str = ""
    domain: int | None = None
    holder: int | None = None
    town: int | None = None
    on: dt.date | None = None


def _out(item) -> dict:
    return {
        "code": item.code, "name": item.name, "item_type": item.item_type, "domain": item.domain.name,
        "penalty_types": item.penalty_types, "fine_min": item.fine_min, "fine_max": item.fine_max,
        "holders": [{"department": h.department.name, "team": h.team.name if h.team else None,
                     "valid_from": h.valid_from} for h in item.current_holdings],
        "towns": [d.town.name for d in item.current_delegations],
        "basis": [{"law": b.article.law.title, "article": b.article.label, "url": b.article.get_absolute_url()}
                  for b in item.bases],
    }


@router.get("/items", response={200: list[ItemOut], **refusals(401, 403, 422)})
@paginate(LimitOffsetPagination)
def list_items(request, filters: Query[ItemFilter]):
    require(request.user, "catalogue.view")
    qs = selectors.item_search(query=filters.q, domain_id=filters.domain, holder_id=filters.holder,
                               town_id=filters.town, on=filters.on)
    return [_out(i) for i in qs]


@router.get("/items/{code}", response={200: ItemOut, **refusals(401, 403, 404, 422)})
def get_item(request, code: str, on: dt.date | None = None):
    require(request.user, "catalogue.view")
    qs = selectors.item_search(query=code, on=on).filter(code=code)
    item = qs.first()
    if item is None:
        raise NotFound(_("事项不存在"), errors={"code": [code]})
    return _out(item)

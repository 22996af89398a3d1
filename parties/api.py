from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from core.api_schemas import refusals
from org.access import require
from parties.access import access_enterprise, enterprises_visible_to

router = Router(tags=["parties"])


class EnterpriseOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    address: str
    industry: str
    town: str | None
    risk_class: str
    synthetic: bool

    @staticmethod
    def resolve_town(obj):
        return obj.town.name if obj.town else None


@router.get("/enterprises", response={200: list[EnterpriseOut], **refusals(401, 403, 422)})
@paginate(LimitOffsetPagination)
def list_enterprises(request, q: str = ""):
    require(request.user, "parties.view")
    qs = enterprises_visible_to(request.user).order_by("name", "pk")
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


@router.get("/enterprises/{pk}", response={200: EnterpriseOut, **refusals(401, 403, 404, 422)})
def get_enterprise(request, pk: int):
    require(request.user, "parties.view")
    return access_enterprise(user=request.user, pk=pk)

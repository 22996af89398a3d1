"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): discovery, services, service definitions,
POST/GET requests, GET one request, tokens; JSON and XML; the spec's error bodies and status codes.

service_code = our event category code. service_request_id = the ticket number. POST needs an
``api_key`` (an ApiClient); GET is public, so (XF-050) it never returns reporter details, lists only
reports from public channels (not department referrals or inspection findings), masks phone and
certificate numbers and the reporter's name in the description and notes, omits the description of a
report whose reporter asked for confidentiality, rounds coordinates to about 100 m and cuts the address
to the same precision (the street or village, not the house number; only the town for a confidential
report — ``core.privacy.public_address``).
The attribute ``confidential`` (true/false) on POST is that request.

Two extensions from the Open311 wiki that integrators ask for (peers §3.7): pagination of GET requests
(``page``, ``page_size``; a ``Link: <…>; rel="next"`` header while more rows follow) and service request
updates (``GET servicerequestupdates.{fmt}``, the FixMyStreet extension): every public step of every
public report, with the state in the extension's status set and the same wording as the ticket page.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError, ValidationFailed
from core.privacy import public_address, public_coordinate, redact_public
from intake.choices import (
    OPEN_STATUSES,
    PUBLIC_CHANNELS,
    Channel,
    open311_update_status,
    public_step,
)
from intake.models import Event, EventCategory, EventTransition
from intake.selectors import published_photos
from intake.services import api_client_for_key, event_submit

JURISDICTION = "changshan.quzhou.zj.cn"
FORMATS = {"json": "application/json", "xml": "text/xml"}
DEFAULT_DAYS = 90
MAX_RESULTS = 1000


def _xml(root: str, item: str, rows: list[dict]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        el = ET.SubElement(top, item)
        _fill(el, row)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")


def _fill(el, value):
    if isinstance(value, dict):
        for k, v in value.items():
            _fill(ET.SubElement(el, k), v)
    elif isinstance(value, list):
        singular = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value",
                    "keywords": "keyword"}.get(el.tag, "item")
        for v in value:
            _fill(ET.SubElement(el, singular), v)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    elif value is None:
        el.text = ""
    else:
        el.text = str(value)


def respond(fmt: str, rows, *, root: str, item: str, status: int = 200):
    if fmt == "xml":
        return HttpResponse(_xml(root, item, rows if isinstance(rows, list) else [rows]), status=status,
                            content_type="text/xml; charset=utf-8")
    return JsonResponse(rows, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _page(request) -> tuple[int, int]:
    """``page`` (from 1) and ``page_size`` (1–1,000, default 1,000) of a list request."""
    out = []
    for name, default, top in (("page", 1, None), ("page_size", MAX_RESULTS, MAX_RESULTS)):
        raw = request.GET.get(name, "").strip()
        if not raw:
            out.append(default)
            continue
        if not raw.isdigit() or int(raw) < 1 or (top and int(raw) > top):
            limit = f"an integer from 1 to {top}" if top else "a positive integer"
            raise ValidationFailed(f"{name} must be {limit}", errors={name: ["invalid"]})
        out.append(int(raw))
    return out[0], out[1]


def _paged(request, fmt, qs, row, *, root: str, item: str):
    """One page of ``qs`` as rows; while more follow, a ``Link`` header points to the next page."""
    page, size = _page(request)
    start = (page - 1) * size
    objs = list(qs[start:start + size + 1])
    response = respond(fmt, [row(o) for o in objs[:size]], root=root, item=item)
    if len(objs) > size:
        query = request.GET.copy()
        query["page"] = str(page + 1)
        query["page_size"] = str(size)
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
    return response


def _window(request):
    """``start_date``/``end_date``; by default the last 90 days."""
    end = _parse_dt(request.GET["end_date"], "end_date") if request.GET.get("end_date") else timezone.now()
    start = (_parse_dt(request.GET["start_date"], "start_date") if request.GET.get("start_date")
             else end - dt.timedelta(days=DEFAULT_DAYS))
    if start > end:
        raise ValidationFailed("start_date must not be after end_date", errors={"start_date": ["invalid"]})
    return start, end


def error(fmt: str, code: int, description: str):
    return respond(fmt if fmt in FORMATS else "json", [{"code": code, "description": description}], root="errors",
                   item="error", status=code)


def _check_format(fmt: str):
    return None if fmt in FORMATS else error("json", 400, f"unsupported format '{fmt}', use json or xml")


def _check_jurisdiction(request, fmt):
    jid = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    if jid and jid != JURISDICTION:
        return error(fmt, 404, f"jurisdiction_id '{jid}' not found; this endpoint serves {JURISDICTION}")
    return None


def discovery(request, fmt):
    if (bad := _check_format(fmt)):
        return bad
    base = request.build_absolute_uri(reverse("open311:root"))
    return respond(fmt, {
        "changeset": "2026-11-26T00:00:00+08:00", "contact": "常山县综合行政执法指导办公室",
        "key_service": "向常山县综合行政执法指导办公室申请 api_key",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-11-26T00:00:00+08:00", "type": "production",
                       "formats": ["text/xml", "application/json"]}],
    }, root="discovery", item="discovery") if fmt == "json" else HttpResponse(
        _xml_discovery(base), content_type="text/xml; charset=utf-8")


def _xml_discovery(base):
    top = ET.Element("discovery")
    _fill(ET.SubElement(top, "changeset"), "2026-11-26T00:00:00+08:00")
    _fill(ET.SubElement(top, "contact"), "常山县综合行政执法指导办公室")
    _fill(ET.SubElement(top, "key_service"), "向常山县综合行政执法指导办公室申请 api_key")
    eps = ET.SubElement(top, "endpoints")
    ep = ET.SubElement(eps, "endpoint")
    _fill(ep, {"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
               "changeset": "2026-11-26T00:00:00+08:00", "type": "production"})
    fm = ET.SubElement(ep, "formats")
    for f in ("text/xml", "application/json"):
        _fill(ET.SubElement(fm, "format"), f)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")


def _service(c: EventCategory) -> dict:
    return {"service_code": c.code, "service_name": c.name, "description": f"{c.group}：{c.name}",
            "metadata": True, "type": "realtime", "keywords": ",".join(c.keywords), "group": c.group}


def services(request, fmt):
    if (bad := _check_format(fmt)) or (bad := _check_jurisdiction(request, fmt)):
        return bad
    return respond(fmt, [_service(c) for c in EventCategory.objects.order_by("code")], root="services",
                   item="service")


_ATTRIBUTES = [
    {"variable": True, "code": "priority", "datatype": "singlevaluelist", "required": False,
     "datatype_description": "紧急程度", "order": 1, "description": "紧急程度（默认一般）",
     "values": [{"key": "urgent", "name": "紧急"}, {"key": "high", "name": "较急"},
                {"key": "normal", "name": "一般"}, {"key": "low", "name": "缓办"}]},
    {"variable": True, "code": "confidential", "datatype": "singlevaluelist", "required": False,
     "datatype_description": "是否为报告人保密", "order": 2,
     "description": "true：姓名和电话只有指挥中心可见，公开列表不显示描述（默认 false）",
     "values": [{"key": "false", "name": "不需要"}, {"key": "true", "name": "为我保密"}]},
]


def service_definition(request, code, fmt):
    if (bad := _check_format(fmt)) or (bad := _check_jurisdiction(request, fmt)):
        return bad
    category = EventCategory.objects.filter(code=code).first()
    if category is None:
        return error(fmt, 404, f"service_code '{code}' not found")
    if fmt == "json":
        return respond(fmt, {"service_code": category.code, "attributes": _ATTRIBUTES}, root="service_definition",
                       item="service_definition")
    return HttpResponse(_xml_definition(category), content_type="text/xml; charset=utf-8")


def _xml_definition(category):
    top = ET.Element("service_definition")
    _fill(ET.SubElement(top, "service_code"), category.code)
    attrs = ET.SubElement(top, "attributes")
    for attribute in _ATTRIBUTES:
        a = ET.SubElement(attrs, "attribute")
        _fill(a, {k: v for k, v in attribute.items() if k != "values"})
        vals = ET.SubElement(a, "values")
        for value in attribute["values"]:
            _fill(ET.SubElement(vals, "value"), value)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")


def _status(event: Event) -> str:
    return "open" if event.status in OPEN_STATUSES else "closed"


def _public_events():
    """Reports the public may see, each with ``expected_at``: the feedback deadline of the instruction in
    hand (Open311 ``expected_datetime``), so the public sees the same time limit the body works to."""
    from dispatch.models import Instruction

    due = Instruction.objects.filter(event=OuterRef("pk"), status__in=Instruction.OPEN) \
        .order_by("-issued_at").values("feedback_due")[:1]
    photo = published_photos().filter(event=OuterRef("pk")).values("public_token")[:1]
    return Event.objects.filter(channel__in=PUBLIC_CHANNELS).select_related("category", "department", "town") \
        .annotate(expected_at=Subquery(due), photo_token=Subquery(photo))


def _media_url(request, e: Event) -> str:
    """The first photo the command centre published for the request (``dispatch.attachment_publish``)."""
    token = getattr(e, "photo_token", None)
    return request.build_absolute_uri(reverse("public_photo", args=[token])) if token else ""


def _request_row(e: Event, media_url: str = "") -> dict:
    names = [e.reporter_name, e.reporter_name.replace(" ", "")]
    notes = redact_public(e.outcome, names=names) if e.outcome else str(e.get_status_display())
    description = "" if e.confidential else redact_public(e.text, names=names)[:1000]
    return {
        "service_request_id": e.ticket, "status": _status(e), "status_notes": notes[:500],
        "service_name": e.category.name if e.category else "", "service_code": e.category.code if e.category else "",
        "description": description, "agency_responsible": e.department.name if e.department else "",
        "service_notice": "", "requested_datetime": timezone.localtime(e.received_at).isoformat(),
        "updated_datetime": timezone.localtime(e.updated_at).isoformat(),
        "expected_datetime": timezone.localtime(e.expected_at).isoformat() if e.expected_at else "",
        "address": public_address(e.address, names=names, town=e.town.name if e.town else "", confidential=e.confidential),
        "address_id": "", "zipcode": "324200",
        "lat": public_coordinate(e.lat), "long": public_coordinate(e.lng), "media_url": media_url,
    }


def _parse_dt(value: str, name: str):
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed(f"{name} must be W3C datetime", errors={name: ["invalid"]}) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request, fmt):
    if (bad := _check_format(fmt)) or (bad := _check_jurisdiction(request, fmt)):
        return bad
    if request.method == "POST":
        return _post_request(request, fmt)
    qs = _public_events().filter(duplicate_of__isnull=True)
    try:
        if ids := request.GET.get("service_request_id"):
            qs = qs.filter(ticket__in=[i.strip() for i in ids.split(",") if i.strip()])
        else:
            start, end = _window(request)
            qs = qs.filter(received_at__gte=start, received_at__lte=end)
            if codes := request.GET.get("service_code"):
                qs = qs.filter(category__code__in=[c.strip() for c in codes.split(",")])
            if status := request.GET.get("status"):
                wanted = {s.strip() for s in status.split(",")}
                if not wanted <= {"open", "closed"}:
                    return error(fmt, 400, "status must be open or closed")
                if wanted == {"open"}:
                    qs = qs.filter(status__in=OPEN_STATUSES)
                elif wanted == {"closed"}:
                    qs = qs.exclude(status__in=OPEN_STATUSES)
        return _paged(request, fmt, qs.order_by("-received_at", "-pk"),
                      lambda e: _request_row(e, _media_url(request, e)), root="service_requests", item="request")
    except ValidationFailed as exc:
        return error(fmt, 400, exc.message)


def _update_row(t: EventTransition) -> dict:
    return {"update_id": str(t.pk), "service_request_id": t.event.ticket,
            "status": open311_update_status(t.old, t.new),
            "updated_datetime": timezone.localtime(t.at).isoformat(),
            "description": str(public_step(t.old, t.new)), "media_url": ""}


def request_updates(request, fmt):
    """Service request updates (FixMyStreet's Open311 extension): the public steps of public reports
    between ``start_date`` and ``end_date`` (default the last 90 days), oldest first, paginated."""
    if (bad := _check_format(fmt)) or (bad := _check_jurisdiction(request, fmt)):
        return bad
    try:
        start, end = _window(request)
        qs = EventTransition.objects.filter(event__channel__in=PUBLIC_CHANNELS, at__gte=start, at__lte=end) \
            .select_related("event").order_by("at", "pk")
        if ids := request.GET.get("service_request_id"):
            qs = qs.filter(event__ticket__in=[i.strip() for i in ids.split(",") if i.strip()])
        return _paged(request, fmt, qs, _update_row, root="service_requests_updates", item="request_update")
    except ValidationFailed as exc:
        return error(fmt, 400, exc.message)


def _post_request(request, fmt):
    client = api_client_for_key(request.POST.get("api_key"))
    if client is None:
        return error(fmt, 403, "api_key is missing or invalid")
    code = request.POST.get("service_code", "").strip()
    if not code:
        return error(fmt, 400, "service_code is required")
    if not EventCategory.objects.filter(code=code).exists():
        return error(fmt, 404, f"service_code '{code}' not found")
    lat, lng = request.POST.get("lat"), request.POST.get("long")
    address = request.POST.get("address_string", "")
    if not (lat and lng) and not address and not request.POST.get("address_id"):
        return error(fmt, 400, "a location is required: lat & long, address_string or address_id")
    name = " ".join(x for x in (request.POST.get("last_name", ""), request.POST.get("first_name", "")) if x)
    flag = request.POST.get("attribute[confidential]", "false").strip().lower()
    if flag not in ("true", "false", "1", "0", ""):
        return error(fmt, 400, "attribute[confidential] must be true or false")
    confidential = flag in ("true", "1")
    try:
        result = event_submit(
            channel=Channel.CITIZEN, source=client,
            text=request.POST.get("description", ""), lng=lng or None, lat=lat or None, address=address,
            town_code=request.POST.get("address_id") or None, category_code=code,
            priority=request.POST.get("attribute[priority]", "normal"), reporter_name=name,
            reporter_phone=request.POST.get("phone", ""), confidential=confidential,
            media_url=request.POST.get("media_url", ""))
    except ApplicationError as exc:
        detail = "; ".join(f"{k}: {'，'.join(v)}" for k, v in exc.errors.items()) or exc.message
        return error(fmt, 400, detail)
    notice = f"已受理，编号 {result.event.ticket}"
    if result.duplicate_of is not None:
        notice += f"；与已受理的 {result.duplicate_of.ticket} 疑似同一问题，已关联"
    return respond(fmt, [{"service_request_id": result.event.ticket, "service_notice": notice, "account_id": ""}],
                   root="service_requests", item="request", status=201)


def request_one(request, ticket, fmt):
    if (bad := _check_format(fmt)) or (bad := _check_jurisdiction(request, fmt)):
        return bad
    event = _public_events().filter(ticket=ticket).first()
    if event is None:
        return error(fmt, 404, f"service_request_id '{ticket}' not found")
    return respond(fmt, [_request_row(event, _media_url(request, event))], root="service_requests", item="request")


def token(request, token, fmt):
    if (bad := _check_format(fmt)):
        return bad
    event = _public_events().filter(ticket=token).first()
    if event is None:
        return error(fmt, 404, f"token '{token}' not found")
    return respond(fmt, [{"service_request_id": event.ticket, "token": token}], root="service_requests",
                   item="request")


def root(request):
    return HttpResponse("Open311 GeoReport v2: see discovery.json", content_type="text/plain; charset=utf-8")



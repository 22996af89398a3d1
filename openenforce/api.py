"""One NinjaAPI; routers per app; domain errors mapped to HTTP once, here."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from core.exceptions import ApplicationError

api = NinjaAPI(title="OpenEnforce API", version="1", urls_namespace="api", auth=django_auth)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError):
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


def schema_message(err: dict) -> str:
    """Pydantic's English messages, said in the caller's language (Chinese by default) for the usual cases;
    pydantic's English stays in brackets for anything rarer, so the sender still learns what is wrong."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return _("必填")
    if kind in ("string_type", "string_unicode"):
        return _("应为文本")
    if kind == "string_too_long":
        return _("不能超过%(n)s个字符") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("至少%(n)s个字符") % {"n": ctx.get("min_length")}
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"):
        return _("应为数字")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("应为整数")
    if kind in ("bool_parsing", "bool_type"):
        return _("应为 true 或 false")
    if kind.startswith("datetime_"):
        return _("应为 ISO 8601 日期时间，如 2026-11-26T09:30:00+08:00")
    if kind.startswith("date_"):
        return _("应为日期，如 2026-11-26")
    if kind == "list_type":
        return _("应为列表（JSON 数组）")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("应为对象（JSON 对象）")
    if kind == "too_long":
        return _("最多%(n)s项") % {"n": ctx.get("max_length")}
    if kind == "too_short":
        return _("至少%(n)s项") % {"n": ctx.get("min_length")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("应不小于%(n)s") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("应不大于%(n)s") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in ("enum", "literal_error"):
        return _("不是允许的取值（应为 %(expected)s）") % {"expected": ctx.get("expected", "")}
    if kind == "extra_forbidden":
        return _("未知字段（请核对字段名）")
    if kind == "json_invalid":
        return _("不是有效的 JSON")
    return _("无效（%(msg)s）") % {"msg": err.get("msg", kind)}


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query")]
        errors.setdefault(".".join(loc) or "__all__", []).append(schema_message(err))
    return api.create_response(request, {"code": "validation_failed", "message": _("请求数据有误"), "errors": errors},
                               status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        message = _("请求体不是有效的 JSON")
        body = {"code": "bad_request", "message": message, "errors": {"__all__": [message]}}
    else:
        body = {"code": f"http_{exc.status_code}", "message": str(exc), "errors": {}}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"code": "not_found", "message": _("未找到"), "errors": {}}, status=404)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc):
    return api.create_response(request, {"code": "unauthenticated", "message": _("请先登录或提供有效的 API 密钥"),
                                         "errors": {}}, status=401)


from cases.api import router as cases_router  # noqa: E402
from catalogue.api import router as catalogue_router  # noqa: E402
from intake.api import router as intake_router  # noqa: E402
from parties.api import router as parties_router  # noqa: E402

api.add_router("/catalogue", catalogue_router)
api.add_router("/parties", parties_router)
api.add_router("/intake", intake_router)
api.add_router("/cases", cases_router)

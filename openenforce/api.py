"""One NinjaAPI; routers per app; domain errors mapped to HTTP once, here."""

from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from core.exceptions import ApplicationError

api = NinjaAPI(title="OpenEnforce API", version="1", urls_namespace="api", auth=django_auth)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError):
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


def schema_message(err: dict) -> str:
    """Pydantic's English messages, said in Chinese for the usual cases; the English stays in brackets
    for anything rarer, so the sender still learns what is wrong."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return "必填"
    if kind in ("string_type", "string_unicode"):
        return "应为文本"
    if kind == "string_too_long":
        return f"不能超过{ctx.get('max_length')}个字符"
    if kind == "string_too_short":
        return f"至少{ctx.get('min_length')}个字符"
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"):
        return "应为数字"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "应为整数"
    if kind in ("bool_parsing", "bool_type"):
        return "应为 true 或 false"
    if kind.startswith("datetime_"):
        return "应为 ISO 8601 日期时间，如 2026-11-26T09:30:00+08:00"
    if kind.startswith("date_"):
        return "应为日期，如 2026-11-26"
    if kind == "list_type":
        return "应为列表（JSON 数组）"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "应为对象（JSON 对象）"
    if kind == "too_long":
        return f"最多{ctx.get('max_length')}项"
    if kind in ("enum", "literal_error"):
        return f"不是允许的取值（应为 {ctx.get('expected', '')}）"
    if kind == "json_invalid":
        return "不是有效的 JSON"
    return f"无效（{err.get('msg', kind)}）"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query")]
        errors.setdefault(".".join(loc) or "__all__", []).append(schema_message(err))
    return api.create_response(request, {"code": "validation_failed", "message": "请求数据有误", "errors": errors},
                               status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        body = {"code": "bad_request", "message": "请求体不是有效的 JSON", "errors": {"__all__": ["请求体不是有效的 JSON"]}}
    else:
        body = {"code": f"http_{exc.status_code}", "message": str(exc), "errors": {}}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"code": "not_found", "message": "未找到", "errors": {}}, status=404)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc):
    return api.create_response(request, {"code": "unauthenticated", "message": "请先登录或提供有效的 API 密钥",
                                         "errors": {}}, status=401)


from catalogue.api import router as catalogue_router  # noqa: E402
from intake.api import router as intake_router  # noqa: E402
from parties.api import router as parties_router  # noqa: E402

api.add_router("/catalogue", catalogue_router)
api.add_router("/parties", parties_router)
api.add_router("/intake", intake_router)

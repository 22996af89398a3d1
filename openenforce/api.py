"""One NinjaAPI; routers per app; domain errors mapped to HTTP once, here."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth

from core.exceptions import ApplicationError

api = NinjaAPI(title="OpenEnforce API", version="1", urls_namespace="api", auth=django_auth)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError):
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query")]
        errors.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", "无效"))
    return api.create_response(request, {"code": "validation_failed", "message": "请求数据有误", "errors": errors},
                               status=422)


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

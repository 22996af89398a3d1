"""Mapping domain errors to responses for server-rendered views."""

from functools import wraps

from django.contrib import messages
from django.http import Http404

from core.exceptions import ApplicationError, NotFound


def errors_as_text(exc: ApplicationError) -> str:
    parts = [exc.message]
    for field, msgs in exc.errors.items():
        parts.append(f"{field}: {'；'.join(msgs)}" if field != "__all__" else "；".join(msgs))
    return " — ".join(parts)


def handle_application_errors(view):
    """NotFound (and forbidden, which looks the same) → 404; others → a message and the same page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None
        except ApplicationError as exc:
            if exc.status_code == 403:
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied(exc.message) from None
            messages.error(request, errors_as_text(exc))
            from django.shortcuts import redirect

            return redirect(request.get_full_path())

    return wrapper

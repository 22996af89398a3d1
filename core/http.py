"""Mapping domain errors to responses for server-rendered views."""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import punctuation
from core.exceptions import ApplicationError, NotFound, ValidationFailed


def as_pk(value) -> int | None:
    """A primary key as a query string or form carries it, or None when it is not one (``filter(pk=None)``
    matches nothing, where ``filter(pk="abc")`` raises)."""
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def chosen(queryset, value, *, field: str, message: str):
    """The row a form's select or hidden field names (a primary key as posted), or a refusal that names the
    field: an empty, non-numeric or unknown value is the user's error, not a server error (a bare
    ``get_object_or_404(pk="")`` raised ValueError, which views mistook for another field's error)."""
    pk = as_pk(value)
    row = queryset.filter(pk=pk).first() if pk is not None else None
    if row is None:
        raise ValidationFailed(message, errors={field: [message]})
    return row


def chosen_many(queryset, values, *, field: str, message: str) -> list:
    """The rows a multiple select names; any value that is not one of them is refused with the field named."""
    values = [str(v).strip() for v in values if str(v).strip()]
    if not all(v.isdigit() for v in values):
        raise ValidationFailed(message, errors={field: [message]})
    rows = list(queryset.filter(pk__in=[int(v) for v in values]))
    if len(rows) != len(set(values)):
        raise ValidationFailed(message, errors={field: [message]})
    return rows


def errors_as_text(exc: ApplicationError) -> str:
    """A refusal as one line for a page message: the headline, then what each field's messages add. The
    field keys (``fixed``, ``reason`` …) are for programs and forms, not for the person reading it."""
    details = []
    for msgs in exc.errors.values():
        details += [str(m) for m in msgs if str(m) != exc.message and str(m) not in details]
    if not details:
        return exc.message
    return _("%(message)s：%(details)s") % {"message": exc.message, "details": _("；").join(details)}


def form_errors_as_text(form) -> str:
    """A form's errors as one line for a page message ("Domain: This field is required"), punctuated as the
    reader's language writes it."""
    colon, comma = punctuation.colon(), pgettext("list", "，")
    parts = []
    for field, errors in form.errors.items():
        said = comma.join(str(m) for m in errors)
        parts.append(f"{form.fields[field].label}{colon}{said}" if field in form.fields else said)
    return _("；").join(parts)


def errors_into_form(form, exc: ApplicationError) -> None:
    """A service's refusal shown where it belongs: on each field it names, else above the form."""
    for field, msgs in (exc.errors or {}).items():
        form.add_error(field if field in form.fields else None, list(msgs))


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


INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf", "video/mp4"}


def stored_file_response(field_file, *, content_type: str | None = None, filename: str = ""):
    """A stored upload, sent only after the caller has checked access. Images, PDF and MP4 open in the
    browser; anything else downloads. The type is the one recorded at upload (read from the bytes), else
    guessed from the stored name; ``nosniff`` keeps the browser from guessing another; ``private`` keeps
    shared caches out. ``filename`` defaults to the stored name."""
    import mimetypes

    from django.http import FileResponse

    if not field_file:
        raise Http404("没有文件")
    stored_name = field_file.name.rsplit("/", 1)[-1]
    content_type = content_type or mimetypes.guess_type(stored_name)[0]
    filename = filename or stored_name
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不在存储中") from None
    response = FileResponse(handle, content_type=content_type or "application/octet-stream",
                            as_attachment=content_type not in INLINE_TYPES, filename=filename or None)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def safe_next(request, default: str) -> str:
    """Where to go after a form: the ``next`` the page sent, if it stays on this site, else ``default`` (a URL
    name or path). An address elsewhere would make the form an open redirect."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default

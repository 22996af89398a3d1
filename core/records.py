"""The language of the county's records (记录语言).

Pages follow each reader's language, but what the services store — transition reasons, routing
explanations, notifications, deadline labels, approvals, the audit trail — and the legal documents they
print (行政执法文书) are the county's record: read by everyone after the person who caused them, and
printed in Chinese. A choice label (``ServiceMethod.LEFT_AT_RESIDENCE.label``) is a lazy translation, so
formatted during an English request it would be stored as "Left at residence". Services that put a label
into stored text take it through :func:`as_recorded`, or compose the text inside :func:`record_language`.
Refusals are not records: they stay in the language of the person refused.
"""

from django.conf import settings
from django.utils import translation


def record_language():
    """Context manager: the records' language (``settings.LANGUAGE_CODE``, zh-hans) for what runs inside."""
    return translation.override(settings.LANGUAGE_CODE)


def as_recorded(value) -> str:
    """A (lazy) label as the records say it."""
    with record_language():
        return str(value)


def recorded_display(instance, field: str) -> str:
    """``instance.get_<field>_display()`` as the records say it (that method translates at once, so it must
    run inside the records' language)."""
    with record_language():
        return getattr(instance, f"get_{field}_display")()


LABELS = "_labels"  # the params that are themselves catalogue msgids (a choice's label), said again too


def said(message: str, labels: tuple[str, ...] = (), **params) -> dict:
    """A message for a reader (a notification), kept two ways: ``text`` as the records say it, and
    ``message`` (a catalogue msgid, marked with ``gettext_noop`` where it is written) with its ``params``,
    so a page can say it again in its reader's language (:func:`resaid`). ``params`` must be JSON values;
    ``labels`` names those that are catalogue labels (stored in Chinese, translated when said again)."""
    with record_language():
        text = translation.gettext(message) % params
    if labels:
        params = {**params, LABELS: list(labels)}
    return {"text": text[:300], "message": message, "params": params}


def said_as(field: str, message: str, labels: tuple[str, ...] = (), **params) -> dict:
    """:func:`said` for a record whose text lives in ``field`` (a transition's ``reason``)."""
    kept = said(message, labels, **params)
    return {field: kept["text"], "message": kept["message"], "params": kept["params"]}


def resaid(message: str, params: dict, *, stored: str = "") -> str:
    """What :func:`said` recorded, in the active language; ``stored`` (the record's text) when there is no
    message (written before the parts were kept) or the catalogue no longer fits the stored parts."""
    if not message:
        return stored
    labels = set(params.get(LABELS, ()))
    values = {k: translation.gettext(v) if k in labels and v else v for k, v in params.items() if k != LABELS}
    try:
        return translation.gettext(message) % values
    except (KeyError, TypeError, ValueError):
        return stored

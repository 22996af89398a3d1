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
CONTEXT = "_context"  # the catalogue context of the message, when it has one (pgettext)
COUNTED = "_counted"  # a list of [name, count] pairs, said as "天马街道 3件、…" / "天马街道 (3), …"
INSIDE = "_said"  # a message said inside another (a deadline's label in a reminder), said again with it


def pgettext_noop(context: str, message: str) -> str:
    """Marks ``message`` for the catalogue under ``context`` (extracted by our ``makemessages``) and
    returns it untranslated, for :func:`said` with ``context=``."""
    return message


def counted(pairs) -> dict:
    """A param for :func:`said`: names with their counts, joined in the language it is said in."""
    return {COUNTED: [[str(name), int(n)] for name, n in pairs]}


def inside(kept) -> dict | str:
    """A param for :func:`said`: another kept message (a :func:`said` dict, or a row with ``message``,
    ``params`` and its stored text), said again in the same language as the message it is part of. A row
    kept before its parts were (no ``message``) is its stored text."""
    if isinstance(kept, dict):
        message, params, text = kept["message"], kept["params"], kept["text"]
    else:
        message, params, text = kept.message, kept.params, kept.label
    if not message:
        return text
    return {INSIDE: {"message": message, "params": params, "text": text}}


def _values(params: dict, labels: set) -> dict:
    """The params as they are said in the active language: catalogue labels translated, counted lists joined."""
    values = {}
    for k, v in params.items():
        if k in (LABELS, CONTEXT):
            continue
        if isinstance(v, dict) and INSIDE in v:
            v = resaid(v[INSIDE]["message"], v[INSIDE]["params"], stored=v[INSIDE].get("text", ""))
        elif isinstance(v, dict) and COUNTED in v:
            v = translation.pgettext("list", "、").join(
                translation.pgettext("counted", "%(name)s %(n)s件") % {"name": name, "n": n} for name, n in v[COUNTED])
        elif k in labels and v:
            v = translation.gettext(v)
        values[k] = v
    return values


def _say(message: str, context: str, values: dict) -> str:
    said_now = translation.pgettext(context, message) if context else translation.gettext(message)
    return said_now % values


def said(message: str, labels: tuple[str, ...] = (), *, context: str = "", limit: int | None = 300, **params) -> dict:
    """A message for a reader (a notification), kept two ways: ``text`` as the records say it, and
    ``message`` (a catalogue msgid, marked with ``gettext_noop`` — or ``pgettext_noop`` with ``context``
    — where it is written) with its ``params``, so a page can say it again in its reader's language
    (:func:`resaid`). ``params`` must be JSON values; ``labels`` names those that are catalogue labels
    (stored in Chinese, translated when said again). ``context`` tells apart a record's wording from the
    same Chinese elsewhere: 作出行政处罚决定 is a step to take on a form and a thing done in a case's record.
    ``limit`` cuts the recorded text (a notice's 300 characters); ``None`` keeps it whole (an instruction)."""
    with record_language():
        text = _say(message, context, _values(params, set(labels)))
    if labels:
        params = {**params, LABELS: list(labels)}
    if context:
        params = {**params, CONTEXT: context}
    return {"text": text[:limit] if limit else text, "message": message, "params": params}


def said_as(field: str, message: str, labels: tuple[str, ...] = (), *, context: str = "", **params) -> dict:
    """:func:`said` for a record whose text lives in ``field`` (a transition's ``reason``)."""
    kept = said(message, labels, context=context, **params)
    return {field: kept["text"], "message": kept["message"], "params": kept["params"]}


def resaid(message: str, params: dict, *, stored: str = "") -> str:
    """What :func:`said` recorded, in the active language; ``stored`` (the record's text) when there is no
    message (written before the parts were kept) or the catalogue no longer fits the stored parts."""
    if not message:
        return stored
    try:
        return _say(message, params.get(CONTEXT, ""), _values(params, set(params.get(LABELS, ()))))
    except (KeyError, TypeError, ValueError):
        return stored

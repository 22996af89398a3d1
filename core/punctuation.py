"""Punctuation around values, as the reader's (active) language writes it: "：" / ": ", "（3）" / " (3)".

One place for pages (the ``colon`` tag and ``paren`` filter in ``core_extras``), form option labels and
one-line messages (``core.http``), so the same pair of msgids is used everywhere."""

from django.utils.translation import gettext, pgettext


def colon() -> str:
    """The colon after a label: "：" in Chinese, ": " in English."""
    return pgettext("punctuation", "：")


def bracketed(value) -> str:
    """A count or a name in brackets: （3） in Chinese, " (3)" in English. Plain text: escape it for HTML."""
    return gettext("（%(value)s）") % {"value": value}

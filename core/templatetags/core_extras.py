"""Small filters for page text that must read right in both languages."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core import punctuation

register = template.Library()


@register.simple_tag
def colon():
    """The colon after a label, as each language writes it: "：" in Chinese, ": " in English."""
    return punctuation.colon()


@register.filter
def recorded(value):
    """A label stored as the records say it (Chinese, a msgid of the catalogue: "按定位", "文本分类模型"), in
    the reader's language; any other stored text is shown as written."""
    return gettext(value) if isinstance(value, str) and value else value


@register.filter
def paren(value):
    """A count or a name in brackets, as each language writes them: （3） in Chinese, " (3)" in English."""
    return mark_safe(punctuation.bracketed(conditional_escape(value)))

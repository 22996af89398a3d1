"""``makemessages`` that also extracts ``core.records.pgettext_noop`` (a msgid with a context, marked
without translating it; Django has ``gettext_noop`` only)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=pgettext_noop:1c,2"]

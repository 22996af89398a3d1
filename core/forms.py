"""Form pieces the apps share."""

from django.utils.translation import gettext_lazy as _


class DateRangeMixin:
    """A filter form with a date range (``date_range``: the names of its two date fields): a range that ends
    before it starts is said on its end field."""

    date_range: tuple[str, str] = ("start", "end")

    def clean(self):
        data = super().clean()
        first, last = self.date_range
        start, end = data.get(first), data.get(last)
        if start and end and start > end:
            self.add_error(last, _("结束日期不能早于开始日期"))
        return data


def chosen_filters(form) -> dict:
    """The filters a bound filter form was given, valid ones only: an invalid form filters nothing (and shows
    its errors); empty fields and unticked boxes are left out."""
    if not form.is_bound or not form.is_valid():
        return {}
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}

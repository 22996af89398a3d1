from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    value = mapping.get(key, "") if isinstance(mapping, dict) else ""
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return value


@register.filter
def penalty_labels(types):
    from catalogue.choices import PenaltyType

    labels = dict(PenaltyType.choices)
    return "、".join(str(labels.get(t, t)) for t in types or [])

from django import template

register = template.Library()


@register.filter
def money(pence):
    """£1,234 for whole pounds, £1,234.56 otherwise."""
    if pence is None:
        return "—"
    pence = int(pence)
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}" + (f".{rest:02d}" if rest else "")


@register.filter
def rag_class(rag):
    return {
        "green": "govuk-tag--green",
        "amber": "govuk-tag--orange",
        "red": "govuk-tag--red",
    }.get(rag, "govuk-tag--grey")


@register.filter
def quarter_label(quarter):
    from ..quarters import label

    return label(quarter)

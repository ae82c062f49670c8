from django import template

register = template.Library()


@register.filter
def pounds(pence):
    """Pence as pounds: 123456 -> £1,234.56."""
    if pence is None:
        return "—"
    sign = "-" if pence < 0 else ""
    return f"{sign}£{abs(pence) / 100:,.2f}"

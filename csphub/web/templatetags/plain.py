"""Plain words on every page: stored codes shown as the words they stand for."""

from django import template

register = template.Library()


@register.filter
def words(code):
    """A stored code in words: "in_hand" -> "in hand"; empty stays empty."""
    if not code:
        return ""
    return str(code).replace("_", " ").replace("-", " ")

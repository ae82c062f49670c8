"""Filters for performance pages: numbers, RAG and icon labels."""

from django import template

from csphub.analytics.spc import COMMON_CAUSE
from csphub.lib.charts.spc import ASSURANCE_LABELS, VARIATION_LABELS, fmt
from csphub.performance.services import REASONS

register = template.Library()

POINT_LABELS = {
    COMMON_CAUSE: "common cause",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral_high": "special cause (high)",
    "special_cause_neutral_low": "special cause (low)",
}


@register.filter
def num(value):
    return fmt(value)


@register.filter
def point_label(value):
    return POINT_LABELS.get(value, "–") if value else "–"


@register.filter
def variation_label(value):
    return VARIATION_LABELS.get(value, "No data") if value else "No data"


@register.filter
def assurance_label(value):
    return ASSURANCE_LABELS.get(value, "No target") if value else "No target"


@register.filter
def reason_label(value):
    return REASONS.get(value, value)


@register.filter
def rag_tag(value):
    return {
        "red": "govuk-tag--red",
        "amber": "govuk-tag--orange",
        "green": "govuk-tag--green",
    }.get(value, "govuk-tag--grey")

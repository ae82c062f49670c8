"""Filters for performance pages: numbers, RAG and icon labels."""

from django import template
from django.utils.html import format_html

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


@register.filter
def rags_of(review):
    """{indicator pk: RAG} as the performance group set it in a review."""
    if not review:
        return {}
    return {r.indicator_id: r.rag for r in review.ratings.all() if r.rag}


@register.filter
def lookup(mapping, key):
    return mapping.get(key, "")


def target_missed(item):
    """Whether the latest value misses the target, by the indicator's direction."""
    value, target = item.latest_value, item.target
    if value is None or target is None:
        return False
    if item.indicator.improvement == "increase":
        return value < target
    return value > target


def is_off_track(item, rag):
    """Special cause concern, the target not met, or rated red or amber."""
    if rag in ("red", "amber"):
        return True
    if not item or not item.has_data:
        return False
    concern = (item.variation_icon or "").startswith("concern")
    return concern or item.assurance_icon == "consistent_fail" or target_missed(item)


@register.filter
def off_track_rows(rows, rags):
    """The register's (indicator, chart) rows that are off track."""
    return [(i, item) for i, item in rows if is_off_track(item, rags.get(i.pk, ""))]


@register.filter
def sparkline(item, size="96x24"):
    """A small line of the values (decorative: the figures are in the text)."""
    values = [v for v in (item.values if item else []) if v is not None][-24:]
    if len(values) < 2:
        return ""
    width, height = (int(n) for n in size.split("x"))
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = (width - 4) / (len(values) - 1)
    points = " ".join(
        f"{2 + i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
        for i, v in enumerate(values)
    )
    return format_html(
        '<svg class="csphub-sparkline" viewBox="0 0 {} {}" width="{}" height="{}"'
        ' aria-hidden="true" focusable="false"><polyline points="{}" fill="none"'
        ' stroke="#1d70b8" stroke-width="1.5"/></svg>',
        width,
        height,
        width,
        height,
        points,
    )

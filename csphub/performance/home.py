"""What performance tells the home page: the KPI exceptions of the latest
highlight report. Called by csphub.web."""

from django.core.cache import cache
from django.db.models import Count, Max
from django.urls import reverse

from csphub.lib.needs import Line, Need

from . import services
from .models import Measurement, Rating, Review

# The charts behind a highlight report cost tens of milliseconds: the home
# page keeps its exceptions in Django's cache, keyed by the review and by what
# changes them (values added or revised, ratings made). An indicator's edited
# target shows within CACHE_SECONDS.
CACHE_SECONDS = 300

REASON_WORDS = {
    "special_cause_concern": "unusual change for the worse",
    "consistent_fail": "will keep missing its target",
    "hit_and_miss_target_critical": "critical target hit and miss",
    "rated_red": "rated red",
    "special_cause_improvement": "unusual improvement",
    "well_above_target": "well above target",
}


def highlight_exceptions(partnership):
    """The exceptions of the newest review's highlight report (its charts
    computed without drawing them), or an empty Need with no review."""
    review = Review.objects.filter(partnership=partnership).first()
    if review is None:
        return Need("", 0, "")
    values = Measurement.objects.filter(indicator__partnership=partnership)
    stamp = values.aggregate(n=Count("pk"), last=Max("pk"))
    rated = Rating.objects.filter(review=review).aggregate(
        n=Count("pk"), last=Max("rated_at")
    )
    last_rated = rated["last"].timestamp() if rated["last"] else 0
    key = (
        f"performance.home:{review.pk}:{stamp['n']}:{stamp['last']}"
        f":{rated['n']}:{last_rated}"
    )
    found = cache.get(key)
    if found is None:
        found = _exceptions(review)
        cache.set(key, found, CACHE_SECONDS)
    lines, n = found
    url = reverse("performance:highlight", args=[f"{review.period:%Y-%m}"])
    return Need(
        f"KPI exception{'s' if n != 1 else ''} in the highlight report for"
        f" {review.period:%B %Y}",
        n, url, lines[:6],
    )  # fmt: skip


def _exceptions(review):
    """([Line], how many) of the review's highlight report."""
    report = services.highlight_report(
        review, services.review_charts(review, draw=False)
    )
    lines = [
        Line(f"{item.indicator.name}: "
             + ", ".join(REASON_WORDS.get(r, r) for r in item.reasons),
             item.indicator.get_absolute_url())
        for group in report.groups
        for item in group.exceptions
    ]  # fmt: skip
    return lines, report.exception_count

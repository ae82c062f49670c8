"""What intelligence tells the home page: the latest briefing for a
person's zone in two sentences (trends, hotspots), and for analysts how
fresh each source's data is and which briefings are still to prepare.
Called by csphub.web."""

from dataclasses import dataclass, field

from django.urls import reverse

from csphub.analytics import hotspot
from csphub.lib.months import month_label, months_between, span
from csphub.lib.needs import Line, Need
from csphub.places.models import Zone

from .models import Briefing, DataSet, SourceFile


@dataclass
class LatestBriefing:
    briefing: Briefing
    sentences: list = field(default_factory=list)


def _trend_sentence(results):
    """The top emerging trends in one sentence (as the briefing's summary)."""
    trends = results.get("trends", [])
    if not trends:
        return "No emerging or worrying trend passed the tests this month."
    parts = [
        f"{t['category']} in {'the ' if t['area_kind'] == 'zone' else ''}"
        f"{t['area_name']} ({t['observed']} against {t['expected']} expected)"
        for t in trends[:3]
    ]
    more = f", and {len(trends) - 3} more" if len(trends) > 3 else ""
    n = len(trends)
    head = f"{n} emerging trend{'s' if n != 1 else ''}: "
    return head + "; ".join(parts) + more + "."


def _hotspot_sentence(results):
    hot = [
        r
        for r in results.get("hotspots", [])
        if r["significant"] and r["classification"] == hotspot.HOT
    ]
    if not hot:
        return (
            "No LSOA is a significant hotspot after the false discovery rate"
            " correction."
        )
    top = hot[0]
    return (
        f"{len(hot)} hotspot LSOA{'s' if len(hot) != 1 else ''}; the strongest is"
        f" {top['name']}{' in ' + top['ward'] if top.get('ward') else ''}, with"
        f" {top['count']} incidents in"
        f" {span(results.get('hotspot_months', [])) or 'the last months'}."
    )


def latest_briefing(partnership, zone_ids):
    """The newest ready briefing for one of the zones (else the borough's,
    else any), with its top emerging trends and hotspots in one sentence each."""
    ready = Briefing.objects.of(partnership).filter(status=Briefing.Status.DONE)
    briefing = None
    if zone_ids:
        briefing = ready.filter(zone_id__in=zone_ids).first()
    if briefing is None:
        briefing = ready.filter(area_id=partnership.borough_id).first()
    if briefing is None:  # nothing for the borough as a whole: the newest
        briefing = ready.first()
    if briefing is None:
        return None
    results = briefing.results or {}
    sentences = []
    if "trends" in results:
        sentences.append(_trend_sentence(results))
    if "hotspots" in results:
        sentences.append(_hotspot_sentence(results))
    return LatestBriefing(briefing, sentences)


@dataclass
class Freshness:
    """One source of data: the last month loaded and the months missing."""

    name: str
    url: str
    last: object  # a month (date) or None
    missing: list  # months without data between the first and the last

    @property
    def last_label(self):
        return month_label(self.last) if self.last else "nothing loaded"

    @property
    def missing_labels(self):
        return [month_label(m) for m in self.missing]


def data_freshness(partnership):
    """police.uk and each partner data set: the last month imported and the
    gaps (two queries)."""
    sets = {d.pk: d for d in DataSet.objects.filter(partnership=partnership)}
    months = {None: set()} | {pk: set() for pk in sets}
    for data_set_id, first, last in SourceFile.objects.filter(
        partnership=partnership
    ).values_list("data_set_id", "month", "last_month"):
        if data_set_id is None or data_set_id in months:
            months[data_set_id].update(months_between(first, last or first))
    rows = []
    for key, covered in months.items():
        name, url = (
            ("police.uk street-level crime", reverse("intelligence:data-status"))
            if key is None
            else (sets[key].name, sets[key].get_absolute_url())
        )
        last = max(covered) if covered else None
        missing = (
            [m for m in months_between(min(covered), last) if m not in covered]
            if covered
            else []
        )
        rows.append(Freshness(name, url, last, missing))
    return rows


def briefings_to_prepare(partnership, freshness):
    """The borough and zones with no briefing (ready or under way) for the
    latest month of police.uk data."""
    police = freshness[0] if freshness else None
    if police is None or police.last is None:
        return Need("", 0, "")
    month = police.last
    have = set(
        Briefing.objects.filter(partnership=partnership, month=month)
        .exclude(status=Briefing.Status.FAILED)
        .values_list("area_id", "zone_id")
    )
    places = [(partnership.borough, (partnership.borough_id, None))]
    places += [
        (z, (None, z.pk))
        for z in Zone.objects.filter(partnership=partnership).defer("boundary")
    ]
    url, when = reverse("intelligence:briefing-list"), month_label(month)
    lines = [
        Line(f"{place.name}{' zone' if key[1] else ''}, {when}", url)
        for place, key in places
        if place is not None and key not in have
    ]
    n = len(lines)
    return Need(f"briefing{'s' if n != 1 else ''} to prepare for {when}", n, url, lines)

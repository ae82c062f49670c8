"""The Open311 intake: write first, route and match after.

A report posted through Open311 is written at once, with its reporter, in one
transaction (so once the resident has a reference it survives a crash), and
marked `awaiting_triage`. Routing, the service level, the nearest street, the
zone and matching against open reports nearby then run in batches
(`triage_pending`), from a background task queued in the same transaction
(`tasks.triage_reports`; at most one a second per process, each taking every
report waiting) or from `manage.py triage_reports`. The result is the report
the form's `services.submit_report` makes, with the same received event.

Why (bench/bench_reports.py): routing, matching and placing the street and
zone were more than half of a report's CPU in the web worker, one query and
one ORM round each per report; in a batch they share the routing rules and
zones, and the web worker answers sooner.
"""

import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from csphub.accounts.models import Partnership
from csphub.places.models import Area, Zone

from . import gazetteer, services
from .models import Category, LsoaBox, Report, ReportEvent
from .workdays import add_working_days

BATCH = 200


class Known:
    """What every Open311 post looks up - the categories by code, the
    partnerships serving a borough, and those boroughs' LSOA boxes - read in
    three queries and kept by the process for CSPHUB_INTAKE_CACHE_SECONDS.
    A category, partnership or boundary changed elsewhere reaches a running
    intake within that time; 0 (the tests) reads them for every post.

    Why (bench/bench_reports.py): the three lookups, one ORM query each, were
    a fifth of a post's CPU; the tables are small and change seldom."""

    def __init__(self):
        self.until = 0.0

    def fresh(self):
        now = time.monotonic()
        if now >= self.until:
            self.categories = {c.code: c for c in Category.objects.all()}
            served = Partnership.objects.exclude(borough=None).order_by("pk")
            self.partnerships = {p.slug: p for p in served}
            self.by_borough = {}
            for partnership in self.partnerships.values():
                self.by_borough.setdefault(partnership.borough_id, partnership)
            self.boxes = {}
            rows = LsoaBox.objects.order_by("pk").values_list(
                "borough_id", "pk", "lsoa_id", "lsoa__parent_id",
                "min_lon", "min_lat", "max_lon", "max_lat",
            )  # fmt: skip
            for borough_id, *box in rows:
                self.boxes.setdefault(borough_id, []).append(tuple(box))
            self.until = now + settings.CSPHUB_INTAKE_CACHE_SECONDS
        return self

    def forget(self):
        self.until = 0.0

    def borough_at(self, latitude, longitude):
        """The partnership whose borough has an LSOA covering the point (or,
        failing that, only an LSOA box around it: neighbours' boxes overlap)."""
        near = None
        for borough_id, boxes in self.boxes.items():
            partnership = self.by_borough.get(borough_id)
            if partnership is None:
                continue
            if gazetteer.locate(boxes, latitude, longitude):
                return partnership
            if near is None and any(
                gazetteer.in_box(b, latitude, longitude) for b in boxes
            ):
                near = partnership
        return near


known = Known()


def take_report(partnership, category, placement, details, *, channel, address):
    """Write a report and its reporter now, to be routed and matched after
    (the caller queues the triage in the same transaction:
    `tasks.take_report_and_triage`). Returns the reporter."""
    # Inside the caller's transaction, or one of its own: never a savepoint
    # (two more statements a post), as nothing here is retried alone.
    with transaction.atomic(savepoint=False):
        report = Report.objects.create(
            partnership=partnership,
            category=category,
            **placement.fields(),
            awaiting_triage=True,
        )
        return services.add_reporter(report, details, channel, None, address)


class Placed:
    """Where a report is, as the intake knows it: ids, not instances."""

    def __init__(self, latitude, longitude, lsoa_id, ward_id):
        self.latitude, self.longitude = latitude, longitude
        self.lsoa_id, self.ward_id = lsoa_id, ward_id
        self.zone, self.street, self.place = None, None, ""

    @classmethod
    def of(cls, placement):
        """From a gazetteer.Placement (a street, a postcode, a point placed
        in full)."""
        placed = cls(
            placement.latitude,
            placement.longitude,
            getattr(placement.lsoa, "pk", None),
            getattr(placement.ward, "pk", None),
        )
        placed.zone, placed.street = placement.zone, placement.street
        placed.place = placement.place
        return placed

    def fields(self):
        """The report's fields for where it is, as gazetteer.Placement's."""
        ids = {"lsoa_id": self.lsoa_id, "ward_id": self.ward_id}
        return {**gazetteer.where_fields(self), **ids}


def place_point(partnership, latitude, longitude):
    """A point placed in its LSOA and ward (the zone and street come in the
    triage); gazetteer.OutsideArea as place_point raises it."""
    if -90 <= latitude <= 90 and -180 <= longitude <= 180 and partnership.borough_id:
        boxes = known.fresh().boxes.get(partnership.borough_id, ())
        found = gazetteer.locate(boxes, latitude, longitude)
        if found:
            return Placed(latitude, longitude, *found)
    # Not in any LSOA box: the full rules (no boundaries, outside).
    return Placed.of(gazetteer.place_point(partnership, latitude, longitude))


def triage_pending(limit=BATCH):
    """Route, match and place every report waiting, a batch at a time;
    returns {reference: possible duplicate's reference or ""}."""
    found = {}
    while True:
        with transaction.atomic():
            waiting = Report.objects.filter(awaiting_triage=True).order_by("pk")
            if connection.features.has_select_for_update_skip_locked:
                waiting = waiting.select_for_update(skip_locked=True, of=("self",))
            batch = list(
                waiting.select_related("partnership", "category", "street")[:limit]
            )
            if not batch:
                return found
            _triage(batch, found)


def _triage(batch, found):
    rules, zones, boroughs = {}, {}, {}
    events = []
    for report in batch:
        partnership = report.partnership
        if partnership.pk not in rules:
            rules[partnership.pk] = services.routing_rules(partnership)
            boroughs[partnership.pk] = (
                Area.objects.filter(pk=partnership.borough_id).defer("boundary").first()
            )
        if report.zone_id is None and report.ward_id:
            key = (partnership.pk, report.ward_id)
            if key not in zones:
                zones[key] = (
                    Zone.objects.filter(partnership=partnership, wards=report.ward_id)
                    .defer("boundary")
                    .first()
                )
            report.zone = zones[key]
        if report.street_id is None and not report.place:
            street = gazetteer.nearest_street(
                boroughs[partnership.pk], report.latitude, report.longitude
            )
            report.street, report.place = street, street.name if street else ""
        rule = services.pick_rule(
            rules[partnership.pk],
            report.category,
            Area(pk=report.lsoa_id) if report.lsoa_id else None,
            Area(pk=report.ward_id) if report.ward_id else None,
            report.zone,
        )
        report.organisation = rule.organisation if rule else None
        report.team = rule.team if rule else ""
        report.first_response_due = add_working_days(
            timezone.localdate(report.created_at), report.category.first_response_days
        )
        # Matched as the form matches, against the reports made before it.
        earlier = [
            r
            for r in services.nearby_open(
                partnership, report.category, report.latitude, report.longitude
            )
            if r.pk < report.pk
        ]
        report.possible_duplicate_of = earlier[0] if earlier else None
        report.awaiting_triage = False
        report.save(
            update_fields=[
                "zone", "street", "place", "organisation", "team",
                "first_response_due", "possible_duplicate_of", "awaiting_triage",
            ]
        )  # fmt: skip
        events.append(
            ReportEvent(
                report=report,
                kind=ReportEvent.Kind.RECEIVED,
                organisation=report.organisation,
                note=f"Passed to {report.organisation}." if report.organisation else "",
                at=report.created_at,
            )
        )
        found[report.reference] = earlier[0].reference if earlier else ""
    ReportEvent.objects.bulk_create(events)

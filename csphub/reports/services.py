"""What the reports app can do: take a report (or add a resident to one),
match it to open reports nearby, route it, update, re-route, merge, reopen,
and raise it at a ward group."""

import hashlib
import math
import os
from dataclasses import dataclass, field, fields
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from csphub.casework import services as casework
from csphub.casework.models import Issue
from csphub.structure.models import Body

from .models import Category, Report, Reporter, ReportEvent, RoutingRule
from .workdays import add_working_days

METRES_PER_DEGREE = 111_320


def match_metres():
    return getattr(settings, "CSPHUB_REPORTS_MATCH_METRES", 250)


def reopen_days():
    return getattr(settings, "CSPHUB_REPORTS_REOPEN_DAYS", 28)


def rate_limit_per_hour():
    """Reports one address may send an hour (0: no limit, for trusted networks)."""
    default = int(os.environ.get("CSPHUB_REPORTS_PER_HOUR", "20"))
    return getattr(settings, "CSPHUB_REPORTS_PER_HOUR", default)


def _hash(text):
    salted = f"{settings.SECRET_KEY}:{text}".encode()
    return hashlib.sha256(salted).hexdigest()[:64]


def victim_key(email, phone):
    """One key per person (their e-mail or phone), for counting reports per
    victim without comparing contact details in the clear."""
    if email:
        return _hash("email:" + email.strip().lower())
    digits = "".join(c for c in phone or "" if c.isdigit())
    return _hash("phone:" + digits) if len(digits) >= 6 else ""


def client_key(address):
    return _hash("ip:" + address) if address else ""


def rate_limited(address):
    """Whether this address has sent more reports this hour than allowed."""
    limit = rate_limit_per_hour()
    key = client_key(address)
    if not key or not limit:
        return False
    since = timezone.now() - timedelta(hours=1)
    return (
        Reporter.objects.filter(client_key=key, created_at__gte=since).count() >= limit
    )


def distance_m(lat1, lon1, lat2, lon2):
    """Metres between two points (equirectangular: exact enough within a town)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6_371_000 * math.hypot(x, y)


def nearby_open(partnership, category, latitude, longitude, metres=None):
    """Open reports of the same kind within `metres` (250 m unless set),
    nearest first, each with `.distance` set. One indexed range query."""
    metres = metres or match_metres()
    dlat = metres / METRES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(latitude)), 0.01)
    candidates = (
        Report.objects.filter(
            partnership=partnership,
            category=category,
            status__in=[s for s in Report.Status.values if s not in Report.FINISHED],
            latitude__range=(latitude - dlat, latitude + dlat),
            longitude__range=(longitude - dlon, longitude + dlon),
        )
        .select_related("category", "organisation")
        .order_by()
    )
    found = []
    for report in candidates:
        report.distance = distance_m(
            latitude, longitude, report.latitude, report.longitude
        )
        if report.distance <= metres:
            found.append(report)
    return sorted(found, key=lambda r: r.distance)


def routing_rules(partnership):
    """The partnership's routing rules (a short list), for pick_rule."""
    return list(
        RoutingRule.objects.filter(partnership=partnership)
        .select_related("area", "organisation")
        .defer("area__boundary")  # GeoJSON, not needed to route
    )


def pick_rule(rules, category, lsoa=None, ward=None, zone=None):
    """The rule that decides who receives a report: the most specific of
    those matching its category (or any) and place (or anywhere)."""
    places = {
        None,
        ("area", getattr(lsoa, "pk", None)),
        ("area", getattr(ward, "pk", None)),
    }
    places.add(("zone", getattr(zone, "pk", None)))

    def matches(rule):
        if rule.category_id not in (None, category.pk):
            return False
        if rule.area_id:
            return ("area", rule.area_id) in places
        if rule.zone_id:
            return ("zone", rule.zone_id) in places
        return True

    return max(
        (r for r in rules if matches(r)),
        key=lambda r: (r.specificity(), -r.pk),
        default=None,
    )


def route_for(partnership, category, lsoa=None, ward=None, zone=None):
    """The routing rule for a report of this category in this place, or None."""
    return pick_rule(routing_rules(partnership), category, lsoa, ward, zone)


@dataclass
class Details:
    """What a resident says about a problem (one Reporter row's worth)."""

    description: str = ""
    incident_date: object = None
    frequency: str = ""
    happening_now: bool = False
    alcohol: bool = False
    hate: bool = False
    name: str = ""
    email: str = ""
    phone: str = ""
    anonymous: bool = False
    photos: list = field(default_factory=list)  # (ContentFile, content type)

    def reporter_fields(self):
        """{field: value} for the Reporter row: all but the photos, saved apart."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name != "photos"
        }


def add_reporter(report, details, channel, entered_by, address):
    reporter = Reporter.objects.create(
        report=report,
        channel=channel,
        **details.reporter_fields(),
        victim_key=victim_key(details.email, details.phone),
        client_key=client_key(address),
        entered_by=entered_by,
    )
    for content, content_type in details.photos:
        photo = reporter.photos.model(reporter=reporter, content_type=content_type)
        photo.image.save(content.name, content, save=True)
    return reporter


def _count_people(report):
    """Refresh how many reports, and how many distinct people, are behind it."""
    rows = list(report.reporters.values_list("pk", "victim_key"))
    report.reporter_count = len(rows)
    report.people_count = len({key or f"anon-{pk}" for pk, key in rows})
    report.save(update_fields=["reporter_count", "people_count"])


def submit_report(
    partnership,
    category,
    placement,
    details,
    *,
    channel=Reporter.Channel.WEB,
    entered_by=None,
    address=None,
):
    """A new report: placed, routed, given its service level, and checked
    against open reports nearby (a possible duplicate is noted for staff).
    Returns the Reporter row (its token is the resident's private link).

    Routing and matching only read, so they run before the transaction: on
    SQLite the write lock is then held for the three inserts alone, which is
    what lets several processes take reports at once."""
    rule = route_for(
        partnership, category, placement.lsoa, placement.ward, placement.zone
    )
    now = timezone.now()
    nearby = nearby_open(partnership, category, placement.latitude, placement.longitude)
    with transaction.atomic():
        return _create_report(
            partnership,
            category,
            placement,
            details,
            rule,
            nearby,
            now,
            channel=channel,
            entered_by=entered_by,
            address=address,
        )


def _create_report(partnership, category, placement, details, rule, nearby, now, **how):
    report = Report.objects.create(
        partnership=partnership,
        category=category,
        **placement.fields(),
        organisation=rule.organisation if rule else None,
        team=rule.team if rule else "",
        created_at=now,
        first_response_due=add_working_days(
            timezone.localdate(now), category.first_response_days
        ),
        possible_duplicate_of=nearby[0] if nearby else None,
    )
    reporter = add_reporter(
        report, details, how["channel"], how["entered_by"], how["address"]
    )
    ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.RECEIVED,
        organisation=report.organisation,
        by=how["entered_by"],
        note=f"Passed to {report.organisation}." if report.organisation else "",
    )
    return reporter  # one report, one person: the counts' defaults


@transaction.atomic
def join_report(
    report, details, *, channel=Reporter.Channel.WEB, entered_by=None, address=None
):
    """Add a resident to an open report ("this is happening to me too")."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_open():
        raise ValidationError("That report is closed: make a new report instead.")
    reporter = add_reporter(report, details, channel, entered_by, address)
    ReportEvent.objects.create(report=report, kind=ReportEvent.Kind.JOINED, public=True)
    _count_people(report)
    return reporter


def _mail_reporters(report, subject, message):
    """E-mail every resident attached to the report who gave an address."""
    for reporter in report.reporters.exclude(email="").filter(anonymised_at=None):
        link = getattr(settings, "CSPHUB_SITE_URL", "") + reverse(
            "reports:follow", args=[reporter.token]
        )
        context = {"report": report, "message": message, "link": link}
        send_mail(
            subject,
            render_to_string("reports/email/update.txt", context),
            None,
            [reporter.email],
            html_message=render_to_string("reports/email/update.html", context),
            fail_silently=True,
        )


@transaction.atomic
def update_status(
    report, by, *, status, public_note="", internal_note="", outcome="", notify=True
):
    """Change a report's status with a public and/or internal note; the first
    change from "received" is its first response. Residents are e-mailed."""
    if status == Report.Status.MERGED or status not in Report.Status.values:
        raise ValidationError("Choose a status.")
    if status == Report.Status.CLOSED and not outcome:
        raise ValidationError("Say what the outcome was before closing it.")
    now = timezone.now()
    fields = ["status"]
    report.status = status
    if report.first_response_at is None and (
        status != Report.Status.RECEIVED or public_note
    ):
        report.first_response_at = now
        fields.append("first_response_at")
    if status == Report.Status.CLOSED:
        report.closed_at, report.outcome = now, outcome[:300]
        fields += ["closed_at", "outcome"]
    report.save(update_fields=fields)
    ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.STATUS,
        status=status,
        note=public_note or (outcome if status == Report.Status.CLOSED else ""),
        by=by,
        organisation=report.organisation,
    )
    if internal_note:
        ReportEvent.objects.create(
            report=report,
            kind=ReportEvent.Kind.NOTE,
            public=False,
            note=internal_note,
            by=by,
        )
    if notify:
        _mail_reporters(
            report,
            f"Your report {report.reference}: {report.get_status_display()}",
            public_note or outcome,
        )
    return report


@transaction.atomic
def reroute(report, by, *, organisation, reason, notify=True):
    """Pass a report to another partner; the resident is told who has it."""
    if organisation == report.organisation:
        raise ValidationError("It is already with that partner.")
    if not reason.strip():
        raise ValidationError("Give a reason for passing it on.")
    before = report.organisation
    report.organisation, report.team = organisation, ""
    report.save(update_fields=["organisation", "team"])
    ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.ROUTED,
        organisation=organisation,
        note=f"Passed from {before} to {organisation}.",
        by=by,
    )
    ReportEvent.objects.create(
        report=report, kind=ReportEvent.Kind.NOTE, public=False, note=reason, by=by
    )
    if notify:
        _mail_reporters(
            report,
            f"Your report {report.reference} is now with {organisation}",
            f"{organisation} now deals with your report."
            " You do not need to report it again.",
        )
    return report


@transaction.atomic
def merge(duplicate, into, by):
    """Merge a duplicate into another open report of the same partnership:
    its residents move across and hear about the other's updates."""
    if duplicate.pk == into.pk or duplicate.partnership_id != into.partnership_id:
        raise ValidationError("Choose another report of this partnership.")
    if not into.is_open():
        raise ValidationError("A report can be merged only into an open one.")
    duplicate.reporters.update(report=into)
    duplicate.status, duplicate.merged_into = Report.Status.MERGED, into
    duplicate.closed_at = timezone.now()
    duplicate.save(update_fields=["status", "merged_into", "closed_at"])
    note = f"Report {duplicate.reference} was merged into {into.reference}."
    ReportEvent.objects.create(
        report=into, kind=ReportEvent.Kind.MERGED, note=note, by=by
    )
    ReportEvent.objects.create(
        report=duplicate, kind=ReportEvent.Kind.MERGED, note=note, by=by
    )
    _count_people(into)
    duplicate.reporter_count = duplicate.people_count = 0
    duplicate.save(update_fields=["reporter_count", "people_count"])
    return into


def can_reopen(report, today=None):
    """A resident may say "not fixed" within 28 days (configurable) of closing."""
    if report.status != Report.Status.CLOSED or report.closed_at is None:
        return False
    today = today or timezone.localdate()
    return (today - timezone.localdate(report.closed_at)).days <= reopen_days()


@transaction.atomic
def reopen(reporter, note):
    """The resident says it is not fixed: the report goes back to assessing."""
    report = reporter.report
    if not can_reopen(report):
        raise ValidationError("This report can no longer be reopened.")
    report.status, report.closed_at = Report.Status.ASSESSING, None
    report.save(update_fields=["status", "closed_at"])
    ReportEvent.objects.create(
        report=report, kind=ReportEvent.Kind.REOPENED, note=note[:2000]
    )
    return report


def record_satisfaction(reporter, satisfied):
    reporter.satisfied = satisfied
    reporter.save(update_fields=["satisfied"])


def ward_groups(report):
    """Bodies a report can be raised at: its ward's or zone's groups first."""
    bodies = Body.objects.filter(partnership=report.partnership).current()
    local = (
        bodies.filter(Q(ward=report.ward) | Q(zone=report.zone))
        if report.ward_id
        else bodies.none()
    )
    return list(local) + [b for b in bodies.order_by("name") if b not in local]


@transaction.atomic
def raise_as_issue(report, by, body):
    """Raise the report as a casework issue on a body's action log."""
    issue = casework.raise_issue(
        report.partnership,
        body,
        by,
        title=f"{report.category.name}: {report.public_place()}"[:200],
        description=f"Residents' report {report.reference}"
        f" ({report.people_count} people, {report.reporter_count} reports).",
        theme=report.category.theme,
        zone=report.zone,
        ward=report.ward,
        lsoa=report.lsoa,
        latitude=report.latitude,
        longitude=report.longitude,
        location=report.place[:200],
        origin=Issue.Origin.RESIDENT,
        origin_detail=f"Residents' report {report.reference}",
    )
    link_issue(report, by, issue)
    return issue


def link_issue(report, by, issue):
    """Link a report to an existing casework issue."""
    report.issue_id = issue.pk
    report.save(update_fields=["issue_id"])
    ReportEvent.objects.create(
        report=report,
        kind=ReportEvent.Kind.ISSUE,
        note=f"Taken to {issue.body.name}.",
        by=by,
    )


def overdue(reports, today):
    """Open reports past their first-response date with no response yet."""
    return reports.open().filter(first_response_at=None, first_response_due__lt=today)


def overdue_by_partner(partnership, today):
    """[(organisation name, open, overdue)] for every partner receiving reports."""
    return list(
        Report.objects.filter(partnership=partnership)
        .open()
        .values(name=F("organisation__name"))
        .annotate(
            open=Count("pk"),
            overdue=Count(
                "pk",
                filter=Q(first_response_at=None, first_response_due__lt=today),
            ),
        )
        .order_by("name")
    )


def categories():
    return Category.objects.all()

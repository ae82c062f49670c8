"""The reports part of the demo: Haringey's gazetteer (from the police.uk
"On or near ..." snap points), routing rules, and a few hundred residents'
reports over recent months with merged duplicates, re-routes, overdue ones,
one place past the Community Trigger threshold and a case review under way.

The reports are invented (labelled so in their text); the streets are real.
"""

import random
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from django.apps import apps as django_apps
from django.db import transaction
from django.utils import timezone

from csphub.accounts.models import Organisation, User
from csphub.places.models import Area

from . import gazetteer, services, trigger
from .models import Category, Report, Reporter, ReportEvent, RoutingRule, Street
from .workdays import add_working_days

COUNCIL_ASB = "Haringey Council – Community Safety"
ENVIRONMENT = "Haringey Council – Urban Environment and Enforcement"
POLICE = "Metropolitan Police Service"
FIRE = "London Fire Brigade"
HOUSING = "Homes for Haringey"
# (organisation, team) -> the category codes it takes; anything else goes to
# the council's ASB team
ROUTES = {
    (POLICE, "Safer Neighbourhood Team"): [
        "drug-dealing",
        "intimidation",
        "begging",
        "street-drinking",
    ],
    (ENVIRONMENT, "Enforcement"): ["fly-tipping", "vehicles", "vandalism"],
    (FIRE, "Borough fire safety"): ["secondary-fire"],
}
# Housing provider's estates (demo assumption): its tenants' noise and
# neighbour problems go to the housing provider in these wards.
ESTATE_WARDS = ["Northumberland Park", "Tottenham Hale"]
ESTATE_CATEGORIES = ["noise", "neighbours", "rowdy"]
TRIGGER_STREET = "Lansdowne Road"


def load_reports_demo(partnership, shared_dir):
    """Lines to print and what was missing."""
    lines, missing = [], []
    _categories()
    folder = Path(shared_dir) / "data" / "policeuk" / "haringey"
    borough = partnership.borough
    if not Street.objects.filter(borough=borough).exists():
        files = sorted(folder.glob("*-metropolitan-street.csv"))
        if files and Area.objects.lsoas().filter(parent__parent=borough).exists():
            loaded, skipped = gazetteer.load_gazetteer(partnership, files)
            lines.append(
                f"Gazetteer: {loaded} street points from police.uk snap points"
                f" ({skipped} outside the borough skipped)."
            )
        else:
            missing.append(
                "Gazetteer: police.uk files or LSOA boundaries not found, so the"
                " report form cannot find Haringey's streets."
            )
    _routing(partnership)
    if Street.objects.filter(borough=borough).exists():
        lines += _reports(partnership)
    return lines, missing


def _categories():
    """The reference categories of the data migration, again if a test's
    flush removed them."""
    if not Category.objects.exists():
        migration = import_module("csphub.reports.migrations.0002_categories")
        migration.add_categories(django_apps, None)


def _routing(partnership):
    if RoutingRule.objects.filter(partnership=partnership).exists():
        return
    org = {o.name: o for o in Organisation.objects.all()}
    RoutingRule.objects.create(
        partnership=partnership, organisation=org[COUNCIL_ASB], team="ASB team"
    )
    for (name, team), codes in ROUTES.items():
        for code in codes:
            RoutingRule.objects.create(
                partnership=partnership,
                category=Category.objects.get(code=code),
                organisation=org[name],
                team=team,
            )
    for ward in Area.objects.wards().filter(
        parent=partnership.borough, name__in=ESTATE_WARDS
    ):
        for code in ESTATE_CATEGORIES:
            RoutingRule.objects.create(
                partnership=partnership,
                category=Category.objects.get(code=code),
                area=ward,
                organisation=org[HOUSING],
                team="Tenancy management",
            )


# What the partner did, by kind: the "you said, we did" of the influence map.
OUTCOMES = {
    "noise": "Noise abatement notice served after diary sheets",
    "rowdy": "Dispersal patrols at the shops on Friday and Saturday evenings",
    "drug-dealing": "Passed to the Safer Neighbourhood Team; a warrant executed",
    "street-drinking": "Controlled drinking zone enforced; outreach referral made",
    "begging": "Outreach team engaged; referral to housing support",
    "intimidation": "Warnings given; acceptable behaviour contracts signed",
    "neighbours": "Tenancy warning issued; mediation offered",
    "vandalism": "Shelter glass replaced and graffiti removed within 48 hours",
    "fly-tipping": "Waste cleared; fixed penalty notice issued",
    "vehicles": "Vehicle removed by the council",
    "secondary-fire": "Bins moved away from the building; fire safety visit made",
}
DESCRIPTIONS = {
    "noise": "Loud music late at night from a flat, most nights after 11pm.",
    "rowdy": "A group gathers outside the shops shouting and blocking the pavement.",
    "drug-dealing": "Cars stop briefly and people hand things over at the corner.",
    "street-drinking": "People drinking on the benches all afternoon, leaving cans.",
    "begging": "Aggressive begging by the cash machine.",
    "intimidation": "Young people follow residents and make threats.",
    "neighbours": "Constant banging and shouting from the neighbouring flat.",
    "vandalism": "Bus shelter glass smashed and graffiti on the walls.",
    "fly-tipping": "Mattresses and black bags dumped by the garages.",
    "vehicles": "A car with no plates left on the street for weeks.",
    "secondary-fire": "Someone set fire to the bins behind the block.",
}


@transaction.atomic
def _reports(partnership, count=300, seed=13):
    """Bulk-made (the demo loads before every test session): reports, the
    people behind them and their histories; then a few merges through the
    services, so merged duplicates look as they would."""
    if Report.objects.filter(partnership=partnership).exists():
        return []
    rng = random.Random(seed)
    streets = list(
        Street.objects.filter(borough=partnership.borough)
        .select_related("lsoa", "ward")
        .defer("lsoa__boundary", "ward__boundary")  # megabytes of GeoJSON
        .order_by("pk")
    )
    cats = list(Category.objects.all())
    rules = services.routing_rules(partnership)
    zones = gazetteer.zones_by_ward(partnership)
    now = timezone.now()
    officer = User.objects.filter(username="officer").first()
    orgs = list(
        partnership.organisations.filter(name__in=[COUNCIL_ASB, POLICE, HOUSING])
    )
    reports, plans = [], []
    for i in range(count):
        street, category = rng.choice(streets), rng.choice(cats)
        when = now - timedelta(days=rng.randint(0, 180), hours=rng.randint(0, 23))
        placed = gazetteer.place_street(partnership, street, zones)
        rule = services.pick_rule(
            rules, category, placed.lsoa, placed.ward, placed.zone
        )
        reports.append(
            Report(
                partnership=partnership,
                category=category,
                latitude=street.latitude,
                longitude=street.longitude,
                street=street,
                place=street.name,
                lsoa=placed.lsoa,
                ward=placed.ward,
                zone=placed.zone,
                organisation=rule.organisation if rule else None,
                team=rule.team if rule else "",
                created_at=when,
                first_response_due=add_working_days(
                    timezone.localdate(when), category.first_response_days
                ),
            )
        )
        plans.append((f"demo{i}", when, rng.random()))
    events = []
    for report, (_, when, roll) in zip(reports, plans, strict=True):
        events += _history(report, when, roll, now, officer, orgs)
    Report.objects.bulk_create(reports)
    Reporter.objects.bulk_create(
        [
            _reporter(r, who, when, rng)
            for r, (who, when, _) in zip(reports, plans, strict=True)
        ]
    )
    ReportEvent.objects.bulk_create(events)
    merged = _merges(partnership, reports, officer)
    lines = [
        f"Residents' reports: {count} invented reports across Haringey's wards,"
        f" {merged} merged as duplicates."
    ]
    return lines + _trigger_place(partnership, streets, now)


# Invented residents' names, as a partner's case list would show them.
FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Daniel", "Efua", "Fatima", "George", "Hannah",
    "Ibrahim", "Jade", "Kwame", "Laura", "Mehmet", "Nia", "Oliver", "Priya",
    "Ricardo", "Sophie", "Tomasz", "Yusuf",
]  # fmt: skip
SURNAMES = [
    "Ahmed", "Brown", "Clarke", "Demir", "Evans", "Francis", "Green", "Hussain",
    "Johnson", "Kowalski", "Lewis", "Mensah", "Nowak", "Okafor", "Patel",
    "Roberts", "Smith", "Taylor", "Williams", "Yilmaz",
]  # fmt: skip
TRIGGER_RESIDENT = "Margaret Doyle"


def resident_name(who):
    """The same invented name for a resident on every load (its own random
    stream: the report's draws stay as they were)."""
    rng = random.Random(who)
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def _reporter(report, who, when, rng):
    category = report.category
    email = f"{who}@residents.invalid"
    return Reporter(
        report=report,
        channel=rng.choice([Reporter.Channel.WEB] * 6 + [Reporter.Channel.PHONE]),
        description=DESCRIPTIONS[category.code] + " (Demo report.)",
        incident_date=(when - timedelta(days=rng.randint(0, 10))).date(),
        frequency=rng.choice(Reporter.Frequency.values),
        alcohol=category.code in ("street-drinking", "rowdy") and rng.random() < 0.5,
        hate=category.code == "intimidation" and rng.random() < 0.2,
        name=resident_name(who),
        email=email,
        anonymous=rng.random() < 0.15,
        victim_key=services.victim_key(email, ""),
        created_at=when,
    )


def _event(report, kind, at, **fields):
    return ReportEvent(report=report, kind=kind, at=at, **fields)


def _history(report, when, roll, now, officer, orgs):
    """Events for one report, its state set to match: the newest and about
    one in eight left untouched (the older of those overdue), some passed to
    another partner, most responded to, older ones mostly closed."""
    age = (now - when).days
    events = [
        _event(
            report, ReportEvent.Kind.RECEIVED, when, organisation=report.organisation
        )
    ]
    if age < 3 or roll < 0.12:
        return events
    step = timedelta(days=2)
    if roll < 0.2 and report.organisation in orgs:
        other = next(o for o in orgs if o != report.organisation)
        note = f"Passed from {report.organisation} to {other}."
        events.append(
            _event(
                report,
                ReportEvent.Kind.ROUTED,
                when + step,
                organisation=other,
                by=officer,
                note=note,
            )
        )
        events.append(
            _event(
                report,
                ReportEvent.Kind.NOTE,
                when + step,
                public=False,
                by=officer,
                note="Demo: this partner deals with it here.",
            )
        )
        report.organisation, report.team = other, ""
    report.status, report.first_response_at = Report.Status.IN_HAND, when + step
    events.append(
        _event(
            report,
            ReportEvent.Kind.STATUS,
            when + step,
            status=report.status,
            by=officer,
            organisation=report.organisation,
            note="An officer is looking into this.",
        )
    )
    if age > 30 and roll < 0.75:
        report.status, report.closed_at = Report.Status.CLOSED, when + 4 * step
        report.outcome = OUTCOMES[report.category.code]
        events.append(
            _event(
                report,
                ReportEvent.Kind.STATUS,
                report.closed_at,
                status=report.status,
                by=officer,
                organisation=report.organisation,
                note=f"{OUTCOMES[report.category.code]}.",
            )
        )
    return events


def _merges(partnership, reports, officer, wanted=12):
    """Merge some open reports into an open one of the same kind nearby
    (compared in memory: the demo's reports are all at hand)."""
    metres = services.match_metres()
    open_ones = [r for r in reports if r.status not in Report.FINISHED]
    merged, gone = 0, set()
    for i, report in enumerate(open_ones):
        if merged >= wanted:
            break
        for other in open_ones[i + 1 :]:
            if (
                other.category_id == report.category_id
                and other.pk not in gone
                and services.distance_m(
                    report.latitude, report.longitude, other.latitude, other.longitude
                )
                <= metres
            ):
                services.merge(report, other, officer)
                gone.add(report.pk)
                merged += 1
                break
    return merged


def _trigger_place(partnership, streets, now):
    """Four qualifying noise reports in one street over three months from one
    resident, and the case review she asked for, acknowledged."""
    street = next((s for s in streets if s.name == TRIGGER_STREET), streets[0])
    noise = Category.objects.get(code="noise")
    rng = random.Random(7)
    report = None
    for n, days in enumerate((95, 60, 31, 6)):
        when = now - timedelta(days=days)
        details = services.Details(
            description=f"Noise from the same address again: report {n + 1}."
            " (Demo report.)",
            incident_date=(when - timedelta(days=rng.randint(0, 5))).date(),
            frequency=Reporter.Frequency.WEEKLY,
            name=TRIGGER_RESIDENT,
            email="trigger@residents.invalid",
        )
        placement = gazetteer.place_street(partnership, street)
        reporter = services.submit_report(partnership, noise, placement, details)
        Reporter.objects.filter(pk=reporter.pk).update(created_at=when)
        report = reporter.report
    review = trigger.apply(
        partnership,
        name=TRIGGER_RESIDENT,
        email="trigger@residents.invalid",
        account="Four reports about noise since the summer and nothing has changed."
        " (Demo application.)",
        report=report,
    )
    trigger.acknowledge(review)
    return [
        f"Community Trigger: four reports in {street.name} from one resident;"
        f" case review {review.reference} acknowledged, threshold decision due"
        f" {review.decide_by:%d %b %Y}."
    ]

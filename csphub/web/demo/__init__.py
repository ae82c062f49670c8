"""The demo partnership, built from the source documents in shared/seeds/.

Facts, not copied text: the organisations the documents name, Haringey's 19
wards (2002-2022), the three zones of shared/data/README.md and the demo's
users are in partnerships.json beside this file. Later apps add their own part
of the demo here (bodies, KPIs, crime data, cases), each from its own files.
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from csphub.accounts import services as accounts
from csphub.accounts.demo import load_agreements_demo
from csphub.accounts.models import (
    Organisation,
    Partnership,
    PartnershipMember,
    Role,
    User,
)
from csphub.casework.demo import load_casework_demo, load_linked_problems_demo
from csphub.delivery.demo import load_delivery_demo
from csphub.intelligence.datasets.demo import load_dataset_demo
from csphub.intelligence.demo import (
    load_crime_demo,
    load_harm_demo,
    prepare_demo_briefings,
)
from csphub.intelligence.kpi import count_crime_kpis
from csphub.meetings.demo import load_meetings_demo
from csphub.offenders.demo import load_offenders_demo
from csphub.performance.demo import load_performance_demo, load_review_demo
from csphub.places import services as places
from csphub.places.demo import load_place_contacts_demo
from csphub.places.models import Area
from csphub.reports.demo import load_reports_demo
from csphub.structure.demo import load_structure_demo
from csphub.web.search_index import rebuild_index

# The partnerships' facts, as a file an officer can read and change.
DATA = json.loads((Path(__file__).parent / "partnerships.json").read_text())
HARINGEY = tuple(DATA["boroughs"]["haringey"])
BARNET = tuple(DATA["boroughs"]["barnet"])
HARINGEY_WARDS = DATA["haringey_wards"]
# zone name -> (description, ward names)
ZONES = {name: (z["description"], z["wards"]) for name, z in DATA["zones"].items()}
# (name, kind, statutory partner)
ORGANISATIONS = [tuple(o) for o in DATA["organisations"]["haringey"]]
BARNET_ORGANISATIONS = [tuple(o) for o in DATA["organisations"]["barnet"]]
# username: (first name, last name, organisation, partnership slug, roles)
USERS = {
    username: (
        u["first_name"], u["last_name"], u["organisation"], u["partnership"],
        [Role(r) for r in u["roles"]],
    )
    for username, u in DATA["users"].items()
}  # fmt: skip


@dataclass
class DemoReport:
    """What load_demo did, and what it could not do."""

    lines: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    def say(self, line):
        self.lines.append(line)


def demo_password():
    return os.environ.get("CSPHUB_DEMO_PASSWORD", "csphub-demo")


@transaction.atomic
def load_demo(shared_dir=None, *, crime=True):
    """Build (or bring up to date) the demo partnerships. Idempotent.

    `crime=False` leaves out the police.uk import (85,000 rows), for tests
    that import only the months they need.
    """
    report = DemoReport()
    shared_dir = shared_dir or settings.SHARED_DIR
    _load_areas(shared_dir, report)
    haringey = _partnership(
        "haringey", "Haringey Community Safety Partnership", HARINGEY, ORGANISATIONS
    )
    barnet = _partnership(
        "barnet", "Safer Communities Partnership Barnet", BARNET, BARNET_ORGANISATIONS
    )
    for name, (description, ward_names) in ZONES.items():
        codes = [code for code, ward in HARINGEY_WARDS.items() if ward in ward_names]
        places.define_zone(haringey, name, codes, description=description)
    report.say(
        "Zones: " + ", ".join(f"{n} ({len(w)} wards)" for n, (_, w) in ZONES.items())
    )
    _users({"haringey": haringey, "barnet": barnet})
    # The administrator also administers Barnet, to show the partnership switcher.
    accounts.grant_role(User.objects.get(username="admin"), barnet, Role.ADMIN)
    report.lines += load_agreements_demo({"haringey": haringey, "barnet": barnet})
    report.lines += load_structure_demo(haringey, barnet)
    report.lines += load_place_contacts_demo(
        haringey, lambda name: Organisation.objects.get(name=name)
    )
    if crime:
        lines, missing = load_crime_demo(haringey, shared_dir)
        report.lines += lines
        report.missing += missing
        if lines:  # the synthetic partner data sets are drawn from the crime data
            report.lines += load_dataset_demo(haringey)
            report.lines += load_harm_demo(haringey)
            report.lines += prepare_demo_briefings(haringey)  # after the data
    report.lines += load_performance_demo(haringey, illustrative_crime=not crime)
    if crime:
        count_crime_kpis(haringey)
    report.lines += load_offenders_demo(haringey)  # computes the IOM KPIs
    report.lines += load_review_demo(haringey)
    report.lines += load_casework_demo(haringey)
    report.lines += load_linked_problems_demo(haringey)
    report.lines += load_delivery_demo(haringey, barnet)
    lines, missing = load_reports_demo(haringey, shared_dir)
    report.lines += lines
    report.missing += missing
    report.lines += load_meetings_demo(haringey)
    counts = rebuild_index()  # the loaders' bulk writes skip the index
    report.say(f"Search index: {sum(counts.values())} records.")
    return report


def _load_areas(shared_dir, report):
    folder = places.shared_places_dir(shared_dir)
    lsoas = folder / "haringey-lsoa-2011.geojson"
    lookup = folder / "haringey-lsoa11-to-ward18.csv"
    boroughs = folder / "london-boroughs.geojson"
    if lsoas.exists() and lookup.exists() and boroughs.exists():
        if Area.objects.lsoas().filter(parent__parent__code=HARINGEY[0]).count() >= 145:
            report.say(
                "Boundaries already loaded: Haringey's wards and LSOAs,"
                " London's boroughs."
            )
            return
        result = places.load_areas(lsoas, lookup, boroughs)
        report.say(f"Boundaries loaded from {folder}: {result.summary()}.")
        return
    report.missing.append(
        f"Boundary files not found in {folder}: the ward and zone tree is loaded"
        " without boundaries or LSOAs, so the map has nothing to draw."
    )
    haringey = places.ensure_area(*HARINGEY, Area.Kind.BOROUGH)
    places.ensure_area(*BARNET, Area.Kind.BOROUGH)
    for code, name in HARINGEY_WARDS.items():
        places.ensure_area(code, name, Area.Kind.WARD, haringey)


def _partnership(slug, name, borough, organisations):
    partnership, _ = Partnership.objects.update_or_create(
        slug=slug,
        defaults={"name": name, "borough": Area.objects.get(code=borough[0])},
    )
    for org_name, kind, statutory in organisations:
        organisation, _ = Organisation.objects.update_or_create(
            name=org_name, defaults={"kind": kind, "statutory": statutory}
        )
        PartnershipMember.objects.get_or_create(
            partnership=partnership, organisation=organisation
        )
    return partnership


def _users(partnerships):
    password = demo_password()
    for username, (first, last, org_name, slug, roles) in USERS.items():
        user = accounts.ensure_user(
            username,
            organisation=Organisation.objects.get(name=org_name),
            first_name=first,
            last_name=last,
            email=f"{username}@csphub.invalid",
            password=password,
        )
        for role in roles:
            accounts.grant_role(user, partnerships[slug], role)

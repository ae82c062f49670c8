"""The demo's named contacts for Haringey's zones and wards (Calderdale 3.2: a
single point of contact for every place).

The Zonal Working terms of reference (seed 000) name the Neighbourhood
Manager, with the SNT Inspector, as the officers behind each zone, and SNT
sergeants and Neighbourhood Managers as leads of local problem solving. The
demo names posts, not people, and its addresses are on a reserved example
domain; 101 is the police's real non-emergency number.
"""

from dataclasses import dataclass

from django.utils.text import slugify

from .models import Zone
from .services import set_place_contact

NEIGHBOURHOODS = "Haringey Council – Neighbourhoods"
POLICE = "Metropolitan Police Service"


@dataclass(frozen=True)
class Post:
    """The post that is a kind of place's contact: `lead_officer` and `email`
    name the place's post, from its {name} and {slug}."""

    organisation: str
    lead_officer: str
    role: str
    email: str
    phone: str
    how_to_reach: str

    def contact(self, place, slug, organisation):
        """set_place_contact's fields for one place of this kind."""
        texts = {k: v.format(name=place.name, slug=slug) for k, v in vars(self).items()}
        return {**texts, "organisation": organisation}


# Organisation; lead officer and role; e-mail and phone; how to reach them.
ZONE_POST = Post(
    NEIGHBOURHOODS,
    "{name} zone Neighbourhood Manager", "Neighbourhood Manager",
    "{slug}.zone@haringey-csp.example", "020 8489 0000",
    "Agrees the zonal group's agenda with the chair and the Safer Neighbourhood"
    " Team Inspector.",
)  # fmt: skip
WARD_POST = Post(
    POLICE,
    "{name} Safer Neighbourhood Team sergeant",
    "Police sergeant, Safer Neighbourhood Team",
    "{slug}.snt@met-police.example", "101",
    "Ward panel meetings; 101 for non-emergencies, 999 in an emergency.",
)  # fmt: skip


def load_place_contacts_demo(partnership, organisation_named):
    """A contact for every zone and ward of the partnership (idempotent).
    `organisation_named(name)` finds an organisation (places is below
    accounts, so the caller supplies it)."""
    council = organisation_named(ZONE_POST.organisation)
    police = organisation_named(WARD_POST.organisation)
    zones = list(Zone.objects.filter(partnership=partnership).prefetch_related("wards"))
    wards = 0
    for zone in zones:
        contact = ZONE_POST.contact(zone, zone.slug, council)
        set_place_contact(partnership, zone=zone, **contact)
        for ward in zone.wards.all():
            contact = WARD_POST.contact(ward, slugify(ward.name), police)
            set_place_contact(partnership, ward=ward, **contact)
            wards += 1
    return [f"Place contacts: {len(zones)} zones, {wards} wards."]

"""The demo's named contacts for Haringey's zones and wards (Calderdale 3.2: a
single point of contact for every place).

The Zonal Working terms of reference (seed 000) name the Neighbourhood
Manager, with the SNT Inspector, as the officers behind each zone, and SNT
sergeants and Neighbourhood Managers as leads of local problem solving. The
demo names posts, not people, and its addresses are on a reserved example
domain; 101 is the police's real non-emergency number.
"""

from django.utils.text import slugify

from .models import Zone
from .services import set_place_contact

NEIGHBOURHOODS = "Haringey Council – Neighbourhoods"
POLICE = "Metropolitan Police Service"


def load_place_contacts_demo(partnership, organisation_named):
    """A contact for every zone and ward of the partnership (idempotent).
    `organisation_named(name)` finds an organisation (places is below
    accounts, so the caller supplies it)."""
    council = organisation_named(NEIGHBOURHOODS)
    police = organisation_named(POLICE)
    zones = list(Zone.objects.filter(partnership=partnership).prefetch_related("wards"))
    wards = 0
    for zone in zones:
        set_place_contact(
            partnership,
            zone=zone,
            lead_officer=f"{zone.name} zone Neighbourhood Manager",
            role="Neighbourhood Manager",
            organisation=council,
            email=f"{zone.slug}.zone@haringey-csp.example",
            phone="020 8489 0000",
            how_to_reach="Agrees the zonal group's agenda with the chair and the"
            " Safer Neighbourhood Team Inspector.",
        )
        for ward in zone.wards.all():
            set_place_contact(
                partnership,
                ward=ward,
                lead_officer=f"{ward.name} Safer Neighbourhood Team sergeant",
                role="Police sergeant, Safer Neighbourhood Team",
                organisation=police,
                email=f"{slugify(ward.name)}.snt@met-police.example",
                phone="101",
                how_to_reach="Ward panel meetings; 101 for non-emergencies, 999 in"
                " an emergency.",
            )
            wards += 1
    return [f"Place contacts: {len(zones)} zones, {wards} wards."]

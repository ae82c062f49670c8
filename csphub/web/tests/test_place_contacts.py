"""A named contact for every zone and ward (issue 19 item 8): shown on the
place's page with the group that deals with it; administrators set it."""

import pytest
from django.urls import reverse

from csphub.accounts.models import AuditEntry, Partnership
from csphub.lib.tests.pages import assert_answers, one_h1
from csphub.places.models import Area, PlaceContact, Zone
from csphub.places.services import set_place_contact

pytestmark = pytest.mark.django_db
SIGNED_IN = {"officer", "member", "analyst", "handler", "iom", "admin"}
SOUTH = "south"
TOTTENHAM_GREEN = "E05000280"


def test_the_demo_names_a_contact_for_every_zone_and_ward():
    haringey = Partnership.objects.get(slug="haringey")
    zones = Zone.objects.filter(partnership=haringey)
    wards = Area.objects.filter(zones__in=zones)
    contacts = PlaceContact.objects.filter(partnership=haringey)
    assert {c.zone_id for c in contacts if c.zone_id} == {z.pk for z in zones}
    assert {c.ward_id for c in contacts if c.ward_id} == {w.pk for w in wards}
    assert all(c.has_a_way_to_reach() and c.organisation_id for c in contacts)


@pytest.mark.parametrize(
    "name,arg",
    [("web:zone-detail", SOUTH), ("web:area-detail", TOTTENHAM_GREEN)],
)
def test_place_pages_show_the_contact_and_the_group(
    name, arg, persona, client_for, django_assert_max_num_queries
):
    client = client_for(persona)
    with django_assert_max_num_queries(25):
        response = client.get(reverse(name, args=[arg]))
    if persona not in SIGNED_IN:
        assert response.status_code in (302, 403, 404)
        return
    page = response.content.decode()
    assert response.status_code == 200 and one_h1(response)
    assert "Who to contact" in page
    if name == "web:zone-detail":
        assert "South zone Neighbourhood Manager" in page
        assert "South Zonal Working group" in page
        assert "Tottenham Green Safer Neighbourhood Team sergeant" in page
    else:
        assert "Tottenham Green Safer Neighbourhood Team sergeant" in page
        assert "Tottenham Green Area Based Working group" in page
        assert "mailto:tottenham-green.snt@met-police.example" in page
    assert ("Change the contact" in page) == (persona == "admin")


@pytest.mark.parametrize(
    "name,arg", [("web:zone-contact", SOUTH), ("web:area-contact", TOTTENHAM_GREEN)]
)
def test_contact_forms_answer_each_persona(name, arg, persona, client_for):
    response = client_for(persona).get(reverse(name, args=[arg]))
    assert_answers(response, persona, {"admin"})


def test_admin_changes_a_ward_contact_on_the_record(client_for):
    response = client_for("admin").post(
        reverse("web:area-contact", args=[TOTTENHAM_GREEN]),
        {
            "lead_officer": "Sgt A. Example",
            "role": "Ward sergeant",
            "email": "sgt.example@met-police.example",
            "phone": "101",
            "how_to_reach": "Surgery on Tuesdays",
        },
    )
    assert response.status_code == 302
    contact = PlaceContact.objects.get(ward__code=TOTTENHAM_GREEN)
    assert contact.lead_officer == "Sgt A. Example"
    assert AuditEntry.objects.filter(record_id=str(contact.pk)).exists()


def test_a_bad_email_gets_a_clear_message(client_for):
    response = client_for("admin").post(
        reverse("web:zone-contact", args=[SOUTH]),
        {"lead_officer": "Someone", "email": "not an address"},
    )
    assert response.status_code == 200
    assert "Enter an e-mail address in the right form" in response.content.decode()


def test_a_ward_of_another_borough_is_not_found(client_for):
    elsewhere = Area.objects.create(code="E09999999", name="Elsewhere", kind="borough")
    ward = Area.objects.create(
        code="E05999999", name="Far ward", kind="ward", parent=elsewhere
    )
    response = client_for("admin").get(reverse("web:area-contact", args=[ward.code]))
    assert response.status_code == 404


def test_a_contact_is_for_one_zone_or_one_ward():
    haringey = Partnership.objects.get(slug="haringey")
    with pytest.raises(ValueError):
        set_place_contact(haringey, lead_officer="x")

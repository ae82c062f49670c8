"""Lead agencies: Table 3 from data, the requirements checklist, and the
lead gap as a structure review finding."""

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.structure.services import review_structure

from ..demo import read
from ..models import LeadAcceptance, LeadRequirement
from .factories import barnet, haringey, priority

pytestmark = pytest.mark.django_db


def test_table_3_is_data():
    table_3 = read("barnet")["leads"]
    for row in table_3:
        p = priority(row["priority"], barnet())
        assert p.full_name() == row["wording"]
        allocated = sorted(o.name for o in p.allocated_leads.all())
        assert allocated == sorted(row["allocated"])
        assert sorted(o.name for o in p.actual_leads.all()) == sorted(row["actual"])
        assert p.actual_lead_note == row["note"]
    names = [row["priority"] for row in table_3]
    gaps = [name for name in names if priority(name, barnet()).lead_gap()]
    assert gaps == [
        "Violent crime and domestic violence",
        "Integrated Offender Management",
        "Repeat victimisation",
    ]


def test_lead_gap_is_a_structure_review_finding():
    result = review_structure(barnet(), timezone.localdate())
    found = [f for f in result.findings if f.kind == "lead_gap"]
    assert len(found) == 3
    iom = next(f for f in found if "Integrated Offender Management" in f.detail)
    assert "allocates the lead to London Probation" in iom.detail
    assert "No organisation has accepted" in iom.detail
    assert not [
        f for f in review_structure(haringey()).findings if f.kind == "lead_gap"
    ]


def test_review_page_lists_the_lead_gap(client_for):
    html = client_for("outsider").get(reverse("structure:review")).content.decode()
    assert "Priorities led in practice by others than the allocated lead" in html


def _accept_url(p):
    requirement = LeadRequirement.objects.filter(partnership=p.partnership).first()
    return reverse("delivery:requirement-accept", args=[p.slug, requirement.pk])


def test_a_lead_organisation_accepts_and_the_finding_says_so(client_for):
    p = priority("Integrated Offender Management", barnet())
    response = client_for("outsider").post(
        _accept_url(p)
    )  # Barnet Council, actual lead
    assert response.status_code == 302
    acceptance = LeadAcceptance.objects.get(priority=p)
    assert acceptance.organisation.name == "Barnet Council"
    html = client_for("outsider").get(response["Location"]).content.decode()
    assert "Barnet Council (Oscar Bennett," in html
    finding = next(
        f for f in review_structure(barnet()).findings
        if f.kind == "lead_gap" and "Integrated" in f.detail
    )  # fmt: skip
    assert "accepted by Barnet Council" in finding.detail


@pytest.mark.parametrize(
    "persona, status",
    [("iom", 302), ("member", 302), ("officer", 403), ("analyst", 403),
     ("handler", 403), ("admin", 403), ("outsider", 404), ("anonymous", 302)],
)  # fmt: skip
def test_only_people_of_a_lead_organisation_accept(client_for, persona, status):
    p = priority("Reoffending")  # led by London Probation and the Met
    response = client_for(persona).post(_accept_url(p))
    assert response.status_code == status
    accepted = LeadAcceptance.objects.filter(priority=p).exists()
    assert accepted == (persona in ("iom", "member"))

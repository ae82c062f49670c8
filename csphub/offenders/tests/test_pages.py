"""An IOM officer runs the cohort's pathways and personal budgets."""

import re
from datetime import date

import pytest
from django.urls import reverse

from csphub.accounts.models import Organisation
from csphub.offenders.models import (
    Allocation,
    BudgetPilot,
    Intervention,
    Need,
    Pathway,
    Referral,
)

from .factories import make_nominal, make_offence

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["offenders:cohort", "offenders:measures", "offenders:pathways",
             "offenders:pilots"],
)  # fmt: skip
def test_pages_label_the_demo_synthetic_or_answer(iom_client, name):
    response = iom_client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    if name in ("offenders:cohort",):
        assert "Synthetic data" in html


def test_cohort_page_filters_and_pages(iom_client):
    html = iom_client.get("/offenders/?state=all&stream=fixed").content.decode()
    assert "SYN-" in html and "Flex</td>" not in html


def test_cohort_export_has_codes_never_hashes(iom_client, demo_records):
    response = iom_client.get("/offenders/cohort.csv?state=all")
    text = response.content.decode()
    assert text.startswith("code,stream,risk_tier")
    assert demo_records["nominal"].reference_hash not in text


def test_nominal_page_shows_pathways_and_labels_synthetic(iom_client, demo_records):
    html = iom_client.get(demo_records["nominal"].get_absolute_url()).content.decode()
    assert "Synthetic data" in html
    for label in Pathway.labels:
        assert label in html.replace("&#x27;", "'")


def test_officer_assesses_needs_on_every_pathway(iom_client):
    nominal = make_nominal()
    data = {"stage": "entry", "assessed_on": "2015-01-12"}
    data |= {f"need_{p}": "high" for p in Pathway.values}
    url = reverse("offenders:needs-assess", args=[nominal.code])
    assert iom_client.post(url, data).status_code == 302
    assert Need.objects.filter(nominal=nominal, level="high").count() == 7
    html = iom_client.get(nominal.get_absolute_url()).content.decode()
    assert html.count(">High<") >= 7


def test_officer_offers_starts_and_completes_an_intervention(iom_client):
    nominal = make_nominal()
    provider = Organisation.objects.get(name="Jobcentre Plus")
    url = reverse("offenders:intervention-add", args=[nominal.code])
    response = iom_client.post(
        url,
        {"pathway": "ete", "kind": "training", "provider": provider.pk,
         "offered_on": "2015-02-01"},
    )  # fmt: skip
    assert response.status_code == 302
    intervention = Intervention.objects.get(nominal=nominal)
    progress = reverse("offenders:intervention-progress", args=[intervention.pk])
    bad = iom_client.post(progress, {"completed_on": "2015-03-01"})
    assert bad.status_code == 400
    iom_client.post(
        progress, {"started_on": "2015-02-10", "completed_on": "2015-05-01"}
    )
    intervention.refresh_from_db()
    assert intervention.state == "completed"


def test_referral_and_its_response_time(iom_client):
    nominal = make_nominal()
    url = reverse("offenders:referral-add", args=[nominal.code])
    iom_client.post(url, {"service": "housing", "referred_on": "2015-02-01"})
    referral = Referral.objects.get(nominal=nominal)
    respond = reverse("offenders:referral-response", args=[referral.pk])
    assert iom_client.post(respond, {"responded_on": "2015-01-01"}).status_code == 400
    iom_client.post(respond, {"responded_on": "2015-02-15"})
    referral.refresh_from_db()
    assert referral.days_to_respond == 14
    html = iom_client.get(reverse("offenders:pathways")).content.decode()
    assert "Housing" in html


def test_pilot_allocation_spend_and_balance(iom_client):
    response = iom_client.post(
        reverse("offenders:pilot-add"),
        {"name": "Pilot two", "fund": "2000", "starts_on": "2016-04-01"},
    )
    pilot = BudgetPilot.objects.get(name="Pilot two")
    assert response.status_code == 302 and pilot.fund_pence == 200_000
    nominal = make_nominal(selected_on=date(2016, 1, 1))
    allocate = reverse("offenders:allocation-add", args=[pilot.pk])
    data = {"nominal_code": nominal.code, "amount": "1000", "decided_on": "2016-04-10",
            "risk_decision": "Panel: low risk of misuse; rent deposit."}  # fmt: skip
    assert iom_client.post(allocate, data).status_code == 302
    again = iom_client.post(allocate, data)
    assert "already has a budget" in again.content.decode()
    allocation = Allocation.objects.get(pilot=pilot)
    assert allocation.approved_by.username == "iom"
    spend = reverse("offenders:spend-add", args=[allocation.pk])
    iom_client.post(spend, {"amount": "250.50", "spent_on": "2016-05-01",
                            "pathway": "accommodation"})  # fmt: skip
    over = iom_client.post(spend, {"amount": "800", "spent_on": "2016-05-02",
                                   "pathway": "ete"})  # fmt: skip
    assert "more than the budget has left" in over.content.decode()
    html = iom_client.get(pilot.get_absolute_url()).content.decode()
    assert "£749.50" in html and "£1,000.00 not allocated" in html


def test_pilot_evaluation_against_the_comparison_group(iom_client):
    pilot = BudgetPilot.objects.create(
        partnership=make_nominal().partnership, name="Eval", fund_pence=10**6,
        starts_on=date(2016, 1, 1),
    )  # fmt: skip
    holder = make_nominal(selected_on=date(2015, 6, 1), risk_tier="Z")
    other = make_nominal(selected_on=date(2015, 6, 1), risk_tier="Z")
    Allocation.objects.create(
        pilot=pilot, nominal=holder, amount_pence=1000, decided_on=date(2016, 1, 5),
        risk_decision="test",
    )  # fmt: skip
    make_offence(holder, date(2015, 9, 1))  # before
    make_offence(other, date(2016, 3, 1))  # after, for the comparison group
    from csphub.offenders.budgets import evaluate

    holders, comparison, due = evaluate(pilot, date(2018, 1, 1))
    assert (holders.people, holders.before, holders.reoffended) == (1, 1.0, 0.0)
    assert (comparison.people, comparison.reoffended) == (1, 100.0)
    assert due == date(2017, 7, 5)


def test_measures_page_says_when_a_quarter_is_not_yet_due(iom_client):
    html = iom_client.get("/offenders/measures/").content.decode()
    assert re.search(r"Computed as of \d+ \w+ 2018", html)  # the demo's last data
    assert html.count("<svg") >= 2  # the SPC charts of the two IOM KPIs
    html = iom_client.get("/offenders/measures/?as_of=2016-01-01").content.decode()
    assert "Not yet due" in html and "Binary rate" in html


def test_officer_imports_an_export_on_the_web_all_or_nothing(iom_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from csphub.offenders.models import Nominal

    named = SimpleUploadedFile(
        "named.csv",
        b"reference,dob,stream,selected_on\nWEB/1,1990-01-01,fixed,2015-01-01\n",
    )
    refused = iom_client.post("/offenders/import/", {"kind": "cohort", "file": named})
    assert refused.status_code == 400
    assert "look like a name, date of birth or address" in refused.content.decode()
    assert not Nominal.objects.filter(code__startswith="IOM-").exists()
    good = SimpleUploadedFile(
        "cohort.csv", b"reference,stream,selected_on\nWEB/1,fixed,2015-01-01\n"
    )
    done = iom_client.post("/offenders/import/", {"kind": "cohort", "file": good})
    assert "1 rows: 1 new" in done.content.decode()
    assert Nominal.objects.filter(code="IOM-00001", synthetic=False).exists()

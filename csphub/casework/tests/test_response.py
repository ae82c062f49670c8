"""Response times (issue 19 item 5): raised -> first action and raised ->
resolution, per body and per organisation, medians and bands, on the
oversight pages and as KPIs the performance group adopts."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.models import Organisation
from csphub.performance.models import Measurement
from csphub.performance.services import count_computed_kpis, open_review

from ..models import Issue, ResponseIndicator
from ..response import Times, adopt_response_kpi, period_bounds, response_times
from .factories import SOUTH, TOTTENHAM_GREEN, body, make_action, make_issue, police

pytestmark = pytest.mark.django_db
SIGNED_IN = {"officer", "member", "analyst", "handler", "iom", "admin"}


def test_times_median_and_bands():
    t = Times(days=[0.5, 1, 3, 10, 40], waiting=2)
    assert t.median == 3
    assert t.bands == [
        ("Within 2 days", 2),
        ("3 to 7 days", 1),
        ("8 days to 4 weeks", 1),
        ("Over 4 weeks", 1),
    ]
    assert t.share_within(2) == 40
    assert Times().median is None and Times().share_within(2) is None


def issue_with_times(owner, *, first_after=None, closed_after=None, org=None):
    raised = timezone.now() - timedelta(days=60)
    issue = make_issue(owner, raised_at=raised)
    if first_after is not None:
        make_action(
            issue,
            created_at=raised + timedelta(days=first_after),
            organisation=org or police(),
        )
    if closed_after is not None:
        Issue.objects.filter(pk=issue.pk).update(
            status=Issue.Status.RESOLVED,
            closed_at=raised + timedelta(days=closed_after),
        )
    return issue


def test_response_times_per_body_and_organisation(django_assert_num_queries):
    ward, zone = body(TOTTENHAM_GREEN), body(SOUTH)
    Issue.objects.all().delete()
    council = Organisation.objects.get(name="Haringey Council")
    issue_with_times(ward, first_after=1, closed_after=2)
    issue_with_times(ward, first_after=3, org=council)
    issue_with_times(zone, first_after=30, closed_after=40)
    issue_with_times(zone)  # nothing done yet
    start, end = period_bounds(12, timezone.localdate())
    with django_assert_num_queries(3):
        times = response_times(Issue.objects.all(), [zone, ward], start=start, end=end)
    assert times.total.raised == 4
    assert times.total.first_action.median == 3
    assert times.total.first_action.waiting == 1
    assert times.total.resolution.days == [2, 40] or sorted(
        times.total.resolution.days
    ) == [2, 40]
    rows = {r.subject: r for r in times.bodies}
    assert rows[ward].first_action.median == 2 and rows[ward].raised == 2
    assert rows[zone].first_action.waiting == 1
    orgs = {r.subject.name: r for r in times.organisations}
    assert orgs["Haringey Council"].first_action.days == [3]
    assert orgs["Metropolitan Police Service"].raised == 2


def test_issues_outside_the_period_are_left_out():
    ward = body(TOTTENHAM_GREEN)
    Issue.objects.all().delete()
    old = issue_with_times(ward, first_after=1)
    Issue.objects.filter(pk=old.pk).update(
        raised_at=timezone.now() - timedelta(days=400)
    )
    start, end = period_bounds(3, timezone.localdate())
    times = response_times(Issue.objects.all(), [ward], start=start, end=end)
    assert times.total.raised == 0


def test_response_page_answers_each_persona(
    persona, client_for, django_assert_max_num_queries
):
    url = reverse("casework:response-times", args=["south-zonal-working-group"])
    client = client_for(persona)
    with django_assert_max_num_queries(30):
        response = client.get(url)
    if persona in SIGNED_IN:
        page = response.content.decode()
        assert response.status_code == 200
        assert len(re.findall(r"<h1[\s>]", page)) == 1
        assert "median days to a first action" in page
        assert ("Adopt days to first action" in page) == (
            persona in {"analyst", "admin"}
        )
    elif persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code in (403, 404)


def test_response_csv_and_a_bad_period(client_for):
    client = client_for("officer")
    url = reverse("casework:response-times", args=["south-zonal-working-group"])
    csv = client.get(url + "?format=csv&months=6")
    assert csv.status_code == 200
    assert csv.content.decode().startswith("group or organisation,kind")
    bad = client.get(url + "?months=banana")
    assert bad.status_code == 200
    assert "Choose 3, 6, 12 or 24 months" in bad.content.decode()


def test_oversight_page_shows_response_times(client_for):
    page = client_for("member").get(
        reverse("casework:oversight", args=["south-zonal-working-group"])
    )
    assert "Response times over the last 12 months" in page.content.decode()


@pytest.mark.parametrize("persona_", ["officer", "member", "handler", "iom"])
def test_only_analysts_and_admins_adopt(persona_, client_for):
    url = reverse("casework:response-adopt", args=["south-zonal-working-group"])
    response = client_for(persona_).post(url, {"measure": "first_action"})
    assert response.status_code == 403
    assert not ResponseIndicator.objects.exists()


def test_adopting_a_kpi_counts_monthly_medians(client_for, user_for):
    zone = body(SOUTH)
    Issue.objects.all().delete()
    issue_with_times(body(TOTTENHAM_GREEN), first_after=2)
    issue_with_times(zone, first_after=4)
    url = reverse("casework:response-adopt", args=[zone.slug])
    response = client_for("analyst").post(url, {"measure": "first_action"})
    link = ResponseIndicator.objects.get()
    assert response.status_code == 302
    assert response["Location"] == link.indicator.get_absolute_url()
    assert link.body == zone and link.indicator.improvement == "decrease"
    value = Measurement.objects.current().get(indicator=link.indicator)
    assert value.value == 3.0 and value.source == Measurement.Source.COMPUTED
    again, created = adopt_response_kpi(
        zone.partnership, user_for("admin"), measure="first_action", body=zone
    )
    assert again == link and not created
    assert count_computed_kpis(zone.partnership) == 0  # nothing changed


def test_opening_a_review_recounts_adopted_kpis(user_for):
    zone = body(SOUTH)
    Issue.objects.all().delete()
    link, _ = adopt_response_kpi(
        zone.partnership, user_for("admin"), measure="resolution", body=zone
    )
    assert not Measurement.objects.filter(indicator=link.indicator).exists()
    issue_with_times(zone, first_after=1, closed_after=5)
    month = timezone.localdate().replace(day=1)
    from csphub.performance.models import Review

    Review.objects.filter(partnership=zone.partnership, period=month).delete()
    open_review(zone.partnership, month, by=user_for("admin"))
    assert Measurement.objects.current().get(indicator=link.indicator).value == 5.0


def test_an_organisations_kpi(client_for):
    zone = body(SOUTH)
    Issue.objects.all().delete()
    council = Organisation.objects.get(name="Haringey Council")
    issue_with_times(zone, first_after=6, org=council)
    client_for("admin").post(
        reverse("casework:response-adopt", args=[zone.slug]),
        {"measure": "first_action", "organisation": council.pk},
    )
    link = ResponseIndicator.objects.get()
    assert link.organisation == council and link.body is None
    assert link.indicator.owner == council
    assert Measurement.objects.current().get(indicator=link.indicator).value == 6.0


def test_organisation_page_shows_its_response_times(
    client_for, django_assert_max_num_queries
):
    Issue.objects.all().delete()
    council = Organisation.objects.get(name="Haringey Council")
    issue_with_times(body(SOUTH), first_after=5, org=council)
    url = reverse("casework:organisation-actions", args=[council.pk])
    client = client_for("officer")
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert "a median of 5.0 days from an issue being raised" in page
    assert "Haringey Council's first action (0% within 2 days)" in page

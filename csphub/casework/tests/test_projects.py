"""Problem-solving projects follow SARA to an evaluated close: no response
without a baseline and aim, no close without an assessment from the same
source; a count of incidents is computed from the crime data, never typed."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csphub.casework import projects
from csphub.casework.models import Project
from csphub.intelligence.models import Incident
from csphub.intelligence.services import import_file
from csphub.places.models import Zone

from .factories import SOUTH, TOTTENHAM_GREEN, body, haringey, make_action, make_issue

pytestmark = pytest.mark.django_db
ASB = "Anti-social behaviour"


@pytest.fixture
def crime(db, police_uk):
    """Two months of police.uk crime either side of the 2016-03 gap: the real
    files or the synthetic ones (the tests need the months, not the borough)."""
    partnership = haringey()
    for month in ("2016-02", "2016-04"):
        import_file(partnership, police_uk / f"{month}-metropolitan-street.csv")
    return partnership


def scanned(owner=None):
    issue = make_issue(owner=owner or body(TOTTENHAM_GREEN))
    project = projects.start_project(issue, None)
    projects.save_project(project, None, problem="Drug dealing", evidence="Reports")
    projects.advance(project, None)
    projects.save_project(project, None, causes="A cut-through", place="The alley")
    return project


def test_no_response_without_a_baseline_and_aim_and_it_says_what_is_missing():
    project = scanned()
    with pytest.raises(ValidationError) as caught:
        projects.advance(project, None)
    assert caught.value.messages == [
        "Analysis: set a baseline measure with its source and period.",
        "Response: set an aim as a target against the baseline.",
    ]
    assert Project.objects.get(pk=project.pk).stage == "analysis"


def entered(project):
    projects.save_project(
        project, None, measure="other", measure_label="Calls about dealing",
        source="Council ASB line", baseline=40, baseline_from=date(2016, 1, 1),
        baseline_to=date(2016, 3, 31), aim=20, aim_text="Halve the calls",
    )  # fmt: skip
    projects.advance(project, None)
    return project


def test_no_assessment_without_responses_and_partners():
    project = entered(scanned())
    assert project.stage == "response"
    with pytest.raises(ValidationError, match="responses as actions"):
        projects.advance(project, None)


def test_cannot_close_without_an_assessment(client_for):
    project = entered(scanned())
    make_action(project.issue)
    project.partners.set([project.issue.actions.get().organisation])
    projects.advance(project, None)
    assert project.stage == "assessment"
    with pytest.raises(ValidationError) as caught:
        projects.close_project(project, None, "Approved")
    assert any("same source as the baseline" in m for m in caught.value.messages)
    # Through the page: the officer sits on the owning ABW group.
    url = reverse("casework:project-close", args=[project.pk])
    client = client_for("officer")
    html = client.get(url).content.decode()
    assert "It cannot close yet" in html
    client.post(url, {"note": "Approved at the meeting"})
    assert Project.objects.get(pk=project.pk).stage == "assessment"
    # Measured after, from the same source, and assessed: it closes.
    projects.enter_after(
        project, None, after=15, start=date(2016, 6, 1), end=date(2016, 8, 31)
    )
    projects.save_project(project, None, assessment="Calls fell by 62%.")
    response = client.post(url, {"note": "Approved at the meeting"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == "closed" and project.issue.status == "closed"
    assert project.aim_met() is True and project.change_percent() == -62.5


def test_a_closed_issue_cannot_be_worked_by_members(client_for):
    issue = make_issue(status="closed")
    url = reverse("casework:action-add", args=[issue.pk])
    assert client_for("officer").get(url).status_code == 403


def test_response_page_sends_to_the_baseline_first(client_for):
    project = scanned()
    response = client_for("officer").get(
        reverse("casework:project-edit", args=[project.pk, "response"])
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/projects/{project.pk}/baseline/")


def test_non_members_cannot_change_a_project(client_for):
    project = scanned()
    for name in ["project-baseline", "project-close"]:
        url = reverse(f"casework:{name}", args=[project.pk])
        assert client_for("analyst").get(url).status_code == 403
    url = reverse("casework:project-advance", args=[project.pk])
    assert client_for("handler").post(url).status_code == 403


def test_baseline_of_incidents_is_computed_from_the_crime_data(crime, client_for):
    project = scanned(body(SOUTH))
    south = Zone.objects.get(partnership=crime, name="South")
    response = client_for("member").post(
        reverse("casework:project-baseline", args=[project.pk]),
        {"measure": "incidents", "categories": [ASB], "area": "south",
         "start": "2016-02-01", "end": "2016-02-29"},
    )  # fmt: skip
    assert response.status_code == 302
    project.refresh_from_db()
    expected = Incident.objects.filter(
        zone=south, category=ASB, month=date(2016, 2, 1)
    ).count()
    assert expected > 0
    assert project.baseline == expected
    assert project.source == "police.uk street-level crime"
    assert project.baseline_months == 1 and project.measure_zone == south
    # The measure after: same source, same area and categories, same length.
    projects.save_project(project, None, aim=expected - 10, aim_text="Fewer")
    make_action(project.issue)
    project.partners.set([project.issue.actions.get().organisation])
    projects.advance(project, None)
    projects.advance(project, None)
    with pytest.raises(ValidationError, match="as long as the baseline"):
        projects.compute_after(
            project, None, start=date(2016, 4, 1), end=date(2016, 5, 31)
        )
    projects.compute_after(project, None, start=date(2016, 4, 1), end=date(2016, 4, 30))
    assert (
        project.after
        == Incident.objects.filter(
            zone=south, category=ASB, month=date(2016, 4, 1)
        ).count()
    )


def test_a_month_without_data_is_not_zero(crime, client_for):
    project = scanned()
    response = client_for("officer").post(
        reverse("casework:project-baseline", args=[project.pk]),
        {"measure": "incidents", "categories": [ASB], "area": "E05000280",
         "start": "2016-02-01", "end": "2016-04-30"},
    )  # fmt: skip
    html = response.content.decode()
    assert "No crime data for March 2016" in html
    assert Project.objects.get(pk=project.pk).baseline is None


def test_entered_baseline_needs_its_source(client_for):
    project = scanned()
    response = client_for("officer").post(
        reverse("casework:project-baseline", args=[project.pk]),
        {"measure": "other", "measure_label": "Calls", "baseline": "12",
         "start": "2016-01-01", "end": "2016-03-31"},
    )  # fmt: skip
    assert "Enter the source (entered)" in response.content.decode()


def test_the_source_cannot_change_after_the_assessment():
    project = entered(scanned())
    project.after = 10
    with pytest.raises(ValidationError, match="source cannot change"):
        projects.save_project(project, None, source="Something else")


def test_status_list_shows_the_zone_projects(client_for):
    html = (
        client_for("officer")
        .get(reverse("casework:status-list", args=[body(SOUTH).slug]))
        .content.decode()
    )
    assert "Touting for work outside Wickes" in html
    assert "ASB and criminal damage at betting shops" in html


def test_baseline_defaults_to_the_year_up_to_the_latest_month_of_data(
    crime, client_for
):
    # The data ends in April 2016, long before today: the default period
    # follows the data, so it never asks for months nobody has loaded.
    assert projects.default_periods(crime, date(2026, 12, 2)) == (
        date(2015, 5, 1),
        date(2016, 4, 30),
    )
    project = scanned()
    html = (
        client_for("officer")
        .get(reverse("casework:project-baseline", args=[project.pk]))
        .content.decode()
    )
    assert re.search(r'name="end_year"[^>]*value="2016"', html)
    assert re.search(r'name="end_month"[^>]*value="4"', html)
    assert re.search(r'name="start_month"[^>]*value="5"', html)


def test_baseline_defaults_to_the_last_whole_year_without_data(db):
    from csphub.accounts.models import Partnership

    empty = Partnership.objects.create(name="No data yet", slug="no-data-yet")
    assert projects.default_periods(empty, date(2026, 12, 2)) == (
        date(2025, 12, 1),
        date(2026, 11, 30),
    )

"""Problems linked across wards (issue 19 item 6; Zonal terms of reference
3c): issues linked as one problem across ward groups, one project covering
them, and the zone seeing the linked problem as one row."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csphub.lib.tests.pages import assert_answers

from .. import problems
from ..models import IssueEvent, LinkedProblem, Project
from .factories import BRUCE_GROVE, SOUTH, TOTTENHAM_GREEN, body, haringey, make_issue

pytestmark = pytest.mark.django_db
SIGNED_IN = {"officer", "member", "analyst", "handler", "iom", "admin"}


def two_wards():
    a = make_issue(body(TOTTENHAM_GREEN), title="Street drinking by the green")
    b = make_issue(body(BRUCE_GROVE), title="Street drinking at the station")
    return a, b


def test_linking_records_history_on_each_issue(user_for):
    a, b = two_wards()
    problem = problems.link_issues(
        haringey(), user_for("member"), [a, b], title="Street drinking, High Road"
    )
    assert set(problem.links.values_list("issue_id", flat=True)) == {a.pk, b.pk}
    for issue in (a, b):
        event = issue.events.get(kind=IssueEvent.Kind.LINKED)
        assert "Street drinking, High Road" in event.note


def test_an_issue_is_in_one_linked_problem_only(user_for):
    a, b = two_wards()
    c = make_issue(body(BRUCE_GROVE))
    problems.link_issues(haringey(), user_for("admin"), [a, b], title="One")
    with pytest.raises(ValidationError, match="already part of"):
        problems.link_issues(haringey(), user_for("admin"), [c, a], title="Two")


def test_one_project_covers_every_linked_issue(user_for):
    a, b = two_wards()
    problem = problems.link_issues(haringey(), user_for("admin"), [a, b], title="P")
    project = problems.cover_with_project(problem, a, user_for("admin"))
    problem.refresh_from_db()
    assert problem.project == project and project.issue == a
    assert b.events.filter(note__contains="Covered by the problem-solving").exists()
    assert Project.objects.filter(issue=b).count() == 0  # one project, not two


def test_unlinking_the_last_but_one_dissolves_the_problem(user_for):
    a, b = two_wards()
    problem = problems.link_issues(haringey(), user_for("admin"), [a, b], title="P")
    assert problems.unlink_issue(a, user_for("admin")) is None
    assert not LinkedProblem.objects.filter(pk=problem.pk).exists()
    assert b.events.filter(note__contains="dissolved").exists()


def test_the_zone_sees_a_linked_problem_as_one_row(
    client_for, user_for, django_assert_max_num_queries
):
    a, b = two_wards()
    problems.link_issues(
        haringey(), user_for("member"), [a, b], title="Street drinking, High Road"
    )
    url = reverse("casework:oversight", args=["south-zonal-working-group"])
    client = client_for("member")
    client.get(url)
    with django_assert_max_num_queries(40):
        page = client.get(url + "?status=live").content.decode()
    assert "Problems linked across groups: one row each" in page
    assert page.count("Street drinking, High Road") == 1
    assert a.title not in page and b.title not in page  # not as two rows


def test_a_ward_group_link_page_and_flow(client_for):
    a, b = two_wards()
    client = client_for("member")  # chairs the South zone, above both wards
    url = reverse("casework:issue-link", args=[a.pk])
    page = client.get(url).content.decode()
    assert b.title in page
    response = client.post(
        url, {"title": "Street drinking, High Road", "issues": [b.pk]}
    )
    problem = LinkedProblem.objects.get(title="Street drinking, High Road")
    assert response.status_code == 302 and response["Location"] == (
        problem.get_absolute_url()
    )
    detail = client.get(problem.get_absolute_url()).content.decode()
    assert a.title in detail and b.title in detail
    response = client.post(
        reverse("casework:problem-project", args=[problem.pk]), {"issue": b.pk}
    )
    problem.refresh_from_db()
    assert response.status_code == 302 and problem.project.issue == b


def test_link_form_errors_are_clear(client_for):
    a, _ = two_wards()
    response = client_for("member").post(
        reverse("casework:issue-link", args=[a.pk]), {"title": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least one other issue to link it with" in page
    assert "Enter the name of the problem" in page


def test_problem_page_answers_each_persona(persona, client_for, user_for):
    a, b = two_wards()
    problem = problems.link_issues(haringey(), user_for("admin"), [a, b], title="P")
    response = client_for(persona).get(problem.get_absolute_url())
    assert_answers(response, persona, SIGNED_IN)


def test_link_page_answers_each_persona(persona, client_for):
    a, _ = two_wards()
    response = client_for(persona).get(reverse("casework:issue-link", args=[a.pk]))
    # officer sits on Tottenham Green; member chairs the zone above it
    assert_answers(response, persona, {"officer", "member", "admin"})


def test_a_restricted_linked_issue_stays_hidden(client_for, user_for):
    a, b = two_wards()
    b.restricted = True
    b.save(update_fields=["restricted"])
    problem = problems.link_issues(haringey(), user_for("admin"), [a, b], title="P")
    page = client_for("analyst").get(problem.get_absolute_url()).content.decode()
    assert a.title in page and b.title not in page


def test_starting_a_project_on_a_linked_issue_covers_the_problem(client_for, user_for):
    a, b = two_wards()
    problem = problems.link_issues(haringey(), user_for("admin"), [a, b], title="P")
    client_for("admin").post(reverse("casework:project-start", args=[a.pk]))
    problem.refresh_from_db()
    assert problem.project.issue == a


def test_south_is_above_both_wards():
    assert body(TOTTENHAM_GREEN).reports_to == body(SOUTH)
    assert body(BRUCE_GROVE).reports_to == body(SOUTH)


def test_the_demo_links_street_drinking_across_the_south_zone(client_for):
    problem = LinkedProblem.objects.get(title="Street drinking across the South zone")
    wards = {link.issue.ward_id for link in problem.links.select_related("issue")}
    assert len(wards) >= 2
    url = reverse("casework:oversight", args=["south-zonal-working-group"])
    page = client_for("member").get(url).content.decode()
    assert page.count(">Street drinking across the South zone</a>") == 1
    assert ">Street drinking near the park gates</a>" not in page

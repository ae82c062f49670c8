"""Restricted issues: seen only by the members of their body, never in
others' lists, counts, search, exports or briefings; every view audited."""

import pytest
from django.urls import reverse

from csphub.accounts.models import AuditEntry
from csphub.casework.briefing import open_projects_section
from csphub.casework.projects import start_project

from .factories import (
    EXECUTIVE,
    IOM_PANEL,
    SOUTH,
    body,
    haringey,
    make_action,
    make_issue,
    seat,
)

pytestmark = pytest.mark.django_db
# The IOM panel's members in the demo: the member and IOM personas.
MEMBERS = {"member", "iom"}
TITLE = "Named offender seen dealing at the station"


@pytest.fixture
def secret():
    issue = make_issue(
        owner=body(IOM_PANEL), title=TITLE, restricted=True,
        ward=body("Tottenham Green Area Based Working group").ward,
    )  # fmt: skip
    make_action(issue, due_in=-3, title="Share the intelligence with the SNT")
    return issue


def test_restricted_issue_page_only_for_members_and_audited(
    secret, persona, client_for
):
    response = client_for(persona).get(secret.get_absolute_url())
    audited = AuditEntry.objects.filter(
        action="view", record_type="casework.Issue", record_id=str(secret.pk)
    )
    if persona in MEMBERS:
        assert response.status_code == 200
        assert audited.filter(actor__username=persona).count() == 1
    elif persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 404  # not even its existence
        assert not audited.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/casework/issues/",
        f"/casework/issues/?q={TITLE[:12]}",
        "/casework/issues/?format=csv",
        "/casework/bodies/integrated-offender-management-panel/",
        "/casework/bodies/csp-executive/",
        "/casework/bodies/csp-executive/?format=csv",
        "/casework/my-actions/",
        "/casework/",
    ],
)
def test_absent_from_lists_search_and_exports_for_non_members(secret, url, client_for):
    for persona in ["officer", "analyst", "handler", "admin"]:
        response = client_for(persona).get(url)
        assert response.status_code in {200, 404}, (persona, url)
        assert TITLE not in response.content.decode(), (persona, url)
    member = client_for("member").get(url).content.decode()
    if "q=" in url or url in {"/casework/issues/", "/casework/issues/?format=csv"}:
        assert TITLE in member


def test_counts_leave_restricted_issues_out(secret, client_for):
    def executive_total(persona):
        response = client_for(persona).get("/casework/bodies/csp-executive/")
        return response.context["view"].totals["total"]

    from csphub.casework.models import Issue

    restricted = Issue.objects.filter(body=body(IOM_PANEL), restricted=True).count()
    assert restricted == 2  # the demo's, and this test's
    assert executive_total("member") == executive_total("officer") + restricted


def test_actions_of_restricted_issues_are_hidden_from_the_organisation_page(
    secret, client_for
):
    url = reverse(
        "casework:organisation-actions", args=[secret.actions.get().organisation_id]
    )
    assert "Share the intelligence" not in client_for("admin").get(url).content.decode()
    assert "Share the intelligence" in client_for("iom").get(url).content.decode()


def test_similar_issues_never_reveal_a_restricted_one(secret, client_for):
    ward = body("Tottenham Green Area Based Working group").ward
    url = f"/casework/issues/raise/?area={ward.code}&theme=asb"
    assert TITLE not in client_for("officer").get(url).content.decode()
    assert TITLE in client_for("member").get(url).content.decode()


def test_briefing_section_never_leaks_a_restricted_project(secret, user_for):
    start_project(secret, None)
    ward = secret.ward
    for persona in ["officer", "admin", "analyst"]:
        section = open_projects_section(haringey(), ward, None, user_for(persona))
        assert section is None or all(r["title"] != TITLE for r in section.rows)
    section = open_projects_section(haringey(), ward, None, user_for("iom"))
    assert TITLE in [r["title"] for r in section.rows]


def test_a_body_it_is_escalated_to_may_see_it(secret, user_for, client_for):
    from datetime import date

    from csphub.casework import services

    services.escalate(secret, None, tried="t", asked="a", needed_by=date.today())
    seat("analyst", "CSP Executive")
    assert client_for("analyst").get(secret.get_absolute_url()).status_code == 200
    assert client_for("officer").get(secret.get_absolute_url()).status_code == 404


def test_outsider_sees_nothing_of_haringey_on_a_shared_organisation_page(client_for):
    from csphub.accounts.models import Organisation

    met = Organisation.objects.get(name="Metropolitan Police Service")
    html = (
        client_for("outsider")
        .get(reverse("casework:organisation-actions", args=[met.pk]))
        .content.decode()
    )
    assert "Tottenham" not in html and "Haringey" not in html.split("<main")[1]


def test_non_members_cannot_see_restricted_south_issue_on_zone_page(client_for):
    make_issue(owner=body(SOUTH), title="Informant's address", restricted=True)
    assert (
        "Informant"
        not in client_for("officer")
        .get("/casework/bodies/south-zonal-working-group/")
        .content.decode()
    )
    assert (
        "Informant"
        in client_for("member")
        .get("/casework/bodies/south-zonal-working-group/")
        .content.decode()
    )


def test_oversight_names_a_restricted_body_only_to_its_members(persona, client_for):
    """The Executive's oversight page covers every body below it, but a
    restricted body (the IOM panel) is named only to those seated on it and to
    administrators, as on the structure pages; its issues are not counted."""
    panel, executive = body(IOM_PANEL), body(EXECUTIVE)
    url = reverse("casework:oversight", args=[executive.slug])
    response = client_for(persona).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        return
    if persona == "outsider":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    page = response.content.decode()
    shown = IOM_PANEL in page or panel.get_absolute_url() in page
    assert shown == (persona in MEMBERS | {"admin"})
    csv = client_for(persona).get(url, {"format": "csv"}).content.decode()
    assert TITLE not in csv or persona in MEMBERS

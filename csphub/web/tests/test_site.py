"""Site-wide rules: every URL without arguments, for every persona."""

import re

import pytest

from conftest import PERSONAS

from .proof_matrix import url_patterns

SIGNED_IN = set(PERSONAS) - {"anonymous"}
EVERYONE = set(PERSONAS)

# url name -> personas allowed (200). Every URL without arguments must be
# listed, so a new page cannot ship without saying who may see it.
ACCESS = {
    "web:home": SIGNED_IN,
    "web:map": SIGNED_IN,
    "intelligence:data-status": SIGNED_IN,
    "intelligence:upload": {"analyst", "admin"},
    "intelligence:briefing-list": SIGNED_IN,
    "intelligence:incident-list": SIGNED_IN,
    "intelligence:dataset-list": SIGNED_IN,
    "intelligence:dataset-add": {"analyst", "admin"},
    "intelligence:harm-weights": SIGNED_IN,
    "web:accessibility": EVERYONE,
    "web:health": EVERYONE,
    "accounts:login": {"anonymous"},
    "accounts:password-reset": EVERYONE,
    "accounts:password-reset-done": EVERYONE,
    "accounts:password-reset-complete": EVERYONE,
    "accounts:audit-log": {"admin"},
    "structure:map": SIGNED_IN,
    "structure:body-list": SIGNED_IN,
    "structure:body-add": {"admin"},
    "structure:review": SIGNED_IN,
    "structure:change-list": SIGNED_IN,
    "structure:import": {"admin"},
    "structure:export-seats": SIGNED_IN,
    "structure:export-popolo": SIGNED_IN,
    "casework:index": SIGNED_IN,
    "casework:issue-list": SIGNED_IN,
    "casework:issue-raise": SIGNED_IN,
    "casework:my-actions": SIGNED_IN,
    "casework:digest-settings": SIGNED_IN,
    "performance:indicators": SIGNED_IN,
    "performance:indicator-add": {"analyst", "admin"},
    "performance:import": {"officer", "member", "analyst", "admin", "outsider"},
    "performance:reviews": SIGNED_IN,
    "offenders:cohort": {"iom"},
    "offenders:reason": {"iom"},
    "offenders:cohort-export": {"iom"},
    "offenders:measures": {"iom"},
    "offenders:pathways": {"iom"},
    "offenders:pilots": {"iom"},
    "offenders:pilot-add": {"iom"},
    "offenders:import": {"iom"},
    "delivery:index": SIGNED_IN,
    "delivery:leads": SIGNED_IN,
    "delivery:late": SIGNED_IN,
    "delivery:my-organisation": SIGNED_IN,
    "delivery:spend": SIGNED_IN,
    "delivery:spend-import": {"analyst", "admin"},
    "delivery:spend-export": SIGNED_IN,
    "reports:start": EVERYONE,
    "reports:staff-list": SIGNED_IN,
    "reports:staff-enter": {"officer", "handler", "admin", "outsider"},
    "reports:review-list": {"handler", "admin"},
    "reports:trigger-figures": EVERYONE,
    "reports:trigger-csv": EVERYONE,
    "reports:trigger-apply": EVERYONE,
    "reports:influence": EVERYONE,
    "meetings:index": EVERYONE,
    "meetings:mine": SIGNED_IN,
    "meetings:meeting-add": {"officer", "member", "iom", "admin"},
    "meetings:operation-list": SIGNED_IN,
    "meetings:operation-add": SIGNED_IN,
    "meetings:my-calendar": SIGNED_IN,
    "accounts:two-factor": SIGNED_IN,
    "accounts:two-factor-setup": SIGNED_IN,
    "accounts:recovery-codes": SIGNED_IN,
    "accounts:subject-access": {"admin"},
    "accounts:agreement-list": {"admin"},
    "accounts:agreement-add": {"admin"},
    "web:search": SIGNED_IN,
}
# Changes are POST-only: a GET answers 405 (or sends the anonymous to sign in).
POST_ONLY = {
    "accounts:logout",
    "accounts:partnership-switch",
    "structure:review-record",
    "performance:review-open",
}
NOT_HTML = {
    "web:health",
    "structure:export-seats",
    "structure:export-popolo",
    "offenders:cohort-export",
    "delivery:spend-export",
    "reports:trigger-csv",
    "meetings:my-calendar",
}


def test_every_url_without_arguments_declares_who_may_see_it():
    without_arguments = {name for name, converters in url_patterns() if not converters}
    undeclared = without_arguments - set(ACCESS) - POST_ONLY
    assert not undeclared, f"add these to ACCESS: {sorted(undeclared)}"


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_page_answers_each_persona(name, persona, client_for):
    from django.urls import reverse

    response = client_for(persona).get(reverse(name))
    assert response.status_code != 500
    if persona in ACCESS[name]:
        assert response.status_code == 200, f"{name} as {persona}"
        if name not in NOT_HTML:
            html = response.content.decode()
            assert len(re.findall(r"<h1[\s>]", html)) == 1, f"{name} as {persona}"
    elif persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif name == "accounts:login":
        assert response.status_code == 302  # already signed in: sent home
    else:
        assert response.status_code == 403, f"{name} as {persona}"


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_changes_are_post_only(name, client_for):
    from django.urls import reverse

    assert client_for("officer").get(reverse(name)).status_code == 405


def test_unknown_page_is_a_404_page_with_one_heading(client_for):
    response = client_for("officer").get("/no-such-page/")
    assert response.status_code == 404
    assert response.content.decode().count("<h1") == 1

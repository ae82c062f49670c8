"""Every delivery page with arguments, for every persona."""

import re
from datetime import date

import pytest
from django.urls import reverse

from conftest import PERSONAS
from csphub.strategy.models import Strategy

from ..models import Activity, Gap, Risk
from .factories import haringey, priority

pytestmark = pytest.mark.django_db

HARINGEY_ROLES = set(PERSONAS) - {"anonymous", "outsider"}


def _urls():
    strategy = Strategy.objects.filter(partnership=haringey()).first()
    activity = Activity.objects.of(haringey()).first()
    p = priority("Prevention")
    return {
        "priority": (
            reverse("delivery:priority-detail", args=[p.slug]),
            HARINGEY_ROLES,
        ),
        "activity": (activity.get_absolute_url(), HARINGEY_ROLES),
        "timeline": (reverse("delivery:timeline", args=[strategy.pk]), HARINGEY_ROLES),
        "report": (reverse("delivery:report", args=[strategy.pk]), HARINGEY_ROLES),
        "risks": (reverse("delivery:risks", args=[strategy.pk]), HARINGEY_ROLES),
        "gaps": (reverse("delivery:gaps", args=[strategy.pk]), HARINGEY_ROLES),
        "organisation": (
            # Haringey's own department, not also a Barnet partner
            reverse("delivery:organisation", args=[p.owner.organisation_id]),
            HARINGEY_ROLES,
        ),
        "objective-add": (
            reverse("delivery:objective-add", args=[p.slug]),
            {"admin", "officer"},  # officer owns Prevention in the demo
        ),
        "activity-add": (
            reverse("delivery:activity-add", args=[p.objectives.first().pk]),
            {"admin", "officer"},
        ),
        "update-submit": (
            reverse("delivery:update-submit", args=[activity.pk]),
            {"admin", activity.owner.username},
        ),
        "risk-add": (reverse("delivery:risk-add", args=[strategy.pk]), {"admin"}),
        "public": (
            reverse("delivery:public-strategy", args=["haringey", strategy.pk]),
            set(PERSONAS),
        ),
    }


@pytest.mark.parametrize(
    "page",
    ["priority", "activity", "timeline", "report", "risks", "gaps", "organisation",
     "objective-add", "activity-add", "update-submit", "risk-add", "public"],
)  # fmt: skip
def test_page_answers_each_persona(page, persona, client_for):
    url, allowed = _urls()[page]
    response = client_for(persona).get(url)
    if persona in allowed:
        assert response.status_code == 200, f"{page} as {persona}"
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1
    elif persona == "anonymous":
        assert response.status_code == 302
    elif persona == "outsider":
        assert response.status_code == 404  # another partnership's record
    else:
        assert response.status_code == 403, f"{page} as {persona}"


def test_barnet_priority_leads_reproduce_table_3(client_for):
    html = client_for("outsider").get(reverse("delivery:leads")).content.decode()
    assert "Developing integrated offender management" in html
    assert (
        "Barnet Council supported by Probation Service and Metropolitan Police"
        in (html.replace("</td>", "").replace("\n", " "))
        or "supported by Probation Service and Metropolitan Police" in html
    )
    assert html.count("govuk-tag--orange") == 3  # the rows whose leads differ


def test_priority_page_shows_outcomes_owner_bodies_and_kpis(client_for):
    p = priority("Reoffending")
    html = (
        client_for("member")
        .get(reverse("delivery:priority-detail", args=[p.slug]))
        .content.decode()
    )
    assert "Reduce re-offending by adults" in html
    assert "Ivan Petrov" in html
    assert p.indicators.first().name in html
    assert "blockers are escalated here" in html


def test_timeline_draws_today_and_late_milestones(client_for):
    strategy = Strategy.objects.filter(partnership=haringey()).first()
    html = (
        client_for("officer")
        .get(reverse("delivery:timeline", args=[strategy.pk]))
        .content.decode()
    )
    assert "<svg" in html and ">Today</text>" in html
    assert 'class="late"' in html


def test_organisation_view_lists_what_it_leads_and_contributes_to(client_for):
    html = (
        client_for("member").get(reverse("delivery:my-organisation")).content.decode()
    )
    assert "What Metropolitan Police Service leads and contributes to" in html
    assert "Noel Park project" in html  # leads
    assert "PREVENT delivery plan" in html  # contributes


def test_risk_register_has_a_heat_map_with_its_data(client_for):
    client = client_for("admin")
    from .factories import barnet

    client.post(reverse("accounts:partnership-switch"), {"partnership": barnet().pk})
    strategy = Strategy.objects.filter(
        partnership=barnet(), risks__isnull=False
    ).first()
    html = client.get(reverse("delivery:risks", args=[strategy.pk])).content.decode()
    assert "<svg" in html and "Likelihood" in html
    assert "Partners may not be engaged fully" in html
    assert (
        html.count("Review overdue") == Risk.objects.filter(strategy=strategy).count()
    )


def test_gaps_register_holds_table_4_and_flags_reviews(client_for):
    from .factories import barnet

    strategy = Strategy.objects.filter(partnership=barnet(), gaps__isnull=False).first()
    html = (
        client_for("outsider")
        .get(reverse("delivery:gaps", args=[strategy.pk]))
        .content.decode()
    )
    assert "No single plan for delivery of the strategy" in html
    assert html.count("Review overdue") == Gap.objects.filter(strategy=strategy).count()


def test_admin_adds_a_risk_and_scores_are_one_to_five(client_for):
    strategy = Strategy.objects.filter(partnership=haringey()).first()
    client = client_for("admin")
    url = reverse("delivery:risk-add", args=[strategy.pk])
    data = {"risk": "Funding ends", "likelihood": 6, "impact": 3, "owner": "Chair",
            "review_months": 3}  # fmt: skip
    assert client.post(url, data).status_code == 200  # refused: likelihood 6
    data["likelihood"] = 4
    assert client.post(url, data).status_code == 302
    assert Risk.objects.get(risk="Funding ends").score() == 12


def test_public_page_speaks_plainly_without_sign_in(client):
    strategy = Strategy.objects.filter(partnership=haringey()).first()
    html = client.get(
        reverse("delivery:public-strategy", args=["haringey", strategy.pk])
    ).content.decode()
    assert "Of 2 activities this quarter" in html
    assert "Reduce re-offending by adults" in html
    assert "Ivan" not in html  # no names of officers
    from csphub.performance.models import Indicator

    published = (
        Indicator.objects.of(haringey()).published().filter(priority__strategy=strategy)
    )
    assert published.exists()
    assert all(i.name in html for i in published)


def test_unpublished_strategy_is_not_public(client):
    strategy = Strategy.objects.filter(partnership=haringey()).first()
    strategy.published = False
    strategy.save()
    url = reverse("delivery:public-strategy", args=["haringey", strategy.pk])
    assert client.get(url).status_code == 404


def test_the_owner_changes_an_activity_and_others_cannot(client_for):
    activity = Activity.objects.get(title__startswith="PREVENT delivery plan")
    url = reverse("delivery:activity-edit", args=[activity.pk])
    data = {
        "title": "PREVENT delivery plan", "description": "", "kind": "bau",
        "owner": activity.owner_id, "organisation": activity.organisation_id,
        "partners": [], "starts": "2016-04-01", "ends": "2016-01-01",
        "status": "in_progress", "depends_on": [activity.pk],
    }  # fmt: skip
    for persona in ("member", "analyst", "handler", "iom"):
        assert client_for(persona).post(url, data).status_code == 403
    client = client_for("officer")  # owns Prevention
    response = client.post(url, data)
    assert "The end must be on or after the start" in response.content.decode()
    data["ends"] = ""
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "PREVENT delivery plan"
    assert not activity.partners.exists()
    assert not activity.depends_on.exists()  # never on itself


def test_load_demo_twice_changes_nothing():
    from ..demo import load_delivery_demo
    from .factories import barnet

    counts = [m.objects.count() for m in (Activity, Risk, Gap)]
    load_delivery_demo(haringey(), barnet())
    assert [m.objects.count() for m in (Activity, Risk, Gap)] == counts
    outcomes = [p.outcomes.count() for p in haringey().priorities.all()]
    assert outcomes == [2, 2, 2]


def test_owner_adds_a_milestone_and_marks_it_done(client_for):
    activity = Activity.objects.get(title__startswith="PREVENT delivery plan")
    url = reverse("delivery:milestone-add", args=[activity.pk])
    data = {"name": "Home Office return", "due": "2020-01-31"}
    for persona in ("member", "analyst", "handler", "iom"):
        assert client_for(persona).post(url, data).status_code == 403
    assert client_for("officer").post(url, data).status_code == 302
    milestone = activity.milestones.get(name="Home Office return")
    assert milestone.is_late(date(2020, 2, 1))
    done = reverse("delivery:milestone-done", args=[milestone.pk])
    assert client_for("member").post(done).status_code == 403
    assert client_for("outsider").post(done).status_code == 404
    assert client_for("officer").get(done).status_code == 405
    assert client_for("officer").post(done).status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on is not None


def test_admin_keeps_the_gap_register(client_for):
    strategy = Strategy.objects.filter(partnership=haringey()).first()
    url = reverse("delivery:gap-add", args=[strategy.pk])
    data = {"gap": "No BME engagement indicators", "opportunity": "Set some",
            "owner": "Performance group", "review_months": 6,
            "last_reviewed": "2026-01-10"}  # fmt: skip
    assert client_for("officer").post(url, data).status_code == 403
    assert client_for("admin").post(url, data).status_code == 302
    gap = Gap.objects.get(gap="No BME engagement indicators")
    assert gap.next_review() == date(2026, 7, 10)
    assert gap.review_overdue(date(2026, 7, 11))
    edit = reverse("delivery:gap-edit", args=[gap.pk])
    data["last_reviewed"] = "2026-11-01"
    assert client_for("admin").post(edit, data).status_code == 302
    gap.refresh_from_db()
    assert not gap.review_overdue(date(2026, 12, 1))


@pytest.mark.parametrize(
    "persona, named",
    [("officer", False), ("analyst", False), ("handler", False), ("admin", True)],
)
def test_priority_page_names_a_restricted_body_only_to_those_who_may_see_it(
    client_for, persona, named
):
    """Found by the proof's access matrix (issue 16): the IOM Panel, which
    drives the re-offending priority, was named to everyone."""
    html = client_for(persona).get("/delivery/priorities/reoffending/").content
    assert (b"Integrated Offender Management Panel" in html) is named

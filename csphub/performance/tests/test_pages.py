"""Every performance page with arguments, for every persona; what outsiders see."""

import re

import pytest
from django.urls import reverse

from csphub.performance.models import Indicator, Review

pytestmark = pytest.mark.django_db
SIGNED_IN = {"officer", "member", "analyst", "handler", "iom", "admin"}
EVERYONE = SIGNED_IN | {"anonymous", "outsider"}
BURGLARY = "reduce-burglary"
PROUD = "improved-of-residents-who-are-proud-of-where-they-live"
PERIOD = "2018-06"


def one_h1(response):
    return len(re.findall(r"<h1[\s>]", response.content.decode())) == 1


@pytest.mark.parametrize(
    "name,args,allowed",
    [
        ("performance:indicator", [BURGLARY], SIGNED_IN),
        ("performance:indicator-edit", [BURGLARY], {"analyst", "admin"}),
        # values: the owner organisation's people, analysts, administrators
        ("performance:value-add", [PROUD], {"officer", "analyst", "admin"}),
        ("performance:value-add", [BURGLARY], {"member", "analyst", "admin"}),
        ("performance:review", [PERIOD], SIGNED_IN),
        # RAG: seats on the PMG (the demo member) and administrators
        ("performance:rate", [PERIOD, BURGLARY], {"member", "admin"}),
        ("performance:context", [PERIOD, BURGLARY], {"analyst", "admin"}),
        # what reaches the board: the PMG's seats and administrators
        ("performance:board-report", [BURGLARY], {"member", "admin"}),
        ("performance:highlight", [PERIOD], SIGNED_IN),
        ("performance:scorecard", ["haringey"], EVERYONE),
    ],
)
def test_pages_answer_each_persona(name, args, allowed, persona, client_for):
    response = client_for(persona).get(reverse(name, args=args))
    if persona in allowed:
        assert response.status_code == 200, f"{name} as {persona}"
        assert one_h1(response)
    elif persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif persona == "outsider":
        assert response.status_code in (403, 404)  # Barnet sees nothing of Haringey
    else:
        assert response.status_code == 403, f"{name} as {persona}"


def test_outsider_gets_404_for_haringey_records(client_for):
    outsider = client_for("outsider")
    for url in [
        reverse("performance:indicator", args=[BURGLARY]),
        reverse("performance:review", args=[PERIOD]),
        reverse("performance:highlight", args=[PERIOD]),
        reverse("performance:rate", args=[PERIOD, BURGLARY]),
    ]:
        assert outsider.get(url).status_code == 404, url
    html = outsider.get(reverse("performance:indicators")).content.decode()
    assert "Reduce burglary" not in html and "No indicators yet" in html


def test_register_lists_every_appendix_2_row_with_the_gap(client_for):
    html = client_for("officer").get(reverse("performance:indicators")).content.decode()
    for text in [
        "Reoffending",
        "Prevention",
        "Public confidence",
        "MOPAC 7",
        "Reduce violence with injury",
        "MARAC repeat victimisation rate 28% by 2016/17",
        "Gap: no indicator yet",
        "Delivery plan",
    ]:
        assert text in html, text
    assert Indicator.objects.filter(partnership__slug="haringey").count() == 29


def test_register_and_review_use_fixed_queries(
    client_for, django_assert_max_num_queries
):
    client = client_for("admin")
    client.get(reverse("performance:indicators"))  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get(reverse("performance:indicators")).status_code == 200
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("performance:review", args=[PERIOD])).status_code == 200
        )
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("performance:highlight", args=[PERIOD])).status_code
            == 200
        )


def test_review_query_count_does_not_grow_with_indicators(
    client_for, django_assert_num_queries
):
    from .factories import add_values, make_indicator

    client = client_for("analyst")
    url = reverse("performance:review", args=[PERIOD])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(5):
        add_values(make_indicator(slug=f"extra-{n}", name=f"Extra {n}"), [1, 2, 3, 4])
    with django_assert_num_queries(len(before)):
        client.get(url)


def test_review_page_shows_charts_tables_and_readings(client_for):
    html = client_for("member").get(reverse("performance:review", args=[PERIOD]))
    html = html.content.decode()
    assert (
        html.count('class="csphub-spc"')
        == Indicator.objects.filter(partnership__slug="haringey", status="measured")
        .exclude(measurements=None)
        .count()
    )
    assert "Reading:" in html and "<caption" in html
    assert "Overridden" in html  # the demo's override, with its reason
    assert "Two serious gang-related incidents" in html
    assert 'href="/performance/reviews/2018-06/reduce-burglary/rate/"' in html


def test_officer_sees_no_rate_button(client_for):
    html = client_for("officer").get(reverse("performance:review", args=[PERIOD]))
    assert "/rate/" not in html.content.decode()


def test_highlight_pdf_is_a_pdf(client_for):
    response = client_for("member").get(
        reverse("performance:highlight", args=[PERIOD]) + "?format=pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_scorecard_shows_only_published_kpis_in_plain_words(client):
    html = client.get(reverse("performance:scorecard", args=["haringey"]))
    html = html.content.decode()
    assert "Reduce burglary" in html
    assert "Confidence in policing" in html
    assert "MARAC" not in html  # not published
    assert "Special cause" not in html.split("<main")[1].split("<details")[0]
    assert "usual" in html  # plain readings ("within the usual range")


def test_scorecard_of_unknown_partnership_is_404(client):
    assert client.get("/performance/scorecard/nowhere/").status_code == 404


def test_bad_period_is_404(client_for):
    for bad in ["2018-13", "june", "2099-01"]:
        response = client_for("admin").get(f"/performance/reviews/{bad}/")
        assert response.status_code == 404


def test_opening_a_review(client_for):
    client = client_for("member")
    response = client.post(reverse("performance:review-open"), {"period": "2018-05"})
    assert response.status_code == 302
    review = Review.objects.get(partnership__slug="haringey", period="2018-05-01")
    assert review.body.short_name == "PMG"
    assert (
        client_for("officer")
        .post(reverse("performance:review-open"), {"period": "2018-04"})
        .status_code
        == 403
    )
    bad = client.post(reverse("performance:review-open"), {"period": "soon"})
    assert bad.status_code == 302
    assert not Review.objects.filter(period="2018-04-01").exists()

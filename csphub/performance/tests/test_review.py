"""The review: proposed RAG, required commentary, recorded overrides, context;
the highlight report's exceptions."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csphub.accounts.models import AuditEntry
from csphub.performance import services
from csphub.performance.models import Indicator, Rating, Review

from .factories import add_values, haringey, make_indicator

pytestmark = pytest.mark.django_db
PERIOD = "2018-06"


def demo_review():
    return Review.objects.get(partnership=haringey(), period=date(2018, 6, 1))


def burglary():
    return Indicator.objects.get(partnership=haringey(), slug="reduce-burglary")


@pytest.mark.parametrize(
    "values,target,critical,expected",
    [
        ([10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 30], None, False, "red"),
        ([10, 11, 10, 11, 10, 11, 10, 11, 10, 11], 2, False, "red"),  # never met
        ([10, 11, 10, 11, 10, 11, 10, 11, 10, 11], 10.5, False, "amber"),
        ([10, 11, 10, 11, 10, 11, 10, 11, 10, 11], 30, False, "green"),
    ],
)
def test_software_proposes_rag_from_the_icons(values, target, critical, expected):
    indicator = make_indicator(target_value=target, target_critical=critical)
    add_values(indicator, values)
    chart = services.charts_for([indicator], date(2016, 12, 1))[0]
    assert chart.proposed_rag() == expected


def test_no_values_no_proposal():
    indicator = make_indicator()
    chart = services.charts_for([indicator], date(2018, 6, 1))[0]
    assert chart.proposed_rag() == "" and not chart.has_data


def test_red_and_amber_need_a_commentary(user_for):
    with pytest.raises(ValidationError) as raised:
        services.rate(demo_review(), burglary(), by=user_for("member"), rag="red")
    assert "commentary" in raised.value.message_dict


def test_override_needs_a_reason_and_is_recorded(user_for):
    review, indicator, member = demo_review(), burglary(), user_for("member")
    proposed = services.charts_for([indicator], review.period)[0].proposed_rag()
    other = "green" if proposed != "green" else "amber"
    with pytest.raises(ValidationError) as raised:
        services.rate(review, indicator, by=member, rag=other, commentary="x")
    assert "override_reason" in raised.value.message_dict
    rating = services.rate(
        review,
        indicator,
        by=member,
        rag=other,
        commentary="Seen by the SNTs",
        override_reason="Local knowledge: a series of arrests in May",
    )
    assert rating.overridden and rating.proposed_rag == proposed
    assert rating.rated_by == member and rating.rated_at
    entry = AuditEntry.objects.filter(record_type="performance.Rating").latest("at")
    assert "override: Local knowledge" in entry.reason
    assert entry.actor == member


def test_rating_form_keeps_input_and_shows_errors(client_for):
    client = client_for("member")
    url = reverse("performance:rate", args=[PERIOD, "reduce-burglary"])
    response = client.post(url, {"rag": "red", "board_ask": "Ask the police"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Ask the police" in html
    response = client.post(
        url,
        {
            "rag": "red",
            "commentary": "Rising in the South zone",
            "override_reason": "The partnership can add value here",
        },
    )
    assert response.status_code == 302
    rating = Rating.objects.get(review=demo_review(), indicator=burglary())
    assert rating.rag == "red" and rating.commentary == "Rising in the South zone"


def test_officer_cannot_rate(client_for):
    url = reverse("performance:rate", args=[PERIOD, "reduce-burglary"])
    response = client_for("officer").post(url, {"rag": "green"})
    assert response.status_code == 403


def test_analyst_adds_context_that_reaches_the_highlight_report(client_for):
    url = reverse("performance:context", args=[PERIOD, "reduce-burglary"])
    note = "Student lets in Harringay turned over in June: more empty homes."
    assert client_for("analyst").post(url, {"note": note}).status_code == 302
    rating = Rating.objects.get(review=demo_review(), indicator=burglary())
    assert rating.context_note == note
    assert client_for("member").post(url, {"note": "x"}).status_code == 403


def test_demo_highlight_report_has_exceptions_under_each_priority():
    report = services.highlight_report(demo_review())
    data = report.as_json()
    assert list(data) == [
        "partnership", "period", "priorities", "in_control_count", "kept_off"
    ]  # fmt: skip
    assert data["partnership"] == "haringey" and data["period"] == PERIOD
    names = [p["name"] for p in data["priorities"]]
    assert names[:3] == ["Reoffending", "Prevention", "Public confidence"]
    for priority in data["priorities"][:3]:
        assert priority["exceptions"], priority["name"]
        for e in priority["exceptions"]:
            assert set(e) == {
                "indicator", "reasons", "variation_icon", "assurance_icon", "rag",
                "latest_value", "target",
            }  # fmt: skip
            assert e["reasons"]
    reasons = {
        r for p in data["priorities"] for e in p["exceptions"] for r in e["reasons"]
    }
    assert {"consistent_fail", "rated_red", "hit_and_miss_target_critical"} <= reasons
    assert "special_cause_concern" in reasons
    gang = next(
        e
        for e in data["priorities"][0]["exceptions"]
        if e["indicator"].startswith("Reduce re-offending among the Gang Exit")
    )
    assert gang["reasons"] == ["rated_red"]  # the override put it there
    total = sum(len(p["exceptions"]) for p in data["priorities"])
    measured = Indicator.objects.filter(
        partnership=haringey(), status="measured"
    ).exclude(measurements=None)
    kept_off = len(data["kept_off"])  # the group keeps a MOPAC 7 KPI off
    assert total + data["in_control_count"] + kept_off == measured.count()
    json.dumps(data)


def test_in_control_kpi_is_left_out_and_counted():
    review = demo_review()
    report = services.highlight_report(review)
    listed = {e.indicator.slug for g in report.groups for e in g.exceptions}
    custody = "reduction-in-the-use-of-custody-rate-per-1000-of-10-17-year-olds"
    assert custody not in listed
    assert report.in_control_count >= 1


def test_recognition_for_special_cause_improvement():
    indicator = make_indicator(name="Falling", slug="falling")
    add_values(indicator, [20, 21, 20, 22, 21, 20, 21, 12, 11, 12, 11, 12, 11, 12, 11])
    review = Review.objects.create(partnership=haringey(), period=date(2017, 3, 1))
    item = next(
        i for i in services.review_charts(review) if i.indicator.slug == "falling"
    )
    assert item.reasons == ["special_cause_improvement"]
    assert "recognise" in services.board_ask(item)

"""The performance group decides what of each KPI reaches the board: always,
when exceptional, or never with a reason (issue 19, item 7)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csphub.accounts.models import AuditEntry
from csphub.performance import services
from csphub.performance.models import Indicator, Review

from .factories import add_values, haringey, make_indicator

pytestmark = pytest.mark.django_db
PERIOD = "2018-06"
VIOLENCE = "reduce-violence-with-injury"
BURGLARY = "reduce-burglary"


def demo_review():
    return Review.objects.get(partnership=haringey(), period=date(2018, 6, 1))


def indicator(slug):
    return Indicator.objects.get(partnership=haringey(), slug=slug)


def listed(report):
    return {e.indicator.slug for g in report.groups for e in g.exceptions}


def test_demo_keeps_a_mopac7_indicator_the_police_review_off_the_report():
    kept = indicator(VIOLENCE)
    assert kept.board_report == Indicator.BoardReport.NEVER
    assert "police" in kept.board_report_reason
    report = services.highlight_report(demo_review())
    assert VIOLENCE not in listed(report)
    assert [i.indicator.slug for i in report.kept_off] == [VIOLENCE]
    data = report.as_json()
    assert data["kept_off"] == [
        {
            "indicator": kept.name,
            "reason": kept.board_report_reason,
            "would_be_exception": bool(report.kept_off[0].reasons),
        }
    ]


def test_exceptional_kpi_reaches_the_board_until_the_group_says_never(user_for):
    slug = sorted(listed(services.highlight_report(demo_review())))[0]
    services.set_board_report(
        indicator(slug),
        user_for("member"),
        setting="never",
        reason="The BCU reviews it.",
    )
    report = services.highlight_report(demo_review())
    assert slug not in listed(report)
    assert slug in {i.indicator.slug for i in report.kept_off}
    entry = AuditEntry.objects.filter(record_type="performance.Indicator").latest("at")
    assert entry.actor == user_for("member")
    assert "When exceptional -> Never (The BCU reviews it.)" in entry.reason


def test_always_puts_an_in_control_kpi_on_the_report(user_for):
    steady = make_indicator(name="Steady", slug="steady")
    add_values(steady, [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11])
    review = Review.objects.create(partnership=haringey(), period=date(2016, 12, 1))
    assert "steady" not in listed(services.highlight_report(review))
    services.set_board_report(steady, user_for("admin"), setting="always")
    report = services.highlight_report(review)
    item = next(e for g in report.groups for e in g.exceptions if e.indicator == steady)
    assert item.reasons == ["board_always"]
    assert item.board_ask.startswith("Note the latest figures")


def test_never_needs_a_reason_and_other_settings_drop_it(user_for):
    burglary = indicator(BURGLARY)
    with pytest.raises(ValidationError) as raised:
        services.set_board_report(burglary, user_for("admin"), setting="never")
    assert "reason" in raised.value.message_dict
    with pytest.raises(ValidationError):
        services.set_board_report(burglary, user_for("admin"), setting="sometimes")
    kept = indicator(VIOLENCE)
    services.set_board_report(
        kept, user_for("admin"), setting="exceptional", reason="left over"
    )
    kept.refresh_from_db()
    assert kept.board_report == "exceptional" and kept.board_report_reason == ""


@pytest.mark.parametrize("persona", ["member", "admin"])
def test_performance_group_sets_it_on_the_page(persona, client_for):
    client = client_for(persona)
    url = reverse("performance:board-report", args=[BURGLARY])
    page = client.get(url).content.decode()
    assert "Save the board report setting" in page
    response = client.post(url, {"setting": "never", "reason": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Say why the board will not see it" in html
    assert indicator(BURGLARY).board_report == "exceptional"
    response = client.post(
        url, {"setting": "never", "reason": "Reviewed at the police's meeting."}
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Never: Reviewed at the police&#x27;s meeting." in detail
    highlight = client.get(reverse("performance:highlight", args=[PERIOD]))
    text = highlight.content.decode()
    assert "Kept off this report by the performance group" in text
    assert "Reduce burglary: Reviewed at the police&#x27;s meeting." in text


def test_detail_page_shows_the_setting_and_who_may_change_it(client_for):
    url = reverse("performance:indicator", args=[VIOLENCE])
    change = reverse("performance:board-report", args=[VIOLENCE])
    html = client_for("officer").get(url).content.decode()
    assert "On the board's highlight report" in html and "Never: Reviewed" in html
    assert change not in html  # an officer off the performance group
    assert change in client_for("member").get(url).content.decode()


def test_bad_setting_is_a_message_not_a_500(client_for):
    url = reverse("performance:board-report", args=[BURGLARY])
    response = client_for("admin").post(url, {"setting": "\x00"})
    assert response.status_code == 200
    assert "Choose when the board sees this KPI" in response.content.decode()


def test_register_shows_what_the_board_will_not_see(client_for):
    html = client_for("officer").get(reverse("performance:indicators")).content
    assert html.decode().count("Not reported to the board") == 1

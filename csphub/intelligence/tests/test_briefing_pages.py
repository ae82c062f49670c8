"""Briefing pages, the PDF and the incident list, for every persona."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from csphub.accounts.models import Partnership
from csphub.intelligence import hooks
from csphub.intelligence.models import Briefing, Incident
from csphub.intelligence.services import build_briefing
from csphub.places.models import Zone

from .crime_files import import_street_crime

JUNE = date(2018, 6, 1)
READERS = {"officer", "member", "analyst", "handler", "iom", "admin"}


@pytest.fixture
def haringey(db):
    partnership = Partnership.objects.get(slug="haringey")
    import_street_crime(partnership, ("2018-04", "2018-05", "2018-06"))
    return partnership


@pytest.fixture
def south_briefing(haringey):
    south = Zone.objects.get(partnership=haringey, slug="south")
    return build_briefing(haringey, south, JUNE, permutations=99)


def expected_status(persona):
    if persona == "anonymous":
        return 302
    return 404 if persona == "outsider" else 200


def test_briefing_page_for_each_persona(persona, client_for, south_briefing):
    response = client_for(persona).get(south_briefing.get_absolute_url())
    assert response.status_code == expected_status(persona)
    if response.status_code == 200:
        html = response.content.decode()
        assert '<h1 class="govuk-heading-l">South zone, June 2018</h1>' in html
        assert "Gi* hotspot map of South zone" in html
        assert "police.uk data gives only the month" in html
        assert reverse("intelligence:incident-list") + "?area=zone%3Asouth" in html


def test_briefing_pdf_for_each_persona(persona, client_for, south_briefing):
    response = client_for(persona).get(
        reverse("intelligence:briefing-pdf", args=[south_briefing.pk])
    )
    assert response.status_code == expected_status(persona)
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert "briefing-zone-south-2018-06.pdf" in response["Content-Disposition"]


def test_a_briefing_being_prepared_shows_progress(client_for, haringey):
    b = Briefing.objects.create(
        partnership=haringey,
        zone=Zone.objects.get(partnership=haringey, slug="west"),
        month=JUNE,
        seed=1,
        status=Briefing.Status.RUNNING,
        progress=50,
        step="Finding hotspots",
    )
    client = client_for("member")
    html = client.get(b.get_absolute_url()).content.decode()
    assert "Finding hotspots (50%)" in html and 'http-equiv="refresh"' in html
    pdf = client.get(reverse("intelligence:briefing-pdf", args=[b.pk]))
    assert pdf.status_code == 404


def test_briefing_page_queries_are_fixed(
    client_for, south_briefing, django_assert_num_queries
):
    client = client_for("officer")
    client.get(south_briefing.get_absolute_url())  # warm the session
    # session, user, roles (middleware), the briefing, then one query for
    # each section an app above adds through hooks (casework's open
    # problem-solving projects, residents' reports)
    from csphub.intelligence import hooks

    with django_assert_num_queries(4 + len(hooks._providers)):
        response = client.get(south_briefing.get_absolute_url())
    assert response.status_code == 200


def test_analyst_prepares_a_briefing_in_the_background(
    client_for, haringey, django_capture_on_commit_callbacks
):
    client = client_for("analyst")
    form = client.get(reverse("intelligence:briefing-list")).content.decode()
    assert "Prepare the briefing" in form and 'value="2018-06"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("intelligence:briefing-list"),
            {"area": "E05000268", "month": "2018-06", "cell_size": "300"},
        )
    b = Briefing.objects.get()
    assert response.status_code == 302 and response["Location"] == b.get_absolute_url()
    assert b.status == Briefing.Status.DONE, b.message
    assert b.created_by.username == "analyst" and b.parameters["cell_size"] == 300
    assert "Bruce Grove, June 2018" in client.get(b.get_absolute_url()).content.decode()


def test_a_bad_form_keeps_what_was_typed(client_for, haringey):
    response = client_for("admin").post(
        reverse("intelligence:briefing-list"),
        {"area": "E05000268", "month": "2016-03", "cell_size": "20"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Ensure this value is greater than or equal to 50" in html
    assert '<option value="E05000268" selected>' in html
    assert not Briefing.objects.exists()


@pytest.mark.parametrize("persona", ["officer", "member", "handler", "iom"])
def test_only_analysts_and_admins_prepare_briefings(persona, client_for, haringey):
    client = client_for(persona)
    assert (
        "Prepare the briefing"
        not in client.get(reverse("intelligence:briefing-list")).content.decode()
    )
    response = client.post(
        reverse("intelligence:briefing-list"), {"area": "E05000268", "month": "2018-06"}
    )
    assert response.status_code == 403
    assert not Briefing.objects.exists()


def test_briefing_list_queries_are_fixed(
    client_for, south_briefing, haringey, django_assert_num_queries
):
    client = client_for("analyst")
    client.get(reverse("intelligence:briefing-list"))
    # The form's data sets, categories and harm weights (issue 19): 5 queries.
    with django_assert_num_queries(12) as one:
        client.get(reverse("intelligence:briefing-list"))
    for slug in ("north", "west"):
        Briefing.objects.create(
            partnership=haringey,
            zone=Zone.objects.get(partnership=haringey, slug=slug),
            month=JUNE,
            seed=1,
        )
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(reverse("intelligence:briefing-list")).content.decode()
    assert html.count("/intelligence/briefings/") >= 3


def test_the_outsider_sees_only_barnets_briefings(client_for, south_briefing):
    html = client_for("outsider").get(reverse("intelligence:briefing-list"))
    assert "South zone" not in html.content.decode()


def test_sections_from_other_apps_are_shown_for_the_reader(
    client_for, south_briefing, monkeypatch
):
    seen = []

    def provider(partnership, area, month, user):
        seen.append((area, month, user.username))
        return hooks.BriefingSection(
            title="Open problem-solving projects",
            template="intelligence/_section_rows.html",
            rows=[{"text": "Wickes touting", "url": "/casework/1/"}],
            summary="One problem-solving project is open in the South zone.",
        )

    monkeypatch.setattr(hooks, "_providers", [provider])
    html = client_for("member").get(south_briefing.get_absolute_url()).content.decode()
    assert "Open problem-solving projects" in html and "Wickes touting" in html
    assert "One problem-solving project is open in the South zone." in html
    assert seen == [(south_briefing.zone, JUNE, "member")]


# The incident list


def test_incident_list_for_each_persona(persona, client_for, haringey):
    response = client_for(persona).get(reverse("intelligence:incident-list"))
    if persona == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    html = response.content.decode()
    if persona == "outsider":  # Barnet has no incidents; Haringey's are not shown
        assert "0 incidents" in html
    else:
        assert f"{Incident.objects.count():,}".replace(",", "") in html.replace(",", "")


def test_incident_list_filters_as_the_briefing_links(client_for, haringey):
    client = client_for("officer")
    url = reverse("intelligence:incident-list")
    query = "?area=zone:south&category=Burglary&from=2018-06&to=2018-06"
    html = client.get(url + query).content.decode()
    south = Zone.objects.get(partnership=haringey, slug="south")
    expected = Incident.objects.filter(
        ward__in=south.wards.all(), category="Burglary", month=JUNE
    ).count()
    assert f"{expected} incidents" in html
    lsoa = client.get(url + "?area=E01002071&from=2018-04").content.decode()
    assert (
        f"{Incident.objects.filter(lsoa__code='E01002071').count()} incidents" in lsoa
    )


def test_incident_list_bad_filters_say_what_is_wrong(client_for, haringey):
    response = client_for("officer").get(
        reverse("intelligence:incident-list") + "?from=June&area=E09000003"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "From month must be a month like 2018-06" in html
    assert "0 incidents" in html


def test_incident_list_csv_has_every_matching_incident(client_for, haringey):
    response = client_for("officer").get(
        reverse("intelligence:incident-list")
        + "?area=E05000268&from=2018-06&format=csv"
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["month", "occurred_on", "category"]
    assert (
        len(rows) - 1
        == Incident.objects.filter(ward__code="E05000268", month=JUNE).count()
    )


def test_incident_list_queries_are_fixed(
    client_for, haringey, django_assert_num_queries
):
    client = client_for("officer")
    url = reverse("intelligence:incident-list")
    client.get(url)
    with django_assert_num_queries(10) as few:
        client.get(url + "?area=E05000268&category=Drugs&from=2018-06")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url + "?page=3")
    assert response.content.decode().count('<tr class="govuk-table__row">') == 51


def test_the_database_task_worker_prepares_a_queued_briefing(reload_demo, settings):
    """The real background path: queued in the database, run by db_worker."""
    from django.core.management import call_command

    from csphub.accounts.models import User
    from csphub.intelligence.tasks import prepare_briefing

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    haringey = Partnership.objects.get(slug="haringey")
    import_street_crime(haringey, ("2018-05", "2018-06"))
    b = prepare_briefing(
        haringey,
        Zone.objects.get(partnership=haringey, slug="north"),
        JUNE,
        by=User.objects.get(username="analyst"),
        permutations=99,
    )
    b.refresh_from_db()
    assert b.status == Briefing.Status.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    b.refresh_from_db()
    assert b.status == Briefing.Status.DONE, b.message
    assert b.results["area"]["name"] == "North zone"


def test_partner_data_with_dates_gives_near_repeat_chains(client_for, haringey):
    from csphub.intelligence.datasets.demo import load_dataset_demo

    load_dataset_demo(haringey)
    police = Incident.objects.police_uk().filter(month=JUNE).count()
    south = Zone.objects.get(partnership=haringey, slug="south")
    b = build_briefing(haringey, south, JUNE, permutations=99)
    near = b.results["near_repeat"]
    assert (
        near["dated_incidents"] > 0 and near["chain_count"] >= len(near["chains"]) > 0
    )
    chain = near["chains"][0]
    assert chain["size"] == len(chain["incidents"]) >= 3
    days = sorted(
        Incident.objects.filter(pk__in=chain["incidents"]).values_list(
            "occurred_on", flat=True
        )
    )
    assert (
        days[0].isoformat() == chain["first"] and days[-1].isoformat() == chain["last"]
    )
    # partner incidents are not added to the police.uk figures
    total = sum(c["count"] for c in b.results["counts"])
    assert (
        total
        == Incident.objects.police_uk()
        .filter(ward__in=south.wards.all(), month=JUNE)
        .count()
    )
    assert police == Incident.objects.police_uk().filter(month=JUNE).count()
    html = client_for("officer").get(b.get_absolute_url()).content.decode()
    assert "near-repeat chain" in html
    ids = ",".join(str(i) for i in chain["incidents"])
    listed = client_for("officer").get(
        reverse("intelligence:incident-list") + f"?area=zone:south&ids={ids}"
    )
    assert f"{chain['size']} incidents" in listed.content.decode()


def test_a_failed_briefing_says_why(client_for, haringey):
    b = Briefing.objects.create(
        partnership=haringey,
        area=haringey.borough,
        month=JUNE,
        seed=1,
        status=Briefing.Status.FAILED,
        message="there is no crime data for June 2018",
    )
    html = client_for("officer").get(b.get_absolute_url()).content.decode()
    assert "could not be prepared" in html and "no crime data for June 2018" in html
    assert 'http-equiv="refresh"' not in html


def test_briefing_leads_with_contents_summary_trends_then_hotspots(
    client_for, south_briefing
):
    html = client_for("member").get(south_briefing.get_absolute_url()).content.decode()
    assert 'aria-labelledby="briefing-contents"' in html
    order = ['id="summary-heading"', 'id="trends"', 'id="hotspots"', 'id="counts"']
    positions = [html.index(marker) for marker in order + ['id="method"']]
    assert positions == sorted(positions)


def test_an_older_briefing_of_the_same_place_and_month_is_marked_superseded(
    client_for, haringey, south_briefing
):
    south = Zone.objects.get(partnership=haringey, slug="south")
    build_briefing(haringey, south, JUNE, permutations=99)
    html = client_for("member").get(reverse("intelligence:briefing-list"))
    assert html.content.decode().count("Superseded</strong>") == 1


def test_incidents_reached_from_a_briefing_link_back_to_it(client_for, south_briefing):
    client = client_for("analyst")
    html = client.get(south_briefing.get_absolute_url()).content.decode()
    link = f'href="/intelligence/incidents/?briefing={south_briefing.pk}&amp;'
    assert link in html
    incidents = client.get(
        reverse("intelligence:incident-list"), {"briefing": south_briefing.pk}
    ).content.decode()
    assert (
        f'href="{south_briefing.get_absolute_url()}">Back to the briefing' in incidents
    )
    assert (
        "Back to the briefing"
        not in client.get(
            reverse("intelligence:incident-list"), {"briefing": "nonsense"}
        ).content.decode()
    )

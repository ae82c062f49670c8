"""The Open311 intake writes first and routes and matches after (intake.py):
with a task backend that runs later, the resident has a reference at once,
one triage task a second is queued, and the triage makes the report the form
would have made."""

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from csphub.reports import intake, tasks
from csphub.reports.models import Report, ReportEvent

from .factories import make_report, make_street

pytestmark = pytest.mark.django_db
LATER = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def later(monkeypatch):
    monkeypatch.setattr(tasks, "_next_triage", 0.0)
    with override_settings(TASKS=LATER):
        yield


def post(client, street, **data):
    data = {
        "service_code": "noise",
        "lat": street.latitude,
        "long": street.longitude,
        "description": "Party every night",
        **data,
    }
    return client.post("/open311/v2/requests.json", data)


def test_the_report_is_written_first_and_triaged_after(client, later):
    street = make_street()
    earlier = make_report(street)  # on the form: routed and matched at once
    response = post(client, street, email="ada@example.org")
    assert response.status_code == 201
    [row] = response.json()
    report = Report.objects.get(reference=row["service_request_id"])
    assert report.awaiting_triage and report.organisation is None
    assert report.lsoa == street.lsoa and report.ward == street.ward
    assert row["token"] and row["service_notice"] == ""
    assert DBTaskResult.objects.filter(task_path__endswith="triage_reports").count()

    found = intake.triage_pending()

    report.refresh_from_db()
    assert found == {report.reference: earlier.report.reference}
    assert not report.awaiting_triage
    assert report.organisation == earlier.report.organisation
    assert report.team == earlier.report.team
    assert report.possible_duplicate_of == earlier.report
    assert report.zone == earlier.report.zone and report.place == street.name
    assert report.first_response_due == earlier.report.first_response_due
    event = ReportEvent.objects.get(report=report)
    assert event.kind == ReportEvent.Kind.RECEIVED and event.at == report.created_at
    assert intake.triage_pending() == {}  # nothing waits: nothing done twice


def test_one_triage_task_a_second_takes_every_report(
    client, later, django_capture_on_commit_callbacks
):
    street = make_street()
    refs = []
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            refs.append(post(client, street).json()[0]["service_request_id"])
    assert (
        DBTaskResult.objects.filter(task_path__endswith="triage_reports").count() == 1
    )
    found = intake.triage_pending()
    assert set(found) == set(refs)
    # Matched in the order they came: the second and third join the first.
    assert found[refs[0]] == ""
    assert found[refs[1]] == refs[0] and found[refs[2]] in refs[:2]


def test_a_point_outside_the_borough_is_refused_before_anything_is_written(
    client, later
):
    street = make_street()
    before = Report.objects.count()
    oxford = {"lat": "51.75", "long": "-1.25", "jurisdiction_id": "haringey"}
    response = post(client, street, **oxford)
    assert response.status_code == 400
    assert "outside Haringey" in response.json()[0]["description"]
    assert Report.objects.count() == before

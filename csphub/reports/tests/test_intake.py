"""The Open311 intake writes first and routes and matches after (intake.py):
with a task backend that runs later, the resident has a reference at once,
one triage task a second is queued, and the triage makes the report the form
would have made."""

import pytest
from django.db import IntegrityError
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from csphub.reports import intake, tasks
from csphub.reports.models import Category, Report, ReportEvent

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


@pytest.fixture
def kept():
    """The intake's reference data kept, as outside the tests."""
    intake.known.forget()
    with override_settings(CSPHUB_INTAKE_CACHE_SECONDS=60):
        yield intake.known
    intake.known.forget()


def test_a_warm_intake_writes_and_looks_nothing_up(
    client, later, kept, django_assert_max_num_queries
):
    street = make_street()
    assert post(client, street).status_code == 201  # reads the reference data
    # The rate limit's count, the report, its reporter, their two audit
    # entries, the triage task (queued each time here: the test's transaction
    # never commits) and the savepoint around them: no lookups of
    # categories, partnerships or LSOA boxes.
    with django_assert_max_num_queries(8) as captured:
        assert post(client, street, service_code="rowdy").status_code == 201
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    for table in ("reports_category", "accounts_partnership", "reports_lsoabox"):
        assert table not in tables


def test_kept_reference_data_is_read_again_when_forgotten_or_stale(client, later, kept):
    street = make_street()
    assert post(client, street).status_code == 201
    Category.objects.create(
        code="graffiti-test",
        name="Graffiti (test)",
        asb_type="environmental",
        theme="asb",
    )
    response = post(client, street, service_code="graffiti-test")
    assert response.status_code == 400  # not known to this process yet
    assert "is not a service" in response.json()[0]["description"]

    kept.until = 0.0  # as when CSPHUB_INTAKE_CACHE_SECONDS have passed
    assert post(client, street, service_code="graffiti-test").status_code == 201


def test_the_jurisdiction_is_found_from_the_point(client, later):
    street = make_street()
    response = post(client, street)  # no jurisdiction_id given
    report = Report.objects.get(reference=response.json()[0]["service_request_id"])
    assert report.partnership.slug == "haringey" and report.lsoa == street.lsoa


def test_a_kept_row_removed_meanwhile_asks_for_the_post_again(
    client, later, kept, monkeypatch
):
    """Were a kept category or area deleted in another process, the insert
    fails its foreign key; the resident is asked to send it again (no 500)
    and the kept rows are read afresh."""
    street = make_street()
    assert post(client, street).status_code == 201
    assert kept.until > 0

    def removed(*args, **kwargs):
        raise IntegrityError("FOREIGN KEY constraint failed")

    monkeypatch.setattr(tasks, "take_report_and_triage", removed)
    response = post(client, street)
    assert response.status_code == 409
    assert "send it again" in response.json()[0]["description"]
    assert kept.until == 0.0

"""Uploading a police.uk file on the web: a background import with progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csphub.accounts.models import Partnership
from csphub.intelligence.models import ImportJob, Incident, SourceFile

from .dataset_factories import LOADER_PAGE
from .fixtures import HARINGEY  # synthetic files in the real layout


def upload(client, name, content, capture):
    with capture(execute=True):
        return client.post(
            reverse("intelligence:upload"),
            {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
        )


def test_analyst_uploads_a_file_and_sees_it_imported(
    client_for, django_capture_on_commit_callbacks
):
    path = HARINGEY / "2017-03-btp-street.csv"
    client = client_for("analyst")
    response = upload(
        client, path.name, path.read_bytes(), django_capture_on_commit_callbacks
    )
    job = ImportJob.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == job.get_absolute_url()
    )
    assert job.status == ImportJob.Status.DONE
    assert job.source_file.force == "British Transport Police"
    assert job.percent_done() == 100
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Imported" in html and 'http-equiv="refresh"' not in html
    assert Incident.objects.filter(source_file=job.source_file).count() > 0


def test_a_bad_upload_is_rejected_whole_with_the_line(
    client_for, django_capture_on_commit_callbacks
):
    lines = (HARINGEY / "2017-03-metropolitan-street.csv").read_text().splitlines(True)
    content = "".join(lines[:30] + [lines[30][:25]]).encode()
    client = client_for("admin")
    upload(client, "march.csv", content, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("march.csv:31: expected 12 columns")
    assert not SourceFile.objects.exists() and not Incident.objects.exists()
    html = client.get(job.get_absolute_url()).content.decode()
    assert "nothing was loaded" in html and "march.csv:31" in html


def test_a_file_that_is_not_csv_keeps_the_form_and_says_why(client_for):
    response = client_for("analyst").post(
        reverse("intelligence:upload"),
        {"file": SimpleUploadedFile("crimes.xlsx", b"PK\x03\x04")},
    )
    assert response.status_code == 200
    assert "crimes.xlsx is not a CSV file" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_empty_form_says_what_is_missing(client_for):
    response = client_for("analyst").post(reverse("intelligence:upload"), {})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


@pytest.mark.parametrize("persona,status", LOADER_PAGE)
def test_import_job_page_for_each_persona(persona, status, client_for):
    job = ImportJob.objects.create(
        partnership=Partnership.objects.get(slug="haringey"),
        name="x.csv",
        stored_as="imports/x.csv",
        rows_total=100,
        rows_done=40,
        status=ImportJob.Status.RUNNING,
    )
    if persona == "outsider":  # an analyst of Barnet may not see Haringey's job
        from csphub.accounts.models import Role, User
        from csphub.accounts.services import grant_role

        grant_role(
            User.objects.get(username="outsider"),
            Partnership.objects.get(slug="barnet"),
            Role.ANALYST,
        )
    response = client_for(persona).get(job.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "40 of 100 rows (40%)" in html and 'http-equiv="refresh"' in html


def test_the_database_task_worker_runs_a_queued_import(reload_demo, settings):
    """The real background path: queued in the database, run by db_worker."""
    from django.core.management import call_command

    from csphub.accounts.models import User
    from csphub.intelligence import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    path = HARINGEY / "2017-03-btp-street.csv"
    job = tasks.start_upload_import(
        Partnership.objects.get(slug="haringey"),
        SimpleUploadedFile(path.name, path.read_bytes()),
        by=User.objects.get(username="analyst"),
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.message
    assert job.source_file.rows_loaded > 0

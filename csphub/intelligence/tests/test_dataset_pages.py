"""Partner data set pages and incident flags, for every persona."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csphub.accounts.models import AuditEntry, Partnership
from csphub.intelligence.datasets.services import record_flags
from csphub.intelligence.models import DataSet, FlagChange, ImportJob, Incident

from .dataset_factories import (
    HEADER,
    LOADER_PAGE,
    csv_bytes,
    load_file,
    make_data_set,
    rows,
    xlsx_bytes,
)

READERS = {"officer", "member", "analyst", "handler", "iom", "admin"}
LOADERS = {"analyst", "admin"}
FLAGGERS = {"officer", "handler", "analyst", "admin"}


@pytest.fixture
def loaded(db):
    data_set = make_data_set(sample_rows=rows(3))
    load_file(data_set, csv_bytes(rows(6)), "jan.csv")
    return data_set


def expected(persona, allowed):
    if persona == "anonymous":
        return 302
    if persona == "outsider":
        return 404
    return 200 if persona in allowed else 403


@pytest.mark.parametrize(
    "name,allowed",
    [
        ("intelligence:dataset-detail", READERS),
        ("intelligence:dataset-mapping", LOADERS),
        ("intelligence:dataset-upload", LOADERS),
    ],
)
def test_data_set_pages_for_each_persona(loaded, persona, client_for, name, allowed):
    response = client_for(persona).get(reverse(name, args=[loaded.slug]))
    assert response.status_code == expected(persona, allowed), persona
    if response.status_code == 200:
        assert response.content.decode().count("<h1") == 1


def test_incident_page_for_each_persona(loaded, persona, client_for):
    incident = Incident.objects.filter(data_set=loaded).first()
    response = client_for(persona).get(incident.get_absolute_url())
    assert response.status_code == expected(persona, READERS)
    if response.status_code == 200:
        html = response.content.decode()
        assert "Haringey Council ASB log (test)" in html and "jan.csv, row 2" in html
        assert ("Record flags" in html) == (persona in FLAGGERS)


def test_flags_post_for_each_persona(loaded, persona, client_for):
    incident = Incident.objects.filter(data_set=loaded, hate_crime=False).first()
    response = client_for(persona).post(
        reverse("intelligence:incident-flags", args=[incident.pk]),
        {
            "flags": ["hate_crime"],
            "note": "reported to the council's hate crime service",
        },
    )
    incident.refresh_from_db()
    if persona in FLAGGERS:
        assert response.status_code == 302
        assert incident.hate_crime
    else:
        assert response.status_code == expected(persona, FLAGGERS)
        assert not incident.hate_crime


def test_flags_are_recorded_as_rows_with_who_and_when(loaded, client_for, user_for):
    incident = Incident.objects.filter(data_set=loaded, alcohol_related=True).first()
    client = client_for("officer")
    url = reverse("intelligence:incident-flags", args=[incident.pk])
    client.post(
        url, {"flags": ["alcohol_related", "repeat_victim"], "note": "3rd call"}
    )
    client.post(url, {"flags": ["repeat_victim"]})  # alcohol cleared
    incident.refresh_from_db()
    assert (incident.alcohol_related, incident.repeat_victim) == (False, True)
    history = list(FlagChange.objects.filter(incident=incident).order_by("pk"))
    assert [(c.flag, c.value) for c in history] == [
        ("repeat_victim", True),
        ("alcohol_related", False),
    ]
    assert {c.recorded_by for c in history} == {user_for("officer")}
    assert history[0].note == "3rd call"
    assert (
        AuditEntry.objects.filter(
            action="change", record_id=str(incident.pk), actor_name="officer"
        )
        .exclude(reason="")  # the service's entries, not the change trail's
        .count()
        == 2
    )
    html = client.get(incident.get_absolute_url()).content.decode()
    assert "Repeat victim set" in html and "Alcohol-related cleared" in html


def test_recorded_flags_survive_a_corrected_file(loaded, user_for):
    incident = Incident.objects.get(data_set=loaded, crime_id="ASB-201701-2")
    record_flags(incident, {"hate_crime": True}, by=user_for("officer"))
    load_file(loaded, csv_bytes(rows(7)), "jan-corrected.csv")
    again = Incident.objects.get(data_set=loaded, crime_id="ASB-201701-2")
    assert again.pk != incident.pk and again.hate_crime
    assert FlagChange.objects.get().incident == again


def test_outsider_cannot_post_flags_on_haringey(loaded, client_for):
    incident = Incident.objects.filter(data_set=loaded).first()
    response = client_for("outsider").post(
        reverse("intelligence:incident-flags", args=[incident.pk]),
        {"flags": ["hate_crime"]},
    )
    assert response.status_code == 404
    assert not FlagChange.objects.exists()


def test_flags_page_is_post_only(loaded, client_for):
    incident = Incident.objects.filter(data_set=loaded).first()
    url = reverse("intelligence:incident-flags", args=[incident.pk])
    assert client_for("officer").get(url).status_code == 405


def test_the_list_shows_counts_in_a_fixed_number_of_queries(
    loaded, client_for, django_assert_num_queries
):
    make_data_set(name="London Fire Brigade secondary fires (test)")
    client = client_for("member")
    client.get(reverse("intelligence:dataset-list"))
    with django_assert_num_queries(4):
        response = client.get(reverse("intelligence:dataset-list"))
    html = response.content.decode()
    assert (
        "Haringey Council ASB log (test)" in html and "Mapping not finished" not in html
    )


def test_the_data_set_page_shows_files_months_and_categories(
    loaded, client_for, django_assert_num_queries
):
    client = client_for("analyst")
    url = loaded.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(10):
        html = client.get(url).content.decode()
    assert "jan.csv" in html and "January 2017" in html
    assert "Noise" in html and "Street drinking" in html
    assert "Upload a file" in html


def test_the_outsider_sees_barnets_empty_list(loaded, client_for):
    html = client_for("outsider").get(reverse("intelligence:dataset-list")).content
    assert b"Haringey Council ASB log" not in html and b"No partner data sets" in html


def test_add_a_data_set_from_a_sample_then_map_it(db, client_for):
    from csphub.accounts.models import Organisation

    client = client_for("analyst")
    fire = Organisation.objects.get(name="London Fire Brigade")
    response = client.post(
        reverse("intelligence:dataset-add"),
        {
            "name": "LFB secondary fires",
            "organisation": fire.pk,
            "encoding": "utf-8",
            "sample": SimpleUploadedFile("fires.xlsx", xlsx_bytes(rows(4))),
        },
    )
    data_set = DataSet.objects.get(name="LFB secondary fires")
    assert response["Location"] == reverse(
        "intelligence:dataset-mapping", args=[data_set.slug]
    )
    assert data_set.columns == HEADER and len(data_set.sample_rows) == 4
    html = client.get(response["Location"]).content.decode()
    assert "High Road, N17 6QB" in html  # the sample preview
    mapping = {
        "name": "LFB secondary fires",
        "encoding": "utf-8",
        "date_column": "Date reported",
        "date_formats": ["%d/%m/%Y"],
        "category_column": "Type",
        "category_map_text": "NOI = Noise\nROW = Rowdy\nDRK = Drink",
        "category_map_required": "on",
        "location_kind": "lonlat",
        "x_column": "Lon",
        "y_column": "Lat",
        "reference_column": "Ref",
        "alcohol_column": "Alcohol",
        "yes_values": "Y",
    }
    response = client.post(response["Location"], mapping)
    assert response.status_code == 302
    data_set.refresh_from_db()
    assert data_set.is_mapped() and data_set.category_map["NOI"] == "Noise"
    html = client.get(response["Location"]).content.decode()
    assert "How the sample reads" in html and "Would reject" not in html


def test_a_mapping_with_gaps_keeps_what_was_typed_and_says_why(loaded, client_for):
    url = reverse("intelligence:dataset-mapping", args=[loaded.slug])
    response = client_for("admin").post(
        url,
        {
            "name": "Renamed",
            "encoding": "cp1252",
            "date_column": "Date reported",
            "date_formats": ["%d/%m/%Y"],
            "location_kind": "lonlat",
            "x_column": "Lon",
            "category_map_text": "NOI Noise",
            "yes_values": "Y",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose the category column, or give the category" in html
    assert "Choose the latitude or northing column" in html
    assert "Line 1 of the category map" in html
    assert 'value="Renamed"' in html
    loaded.refresh_from_db()
    assert loaded.name == "Haringey Council ASB log (test)"


def test_an_unreadable_sample_is_refused_on_the_form(db, client_for):
    from csphub.accounts.models import Organisation

    response = client_for("admin").post(
        reverse("intelligence:dataset-add"),
        {
            "name": "Broken",
            "organisation": Organisation.objects.get(name="Haringey Council").pk,
            "encoding": "utf-8",
            "sample": SimpleUploadedFile("broken.xlsx", b"PK\x03\x04 not really"),
        },
    )
    assert response.status_code == 200
    assert "broken.xlsx:1: not a readable XLSX workbook" in response.content.decode()
    assert not DataSet.objects.filter(name="Broken").exists()


def test_upload_imports_in_the_background_with_progress(
    loaded, client_for, django_capture_on_commit_callbacks
):
    client = client_for("analyst")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("intelligence:dataset-upload", args=[loaded.slug]),
            {"file": SimpleUploadedFile("feb.xlsx", xlsx_bytes(rows(5, month=2)))},
        )
    job = ImportJob.objects.get(data_set=loaded)
    assert response["Location"] == job.get_absolute_url()
    assert job.status == ImportJob.Status.DONE and job.source_file.name == "feb.xlsx"
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Imported" in html and "5 of 5 rows loaded" in html


def test_a_bad_upload_is_rejected_whole_with_the_row(
    loaded, client_for, django_capture_on_commit_callbacks
):
    body = rows(5, month=2)
    body[3][1] = "31/02/2017"
    with django_capture_on_commit_callbacks(execute=True):
        client_for("admin").post(
            reverse("intelligence:dataset-upload", args=[loaded.slug]),
            {"file": SimpleUploadedFile("feb.csv", csv_bytes(body))},
        )
    job = ImportJob.objects.get(data_set=loaded)
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("feb.csv:5: bad date '31/02/2017'")
    assert loaded.files.count() == 1


@pytest.mark.parametrize("persona,status", LOADER_PAGE)
def test_import_job_page_for_personas(loaded, persona, status, client_for):
    job = ImportJob.objects.create(
        partnership=loaded.partnership,
        data_set=loaded,
        name="x.csv",
        stored_as="imports/x.csv",
        rows_total=10,
        rows_done=4,
        status=ImportJob.Status.RUNNING,
    )
    response = client_for(persona).get(job.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert "4 of 10 rows (40%)" in response.content.decode()


def test_outsider_analyst_gets_404_for_haringey_pages(loaded, client_for, user_for):
    from csphub.accounts.models import Role
    from csphub.accounts.services import grant_role

    grant_role(
        user_for("outsider"), Partnership.objects.get(slug="barnet"), Role.ANALYST
    )
    client = client_for("outsider")
    for name in ("dataset-detail", "dataset-mapping", "dataset-upload"):
        url = reverse(f"intelligence:{name}", args=[loaded.slug])
        assert client.get(url).status_code == 404, name


def test_replace_the_sample_for_each_persona(loaded, persona, client_for):
    new_header = [*HEADER, "Hate"]
    body = [[*row, "N"] for row in rows(2)]
    response = client_for(persona).post(
        reverse("intelligence:dataset-sample", args=[loaded.slug]),
        {"sample": SimpleUploadedFile("v2.csv", csv_bytes(body, new_header))},
    )
    loaded.refresh_from_db()
    if persona in LOADERS:
        assert response.status_code == 302
        assert loaded.columns == new_header and loaded.sample_name == "v2.csv"
    else:
        assert response.status_code == expected(persona, LOADERS)
        assert loaded.columns == HEADER


def test_an_unreadable_new_sample_keeps_the_old_and_says_why(loaded, client_for):
    response = client_for("analyst").post(
        reverse("intelligence:dataset-sample", args=[loaded.slug]),
        {"sample": SimpleUploadedFile("v2.csv", b"\xff\xfeR\x00e\x00f\x00")},
    )
    assert response.status_code == 400
    assert "v2.csv:1: UTF-16 text" in response.content.decode()
    loaded.refresh_from_db()
    assert loaded.columns == HEADER


def test_the_sample_page_is_post_only(loaded, client_for):
    url = reverse("intelligence:dataset-sample", args=[loaded.slug])
    assert client_for("analyst").get(url).status_code == 405


def test_an_xlsx_sample_previews_its_date_cells(db, client_for):
    from csphub.intelligence.datasets.services import set_sample

    data_set = make_data_set(date_formats=["%Y-%m-%d"])
    set_sample(data_set, xlsx_bytes(rows(3), native_dates=True), "s.xlsx", by=None)
    html = client_for("analyst").get(
        reverse("intelligence:dataset-mapping", args=[data_set.slug])
    )
    assert "1 Jan 2017" in html.content.decode()
    assert "Would reject" not in html.content.decode()


def test_a_police_uk_incident_page_says_month_only_and_takes_flags(
    db, client_for, user_for
):
    from datetime import date

    from csphub.intelligence.models import SourceFile

    haringey = Partnership.objects.get(slug="haringey")
    source = SourceFile.objects.create(
        partnership=haringey,
        source=SourceFile.Source.POLICE_UK,
        name="2017-01-metropolitan-street.csv",
        force="Metropolitan Police Service",
        month=date(2017, 1, 1),
        sha256="0" * 64,
    )
    incident = Incident.objects.create(
        partnership=haringey,
        source_file=source,
        line=7,
        crime_id="abc123",
        month=date(2017, 1, 1),
        category="Violence and sexual offences",
        location="On or near High Road",
    )
    client = client_for("handler")
    html = client.get(incident.get_absolute_url()).content.decode()
    assert "January 2017 (police.uk gives the month only)" in html
    assert "2017-01-metropolitan-street.csv, row 7" in html
    client.post(
        reverse("intelligence:incident-flags", args=[incident.pk]),
        {"flags": ["alcohol_related"]},
    )
    incident.refresh_from_db()
    assert incident.alcohol_related
    assert FlagChange.objects.get().recorded_by == user_for("handler")

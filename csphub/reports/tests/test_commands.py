"""import_gazetteer, import_postcodes, anonymise_reports."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from csphub.reports import services
from csphub.reports.gazetteer import normalise_postcode
from csphub.reports.models import Postcode, Report, Street

from .factories import haringey, make_report, make_street

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_gazetteer_from_a_csv_replaces_the_borough_gazetteer(tmp_path):
    street = make_street()
    path = tmp_path / "streets.csv"
    path.write_text(
        "name,latitude,longitude\n"
        f"Gazette Road,{street.latitude},{street.longitude}\n"
        "Faraway Street,52.5,-1.9\n"
    )
    dry = run("import_gazetteer", "--partnership", "haringey", "--dry-run", str(path))
    assert "1 street points checked" in dry and Street.objects.filter(
        name="Testing Road"
    )
    out = run("import_gazetteer", "--partnership", "haringey", str(path))
    assert "1 street points loaded" in out and "1 outside Haringey" in out
    assert list(Street.objects.values_list("name", flat=True)) == ["Gazette Road"]
    assert Street.objects.get().ward == street.ward


def test_import_gazetteer_from_police_uk_snap_points(tmp_path):
    street = make_street()
    path = tmp_path / "2018-06-metropolitan-street.csv"
    path.write_text(
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
        "LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
        f",2018-06,MPS,MPS,{street.longitude},{street.latitude},On or near Mayes Road,"
        ",,Anti-social behaviour,,\n"
        ",2018-06,MPS,MPS,,,No Location,,,Anti-social behaviour,,\n"
    )
    run("import_gazetteer", "--partnership", "haringey", str(tmp_path))
    assert Street.objects.get().name == "Mayes Road"
    # A police.uk download: a folder a month, found within the folder named.
    month = tmp_path / "2018-07"
    month.mkdir()
    path.rename(month / "2018-07-metropolitan-street.CSV")
    out = run("import_gazetteer", "--partnership", "haringey", str(tmp_path))
    assert "1 street points loaded from 1 files" in out


def test_import_gazetteer_refuses_bad_files(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("street,x\nA,1\n")
    with pytest.raises(CommandError, match="needs columns"):
        run("import_gazetteer", "--partnership", "haringey", str(path))
    path.write_text("name,latitude,longitude\nA,north,1\n")
    with pytest.raises(CommandError, match="bad.csv:2: bad coordinates"):
        run("import_gazetteer", "--partnership", "haringey", str(path))
    with pytest.raises(CommandError, match="no partnership with slug 'nowhere'"):
        run("import_gazetteer", "--partnership", "nowhere", str(path))
    with pytest.raises(CommandError, match="nowhere.csv: no such file or folder"):
        run(
            "import_gazetteer",
            "--partnership",
            "haringey",
            str(tmp_path / "nowhere.csv"),
        )


def test_import_postcodes(tmp_path):
    path = tmp_path / "onspd.csv"
    path.write_text(
        "pcds,lat,long,lsoa11,doterm\n"
        "N17 8AB,51.6,-0.07,E01001951,\n"
        "N17 9ZZ,51.6,-0.07,E01001951,200001\n"
        "N17 7ZZ,99.999999,0,,\n"
    )
    assert "1 postcodes loaded; 2 skipped" in run("import_postcodes", str(path))
    assert Postcode.objects.get().postcode == "N17 8AB"
    path.write_text("pcds,lat,long\nBANANA,51,0\n")
    with pytest.raises(CommandError, match="bad postcode"):
        run("import_postcodes", str(path))


def test_postcode_shapes():
    assert normalise_postcode("n178ab") == "N17 8AB"
    assert normalise_postcode(" SW1A 1AA ") == "SW1A 1AA"
    assert normalise_postcode("12345") is None
    assert normalise_postcode("<script>") is None


def test_anonymise_reports_after_retention(settings):
    settings.CSPHUB_REPORTS_RETENTION_DAYS = 30
    reporter = make_report(name="Ada", email="ada@example.org")
    services.update_status(reporter.report, None, status="closed", outcome="Done")
    Report.objects.filter(pk=reporter.report_id).update(
        closed_at=timezone.now() - timedelta(days=31)
    )
    dry = run("anonymise_reports", "--dry-run")
    reporter.refresh_from_db()
    assert "would be" in dry and reporter.email == "ada@example.org"
    run("anonymise_reports")
    reporter.refresh_from_db()
    assert reporter.email == "" and reporter.name == "" and reporter.anonymised_at
    assert haringey().resident_reports.filter(pk=reporter.report_id).exists()


def test_the_retention_task_does_what_the_command_does(settings):
    from csphub.reports.tasks import anonymise_old_reports

    settings.CSPHUB_REPORTS_RETENTION_DAYS = 30
    reporter = make_report(email="old@example.org")
    services.update_status(reporter.report, None, status="closed", outcome="Done")
    Report.objects.filter(pk=reporter.report_id).update(
        closed_at=timezone.now() - timedelta(days=31)
    )
    result = anonymise_old_reports.enqueue()
    assert result.return_value["reporters"] >= 1
    reporter.refresh_from_db()
    assert reporter.email == ""

"""Every documented command, run as a person runs it: a fresh process.

Tests that call a command inside the test process share modules the process
has already imported, and so hid an import cycle that stopped `import_crime`
and `compute_kpis` in a terminal (issue 10). Here each command starts with a
new interpreter, on a database of its own that the module builds with
`migrate` and `load_demo`, also fresh processes.
"""

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
CSPHUB = ROOT / "csphub"
SHARED = Path(settings.SHARED_DIR)
CITY = SHARED / "data/policeuk/city-of-london/2017-08/2017-08-city-of-london-street.csv"
PLACES = SHARED / "data/places"

pytestmark = pytest.mark.skipif(
    not (CITY.exists() and PLACES.is_dir()), reason="needs ../shared/data"
)


def defined_commands():
    """The project's own management commands, from their files."""
    return sorted(
        path.stem
        for path in CSPHUB.glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    )


def documented_commands():
    """`manage.py NAME` as the README and the apps' READMEs write it."""
    found = set()
    for readme in [ROOT / "README.md", *CSPHUB.glob("*/README.md")]:
        found.update(re.findall(r"manage\.py ([a-z_]+)", readme.read_text()))
    return found


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A database no other test uses: a new SQLite file, or a new database on
    the PostgreSQL server the suite is running on."""
    given = os.environ.get("DATABASE_URL", "")
    if not given.startswith("postgres"):
        yield f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.sqlite3'}"
        return
    import psycopg

    name = f"csphub_cli_{uuid.uuid4().hex[:8]}"
    server, _, _ = given.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(database_url, *args, check=True):
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert done.returncode == 0, f"{args}: {done.returncode}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def demo_db(database_url):
    run(database_url, "migrate", "--noinput", "-v0")
    loaded = run(database_url, "load_demo")
    assert "Demo sign-ins" in loaded.stdout
    return database_url


# Django's and django-tasks' own commands, which the README names for running
# the site; their own projects test them.
DJANGOS = {"runserver", "migrate", "collectstatic", "db_worker", "shell"}


def test_every_documented_command_is_run_here():
    """A command joins REAL_RUNS below when a README documents it."""
    missing = documented_commands() - set(REAL_RUNS) - {"load_demo"} - DJANGOS
    assert not missing, f"documented but not run as a process: {sorted(missing)}"


@pytest.mark.parametrize("command", defined_commands())
def test_help_works_in_a_fresh_process(command, tmp_path):
    done = run(f"sqlite:///{tmp_path / 'empty.sqlite3'}", command, "--help")
    assert f"manage.py {command}" in done.stdout


def check_import_areas(db, tmp_path):
    out = run(
        db,
        "import_areas",
        "--lsoas",
        str(PLACES / "haringey-lsoa-2011.geojson"),
        "--lookup",
        str(PLACES / "haringey-lsoa11-to-ward18.csv"),
        "--dry-run",
    ).stdout
    assert "145" in out


def check_import_crime(db, tmp_path):
    # The City of London's files fall outside Haringey: read, counted, none kept.
    out = run(db, "import_crime", "--partnership", "haringey", str(CITY)).stdout
    assert "2017-08-city-of-london-street.csv" in out
    assert "City of London Police 2017-08" in out
    again = run(db, "import_crime", "--partnership", "haringey", str(CITY)).stdout
    assert "unchanged" in again
    bad = tmp_path / "2017-09-nowhere-street.csv"
    bad.write_text("Crime ID,Month\nx,2017-09\n")
    refused = run(
        db, "import_crime", "--partnership", "haringey", str(bad), check=False
    )
    assert refused.returncode != 0
    assert "2017-09-nowhere-street.csv" in refused.stderr


def check_import_dataset(db, tmp_path):
    path = tmp_path / "council-asb-2018-07.csv"
    path.write_text(
        "Case ref,Date received,Problem code,Easting,Northing,Street,Ward,"
        "Alcohol involved,Repeat victim\n"
        "CLI-1,02/07/2018,NOI,533850,190350,High Road,Bruce Grove,N,N\n"
        "CLI-2,03/07/2018,DRK,533900,189900,Philip Lane,West Green,Y,N\n"
    )
    args = ["import_dataset", "--partnership", "haringey"]
    args += ["--dataset", "council-asb-log", str(path)]
    dry = run(db, *args, "--dry-run").stdout
    assert "checked, 2018-07: 2 of 2 rows would load" in dry
    out = run(db, *args).stdout
    assert "council-asb-2018-07.csv" in out and "2 of 2" in out


def check_compute_kpis(db, tmp_path):
    out = run(db, "compute_kpis", "--partnership", "haringey").stdout
    assert re.search(r"\d+", out)


def check_briefing(db, tmp_path):
    out = run(
        db,
        "briefing",
        "--partnership",
        "haringey",
        "--area",
        "zone:south",
        "--month",
        "2018-05",
    ).stdout
    briefing = json.loads(out)
    assert briefing["month"].startswith("2018-05")


def check_highlight_report(db, tmp_path):
    args = ["highlight_report", "--partnership", "haringey", "--period", "latest"]
    report = json.loads(run(db, *args, "--format", "json").stdout)
    assert report["partnership"] == "haringey"
    assert any(p["exceptions"] for p in report["priorities"])
    pdf = tmp_path / "highlight.pdf"
    run(db, *args, "--format", "pdf", "--out", str(pdf))
    assert pdf.read_bytes()[:5] == b"%PDF-"


def check_structure_review(db, tmp_path):
    out = run(db, "structure_review", "--partnership", "haringey").stdout
    assert "Haringey" in out


def check_send_digests(db, tmp_path):
    run(db, "send_digests", "--dry-run")


def check_import_cohort(db, tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text("reference,stream,selected_on\nCLI/1,fixed,2015-01-10\n")
    out = run(db, "import_cohort", "--partnership", "haringey", str(path)).stdout
    assert "1 rows: 1 new" in out
    named = tmp_path / "named.csv"
    named.write_text("reference,surname,stream,selected_on\nCLI/2,X,fixed,2015-01-10\n")
    refused = run(
        db, "import_cohort", "--partnership", "haringey", str(named), check=False
    )
    assert refused.returncode != 0 and "surname" in refused.stderr


def check_import_offences(db, tmp_path):
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("reference,stream,selected_on\nCLI/3,flex,2015-01-10\n")
    run(db, "import_cohort", "--partnership", "haringey", str(cohort))
    path = tmp_path / "offences.csv"
    path.write_text(
        "reference,committed_on,proven_on,category\nCLI/3,2015-03-01,2015-04-01,theft\n"
    )
    args = ["import_offences", "--partnership", "haringey", str(path)]
    assert "1 rows" in run(db, *args, "--dry-run").stdout


def check_compute_iom_kpis(db, tmp_path):
    args = ["compute_iom_kpis", "--partnership", "haringey", "--as-of", "2018-06-30"]
    assert "KPI values" in run(db, *args).stdout


def check_spend_matrix(db, tmp_path):
    args = ["spend_matrix", "--partnership", "barnet", "--year", "2011"]
    matrix = json.loads(run(db, *args).stdout)
    assert matrix["total"] == 354474800  # Barnet's Table 2, £3,544,748
    assert "service_area" in run(db, *args, "--format", "csv").stdout.lower()


def check_chase_updates(db, tmp_path):
    run(db, "chase_updates", "--partnership", "haringey", "--dry-run")


def check_agenda_pack(db, tmp_path):
    code = (
        "from csphub.meetings.models import Meeting;"
        "print(Meeting.objects.filter(public=True).order_by('pk').first().pk)"
    )
    meeting = run(db, "shell", "-c", code).stdout.split()[-1]
    out = tmp_path / "pack.pdf"
    args = ["agenda_pack", "--partnership", "haringey", "--meeting", meeting]
    run(db, *args, "--pack", "public", "--out", str(out))
    assert out.read_bytes()[:5] == b"%PDF-"


def check_anonymise_reports(db, tmp_path):
    run(db, "anonymise_reports", "--dry-run")


def check_brief_all(db, tmp_path):
    args = ["brief_all", "--partnership", "haringey", "--month", "2018-05"]
    out = run(db, *args, "--dry-run").stdout
    assert "haringey 2018-05: 22 areas" in out  # 19 wards and 3 zones


def check_rebuild_search_index(db, tmp_path):
    out = run(db, "rebuild_search_index", "--partnership", "haringey").stdout
    assert "issue: " in out and "Indexed " in out
    refused = run(db, "rebuild_search_index", "--partnership", "nowhere", check=False)
    assert refused.returncode != 0 and "nowhere" in refused.stderr


REAL_RUNS = {
    "brief_all": check_brief_all,
    "spend_matrix": check_spend_matrix,
    "chase_updates": check_chase_updates,
    "agenda_pack": check_agenda_pack,
    "anonymise_reports": check_anonymise_reports,
    "import_cohort": check_import_cohort,
    "import_offences": check_import_offences,
    "compute_iom_kpis": check_compute_iom_kpis,
    "import_areas": check_import_areas,
    "import_crime": check_import_crime,
    "import_dataset": check_import_dataset,
    "compute_kpis": check_compute_kpis,
    "briefing": check_briefing,
    "highlight_report": check_highlight_report,
    "structure_review": check_structure_review,
    "send_digests": check_send_digests,
    "rebuild_search_index": check_rebuild_search_index,
}


@pytest.mark.parametrize("command", sorted(REAL_RUNS))
def test_command_runs_in_a_fresh_process(command, demo_db, tmp_path):
    REAL_RUNS[command](demo_db, tmp_path)


def test_load_demo_again_keeps_the_data(demo_db):
    out = run(demo_db, "load_demo").stdout
    assert "Casework:" in out

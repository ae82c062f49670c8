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
import uuid
from pathlib import Path

import pytest

from csphub.intelligence.tests import fixtures
from csphub.web.tests.test_production import manage

ROOT = Path(__file__).resolve().parents[3]
CSPHUB = ROOT / "csphub"
# The shared folder every command here reads, the demo's included: always the
# synthetic files in the layout of ../shared (intelligence/tests/fixtures),
# whether or not the real data is there. These tests are about the commands
# run as processes, not the data; the real demo's load is web/tests/test_demo.
SHARED = fixtures.DATA.parent
CITY = SHARED / "data/policeuk/city-of-london/2016-12/2016-12-city-of-london-street.csv"
PLACES = SHARED / "data/places"


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


def process(database_url, *args, env=None):
    """`manage.py ARGS` in a fresh process, as the demo runs (its data from
    SHARED), on the database given; whatever the command's outcome."""
    env = {"CSPHUB_DEMO": "1", "CSPHUB_SHARED_DIR": str(SHARED), **(env or {})}
    return manage(*args, DATABASE_URL=database_url, **env)


def run(database_url, *args, env=None):
    """The finished process of a command that must succeed."""
    done = process(database_url, *args, env=env)
    assert done.returncode == 0, f"{args}: {done.returncode}\n{done.stderr}"
    return done


def refused(database_url, *args, env=None):
    """The error output of a command that must fail."""
    done = process(database_url, *args, env=env)
    assert done.returncode != 0, f"{args} did not fail:\n{done.stdout}"
    return done.stderr


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
    assert "57 LSOAs" in out


def check_import_crime(db, tmp_path):
    # The City of London's files fall outside Haringey: read, counted, none kept.
    out = run(db, "import_crime", "--partnership", "haringey", str(CITY)).stdout
    assert "2016-12-city-of-london-street.csv" in out
    assert "City of London Police 2016-12" in out
    again = run(db, "import_crime", "--partnership", "haringey", str(CITY)).stdout
    assert "unchanged" in again
    bad = tmp_path / "2017-09-nowhere-street.csv"
    bad.write_text("Crime ID,Month\nx,2017-09\n")
    error = refused(db, "import_crime", "--partnership", "haringey", str(bad))
    assert "2017-09-nowhere-street.csv" in error


def check_import_dataset(db, tmp_path):
    path = tmp_path / "council-asb-2018-07.csv"
    path.write_text(
        "Case ref,Date received,Problem code,Easting,Northing,Street,Ward,"
        "Alcohol involved,Repeat victim,Household ref\n"
        "CLI-1,02/07/2018,NOI,533850,190350,High Road,Bruce Grove,N,N,HH-101\n"
        "CLI-2,03/07/2018,DRK,533900,189900,Philip Lane,West Green,Y,N,HH-102\n"
    )
    args = ["import_dataset", "--partnership", "haringey"]
    args += ["--dataset", "council-asb-log", str(path)]
    dry = run(db, *args, "--dry-run").stdout
    assert "checked, 2018-07: 2 of 2 rows would load" in dry
    out = run(db, *args).stdout
    assert "council-asb-2018-07.csv" in out and "2 of 2" in out


def check_check(db, tmp_path):
    """Django's system checks, as the README's production section runs them
    (--deploy with the production environment is web/tests/test_production.py)."""
    out = run(db, "check").stdout
    assert "System check identified no issues" in out


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
    assert [s["key"] for s in briefing["sources"]] == ["police_uk"]
    # Issue 19: a chosen mix and hotspot categories, from a fresh process.
    args = ["--source", "police_uk", "--hotspot-category", "Burglary"]
    out = run(
        db, "briefing", "--partnership", "haringey", "--area", "zone:south",
        "--month", "2018-05", *args,
    ).stdout  # fmt: skip
    briefing = json.loads(out)
    assert briefing["hotspot_categories"] == ["Burglary"]
    assert {h["source"] for h in briefing["hotspots"]} == {"police_uk"}


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
    assert "surname" in refused(
        db, "import_cohort", "--partnership", "haringey", str(named)
    )


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


def check_rebuild_incident_counts(db, tmp_path):
    out = run(db, "rebuild_incident_counts", "--partnership", "haringey").stdout
    wards = int(re.search(r"(\d+) ward x category x month rows", out)[1])
    assert wards > 100  # the demo's Haringey crime files
    bad = process(db, "rebuild_incident_counts", "--partnership", "nowhere")
    assert bad.returncode == 2 and "nowhere" in bad.stderr


def check_triage_reports(db, tmp_path):
    out = run(db, "triage_reports").stdout
    assert "reports routed and matched" in out and "0 still waiting" in out


def check_warn_agreements(db, tmp_path):
    out = run(db, "warn_agreements", "--dry-run").stdout
    assert "0 agreement owners would be warned." in out  # the demo's run 2 years
    code = (
        "import datetime;from csphub.accounts.models import Agreement;"
        "Agreement.objects.filter(partnership__slug='barnet').update("
        "expires_on=datetime.date.today()+datetime.timedelta(days=10))"
    )
    run(db, "shell", "-c", code)
    out = run(db, "warn_agreements").stdout
    assert "barnet: Safer Communities Partnership Barnet" in out
    assert "1 agreement owners warned." in out
    assert "0 agreement owners warned." in run(db, "warn_agreements").stdout  # once


def check_apply_retention(db, tmp_path):
    out = run(db, "apply_retention", "--dry-run").stdout
    assert "resident_details:" in out and "would be anonymised" in out
    assert "iom_left_cohort: kept, no period set" in out
    env = {"CSPHUB_RETENTION_DAYS": "sign_in_attempts=0"}
    out = run(db, "apply_retention", env=env).stdout
    assert "sign_in_attempts: 0 deleted (older than 0 days)" in out


# Every table's rows, hashed: the same on both sides of a round trip. The
# restore's own audit entry is left out (it is written after the restore).
FINGERPRINT = """
import hashlib, json
from django.db import connection
out = {}
with connection.cursor() as c:
    for t in sorted(connection.introspection.table_names(c)):
        c.execute(f'SELECT * FROM "{t}"')
        rows = sorted(repr(r) for r in c.fetchall() if "Restored from" not in repr(r))
        out[t] = [len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()]
print(json.dumps(out))
"""


def fingerprint(db):
    return json.loads(run(db, "shell", "-c", FINGERPRINT).stdout.splitlines()[-1])


def fresh_database(db, tmp_path):
    if db.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    import psycopg

    server, _, name = db.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}_r" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}_r"')
    return f"{server}/{name}_r"


def check_backup(db, tmp_path):
    """The populated demo round-trips: every table, row for row, and the
    uploaded files, into a new empty database."""
    media = tmp_path / "media"
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    env = {"CSPHUB_MEDIA_ROOT": str(media)}
    path = tmp_path / "backup.tar.gz"
    out = run(db, "backup", "--out", str(path), env=env).stdout
    assert "1 uploaded files" in out and path.stat().st_size > 0
    before = fingerprint(db)
    assert before["reports_report"][0] > 0 and before["accounts_auditentry"][0] > 0
    target = fresh_database(db, tmp_path)
    restored_media = tmp_path / "restored-media"
    env = {"CSPHUB_MEDIA_ROOT": str(restored_media)}
    assert "Would restore" in run(target, "restore", "--dry-run", str(path)).stdout
    run(target, "restore", str(path), env=env)
    after = fingerprint(target)
    assert after == before
    assert (
        restored_media / "reports" / "photo.jpg"
    ).read_bytes() == b"\xff\xd8 a photo"
    bad = tmp_path / "not-a-backup.tar.gz"
    bad.write_text("nothing")
    assert "not a CSP Hub backup" in refused(target, "restore", str(bad))


def check_restore(db, tmp_path):
    """Restoring over the live database takes it back to the backup."""
    path = tmp_path / "backup.tar.gz"
    run(db, "backup", "--out", str(path), "--no-media")
    before = fingerprint(db)
    run(
        db,
        "shell",
        "-c",
        "from csphub.reports.models import Report;"
        "Report.objects.filter(pk=Report.objects.order_by('pk').first().pk).delete()",
    )
    assert fingerprint(db)["reports_report"][0] == before["reports_report"][0] - 1
    run(db, "restore", str(path), "--no-media")
    assert fingerprint(db) == before
    # Encrypted: the passphrase from the environment, both ways.
    secret = {"CSPHUB_BACKUP_PASSPHRASE": "a long passphrase kept elsewhere"}
    sealed = tmp_path / "backup.tar.gz.enc"
    run(db, "backup", "--out", str(sealed), "--no-media", "--encrypt", env=secret)
    before = fingerprint(db)  # with the backup's own audit entry
    assert b"SQLite format" not in sealed.read_bytes()
    assert b"PGDMP" not in sealed.read_bytes()
    assert "is encrypted" in refused(db, "restore", str(sealed), "--no-media")
    wrong = {"CSPHUB_BACKUP_PASSPHRASE": "not it"}
    error = refused(db, "restore", str(sealed), "--no-media", env=wrong)
    assert "cannot be decrypted" in error
    assert fingerprint(db) == before  # nothing restored in part
    run(db, "restore", str(sealed), "--no-media", env=secret)
    assert fingerprint(db) == before
    no_secret = {"CSPHUB_BACKUP_PASSPHRASE": ""}
    error = refused(db, "backup", "--encrypt", env=no_secret)
    assert "CSPHUB_BACKUP_PASSPHRASE" in error


def check_rebuild_search_index(db, tmp_path):
    out = run(db, "rebuild_search_index", "--partnership", "haringey").stdout
    assert "issue: " in out and "Indexed " in out
    assert "nowhere" in refused(db, "rebuild_search_index", "--partnership", "nowhere")


REAL_RUNS = {
    "check": check_check,
    "warn_agreements": check_warn_agreements,
    "apply_retention": check_apply_retention,
    "backup": check_backup,
    "restore": check_restore,
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
    "rebuild_incident_counts": check_rebuild_incident_counts,
    "triage_reports": check_triage_reports,
    "rebuild_search_index": check_rebuild_search_index,
}


@pytest.mark.parametrize("command", sorted(REAL_RUNS))
def test_command_runs_in_a_fresh_process(command, demo_db, tmp_path):
    REAL_RUNS[command](demo_db, tmp_path)


def test_load_demo_again_keeps_the_data(demo_db):
    out = run(demo_db, "load_demo").stdout
    assert "Casework:" in out

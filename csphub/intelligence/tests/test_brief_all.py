"""`brief_all`: one background briefing per area, each prepared once, by any
number of task workers."""

import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tasks_db.models import DBTaskResult

from csphub.accounts.models import Partnership
from csphub.intelligence import tasks
from csphub.intelligence.models import Briefing
from csphub.places.models import Area, Zone

from .crime_files import import_street_crime

ROOT = Path(__file__).resolve().parents[3]
JUNE = date(2018, 6, 1)


def load(partnership, months=("2018-05", "2018-06")):
    import_street_crime(partnership, months)


@pytest.fixture
def haringey(db):
    partnership = Partnership.objects.get(slug="haringey")
    load(partnership)
    return partnership


@pytest.fixture
def queue_only(settings):
    """Tasks wait in the database queue for a worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def brief_all(django_capture_on_commit_callbacks):
    """Run the command; tasks queued on commit are queued (or run) at once."""

    def run(*args, stderr=None):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("brief_all", *args, stdout=out, stderr=stderr or StringIO())
        return out.getvalue()

    return run


def areas_of(partnership):
    wards = Area.objects.wards().filter(parent_id=partnership.borough_id).count()
    return wards, Zone.objects.filter(partnership=partnership).count()


def test_brief_all_queues_a_task_for_every_ward_and_zone(
    haringey, queue_only, brief_all
):
    out = brief_all("--partnership", "haringey", "--month", "2018-06")
    wards, zones = areas_of(haringey)
    queued = Briefing.objects.filter(partnership=haringey, month=JUNE)
    assert queued.filter(status=Briefing.Status.QUEUED).count() == wards + zones
    assert queued.filter(zone=None).count() == wards
    assert DBTaskResult.objects.ready().count() == wards + zones
    assert f"{wards + zones} briefings queued" in out


def test_a_second_run_skips_areas_already_queued(haringey, queue_only, brief_all):
    brief_all("--partnership", "haringey", "--month", "2018-06")
    out = brief_all("--partnership", "haringey", "--month", "latest")
    wards, zones = areas_of(haringey)
    assert f"0 briefings queued, {wards + zones} already queued" in out
    assert Briefing.objects.filter(partnership=haringey).count() == wards + zones


def test_all_partnerships_brief_every_ward_and_say_which_had_no_data(
    haringey, queue_only, brief_all
):
    out = brief_all("--all", "--month", "latest")
    wards, _ = areas_of(haringey)
    assert Briefing.objects.filter(zone__isnull=False).count() == 0
    assert Briefing.objects.filter(partnership=haringey).count() == wards
    assert "No data for that month: barnet" in out


def test_dry_run_counts_and_queues_nothing(haringey, queue_only, brief_all):
    out = brief_all("--partnership", "haringey", "--month", " 2018-06 ", "--dry-run")
    wards, zones = areas_of(haringey)
    assert f"haringey 2018-06: {wards + zones} areas" in out
    assert not Briefing.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--partnership", "nowhere", "--month", "2018-06"], "no partnership"),
        (["--partnership", "haringey", "--month", "June"], "YYYY-MM or latest"),
        (["--partnership", "haringey", "--month", "2018-13"], "YYYY-MM or latest"),
        (
            ["--partnership", "haringey", "--month", "\uff12\uff10\uff11\uff18-06"],
            "YYYY-MM",
        ),
        (["--partnership", "haringey", "--month", "2030-01"], "no crime data for"),
    ],
)
def test_bad_arguments_say_why(haringey, args, message, brief_all):
    with pytest.raises(CommandError, match=message) as e:
        brief_all(*args)
    assert e.value.returncode == 2
    assert not Briefing.objects.exists()


def test_wait_shows_progress_until_every_briefing_is_done(haringey, monkeypatch):
    """Inline tasks (the test settings), run as the queue commits (which the
    test's own transaction would otherwise hold back): every area is briefed."""
    monkeypatch.setattr(tasks.transaction, "on_commit", lambda f, **kw: f())
    err = StringIO()
    call_command(
        "brief_all", "--partnership", "haringey", "--month", "2018-06", "--wait",
        stdout=StringIO(), stderr=err,
    )  # fmt: skip
    wards, zones = areas_of(haringey)
    briefings = Briefing.objects.filter(partnership=haringey, month=JUNE)
    assert briefings.filter(status=Briefing.Status.DONE).count() == wards + zones
    assert f"{wards + zones}/{wards + zones} done" in err.getvalue()


def test_a_briefing_delivered_twice_is_prepared_once(haringey, queue_only):
    queued, _ = tasks.queue_briefings(haringey, JUNE, zones=False)
    briefing = queued[0]
    tasks.run_briefing.call(briefing.pk)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.DONE
    first = briefing.seconds
    Briefing.objects.filter(pk=briefing.pk).update(seconds=-1)
    tasks.run_briefing.call(briefing.pk)  # again: claimed already, does nothing
    briefing.refresh_from_db()
    assert briefing.seconds == -1 and first > 0


def worker(database_url, worker_id):
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("CSPHUB_TASKS", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
         "--no-startup-delay", "--worker-id", worker_id, "--verbosity", "0"],
        cwd=ROOT, env=env,
    )  # fmt: skip


def test_two_workers_on_postgresql_never_prepare_a_briefing_twice(
    reload_demo, settings
):
    """Two db_worker processes share one queue: the backend claims each task
    with SELECT ... FOR UPDATE SKIP LOCKED. Every task runs exactly once, and
    both workers take part."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    haringey = Partnership.objects.get(slug="haringey")
    load(haringey)
    queued, _ = tasks.queue_briefings(haringey, JUNE)
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}"
        f"/{db['NAME']}"
    )
    workers = [worker(url, "w1"), worker(url, "w2")]
    for w in workers:
        assert w.wait(timeout=600) == 0
    results = list(DBTaskResult.objects.all())
    assert len(results) == len(queued)
    assert all(r.status == "SUCCESSFUL" for r in results)
    assert all(len(r.worker_ids) == 1 for r in results)  # claimed once each
    assert {r.worker_ids[0] for r in results} == {"w1", "w2"}
    ids = sorted(r.args_kwargs["args"][0] for r in results)
    assert ids == sorted(b.pk for b in queued)  # one task a briefing
    done = Briefing.objects.filter(pk__in=ids, status=Briefing.Status.DONE)
    assert done.count() == len(queued)

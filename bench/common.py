"""What the benchmarks share: a throwaway database with the demo, timing, and
gunicorn on loopback for the benches that time a real server.

Each bench script is run as its own process (bench/run.py), so `prepare`
sets the environment of this process before Django is set up.
"""

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
DEMO_WITHOUT_CRIME = "from csphub.web.demo import load_demo; load_demo(crime=False)"


def bench_environment(tmp):
    """Point this process at a new SQLite file in tmp, with settings that
    do not depend on the developer's environment."""
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["CSPHUB_DEBUG"] = "0"
    os.environ.setdefault("CSPHUB_DEMO", "1")  # plain HTTP, demo keys
    os.environ.setdefault("CSPHUB_SECRET_KEY", "bench-only")
    os.environ.setdefault("CSPHUB_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")


def manage(env, *args):
    """Run a management command as its own process with env, quietly."""
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(tmp, demo=DEMO_WITHOUT_CRIME, setup=True):
    """Migrate a new database in tmp, load the demo (unless demo is None: an
    empty database the bench fills itself), then set Django up."""
    bench_environment(tmp)
    manage(os.environ, "migrate", "--noinput")
    if demo is not None:
        manage(os.environ, "shell", "-c", demo)
    if setup:
        import django

        django.setup()


def free_port():
    """A port on loopback that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn(env, port, workers, *options, log_level="warning", new_session=False):
    """gunicorn serving the site on a loopback port with env; new_session puts
    it in its own process group, so that killpg takes the master and workers."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "csphub.wsgi",
         "-b", f"127.0.0.1:{port}", "-w", str(workers), *options,
         "--log-level", log_level],
        cwd=ROOT,
        env=env,
        start_new_session=new_session,
    )  # fmt: skip


def wait_until_up(base, server=None, timeout=300):
    """Return once base/health/ answers; exit if the server process ended
    first or nothing answered within timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise SystemExit("gunicorn exited before it answered")
        try:
            urllib.request.urlopen(base + "/health/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn did not answer within {timeout} s")


def percentile_95(times):
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timings(client, url, rounds=ROUNDS):
    """Median and p95 in ms of GETting url, after one warm-up request."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), percentile_95(times)


def queries(client, url):
    """How many queries one GET of url makes, and the page it returns."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), response.content.decode()


def timed(fn, *args, **kwargs):
    """fn's result and its wall time in seconds."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def bare_executemany(pairs, placer):
    """(seconds, rows) of a bare `executemany` INSERT of the rows the import
    pipeline wrote for `pairs` of (SourceFile, parsed file): the imports'
    baseline. The same tuples (loading.row_values) are built and placed
    beforehand, untimed; the imported incidents are deleted first."""
    from django.db import connection, transaction

    from csphub.intelligence.counts import insert_sql
    from csphub.intelligence.loading import COLUMNS, row_values
    from csphub.intelligence.models import Incident

    values = []
    for source_file, parsed in pairs:
        make = row_values(source_file, parsed)
        places = placer.place_many(parsed.rows)
        for row, (status, lsoa, ward, zone) in zip(parsed.rows, places, strict=True):
            if status == placer.PLACED:
                values.append(make(row, lsoa, ward, zone))
    Incident.objects.filter(source_file__in=[f for f, _ in pairs]).delete()
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(insert_sql(Incident, COLUMNS), values)
    return time.perf_counter() - start, len(values)


def import_rates(prefix, rows, import_s, baseline):
    """The metrics of an import against its bare-executemany baseline."""
    baseline_s, baseline_rows = baseline
    import_rate, baseline_rate = rows / import_s, baseline_rows / baseline_s
    return {
        f"{prefix}import_rows": rows,
        f"{prefix}import_rows_per_s": round(import_rate),
        f"{prefix}executemany_rows_per_s": round(baseline_rate),
        f"{prefix}import_ratio_vs_executemany": round(import_rate / baseline_rate, 3),
    }

"""Residents' reports: Open311 intake against gunicorn, a SIGKILL mid-load,
and matching nearby reports with 100,000 stored.

Builds a fresh demo database (without the crime import) in a temporary
folder and serves it with gunicorn (4 workers) on loopback.
- reports.intake_per_s: Open311 POSTs answered 201 per second, 16 clients;
  reports.health_per_s: GET /health/ (no database) by the same clients against
  the same server in the same run, the baseline; reports.intake_over_health_ratio.
  The intake writes first and routes and matches after (reports/intake.py).
- reports.awaiting_triage_after_count: reports still not routed and matched
  after `manage.py triage_reports` ran once at the end (must be 0), and
  reports.triage_per_s: the rate of that batch (no task worker runs here).
- reports.lost_after_kill: requests answered 201 whose report is missing after
  gunicorn was SIGKILLed mid-load and restarted (must be 0); the clients
  retry what failed, as a real client would. The kill comes once a third of
  the BENCH_KILL_REQUESTS are acknowledged (reports.kill_after_acknowledged_count),
  so it is mid-load however fast the intake is.
- reports.intake_server_cpu_ms_per_report: the workers' CPU time per report
  (user + system), so the capacity of an idle machine can be worked out when
  the bench runs on a busy one; reports.load_average_1m_count says how busy.
- reports.nearby_100k_ms: p95 of services.nearby_open (250 m, one kind) with
  100,000 reports stored, in-process.
"""

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException
from pathlib import Path

from common import gunicorn, manage, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
INTAKE_REQUESTS = int(os.environ.get("BENCH_INTAKE", "1500"))
KILL_AFTER_S = float(os.environ.get("BENCH_KILL_AFTER", "0.5"))
KILL_REQUESTS = int(os.environ.get("BENCH_KILL_REQUESTS", "300"))
CODES = ["noise", "rowdy", "fly-tipping", "vandalism", "drug-dealing"]


def free_port():
    for port in range(8300, 8400):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise SystemExit("no free port in 8300-8399")


def start_server(env, port):
    return gunicorn(env, port, 4, "--timeout", "120", new_session=True)


def server_cpu_s(server):
    """CPU seconds (user + system) used so far by gunicorn's workers: what a
    report costs the server, whatever else the machine is running."""
    ticks = os.sysconf("SC_CLK_TCK")
    pid = server.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for child in children:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def post(base, points, rng):
    lat, lon = rng.choice(points)
    data = urllib.parse.urlencode(
        {
            "service_code": rng.choice(CODES),
            "lat": f"{lat:.6f}",
            "long": f"{lon:.6f}",
            "description": "Bench report",
            "jurisdiction_id": "haringey",
        }
    ).encode()
    with urllib.request.urlopen(
        base + "/open311/v2/requests.json", data, timeout=30
    ) as r:
        if r.status != 201:
            raise OSError(f"answered {r.status}")
        return json.loads(r.read())[0]["service_request_id"]


def health(base, rng):
    with urllib.request.urlopen(base + "/health/", timeout=30) as r:
        if r.status != 200:
            raise OSError(f"answered {r.status}")
        r.read()
        return "ok"


def load(base, points, *, count=None, seconds=None, send=None, acked=None):
    """Clients post until `count` are acknowledged or `seconds` pass; a failed
    post is retried. Returns (acknowledged references, elapsed, failures);
    `acked`, if given, is the list they append to (watched by the killer)."""
    acked, failures, lock = [] if acked is None else acked, [0], threading.Lock()
    stop_at = time.monotonic() + seconds if seconds else None

    def client(n):
        rng = random.Random(n)
        while True:
            with lock:
                if count is not None and len(acked) >= count:
                    return
            if stop_at and time.monotonic() > stop_at:
                return
            try:
                ref = send(base, rng) if send else post(base, points, rng)
            except (OSError, urllib.error.URLError, ValueError, HTTPException):
                # HTTPException: the server was killed mid-answer (IncompleteRead)
                with lock:
                    failures[0] += 1
                time.sleep(0.05)
                continue
            with lock:
                acked.append(ref)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return acked, time.perf_counter() - start, failures[0]


def nearby_100k(env):
    script = """
import random, statistics, time
from csphub.accounts.models import Partnership
from csphub.reports import services
from csphub.reports.models import Category, Report, Street
p = Partnership.objects.get(slug="haringey")
cats = list(Category.objects.all())
streets = list(
    Street.objects.filter(borough=p.borough).values_list("latitude", "longitude")
)
rng = random.Random(1)
need = 100_000 - Report.objects.count()
batch = []
for i in range(need):
    lat, lon = rng.choice(streets)
    batch.append(Report(partnership=p, category=rng.choice(cats),
        latitude=lat + rng.uniform(-0.002, 0.002),
        longitude=lon + rng.uniform(-0.003, 0.003),
        status=rng.choice(["received", "in_hand", "closed", "closed", "closed"])))
    if len(batch) == 5000:
        Report.objects.bulk_create(batch); batch = []
Report.objects.bulk_create(batch)
assert Report.objects.count() >= 100_000
times = []
for _ in range(300):
    lat, lon = rng.choice(streets)
    t = time.perf_counter()
    services.nearby_open(p, rng.choice(cats), lat, lon)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(statistics.median(times), times[int(0.95 * (len(times) - 1))])
"""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[-2]), float(out[-1])


def main():
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/bench.sqlite3"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{db}",
            "CSPHUB_DEBUG": "0",
            "CSPHUB_SECRET_KEY": "bench-only-secret",
            "CSPHUB_REPORTS_PER_HOUR": "0",  # one address sends everything here
            "CSPHUB_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
        manage(env, "migrate", "--noinput")
        manage(
            env,
            "shell",
            "-c",
            "from csphub.web.demo import load_demo; load_demo(crime=False)",
        )
        with sqlite3.connect(db) as conn:
            points = conn.execute(
                "SELECT latitude, longitude FROM reports_street"
            ).fetchall()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port)
        try:
            wait_until_up(base)
            load(base, points, count=50)  # warm up
            cpu_before = server_cpu_s(server)
            acked, elapsed, _ = load(base, points, count=INTAKE_REQUESTS)
            cpu = server_cpu_s(server) - cpu_before
            results["reports.intake_per_s"] = round(len(acked) / elapsed, 1)
            results["reports.intake_server_cpu_ms_per_report"] = round(
                1000 * cpu / len(acked), 2
            )
            results["reports.load_average_1m_count"] = os.getloadavg()[0]
            cpu_before = server_cpu_s(server)
            done, elapsed, _ = load(base, points, count=INTAKE_REQUESTS, send=health)
            cpu = server_cpu_s(server) - cpu_before
            results["reports.health_per_s"] = round(len(done) / elapsed, 1)
            results["reports.health_server_cpu_ms_per_request"] = round(
                1000 * cpu / len(done), 2
            )
            results["reports.intake_over_health_ratio"] = round(
                results["reports.intake_per_s"] / results["reports.health_per_s"], 3
            )

            acked, killed_at = [], []

            def kill_and_restart():
                # Mid-load whatever the speed: once a third are acknowledged
                # (or after KILL_AFTER_S, whichever comes later).
                nonlocal server
                time.sleep(KILL_AFTER_S)
                while len(acked) < KILL_REQUESTS // 3:
                    time.sleep(0.005)
                killed_at.append(len(acked))
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
                server = start_server(env, port)

            killer = threading.Thread(target=kill_and_restart)
            killer.start()
            # clients retry through the outage until this many are acknowledged
            acked, _, failures = load(base, points, count=KILL_REQUESTS, acked=acked)
            killer.join()
            results["reports.kill_after_acknowledged_count"] = killed_at[0]
            wait_until_up(base)
            with sqlite3.connect(db) as conn:
                stored = {
                    r for (r,) in conn.execute("SELECT reference FROM reports_report")
                }
            results["reports.lost_after_kill"] = len(set(acked) - stored)
            results["reports.kill_acknowledged_count"] = len(acked)
            results["reports.kill_failed_attempts_count"] = failures
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a busy machine: stop it at once
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        with sqlite3.connect(db) as conn:
            waiting = conn.execute(
                "SELECT COUNT(*) FROM reports_report WHERE awaiting_triage"
            ).fetchone()[0]
        start = time.perf_counter()
        manage(env, "triage_reports")
        triage_s = time.perf_counter() - start  # a fresh process, start-up included
        with sqlite3.connect(db) as conn:
            left = conn.execute(
                "SELECT COUNT(*) FROM reports_report WHERE awaiting_triage"
            ).fetchone()[0]
        results["reports.awaiting_triage_after_count"] = left
        results["reports.triage_per_s"] = round(waiting / triage_s, 1)
        median, p95 = nearby_100k(env)
        results["reports.nearby_100k_ms"] = round(p95, 2)
        results["reports.nearby_100k_median_ms"] = round(median, 2)
    print(json.dumps(results))


if __name__ == "__main__":
    main()

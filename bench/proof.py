"""The proof (issue 16): `make proof` runs the long checks, prints a table of
figures and writes them to bench/proof.json.

1. The access matrix and the fuzzing (pytest, CSPHUB_PROOF=full): every URL
   pattern x every persona, GET and POST, bodies, CSV and PDF text searched
   for restricted data; thousands of generated inputs to every import, form
   and query parameter. Counts: leaks, server_errors, partial_imports.
2. Load against a real server: gunicorn (WEB workers) and two task workers
   on loopback, on a throwaway database (PostgreSQL when DATABASE_URL names
   one: a new database on that server, dropped after; else SQLite), with a
   mix of staff pages, CSV exports, imports and writes: requests, errors,
   p50/p95. Then the same while gunicorn is killed with SIGKILL and started
   again every few seconds: every acknowledged write must still be there
   (lost_writes).
3. Two web processes and two task workers on one database, the same
   partnership: people updating one action at the same moment (exactly one
   goes through, the others are told: lost_updates), and crime files
   uploaded at once, each import task run exactly once (tasks_run_twice).

Environment: DATABASE_URL (PostgreSQL server to use), CSPHUB_PROOF_EXAMPLES
(generated inputs per import and per app's forms, 200), PROOF_SECONDS (each
load phase, 60), PROOF_CLIENTS (8), PROOF_WEB_WORKERS (4, for the load),
PROOF_PYTEST_WORKERS (2), PROOF_SKIP_PYTEST=1 to run only the server parts.
"""

import http.cookiejar
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from common import DEMO_WITHOUT_CRIME, free_port, gunicorn, manage, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "proof.json"
PASSWORD = "proof-password"
SECONDS = float(os.environ.get("PROOF_SECONDS", "60"))
CLIENTS = int(os.environ.get("PROOF_CLIENTS", "8"))
WEB_WORKERS = os.environ.get("PROOF_WEB_WORKERS", "4")  # for the load
POLICE_UK = ROOT.parent / "shared" / "data" / "policeuk" / "haringey"


# --- 1. the pytest parts ------------------------------------------------------


def run_pytest():
    report = Path(tempfile.mkstemp(prefix="csphub-proof.", suffix=".jsonl")[1])
    env = {**os.environ, "CSPHUB_PROOF": "full", "CSPHUB_PROOF_REPORT": str(report)}
    tests = [
        "csphub/web/tests/test_proof_access.py",
        "csphub/web/tests/test_proof_fuzz.py",
        "csphub/casework/tests/test_concurrent_edit.py",
        "csphub/intelligence/tests/test_brief_all.py::"
        "test_two_workers_on_postgresql_never_prepare_a_briefing_twice",
    ]
    workers = os.environ.get("PROOF_PYTEST_WORKERS", "2")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:logging", *tests]
    command += ["-n", workers, "--dist", "loadfile"] if workers != "0" else []
    print("== pytest (access matrix, fuzzing):", " ".join(command[3:]), flush=True)
    started = time.monotonic()
    completed = subprocess.run(command, cwd=ROOT, env=env)
    lines = [json.loads(line) for line in report.read_text().splitlines() if line]
    report.unlink()
    access = [r for r in lines if r["part"] == "access"]
    fuzz = [r for r in lines if r["part"] in {"import", "forms"}]
    return {
        "pytest_passed": completed.returncode == 0,
        "pytest_seconds": round(time.monotonic() - started),
        "access_urls": sum(r["urls"] for r in access),
        "access_personas": max((r["personas"] for r in access), default=0),
        "access_requests": sum(r["requests"] for r in access),
        "leaks": sum(r["leaks"] for r in access),
        "fuzz_inputs": sum(r["inputs"] for r in fuzz),
        "fuzz_import_inputs": sum(r["inputs"] for r in fuzz if r["part"] == "import"),
        "server_errors": sum(r["server_errors"] for r in access + fuzz),
        "partial_imports": sum(r.get("partial_imports", 0) for r in fuzz),
    }


# --- A throwaway database and a real server -----------------------------------


@contextmanager
def throwaway_database():
    """(DATABASE_URL, vendor) of a fresh database, removed afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"csphub_proof_run_{os.getpid()}"
        base = urllib.parse.urlsplit(url)
        admin_url = base._replace(path="/postgres").geturl()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield base._replace(path=f"/{name}").geturl(), "postgresql"
        finally:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    with tempfile.TemporaryDirectory(prefix="csphub-proof.") as tmp:
        yield f"sqlite:///{tmp}/proof.sqlite3", "sqlite"


def environment(database_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CSPHUB_DEBUG": "0",
        "CSPHUB_SECRET_KEY": "proof-only-" + uuid.uuid4().hex,
        "CSPHUB_INSECURE_COOKIES": "1",
        "CSPHUB_DEMO_PASSWORD": PASSWORD,
        "CSPHUB_IOM_KEY": "proof-only-iom-key",
    }


def shell_output(env, code):
    """The last line `manage.py shell -c code` prints, run with env."""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.strip().splitlines()[-1]


class Server:
    """gunicorn in its own process group (so SIGKILL takes the master and its
    workers at once, as a crash would) and task workers beside it."""

    def __init__(self, env, web_workers, task_workers=2):
        self.env, self.port = env, free_port()
        self.web_workers = str(web_workers)
        self.base = f"http://127.0.0.1:{self.port}"
        self.web = None
        self.workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-reload",
                 "--worker-id", f"proof-{n}", "--verbosity", "0"],
                cwd=ROOT, env=env, start_new_session=True,
            )
            for n in range(task_workers)
        ]  # fmt: skip
        self.start()

    def start(self):
        self.web = gunicorn(self.env, self.port, self.web_workers,
                            "--no-control-socket", log_level="error",
                            new_session=True)  # fmt: skip
        wait_until_up(self.base, self.web, timeout=60)

    def kill(self):
        os.killpg(self.web.pid, signal.SIGKILL)
        self.web.wait()

    def stop(self):
        for p in [self.web, *self.workers]:
            if p and p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in [self.web, *self.workers]:
            if p:
                p.wait(timeout=30)


def sign_in(base, username):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(
        urllib.request.Request(
            base + "/accounts/login/", data=data, headers={"Referer": base + "/"}
        ),
        timeout=30,
    ).read()
    opener.jar = jar
    return opener


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def csrf(opener):
    return next((c.value for c in opener.jar if c.name == "csrftoken"), "")


def post(opener, base, path, fields, files=None):
    """POST a form (multipart when files are given); (status, body)."""
    fields = {**fields, "csrfmiddlewaretoken": csrf(opener)}
    headers = {"Referer": base + path}
    if files:
        boundary = uuid.uuid4().hex
        parts = []
        for k, v in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                f"{v}\r\n".encode()
            )
        for k, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}";'
                f' filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    else:
        data = urllib.parse.urlencode(fields).encode()
    no_redirect = urllib.request.build_opener(
        NoRedirect, urllib.request.HTTPCookieProcessor(opener.jar)
    )
    request = urllib.request.Request(base + path, data=data, headers=headers)
    try:
        response = no_redirect.open(request, timeout=60)
        return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


# --- 2. load, then load while the server is killed -----------------------------


def demo_facts(env):
    """Ids the load needs, read with the ORM from the throwaway database."""
    code = (
        "import json;"
        "from csphub.casework.models import Action, Issue;"
        "from csphub.performance.models import Indicator;"
        "print(json.dumps({"
        "'actions': list(Action.objects.filter(issue__restricted=False)"
        ".values_list('pk', flat=True)[:40]),"
        "'issues': list(Issue.objects.filter(restricted=False)"
        ".values_list('pk', flat=True)[:20]),"
        "'indicator': Indicator.objects.filter(partnership__slug='haringey')"
        ".values_list('slug', flat=True).first()}))"
    )
    return json.loads(shell_output(env, code))


def count_notes(env, notes):
    """How many of these action-update notes the database holds."""
    path = Path(tempfile.mkstemp(suffix=".json")[1])
    path.write_text(json.dumps(sorted(notes)))
    code = (
        "import json;from csphub.casework.models import ActionUpdate;"
        f"notes=json.load(open({str(path)!r}));"
        "print(ActionUpdate.objects.filter(note__in=notes).count())"
    )
    count = int(shell_output(env, code))
    path.unlink()
    return count


class Load:
    """Clients working the site at once: pages, exports, imports, writes."""

    def __init__(self, server, facts):
        self.server, self.facts = server, facts
        self.lock = threading.Lock()
        self.timings, self.errors, self.refused = [], 0, 0
        self.acknowledged = set()

    def step(self, opener, rng):
        base, facts = self.server.base, self.facts
        kind = rng.choices(["page", "export", "import", "write"], [6, 2, 1, 2])[0]
        started = time.perf_counter()
        if kind == "page":
            path = rng.choice(
                ["/", "/casework/", "/casework/issues/", "/performance/",
                 "/structure/", "/delivery/", "/reports/", "/meetings/",
                 f"/casework/issues/{rng.choice(facts['issues'])}/"]
            )  # fmt: skip
            status = self.get(opener, base + path)
        elif kind == "export":
            path = rng.choice(
                ["/casework/issues/?format=csv", "/structure/export/seats.csv",
                 "/delivery/spend/export/", "/casework/my-actions/?format=csv"]
            )  # fmt: skip
            status = self.get(opener, base + path)
        elif kind == "import":
            month = f"20{rng.randint(10, 17)}-{rng.randint(1, 12):02}"
            value = rng.randint(1, 500)
            body = f"indicator,period,value\n{facts['indicator']},{month},{value}\n"
            status, _ = post(
                opener, base, "/performance/import/", {},
                files={"file": ("values.csv", body.encode())},
            )  # fmt: skip
        else:
            note = f"proof {uuid.uuid4().hex}"
            action = rng.choice(facts["actions"])
            status, _ = post(
                opener, base, f"/casework/actions/{action}/",
                {"note": note, "status": "open"},
            )  # fmt: skip
            if status == 302:
                with self.lock:
                    self.acknowledged.add(note)
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.timings.append(elapsed)
            if status >= 500:
                self.errors += 1

    def get(self, opener, url):
        try:
            response = opener.open(url, timeout=60)
            response.read()
            return response.status
        except urllib.error.HTTPError as e:
            return e.code

    def client(self, opener, n, until):
        rng = random.Random(n)
        while time.monotonic() < until:
            try:
                self.step(opener, rng)
            except (OSError, urllib.error.URLError):
                # The server is down (killed): not acknowledged, try again.
                with self.lock:
                    self.refused += 1
                time.sleep(0.2)

    def run(self, seconds, killer=None):
        # Signed in first (sessions live in the database, so they outlast a
        # killed server), then the clock starts.
        openers = [sign_in(self.server.base, "admin") for _ in range(CLIENTS)]
        until = time.monotonic() + seconds
        threads = [
            threading.Thread(target=self.client, args=(opener, n, until))
            for n, opener in enumerate(openers)
        ]
        for t in threads:
            t.start()
        kills = killer(until) if killer else 0
        for t in threads:
            t.join()
        return kills

    def figures(self, prefix):
        t = sorted(self.timings)
        p95 = t[min(len(t) - 1, round(0.95 * (len(t) - 1)))] if t else 0
        return {
            f"{prefix}_requests": len(t),
            f"{prefix}_errors": self.errors,
            f"{prefix}_p50_ms": round(statistics.median(t), 1) if t else 0,
            f"{prefix}_p95_ms": round(p95, 1),
            f"{prefix}_acknowledged_writes": len(self.acknowledged),
        }


def load_phases(server, env, facts):
    steady = Load(server, facts)
    steady.run(SECONDS)
    figures = steady.figures("load")

    crashing = Load(server, facts)

    def killer(until):
        kills = 0
        while time.monotonic() < until - 2:
            time.sleep(random.uniform(2, 4))
            server.kill()
            kills += 1
            time.sleep(0.5)
            server.start()
        return kills

    kills = crashing.run(SECONDS, killer)
    figures.update(crashing.figures("kill"))
    figures["kill_sigkills"] = kills
    figures["kill_refused_while_down"] = crashing.refused
    written = steady.acknowledged | crashing.acknowledged
    figures["lost_writes"] = len(written) - count_notes(env, written)
    return figures


# --- 3. two web processes, two task workers, one database ---------------------


def _same_moment(server, openers, path, versions):
    """Everyone posts their update at once; the status each one got."""
    barrier = threading.Barrier(len(openers))
    codes = []

    def person(n):
        barrier.wait()
        fields = {"note": f"same moment {n}", "status": "blocked"}
        code, _ = post(
            openers[n], server.base, path, {**fields, "version": versions[n]}
        )
        codes.append(code)

    threads = [threading.Thread(target=person, args=(n,)) for n in range(len(openers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return codes


def lost_updates(server, facts, rounds=10, people=6):
    """People update one action at the same moment, each with the version
    they saw: exactly one may go through; the rest must be told."""
    openers = [sign_in(server.base, "admin") for _ in range(people)]
    lost = told = 0
    for action in facts["actions"][:rounds]:
        path = f"/casework/actions/{action}/"
        versions = []
        for opener in openers:
            page = opener.open(server.base + path, timeout=60).read().decode()
            versions.append(re.search(r'name="version" value="(\w+)"', page).group(1))
        codes = _same_moment(server, openers, path, versions)
        lost += max(0, codes.count(302) - 1)  # overwritten without a word
        told += codes.count(200)
    return {
        "concurrent_edit_rounds": rounds,
        "concurrent_edit_people": people,
        "concurrent_edit_told": told,
        "lost_updates": lost,
    }


def tasks_once(server, env, files=6):
    """Crime files uploaded at once; each import task must run exactly once."""
    if not POLICE_UK.exists():
        return {"tasks_run_twice": None}
    months = sorted(POLICE_UK.glob("*-street.csv"))[:files]
    opener = sign_in(server.base, "analyst")
    for path in months:
        head = b"".join(path.read_bytes().splitlines(keepends=True)[:400])
        post(opener, server.base, "/intelligence/data/upload/", {},
             files={"file": (path.name, head)})  # fmt: skip
    code = (
        "import json,time;from django_tasks_db.models import DBTaskResult as R;"
        "deadline=time.time()+300\n"
        "while R.objects.exclude(status__in=['SUCCESSFUL','FAILED']).exists()"
        " and time.time()<deadline: time.sleep(1)\n"
        "rs=list(R.objects.all());"
        "print(json.dumps({'tasks':len(rs),"
        "'twice':sum(len(r.worker_ids)>1 for r in rs),"
        "'workers':sorted({w for r in rs for w in r.worker_ids})}))"
    )
    result = json.loads(shell_output(env, code))
    return {
        "tasks_run": result["tasks"],
        "tasks_run_twice": result["twice"],
        "task_workers_used": len(result["workers"]),
    }


def server_parts():
    with throwaway_database() as (url, vendor):
        env = environment(url)
        print(f"== server parts on a throwaway {vendor} database", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "shell", "-c", DEMO_WITHOUT_CRIME)
        manage(env, "collectstatic", "--noinput")  # fmt: skip
        facts = demo_facts(env)
        figures = {"database": vendor}
        # Two web processes and two task workers on one database...
        server = Server(env, web_workers=2)
        try:
            figures.update(lost_updates(server, facts))
            figures.update(tasks_once(server, env))
        finally:
            server.stop()
        # ...then several web processes under load, killed and restarted.
        server = Server(env, web_workers=WEB_WORKERS)
        try:
            figures["load_web_workers"] = int(WEB_WORKERS)
            figures["load_clients"] = CLIENTS
            figures["load_seconds"] = SECONDS
            figures.update(load_phases(server, env, facts))
        finally:
            server.stop()
    return figures


def main():
    figures = {}
    if os.environ.get("PROOF_SKIP_PYTEST") != "1":
        figures.update(run_pytest())
    figures.update(server_parts())
    OUT.write_text(json.dumps(figures, indent=1) + "\n")
    width = max(len(k) for k in figures)
    print(f"\n{'figure':<{width}}  value")
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    print(f"\nwritten to {OUT.relative_to(ROOT)}")
    bad = [
        k
        for k in ("leaks", "server_errors", "partial_imports", "lost_writes",
                  "lost_updates", "tasks_run_twice", "load_errors")
        if figures.get(k)
    ]  # fmt: skip
    if bad or figures.get("pytest_passed") is False:
        sys.exit(f"the proof failed: {', '.join(bad) or 'a test failed'}")


if __name__ == "__main__":
    main()

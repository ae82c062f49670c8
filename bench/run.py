"""Run every benchmark script under bench/ and write bench/results.json.

`bench/run.py [NAME ...]` runs only bench_NAME.py and merges its figures into
an existing results.json. The scale figures (bench_scale.py) need PostgreSQL:
with DATABASE_URL unset this starts a throwaway server on loopback (as CI
does) for the run and stops it after; with DATABASE_URL set to PostgreSQL it
uses that server.

Each script `bench/bench_*.py` prints, as its last line of output, one JSON
object of metric name -> number (the unit at the end of the name, e.g.
`web.home_p95_ms`). This merges them, writes bench/results.json and prints a
table. A script that fails stops the run with its output shown.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# The benches run on throwaway data over plain HTTP on loopback, as the demo
# does: no second factor, no redirect to HTTPS (csphub/settings.py).
os.environ.setdefault("CSPHUB_DEMO", "1")


def run_script(path):
    print(f"== {path.name}", flush=True)
    completed = subprocess.run(
        [sys.executable, str(path)], cwd=ROOT, capture_output=True, text=True
    )
    if completed.returncode != 0:
        sys.stdout.write(completed.stdout)
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"{path.name} failed with exit status {completed.returncode}")
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1])


@contextlib.contextmanager
def postgres():
    """DATABASE_URL's server, or a throwaway PostgreSQL on loopback."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    bins = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name
    )
    if not bins and not shutil.which("initdb"):
        print("No PostgreSQL found: the scale figures are skipped", flush=True)
        yield ""
        return
    initdb = str(bins[-1] / "initdb") if bins else shutil.which("initdb")
    pg_ctl = str(Path(initdb).with_name("pg_ctl"))
    data = tempfile.mkdtemp(prefix="csphub-bench-pg.")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if as_postgres:
        shutil.chown(data, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run([*as_postgres, initdb, "-D", data, "-A", "trust", "-U",
                    "postgres"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    options = f"-h 127.0.0.1 -p {port} -k {data} -c fsync=off"
    start = [pg_ctl, "-D", data, "-l", f"{data}/log", "-w", "-o", options, "start"]
    subprocess.run([*as_postgres, *start], check=True, stdout=subprocess.DEVNULL)
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, pg_ctl, "-D", data, "-m", "fast", "stop"],
                       stdout=subprocess.DEVNULL)  # fmt: skip
        shutil.rmtree(data, ignore_errors=True)


def main():
    names = sys.argv[1:]
    paths = [BENCH / f"bench_{n}.py" for n in names] or sorted(BENCH.glob("bench_*.py"))
    out = BENCH / "results.json"
    results = json.loads(out.read_text()) if names and out.exists() else {}
    with postgres() as url:
        if url:
            os.environ["DATABASE_URL"] = url  # the other scripts use SQLite
        for path in paths:
            results.update(run_script(path))
    out.write_text(json.dumps(results, indent=2, sort_keys=True))
    width = max(len(name) for name in results)
    for name, value in sorted(results.items()):
        print(f"{name:<{width}}  {value:>12,.2f}")
    print(f"Wrote {BENCH / 'results.json'}")


if __name__ == "__main__":
    main()

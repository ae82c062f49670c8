"""Serve CSP Hub the way production does, on one machine: `make serve`.

gunicorn with WORKERS web processes (static files through whitenoise, from
`collectstatic`), and TASK_WORKERS `manage.py db_worker` processes sharing
the database task queue. The database is DATABASE_URL's (SQLite by default,
or PostgreSQL). Everything started here stops together: on Ctrl+C or
SIGTERM, and when any one of the processes exits.

On several machines, run the same pieces as systemd services instead
(deploy/, README "Running in production").

Environment: PORT (8000), HOST (127.0.0.1), WORKERS (2), TASK_WORKERS (1).
Production settings (two-factor sign-in included); without CSPHUB_SECRET_KEY
a key is made once and kept in var/secret-key. Plain HTTP (no redirect to
HTTPS, cookies without Secure) only when serving on loopback.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def environment():
    env = dict(os.environ)
    if not env.get("CSPHUB_SECRET_KEY"):
        key_file = ROOT / "var" / "secret-key"
        if not key_file.exists():
            key_file.parent.mkdir(exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        env["CSPHUB_SECRET_KEY"] = key_file.read_text().strip()
    host = env.get("HOST", "127.0.0.1")
    if host in {"127.0.0.1", "localhost", "::1"}:
        env.setdefault("CSPHUB_PLAIN_HTTP", "1")  # no HTTPS on loopback
    return env


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start(env):
    host, port = env.get("HOST", "127.0.0.1"), env.get("PORT", "8000")
    workers = env.get("WORKERS", "2")
    task_workers = int(env.get("TASK_WORKERS", "1"))
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    processes = [
        subprocess.Popen(
            [PY, "-m", "gunicorn", "csphub.wsgi", "--bind", bind,
             "--workers", workers, "--no-control-socket", "--access-logfile", "-"],
            cwd=ROOT, env=env,
        )
    ]  # fmt: skip
    for n in range(task_workers):
        processes.append(
            subprocess.Popen(
                [PY, "manage.py", "db_worker", "--no-reload",
                 "--worker-id", f"{os.uname().nodename}-{os.getpid()}-{n}"],
                cwd=ROOT, env=env,
            )
        )  # fmt: skip
    print(
        f"CSP Hub at http://{bind}/ (gunicorn, {workers} workers;"
        f" {task_workers} task worker{'s' if task_workers != 1 else ''});"
        " Ctrl+C stops them all.",
        flush=True,
    )
    return processes


def stop(processes):
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for p in processes:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def main():
    env = environment()
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    processes = start(env)
    stopping = []

    def on_signal(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
    finally:
        stop(processes)
    failed = [p for p in processes if p.returncode not in (0, -signal.SIGTERM)]
    if not stopping and failed:
        sys.exit(f"stopped: {failed[0].args[2]} exited with {failed[0].returncode}")


if __name__ == "__main__":
    main()

"""Run `make demo` as a new user would, sign in as every demo user, stop it.

Used by .ci/run on its fresh clone: `python3 scripts/smoke_demo.py`. Exits 0
only if /health/ answers, every sign-in printed by `make demo` works and the
signed-in home page says who is signed in. Standard library only, so it runs
before anything is installed.
"""

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = os.environ.get("SMOKE_PORT", "8765")
BASE = f"http://127.0.0.1:{PORT}"
WAIT_S = 900  # a first `make demo` installs everything


def wait_for_health(demo, log):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if demo.poll() is not None:
            sys.exit(f"make demo stopped (exit {demo.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{BASE}/health/", timeout=5) as answer:
                body = json.load(answer)
            if body == {"status": "ok", "database": "ok"}:
                return
        except (OSError, ValueError):
            pass
        time.sleep(2)
    sys.exit(f"/health/ did not answer within {WAIT_S} s:\n{log.read_text()}")


def sign_ins(output):
    """(username, password) from the sign-ins `make demo` printed."""
    listed = output.split("Demo sign-ins", 1)[-1].split("  password:", 1)[0]
    users = re.findall(r"^  (\w+)\s+\S+.*\(\w+\)$", listed, flags=re.M)
    password = re.search(r"^  password: (\S+)$", output, flags=re.M)
    if not users or not password:
        sys.exit(f"make demo printed no sign-ins:\n{output}")
    return [(u, password.group(1)) for u in users]


def sign_in(username, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{BASE}/accounts/login/") as page:
        form = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{BASE}/accounts/login/", data=data, headers={"Referer": BASE + "/"}
    )
    with opener.open(request) as page:
        home = page.read().decode()
        landed = page.url
    if "/accounts/login/" in landed or "Sign out" not in home:
        sys.exit(f"signing in as {username} failed: landed on {landed}")
    print(f"signed in as {username}: {landed}")


def main():
    log = ROOT / "var" / "smoke-demo.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("w") as out:
        demo = subprocess.Popen(
            ["make", "demo", f"PORT={PORT}"],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped whole
        )
    try:
        wait_for_health(demo, log)
        print(f"{BASE}/health/ answered")
        for username, password in sign_ins(log.read_text()):
            sign_in(username, password)
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        try:
            demo.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(demo.pid, signal.SIGKILL)
    print("make demo: served, every demo user signed in, stopped")


if __name__ == "__main__":
    main()

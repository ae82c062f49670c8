"""Page latency of the demo for a signed-in officer, against gunicorn on loopback.

Builds a fresh demo database in a temporary folder, serves it with gunicorn
(2 workers, production settings), signs in as `officer` and times each page.
The baseline is /health/ (one trivial query) timed in the same run, so the
ratios say what a page costs beyond the server's own overhead.
"""

import http.cookiejar
import json
import os
import re
import statistics
import tempfile
import time
import urllib.parse
import urllib.request

from common import free_port, gunicorn, manage, percentile_95, wait_until_up

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
PAGES = {
    "health": "/health/",
    "home": "/",
    "map": "/map/",
    "zone": "/zones/south/",
    "borough": "/areas/E09000014/",
    "ward": "/areas/E05000268/",
    "lsoa": "/areas/E01001962/",
    "accessibility": "/accessibility/",
}


def sign_in(base, username, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        base + "/accounts/login/", data=data, headers={"Referer": base + "/"}
    )
    response = opener.open(request)
    if response.url.rstrip("/") != base:
        raise SystemExit(f"sign-in as {username} failed (landed on {response.url})")
    return opener


def time_page(opener, url):
    timings = []
    for _ in range(3):
        opener.open(url).read()  # warm up
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = opener.open(url)
        response.read()
        timings.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
    return statistics.median(timings), percentile_95(timings)


def main():
    password = "bench-password"
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "CSPHUB_DEBUG": "0",
            "CSPHUB_SECRET_KEY": "bench-only-secret",
            "CSPHUB_INSECURE_COOKIES": "1",
            "CSPHUB_DEMO_PASSWORD": password,
        }
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = gunicorn(env, port, 2)
        try:
            wait_until_up(base, server, timeout=30)
            opener = sign_in(base, "officer", password)
            results = {}
            for name, path in PAGES.items():
                p50, p95 = time_page(opener, base + path)
                results[f"web.{name}_p50_ms"] = round(p50, 2)
                results[f"web.{name}_p95_ms"] = round(p95, 2)
            baseline = results["web.health_p95_ms"]
            for name in PAGES:
                if name != "health":
                    ratio = results[f"web.{name}_p95_ms"] / baseline
                    results[f"web.{name}_p95_vs_health_ratio"] = round(ratio, 2)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(json.dumps(results))


if __name__ == "__main__":
    main()

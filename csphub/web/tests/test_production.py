"""Production settings, run as production runs them: a fresh process with the
production environment (no CSPHUB_DEMO, which the test settings set).

Debug is off unless asked for, the site does not start without a secret key,
`check --deploy` finds nothing, and a page over HTTPS behind a proxy carries
every security header."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
HOST = "csphub.example.gov.uk"
DROPPED = {
    "CSPHUB_DEMO",
    "CSPHUB_DEBUG",
    "CSPHUB_PLAIN_HTTP",
    "CSPHUB_INSECURE_COOKIES",
    "CSPHUB_TWO_FACTOR",
    "CSPHUB_SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
}
PROBE = f"""
import json
from django.conf import settings
from django.test import Client
HOST = "{HOST}"
client = Client()
plain = client.get("/accounts/login/", HTTP_HOST=HOST)
page = client.get(
    "/accounts/login/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https"
)
print(json.dumps({{
    "debug": settings.DEBUG,
    "two_factor": settings.CSPHUB_TWO_FACTOR,
    "plain": [plain.status_code, plain.get("Location", "")],
    "status": page.status_code,
    "headers": dict(page.headers),
    "cookies": {{name: dict(c) for name, c in page.cookies.items()}},
}}))
"""


def manage(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if k not in DROPPED and k != "PYTHONPATH"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(tmp_path, **extra):
    return {
        "CSPHUB_SECRET_KEY": secrets.token_urlsafe(50),
        "CSPHUB_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        **extra,
    }


def test_without_a_secret_key_the_site_does_not_start(tmp_path):
    env = production(tmp_path)
    del env["CSPHUB_SECRET_KEY"]
    done = manage("check", **env)
    assert done.returncode != 0
    assert "CSPHUB_SECRET_KEY must be set" in done.stderr


def test_without_a_secret_key_commands_still_say_how_to_use_them(tmp_path):
    """--help runs no system checks: it answers from a bare terminal."""
    env = production(tmp_path)
    del env["CSPHUB_SECRET_KEY"]
    for command in ("import_crime", "backup", "load_demo"):
        done = manage(command, "--help", **env)
        assert done.returncode == 0, done.stderr
        assert "usage:" in done.stdout
    refused = manage("import_crime", "--partnership", "haringey", "x.csv", **env)
    assert refused.returncode != 0
    assert "CSPHUB_SECRET_KEY must be set" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_without_a_secret_key_the_web_server_does_not_start(tmp_path):
    env = production(tmp_path)
    del env["CSPHUB_SECRET_KEY"]
    environment = {
        k: v for k, v in os.environ.items() if k not in DROPPED and k != "PYTHONPATH"
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="csphub.settings")
    done = subprocess.run(
        [sys.executable, "-c", "import csphub.wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "CSPHUB_SECRET_KEY must be set" in done.stderr


def test_debug_cannot_stand_in_for_the_demo(tmp_path):
    """Debug on no longer lets the site start with the public key."""
    env = production(tmp_path, CSPHUB_DEBUG="1")
    del env["CSPHUB_SECRET_KEY"]
    assert manage("check", **env).returncode != 0


def test_the_demo_starts_without_a_secret_key_and_without_debug(tmp_path):
    env = production(tmp_path, CSPHUB_DEMO="1")
    del env["CSPHUB_SECRET_KEY"]
    done = manage(
        "shell", "-c", "from django.conf import settings as s; print(s.DEBUG)", **env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_check_deploy_finds_nothing(tmp_path):
    done = manage(
        "check", "--deploy", "--fail-level", "WARNING", **production(tmp_path)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    done = manage("shell", "-c", PROBE, **production(tmp_path_factory.mktemp("prod")))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_is_not_in_debug_and_asks_for_a_second_factor(served):
    assert served["debug"] is False
    assert served["two_factor"] is True


def test_plain_http_is_sent_to_https(served):
    assert served["plain"] == [301, f"https://{HOST}/accounts/login/"]


def test_every_security_header_is_sent_over_https_behind_the_proxy(served):
    assert served["status"] == 200
    headers = served["headers"]
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    policy = dict(
        part.strip().split(" ", 1)
        for part in headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert "http" not in headers["Content-Security-Policy"]  # no outside host
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "no-store" in headers["Cache-Control"]


def test_cookies_are_secure_and_kept_from_scripts(served):
    csrf = served["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"

"""Personas, one per role of DESIGN.md, and the demo data every test can use.

The demo partnerships are loaded once per test session (from shared/data when
present) and each test runs in a transaction that is rolled back.
"""

import json
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import signals

from csphub.accounts.models import Partnership, Role, User

# persona -> (username in the demo, role it has, or None for anonymous)
PERSONAS = {
    "anonymous": None,
    "officer": Role.OFFICER,
    "member": Role.MEMBER,
    "analyst": Role.ANALYST,
    "handler": Role.HANDLER,
    "iom": Role.IOM,
    "admin": Role.ADMIN,
    "outsider": Role.OFFICER,  # an officer of Barnet, another partnership
}


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    # Hashing with PBKDF2 costs ~0.3 s a user; tests need no real strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run inline, so a test sees their outcome at once.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    # Tell django-tasks, whose backends were built (with the database backend)
    # when the apps' task modules were imported: without this, tests ran with
    # whichever backend a test before them on the same worker left behind.
    setting_changed.send(
        sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _fast_password_hashing):
    from csphub.web.demo import load_demo

    with django_db_blocker.unblock():
        load_demo(crime=False)


@pytest.fixture(autouse=True)
def _demo_loaded(request, django_db_blocker):
    """The demo is in the database when a test starts.

    A transactional test (live server, task worker) empties its database when
    it ends. Run serially, pytest-django runs those tests last; under
    pytest-xdist (`make test`) a worker may run one before others, so its
    database is loaded again first (a query a test, a reload only then).
    """
    names = request.fixturenames
    if "transactional_db" in names:
        return  # it starts from whatever is there (see reload_demo)
    if "django_db_setup" not in names and not request.node.get_closest_marker(
        "django_db"
    ):
        return  # no database: never touch the configured one
    from csphub.web.demo import load_demo

    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        if not Partnership.objects.exists():
            load_demo(crime=False)


@pytest.fixture
def reload_demo(transactional_db):
    """The demo, reloaded: a transactional test (live server, task worker)
    starts from whatever an earlier one's flush left, possibly nothing."""
    from csphub.web.demo import load_demo

    load_demo(crime=False)


@pytest.fixture
def user_for(db):
    """The demo user of a persona (None for anonymous)."""

    def get(persona):
        if persona == "anonymous":
            return None
        return User.objects.get(username=persona)

    return get


@pytest.fixture
def client_for(db, user_for):
    """A test client signed in as a persona."""
    from django.test import Client

    def make(persona):
        client = Client()
        user = user_for(persona)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(params=list(PERSONAS))
def persona(request):
    """Each persona in turn."""
    return request.param


# Browser tests: Debian's Chromium driven by Playwright (never a downloaded
# browser), pages checked with axe-core for WCAG 2.2 AA. Shared here because
# the apps' tests may not import one another.
CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Chromium's own background traffic is refused on a closed network; these
# flags keep it quiet and the start fast.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed"
)


@contextmanager
def chromium_page(**page_options):
    """A fresh headless Chromium page (1280 x 900 unless told otherwise)."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the live server's ORM
    ARTIFACTS.mkdir(exist_ok=True)
    page_options.setdefault("viewport", {"width": 1280, "height": 900})
    # axe is added to pages as a script tag, which the Content-Security-Policy
    # would block; web/tests/test_csp_browser.py loads pages under the policy.
    page_options.setdefault("bypass_csp", True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(**page_options)
        finally:
            browser.close()


def check_page(page, name):
    """Screenshot the page, then assert no axe violation and exactly one h1."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
    assert violations == [], f"{name}: " + json.dumps(violations, indent=1)
    assert page.locator("h1").count() == 1


def _delete_unrecorded(*querysets):
    """Delete each queryset, in order, as a test that starts from an empty
    database needs: the append-only audit log is emptied first (its entries
    protect the demo's partnerships) and the deletions are not recorded (an
    entry would name the partnership being deleted). The app refuses every
    delete of the log; the database allows this one way, TRUNCATE on
    PostgreSQL (whose trigger refuses row deletes) and DELETE on SQLite.
    Inside a test's transaction it is all rolled back with the test."""
    model = apps.get_model("accounts", "AuditEntry")
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(f"DELETE FROM {table}")
    receivers = signals.post_delete.receivers
    signals.post_delete.receivers = []
    signals.post_delete.sender_receivers_cache.clear()
    try:
        for queryset in querysets:
            queryset.delete()
    finally:
        signals.post_delete.receivers = receivers
        signals.post_delete.sender_receivers_cache.clear()


@pytest.fixture
def delete_unrecorded(db):
    """_delete_unrecorded, for a test that starts from an empty database."""
    return _delete_unrecorded

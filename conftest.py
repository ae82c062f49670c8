"""Personas, one per role of DESIGN.md, and the demo data every test can use.

The demo partnerships are loaded once per test session (from shared/data when
present, else from the synthetic files of csphub/intelligence/tests/fixtures,
which have its layout) and each test runs in a transaction that is rolled back.
"""

import json
import os
from contextlib import ExitStack, contextmanager
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


def load_test_demo():
    """The demo without its police.uk import, from the real shared data when it
    is there, else from the synthetic fixtures: either way Haringey has LSOAs,
    a gazetteer and residents' reports, so no test depends on where it runs."""
    from csphub.intelligence.tests import fixtures
    from csphub.web.demo import load_demo

    load_demo(fixtures.shared_dir(), crime=False)


@pytest.fixture
def police_uk():
    """Haringey's police.uk street files: the real ones when shared/data has
    them, else the synthetic ones (the months 2016-01 to 2018-06 of
    csphub/intelligence/tests/fixtures/README.md), which place into the
    boundaries the test demo was loaded with."""
    from csphub.intelligence.tests import fixtures

    return fixtures.data_dir() / "policeuk" / "haringey"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _fast_password_hashing):
    with django_db_blocker.unblock():
        load_test_demo()


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
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        if not Partnership.objects.exists():
            load_test_demo()


@pytest.fixture
def reload_demo(transactional_db):
    """The demo, reloaded: a transactional test (live server, task worker)
    starts from whatever an earlier one's flush left, possibly nothing."""
    load_test_demo()


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
# Skipped where Chromium is not installed, except on CI, which installs it.
NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed",
)
BROWSER_TEST = [pytest.mark.browser, NEEDS_CHROMIUM]  # a module's pytestmark

# The test's Playwright and Chromium: started by the first page a test opens
# (a test may open several) and stopped when the test ends. Playwright keeps
# its event loop marked as running between calls, which no other test should
# meet; and a Chromium kept across tests left the live server's in-memory
# database locked for the worker's next test ("database table is locked").
_CHROMIUM = {}


def _chromium():
    """The worker's Chromium, started on first use."""
    if "browser" not in _CHROMIUM:
        from playwright.sync_api import sync_playwright

        # With Playwright's loop marked as running, Django refuses ORM calls
        # from the test (checking what the live server did) unless told.
        _CHROMIUM["unsafe"] = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        try:
            _CHROMIUM["playwright"] = sync_playwright().start()
            _CHROMIUM["browser"] = _CHROMIUM["playwright"].chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
        except Exception:
            _stop_chromium()
            raise
    return _CHROMIUM["browser"]


def _stop_chromium():
    if not _CHROMIUM:
        return
    try:
        if "browser" in _CHROMIUM:
            _CHROMIUM["browser"].close()
        # Django keeps a connection per thread, but per context while an
        # event loop runs: the test's ORM calls made with Playwright's loop
        # running opened connections of their own, reachable only now. Left
        # open, they stopped PostgreSQL dropping the worker's test database.
        from django.db import connections

        connections.close_all()
        if "playwright" in _CHROMIUM:
            _CHROMIUM["playwright"].stop()
    finally:
        if _CHROMIUM["unsafe"] is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = _CHROMIUM["unsafe"]
        _CHROMIUM.clear()


def pytest_collection_modifyitems(items):
    """Browser tests last (in their order), after pytest-django's ordering."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_sessionfinish(session):
    _stop_chromium()


@pytest.fixture(autouse=True)
def _chromium_only_in_its_test():
    yield
    _stop_chromium()


@contextmanager
def chromium_page(**options):
    """A page in a fresh context (its own cookies and storage) of the worker's
    Chromium, 1280 x 900 unless told otherwise; the context closes after."""
    ARTIFACTS.mkdir(exist_ok=True)
    options.setdefault("viewport", {"width": 1280, "height": 900})
    # axe is added to pages as a script tag, which the Content-Security-Policy
    # would block; web/tests/test_csp_browser.py loads pages under the policy.
    options.setdefault("bypass_csp", True)
    context = _chromium().new_context(**options)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def browser_page(live_server, reload_demo):
    """A page (chromium_page's) for a test on the live server, demo loaded."""
    with chromium_page() as page:
        yield page


@pytest.fixture
def new_page(live_server, reload_demo):
    """Opens pages as chromium_page(**options) does, each in a context of its
    own (a second user, scripts off), on the live server with the demo
    loaded; every one is closed after the test."""
    with ExitStack() as stack:
        yield lambda **options: stack.enter_context(chromium_page(**options))


def follow(page, target):
    """Click a link or a submit button, given as a selector or a locator, and
    wait for the page it leads to. A bare click returns once the navigation
    has started, and page.content() read then can be the blank document of a
    page still loading: a test that passes or fails with the machine's load."""
    with page.expect_navigation():
        if isinstance(target, str):
            page.click(target)
        else:
            target.click()


def sign_in(page, url, username):
    """Sign in through the form as a demo user; the home page follows."""
    from csphub.web.demo import demo_password

    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo_password())
    follow(page, "button[type=submit]")
    assert page.url == f"{url}/", f"{username} could not sign in: {page.url}"


def shot(page, name):
    """Screenshot the page and assert exactly one h1: the checks a page with
    scripts off allows (axe-core is a script)."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert page.locator("h1").count() == 1, f"{name}: not exactly one <h1>"


def check_page(page, name):
    """shot(), then assert that axe-core finds no WCAG 2.2 AA violation."""
    shot(page, name)
    assert_axe_passes(page, name)


def assert_axe_passes(page, name):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
    assert violations == [], f"{name}: " + json.dumps(violations, indent=1)


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

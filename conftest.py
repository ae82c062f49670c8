"""Personas, one per role of DESIGN.md, and the demo data every test can use.

The demo partnerships are loaded once per test session (from shared/data when
present) and each test runs in a transaction that is rolled back.
"""

import pytest
from django.conf import settings

from csphub.accounts.models import Role, User

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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _fast_password_hashing):
    from csphub.web.demo import load_demo

    with django_db_blocker.unblock():
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

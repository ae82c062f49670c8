from unittest import mock

import pytest
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_health_is_ok_when_the_database_answers(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_health_is_503_naming_the_database_when_it_fails(client):
    # The one mock in the suite: a database that refuses is hard to arrange
    # mid-test without breaking the test's own connection.
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"].startswith("error")
    assert response.json()["status"] == "error"

"""Helpers for tests that start from an empty database."""

from django.apps import apps
from django.db import connection
from django.db.models import signals


def delete_unrecorded(*querysets):
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

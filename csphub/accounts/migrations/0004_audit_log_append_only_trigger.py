"""The audit log refuses changes in the database too, not only in the ORM.

PostgreSQL: a row trigger refuses UPDATE and DELETE of audit entries (TRUNCATE,
which only a database owner can run, stays possible for `manage.py flush`
and for restoring a backup). SQLite: a trigger refuses UPDATE; DELETE stays
possible there because Django's flush empties tables with DELETE.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION csphub_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditentry_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditentry
    FOR EACH ROW EXECUTE FUNCTION csphub_audit_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry;
DROP FUNCTION IF EXISTS csphub_audit_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER IF NOT EXISTS accounts_auditentry_append_only
BEFORE UPDATE ON accounts_auditentry
BEGIN
    SELECT RAISE(ABORT, 'The audit log is append-only');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS accounts_auditentry_append_only;"


def sql_for(vendor, up):
    if vendor == "postgresql":
        return PG_UP if up else PG_DOWN
    if vendor == "sqlite":
        return SQLITE_UP if up else SQLITE_DOWN
    return ""


def forwards(apps, schema_editor):
    sql = sql_for(schema_editor.connection.vendor, up=True)
    if sql:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    sql = sql_for(schema_editor.connection.vendor, up=False)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_agreements_and_change_trail")]

    operations = [migrations.RunPython(forwards, backwards)]

"""Full-text indexes over SearchEntry.words: a GIN index on PostgreSQL and an
FTS5 table on SQLite, kept in step by triggers on web_searchentry.

Both read the same lower-case words with the 'simple' configuration (no
stemming, no stop words) and unicode61 (no accent folding), so the same query
finds the same rows on either. A later migration that makes Django rebuild
web_searchentry on SQLite drops the triggers: create them again after it.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE web_searchentry_fts USING fts5(words,"
    " content='web_searchentry', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER web_searchentry_fts_insert AFTER INSERT ON web_searchentry"
    " BEGIN INSERT INTO web_searchentry_fts(rowid, words)"
    " VALUES (new.id, new.words); END",
    "CREATE TRIGGER web_searchentry_fts_delete AFTER DELETE ON web_searchentry"
    " BEGIN INSERT INTO web_searchentry_fts(web_searchentry_fts, rowid, words)"
    " VALUES ('delete', old.id, old.words); END",
    "CREATE TRIGGER web_searchentry_fts_update AFTER UPDATE ON web_searchentry"
    " BEGIN INSERT INTO web_searchentry_fts(web_searchentry_fts, rowid, words)"
    " VALUES ('delete', old.id, old.words);"
    " INSERT INTO web_searchentry_fts(rowid, words) VALUES (new.id, new.words); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS web_searchentry_fts_insert",
    "DROP TRIGGER IF EXISTS web_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS web_searchentry_fts_update",
    "DROP TABLE IF EXISTS web_searchentry_fts",
]
# The expression SearchVector("words", config="simple") compiles to, so the
# planner uses the index.
POSTGRES_UP = [
    "CREATE INDEX web_searchentry_words_gin ON web_searchentry USING gin"
    " (to_tsvector('simple'::regconfig, COALESCE(words, '')))"
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS web_searchentry_words_gin"]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("web", "0001_search_entry")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]

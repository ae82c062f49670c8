"""The site-wide search index: one row per record the search box can find."""

from django.db import models


class SearchEntry(models.Model):
    """One findable record of an app below web: what it is called, a line
    about it, where it lives, and its words (lower-case, split the same way
    for both databases, so PostgreSQL and SQLite FTS5 find the same rows).

    Holds no access rule: who may see the record is asked of its own app at
    search time, so a stale row can never show what the pages would not."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    summary = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300)
    words = models.TextField()
    # Whether the record is restricted data, for the audit log when a result
    # shows it; never an access rule.
    restricted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="search_entry_once"
            )
        ]
        indexes = [models.Index(fields=["partnership", "kind"])]
        verbose_name_plural = "search entries"

    def __str__(self):
        return f"{self.kind}: {self.title}"

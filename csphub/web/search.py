"""The search box: full text over SearchEntry, filtered by the records' own
access rules, ranked the same way on PostgreSQL and SQLite.

The database finds the rows (every word of the query as the start of a word:
tsquery `word:*` on PostgreSQL, FTS5 `"word"*` on SQLite); the ranking is
done here, from the titles, so both give the same order. Two queries a
search, whatever the data: the matches (with access), and the shown page.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from csphub.accounts.services import record_restricted_view

from .models import SearchEntry
from .search_index import BY_KIND, SOURCES, words_of

MAX_WORDS = 8
PAGE_SIZE = 20
# (value of ?kind=, label), in the order the filters show
GROUPS = [
    ("issues", "Issues"),
    ("actions", "Actions"),
    ("bodies", "Bodies"),
    ("people", "People"),
    ("meetings", "Meetings and items"),
    ("decisions", "Decisions"),
    ("reports", "Residents' reports"),
    ("indicators", "Indicators"),
    ("areas", "Areas"),
    ("iom", "IOM cohort"),
]
GROUP_OF = {s.kind: s.group for s in SOURCES}
KIND_ORDER = {s.kind: n for n, s in enumerate(SOURCES)}


@dataclass
class Results:
    query: str
    words: list
    group: str = ""
    hits: list = field(default_factory=list)  # [(kind, object_id, title, id)]
    counts: dict = field(default_factory=dict)  # {group: n}

    @property
    def total(self):
        return sum(self.counts.values())


def query_words(text):
    """The words searched for (at most MAX_WORDS), as the index splits them."""
    return words_of(text)[:MAX_WORDS]


def matching(entries, words):
    """Entries holding every word as the start of one of their words."""
    if not words:
        return entries.none()
    if connection.vendor == "postgresql":
        query = SearchQuery(
            " & ".join(f"{w}:*" for w in words), search_type="raw", config="simple"
        )
        return entries.annotate(found=SearchVector("words", config="simple")).filter(
            found=query
        )
    if connection.vendor == "sqlite":
        fts = " AND ".join(f'"{w}"*' for w in words)
        return entries.filter(
            id__in=RawSQL(
                "SELECT rowid FROM web_searchentry_fts"
                " WHERE web_searchentry_fts MATCH %s",
                (fts,),
            )
        )
    for w in words:  # other databases: slower, same rows
        entries = entries.filter(Q(words__startswith=w) | Q(words__contains=f" {w}"))
    return entries


def visible(partnership, user, roles):
    """A Q over SearchEntry: the rows of records this person may open."""
    allowed = Q(pk__in=[])
    for source in SOURCES:
        allowed |= source.visible(partnership, user, roles)
    return allowed


def score(title, words):
    """Higher for words that are whole words of the title, then starts of
    them; a match only in the text scores least."""
    title_words = set(words_of(title))
    total = 0
    for w in words:
        if w in title_words:
            total += 3
        elif any(t.startswith(w) for t in title_words):
            total += 2
        else:
            total += 1
    return total


def search(partnership, user, roles, text, group=""):
    """The records matching `text` that this person may see, best first, and
    how many of each group there are (one query)."""
    words = query_words(text)
    results = Results(query=text, words=words, group=group)
    if not words:
        return results
    rows = matching(
        SearchEntry.objects.filter(partnership=partnership).filter(
            visible(partnership, user, roles)
        ),
        words,
    ).values_list("kind", "object_id", "title", "id")
    ranked = []
    for row in rows:
        g = GROUP_OF.get(row[0], "")
        results.counts[g] = results.counts.get(g, 0) + 1
        if not group or g == group:
            ranked.append((-score(row[2], words), KIND_ORDER[row[0]], row[2], row))
    ranked.sort()
    results.hits = [r[3] for r in ranked]
    return results


def shown(hits):
    """The full entries of a page of hits, in the hits' order (one query)."""
    by_id = SearchEntry.objects.in_bulk([h[3] for h in hits])
    return [by_id[h[3]] for h in hits if h[3] in by_id]


class _Record:
    """What the audit log reads of a record (type, id, label), from its
    search entry, so auditing a page of results loads no record."""

    def __init__(self, entry):
        self._meta = BY_KIND[entry.kind].model._meta
        self.pk = entry.object_id
        self.label = entry.title

    def __str__(self):
        return self.label


def audit_shown(request, entries):
    """An audit line for each restricted record a results page shows."""
    for e in entries:
        if e.restricted:
            record_restricted_view(request, _Record(e), reason="search result")

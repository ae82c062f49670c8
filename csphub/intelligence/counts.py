"""Monthly incident counts: what a briefing reads instead of the incidents.

A borough briefing counts every incident of its window by ward, category and
month, and every incident of its hotspot months by LSOA. Over a London-size
set (3 million incidents) the first was a full scan of the incident table
(bench/bench_scale.py). These two small tables hold the same counts per
imported file:

* `WardMonthCount`: file x month x ward x category;
* `LsoaMonthCount`: file x month x LSOA (every category).

`Tally` counts the rows an import writes and writes the counts with them, in
the import's own transaction (`loading.save_rows`), so a file's counts exist
exactly when its incidents do; deleting or replacing a file deletes its
counts (a foreign key, on delete cascade). `rebuild` counts again from the
incidents (`manage.py rebuild_incident_counts`), for data imported before
the tables existed. The readers (`ward_month_counts`, `lsoa_counts`) answer
what the grouped incident queries answered, row for row.
"""

from collections import Counter
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import Sum

from .models import Incident, LsoaMonthCount, WardMonthCount

WARD_COLUMNS = (
    "partnership_id", "source_file_id", "data_set_id", "month", "ward_id", "category",
)  # fmt: skip
LSOA_COLUMNS = ("partnership_id", "source_file_id", "data_set_id", "month", "lsoa_id")


class Tally:
    """Counts incident rows (tuples of `columns`) as an import writes them,
    then writes the counts (call `write` in the same transaction as the rows).
    A column the rows lack (police.uk rows have no data set) is None."""

    def __init__(self, columns):
        self._columns = columns
        self._ward_key = self._getter(WARD_COLUMNS)
        self._lsoa_key = self._getter(LSOA_COLUMNS)
        self.wards = Counter()
        self.lsoas = Counter()

    def _getter(self, wanted):
        index = {c: i for i, c in enumerate(self._columns)}
        return itemgetter(*(index[c] for c in wanted if c in index))

    def add(self, row):
        self.wards[self._ward_key(row)] += 1
        self.lsoas[self._lsoa_key(row)] += 1

    def _rows(self, wanted, counts):
        """Full rows of `wanted` and the count, None where a column is lacking."""
        have = [c in self._columns for c in wanted]
        for key, n in counts.items():
            values = iter(key)
            yield (*(next(values) if h else None for h in have), n)

    def write(self, cursor):
        for model, columns, counts in (
            (WardMonthCount, WARD_COLUMNS, self.wards),
            (LsoaMonthCount, LSOA_COLUMNS, self.lsoas),
        ):
            if counts:
                cursor.executemany(
                    insert_sql(model, (*columns, "n")),
                    list(self._rows(columns, counts)),
                )


def insert_sql(model, columns):
    """INSERT of one row of `model`'s table with `columns`, for executemany:
    the import writes incidents and their counts this way (no instances)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"


@transaction.atomic
def rebuild(partnership=None):
    """Count the incidents again into both tables (every partnership's, or
    one's), replacing the counts there were; returns (ward rows, LSOA rows)."""
    quote = connection.ops.quote_name
    incidents = quote(Incident._meta.db_table)
    where, params = ("", [])
    if partnership is not None:
        where, params = (f" WHERE {quote('partnership_id')} = %s", [partnership.pk])
    made = []
    with connection.cursor() as cursor:
        for model, columns in (
            (WardMonthCount, WARD_COLUMNS),
            (LsoaMonthCount, LSOA_COLUMNS),
        ):
            stale = model.objects.all()
            if partnership is not None:
                stale = stale.filter(partnership=partnership)
            stale._raw_delete(stale.db)  # no cascades or signals hang off counts
            names = ", ".join(quote(c) for c in columns)
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({names}, {quote('n')})"
                f" SELECT {names}, COUNT(*) FROM {incidents}{where}"
                f" GROUP BY {names}",
                params,
            )
            made.append(cursor.rowcount)
    return tuple(made)


def ward_month_counts(partnership, months, ward_ids):
    """[(ward id, category, month, incidents)] of police.uk incidents in
    `months` and `ward_ids`, as a grouped count of the incidents gives them."""
    return list(
        WardMonthCount.objects.filter(
            partnership=partnership,
            data_set=None,
            month__in=months,
            ward_id__in=ward_ids,
        )
        .values_list("ward_id", "category", "month")
        .annotate(total=Sum("n"))
        .order_by()
    )


def lsoa_counts(partnership, months):
    """{LSOA id (None for unplaced): police.uk incidents in `months`}."""
    return dict(
        LsoaMonthCount.objects.filter(
            partnership=partnership, data_set=None, month__in=months
        )
        .values_list("lsoa_id")
        .annotate(total=Sum("n"))
        .order_by()
    )

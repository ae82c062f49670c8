"""Which months a partnership's data covers: police.uk files and data sets.

The lowest of intelligence's own modules after `models`: the import services,
the KPI counts and the briefing all read it, and it reads none of them.
"""

from csphub.lib.months import months_between

from .models import SourceFile


def coverage(spans):
    """[(month, has data)] from the first covered month to the last, given
    (first month, last month or None) pairs. A month no pair covers is
    "no data", never zero incidents."""
    covered = {m for first, last in spans for m in months_between(first, last or first)}
    if not covered:
        return []
    return [(m, m in covered) for m in months_between(min(covered), max(covered))]


def data_months(partnership, data_set=None):
    """[(month, has data)] from the first to the last month a file covers:
    the partnership's police.uk files, or a partner data set's files."""
    files = SourceFile.objects.filter(partnership=partnership, data_set=data_set)
    return coverage(files.values_list("month", "last_month"))

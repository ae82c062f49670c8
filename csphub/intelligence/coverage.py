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


def files_by_month(files, calendar):
    """[{month, has_data, files}] newest first: each month of `calendar` (from
    data_months) with the files that start in it, for the pages' file tables.
    A month a longer file covers has data and no files of its own."""
    starting = {}
    for f in files:
        starting.setdefault(f.month, []).append(f)
    return [
        {"month": month, "has_data": has_data, "files": starting.get(month, [])}
        for month, has_data in reversed(calendar)
    ]

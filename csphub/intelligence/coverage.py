"""Which months a partnership has police.uk data for.

The lowest of intelligence's own modules after `models`: the import services,
the KPI counts and the briefing all read it, and it reads none of them.
"""

from datetime import date

from .models import SourceFile


def add_months(month, n):
    """The first day of the month n months after `month` (n may be negative)."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def data_months(partnership):
    """[(month, has data)] from the first to the last month with a file.

    A month with no file is "no data", never zero incidents.
    """
    months = sorted(
        set(
            SourceFile.objects.filter(
                partnership=partnership, source=SourceFile.Source.POLICE_UK
            ).values_list("month", flat=True)
        )
    )
    if not months:
        return []
    present, result = set(months), []
    month = months[0]
    while month <= months[-1]:
        result.append((month, month in present))
        month = add_months(month, 1)
    return result

"""Months and periods: a month is the date of its first day.

Plain Python, no Django: every app that deals in months (crime data, KPI
periods, briefings, project baselines) uses these, so a month is parsed,
counted and named one way across the site.
"""

import re
from datetime import date

# ASCII digits only: Python's \d would also take '２０２４'.
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def first_of_month(day):
    """The first day of `day`'s month."""
    return date(day.year, day.month, 1)


def add_months(day, n):
    """The first day of the month n months after `day`'s month (n may be negative)."""
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(first, last):
    """The first days of the months from `first`'s to `last`'s, both included."""
    months, month = [], first_of_month(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def parse_month(text):
    """'YYYY-MM' as the first day of that month, or None when it is not one.

    Four and two ASCII digits and a real month: '2024-13', '2024-1x' and
    '２０２４-01' are None. Surrounding white space is ignored.
    """
    match = _MONTH.fullmatch((text or "").strip())
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return date(int(match[1]), int(match[2]), 1)


def parse_period(text):
    """'YYYY-MM', or a real day 'YYYY-MM-DD', as the first day of its month, or None."""
    text = (text or "").strip()
    if (match := _DAY.fullmatch(text)) is None:
        return parse_month(text)
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return first_of_month(day)


def month_key(day):
    """'YYYY-MM' of `day`'s month (the form parse_month reads)."""
    return f"{day.year:04d}-{day.month:02d}"


def month_label(day, *, short=False):
    """'June 2018', or 'Jun 2018' when short. Locale-free, and cheap: a page of
    60 charts calls it thousands of times."""
    name = MONTH_NAMES[day.month - 1]
    return f"{name[:3] if short else name} {day.year}"


def span(months):
    """A run of months in words: 'June 2018', 'April to June 2018',
    'November 2017 to June 2018'; '' for none. `months` are dates or 'YYYY-MM'."""
    if not months:
        return ""
    first, last = (
        m if isinstance(m, date) else parse_month(m) for m in (months[0], months[-1])
    )
    if first == last:
        return month_label(first)
    if first.year == last.year:
        return f"{MONTH_NAMES[first.month - 1]} to {month_label(last)}"
    return f"{month_label(first)} to {month_label(last)}"

"""Working days in England and Wales: weekends and bank holidays skipped.

The regular bank holidays follow their rules (Easter from dateutil, the
Monday substitutes for a New Year's Day, Christmas Day or Boxing Day that
falls at a weekend); the one-off changes since 2011 are listed.
"""

from datetime import date, timedelta
from functools import cache

from dateutil.easter import easter
from dateutil.relativedelta import MO, relativedelta

# Years whose holidays differ from the rules: moved or added by proclamation.
MOVED = {
    2012: ({date(2012, 5, 28)}, {date(2012, 6, 4), date(2012, 6, 5)}),
    2020: ({date(2020, 5, 4)}, {date(2020, 5, 8)}),
    2022: (
        {date(2022, 5, 30)},
        {date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19)},
    ),
    2023: (set(), {date(2023, 5, 8)}),
}


@cache  # pure calendar arithmetic on the year, not data
def bank_holidays(year):
    """The bank holidays of England and Wales in a year, as a frozenset."""
    days = set()
    new_year = date(year, 1, 1)
    while new_year.weekday() >= 5:
        new_year += timedelta(days=1)
    days.add(new_year)
    sunday = easter(year)
    days |= {sunday - timedelta(days=2), sunday + timedelta(days=1)}
    days.add(date(year, 5, 1) + relativedelta(weekday=MO(1)))
    days.add(date(year, 5, 31) + relativedelta(weekday=MO(-1)))
    days.add(date(year, 8, 31) + relativedelta(weekday=MO(-1)))
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: Monday and Tuesday instead
        christmas, boxing = date(year, 12, 27), date(year, 12, 28)
    elif christmas.weekday() == 6:  # Sunday: Boxing Day Monday, Tuesday for it
        christmas = date(year, 12, 27)
    elif boxing.weekday() == 5:  # Friday Christmas: Boxing Day on Monday
        boxing = date(year, 12, 28)
    days |= {christmas, boxing}
    removed, added = MOVED.get(year, (set(), set()))
    return frozenset((days - removed) | added)


def is_working_day(day):
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start, days):
    """The date `days` working days after `start` (start itself not counted)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count

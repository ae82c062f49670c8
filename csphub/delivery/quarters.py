"""Financial-year quarters (April to March), stored as their first day.

An owner is asked for a quarter's update from ASK_DAYS before the quarter
ends; the update is late once DUE_DAYS have passed after it ends.
"""

from datetime import date, timedelta

ASK_DAYS = 14
DUE_DAYS = 14


def quarter_of(day):
    """The first day of the quarter holding `day`."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def next_quarter(quarter):
    month = quarter.month + 3
    return date(quarter.year + (month > 12), (month - 1) % 12 + 1, 1)


def previous_quarter(quarter):
    month = quarter.month - 3
    return date(quarter.year - (month < 1), (month - 1) % 12 + 1, 1)


def quarter_end(quarter):
    return next_quarter(quarter) - timedelta(days=1)


def due_date(quarter):
    """The day by which the quarter's update is due."""
    return quarter_end(quarter) + timedelta(days=DUE_DAYS)


def reporting_quarter(today):
    """The latest quarter whose updates are being asked for on `today`."""
    quarter = quarter_of(today)
    if today < quarter_end(quarter) - timedelta(days=ASK_DAYS):
        return previous_quarter(quarter)
    return quarter


def last_due_quarter(today):
    """The latest quarter whose updates are already due (late if missing)."""
    quarter = previous_quarter(quarter_of(today))
    return quarter if due_date(quarter) < today else previous_quarter(quarter)


def label(quarter):
    """'2025/26 Q1' for April-June 2025."""
    start = quarter.year if quarter.month >= 4 else quarter.year - 1
    number = {4: 1, 7: 2, 10: 3, 1: 4}[quarter.month]
    return f"{start}/{(start + 1) % 100:02d} Q{number}"


def parse(text):
    """A quarter from '2025/26 Q1', '2025-Q1' (financial) or 'YYYY-MM-DD';
    None if it is not one."""
    text = (text or "").strip()
    try:
        if "Q" in text.upper():
            head, number = text.upper().rsplit("Q", 1)
            start = int(head.strip(" -/")[:4])
            month = {1: 4, 2: 7, 3: 10, 4: 1}[int(number)]
            return date(start + (month == 1), month, 1)
        return quarter_of(date.fromisoformat(text))
    except (ValueError, KeyError):
        return None


def financial_year_label(year):
    """'2011/12' for the year starting April 2011."""
    return f"{year}/{(year + 1) % 100:02d}"

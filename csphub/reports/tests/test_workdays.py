from datetime import date

from csphub.reports.workdays import (
    add_working_days,
    bank_holidays,
    working_days_between,
)


def test_bank_holidays_of_england_and_wales():
    assert bank_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),
    }
    assert date(2022, 9, 19) in bank_holidays(2022)  # the Queen's funeral
    assert date(2022, 5, 30) not in bank_holidays(2022)  # moved to 2 June
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= bank_holidays(2027)


def test_working_days_skip_weekends_and_holidays():
    assert add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 24)
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)  # Easter
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1

from datetime import date

import pytest

from csphub.lib.months import (
    add_months,
    first_of_month,
    month_key,
    month_label,
    months_between,
    parse_month,
    parse_period,
    span,
)


def test_add_months_crosses_years_both_ways():
    assert add_months(date(2016, 11, 1), 3) == date(2017, 2, 1)
    assert add_months(date(2016, 1, 1), -1) == date(2015, 12, 1)
    assert add_months(date(2016, 1, 31), 1) == date(2016, 2, 1)
    assert add_months(date(2016, 6, 1), -24) == date(2014, 6, 1)


def test_months_between_includes_both_ends():
    assert months_between(date(2017, 11, 20), date(2018, 2, 3)) == [
        date(2017, 11, 1),
        date(2017, 12, 1),
        date(2018, 1, 1),
        date(2018, 2, 1),
    ]
    assert months_between(date(2018, 2, 1), date(2018, 1, 1)) == []


def test_first_of_month():
    assert first_of_month(date(2018, 6, 30)) == date(2018, 6, 1)


@pytest.mark.parametrize(
    "text, month",
    [
        ("2024-01", date(2024, 1, 1)),
        (" 2018-12 ", date(2018, 12, 1)),
        ("0999-06", date(999, 6, 1)),
    ],
)
def test_parse_month_reads_year_and_month(text, month):
    assert parse_month(text) == month


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "2024-13",
        "2024-00",
        "2024-1x",
        "2024-1",
        "24-01",
        "２０２４-01",
        "2024-０1",
        "2024-01-01",
        "2024/01",
        "2024-01x",
        "x2024-01",
        "-2024-01",
    ],
)
def test_parse_month_refuses_anything_else(text):
    assert parse_month(text) is None


def test_parse_period_also_takes_a_real_day():
    assert parse_period("2018-06") == date(2018, 6, 1)
    assert parse_period("2018-06-30") == date(2018, 6, 1)
    assert parse_period("2018-02-30") is None
    assert parse_period("2018-06-3") is None
    assert parse_period("２０１８-06-01") is None
    assert parse_period("2018-13-01") is None


def test_month_key_round_trips():
    assert month_key(date(987, 3, 9)) == "0987-03"
    assert parse_month(month_key(date(2018, 6, 20))) == date(2018, 6, 1)


def test_month_label_is_locale_free():
    assert month_label(date(2018, 9, 1)) == "September 2018"
    assert month_label(date(2018, 9, 1), short=True) == "Sep 2018"


@pytest.mark.parametrize(
    "months, words",
    [
        ([], ""),
        (["2018-06"], "June 2018"),
        ([date(2018, 4, 1), date(2018, 6, 1)], "April to June 2018"),
        (["2017-11", "2018-01", "2018-06"], "November 2017 to June 2018"),
    ],
)
def test_span_names_a_run_of_months(months, words):
    assert span(months) == words

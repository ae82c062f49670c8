"""Server-drawn charts: gaps for months with no data, the expected value, a reading."""

from csphub.lib.charts.trend import line_chart, reading

MONTHS = ["2016-01", "2016-02", "2016-03", "2016-04", "2016-05"]


def test_a_month_with_no_data_is_a_gap_not_a_zero():
    svg = str(line_chart(MONTHS, [4, 6, None, 5, 9], title="Burglary in Bruce Grove"))
    assert svg.count("<path") == 2  # two runs either side of the gap
    assert svg.count("<circle") == 4 and "no data" in svg
    assert 'role="img" aria-label="Burglary in Bruce Grove"' in svg


def test_the_expected_value_is_marked_at_the_latest_month():
    svg = str(line_chart(MONTHS, [4, 6, 5, 5, 19], title="t", expected=5.5))
    assert "expected 5.5" in svg and "stroke-dasharray" in svg


def test_titles_are_escaped():
    svg = str(line_chart(MONTHS, [1, 2, 3, 4, 5], title='<b>"x"</b>'))
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_no_data_at_all_draws_nothing():
    assert line_chart(MONTHS, [None] * 5, title="t") == ""
    assert reading(MONTHS, [None] * 5) == "There is no data to chart."


def test_reading_says_the_latest_against_expected_and_the_highest():
    assert reading(MONTHS, [4, 6, None, 5, 19], expected=5.5) == (
        "19 in May 2016 against 5.5 expected, the highest of the 4 months with data."
    )
    assert reading(MONTHS, [4, 9, None, 5, 6]) == (
        "6 in May 2016; the highest was 9 in February 2016."
    )

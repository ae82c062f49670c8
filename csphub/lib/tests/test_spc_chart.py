"""SPC charts as SVG: colours by point type, target line, icons, readings."""

from datetime import date

from csphub.analytics.spc import xmr
from csphub.lib.charts import spc as charts

START = date(2017, 1, 1)


def months(n):
    return [date(2017 + i // 12, i % 12 + 1, 1) for i in range(n)]


def test_chart_colours_points_by_type_and_draws_the_target():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 30]
    result = xmr(values, improvement="decrease")
    svg = charts.spc_chart_svg(
        months(12), values, result, targets=[9] * 12, title="Burglary <b>"
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    kinds = [p.point_type for p in result.points]
    assert kinds[-1] == "special_cause_concern"
    for kind, colour in charts.POINT_COLOURS.items():
        assert svg.count(f'r="3.5" fill="{colour}"') == kinds.count(kind)
    assert f'stroke="{charts.RED}"' in svg
    assert "Burglary &lt;b&gt;" in svg  # titles are escaped


def test_improvement_is_blue():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 30]
    svg = charts.spc_chart_svg(months(12), values, xmr(values), title="t")
    assert svg.count(f'r="3.5" fill="{charts.BLUE}"') >= 1


def test_readings_say_what_the_rule_found():
    shift = [8, 12, 8, 12, 8, 12, 8, 12, 8, 12, 11, 12, 11, 12, 11, 12, 11]
    result = xmr(shift, improvement="decrease")
    text = charts.reading(months(17), result)
    assert text == "Special cause concern: 8 points above the mean since Oct 2017."
    plain = charts.reading(months(17), result, plain=True)
    assert plain.startswith("Worse than usual:") and "since Oct 2017" in plain

    trend = [3, 11, 2, 12, 3, 11, 2, 12, 4, 5, 6, 7, 8, 9, 10]
    text = charts.reading(months(15), xmr(trend, improvement="increase"))
    assert text == "Special cause improvement: 7 points rising in a row since Sep 2017."

    common = [10, 11, 10, 11, 10, 11, 10, 11]
    text = charts.reading(months(8), xmr(common))
    assert text.startswith("Common cause variation: the latest value (11, Aug 2017)")

    assert charts.reading([], xmr([])) == "No data yet."


def test_icons_are_svg_with_titles():
    for icon in charts.VARIATION_LABELS:
        svg = charts.variation_icon_svg(icon)
        assert "<title>" in svg and charts.VARIATION_LABELS[icon] in svg
    assert "F</text>" in charts.assurance_icon_svg("consistent_fail")
    assert "P</text>" in charts.assurance_icon_svg("consistent_pass")
    assert "?</text>" in charts.assurance_icon_svg("inconsistent")
    assert (
        charts.variation_icon_svg(None) == "" and charts.assurance_icon_svg(None) == ""
    )


def test_numbers_for_people():
    assert charts.fmt(1234.0) == "1,234" and charts.fmt(2.345) == "2.3"
    assert charts.fmt(None) == "–"

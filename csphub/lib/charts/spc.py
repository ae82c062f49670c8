"""SPC charts and summary icons drawn as SVG, in the Making Data Count style.

Plain values in, SVG text out (no models), so the same drawing serves a page,
a PDF board pack and an intelligence briefing. Colours are the reference's
(METHODS.md 1.3): grey common cause, blue improvement, orange concern, purple
neutral, and a red target line.
"""

from html import escape

from csphub.analytics.spc import (
    COMMON_CAUSE,
    RULE_OUTSIDE_LIMITS,
    RULE_SHIFT,
    RULE_TREND,
    RULE_TWO_OF_THREE,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_IMPROVEMENT,
)

from .base import INK, SECONDARY, fmt, nice_range, short_month, value_runs

GREY = "#a6a6a6"
BLUE = "#00b0f0"
ORANGE = "#e46c0a"
PURPLE = "#490092"
RED = "#de1b1b"
LINE = SECONDARY

POINT_COLOURS = {
    COMMON_CAUSE: GREY,
    SPECIAL_CAUSE_IMPROVEMENT: BLUE,
    SPECIAL_CAUSE_CONCERN: ORANGE,
    "special_cause_neutral_high": PURPLE,
    "special_cause_neutral_low": PURPLE,
}

VARIATION_LABELS = {
    "common_cause": "Common cause variation: no significant change",
    "improvement_high": "Special cause improvement: higher values",
    "improvement_low": "Special cause improvement: lower values",
    "concern_high": "Special cause concern: higher values",
    "concern_low": "Special cause concern: lower values",
    "neutral_high": "Special cause variation: higher values",
    "neutral_low": "Special cause variation: lower values",
}
ASSURANCE_LABELS = {
    "consistent_pass": "The target is consistently met",
    "consistent_fail": "The target is consistently missed",
    "inconsistent": "The target is hit and miss",
}


def spc_chart_svg(
    periods,
    values,
    result,
    *,
    targets=None,
    title,
    unit="",
    width=640,
    height=240,
    chart_id="chart",
):
    """An XmR chart: points coloured by point type, mean, process limits, target.

    `periods` are dates, `values` numbers or None (missing: a gap, never 0),
    `result` is `csphub.analytics.spc.xmr(values, ...)`, `targets` one number
    or None per period. The SVG has a <title> and <desc>; pages also show the
    data as a table.
    """
    left, right, top, bottom = 56, 16, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    points = result.points
    seen = [v for v in values if v is not None]
    lines = [
        x
        for p in points
        for x in (p.lpl, p.upl, p.mean)
        if x is not None and p.value is not None
    ]
    marks = seen + lines + [t for t in (targets or []) if t is not None]
    low, high, step = nice_range(min(marks or [0]), max(marks or [1]))
    n = len(periods)

    def x(i):
        return left + (plot_w * (i + 0.5) / n if n else 0)

    def y(v):
        return top + plot_h - (v - low) / (high - low) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img" class="csphub-spc"'
        ' font-family="Arial, Helvetica, sans-serif"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Statistical process control chart;'
        " the data are in the table that follows.</desc>",
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}"'
        ' fill="#ffffff" stroke="#b1b4b6"/>',
    ]
    tick = low
    while tick <= high + step / 1000:
        ty = y(tick)
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{ty:.1f}" y2="{ty:.1f}"'
            ' stroke="#f3f2f1"/>'
            f'<text x="{left - 6}" y="{ty + 4:.1f}" font-size="11" text-anchor="end"'
            f' fill="{INK}">{escape(fmt(tick, 2))}</text>'
        )
        tick += step
    every = max(1, -(-n // 8))
    for i, period in enumerate(periods):
        if (
            i % every == 0
            or i == n - 1
            and n - 1 - (n - 1) // every * every > every / 2
        ):
            out.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" font-size="11"'
                f' text-anchor="middle" fill="{INK}">{short_month(period)}</text>'
            )
    out += _group_lines(points, x, y)
    if targets:
        out.append(_polyline(targets, x, y, RED, dash="6 3", width=2))
    out.append(_polyline([p.value for p in points], x, y, LINE, width=1.5))
    for i, p in enumerate(points):
        if p.value is None:
            continue
        colour = POINT_COLOURS.get(p.point_type, GREY)
        out.append(
            f'<circle cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="3.5"'
            f' fill="{colour}" stroke="{colour}"/>'
        )
    if unit:
        out.append(
            f'<text x="4" y="{top + 8}" font-size="11" fill="{INK}">'
            f"{escape(unit)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _group_lines(points, x, y):
    """Mean (solid) and process limits (dashed) for each rebase group."""
    out = []
    groups = {}
    for i, p in enumerate(points):
        groups.setdefault(p.group, []).append(i)
    for indexes in groups.values():
        first = points[indexes[0]]
        x1, x2 = x(indexes[0]) - 4, x(indexes[-1]) + 4
        for value, dash, colour in (
            (first.mean, "", INK),
            (first.upl, "4 3", LINE),
            (first.lpl, "4 3", LINE),
        ):
            if value is None:
                continue
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y(value):.1f}"'
                f' y2="{y(value):.1f}" stroke="{colour}" stroke-width="1"{dashed}/>'
            )
    return out


def _polyline(values, x, y, colour, *, dash="", width=1.0):
    """Line segments through the values; a None leaves a gap."""
    runs = [[f"{x(i):.1f},{y(v):.1f}" for i, v in run] for run in value_runs(values)]
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return "".join(
        f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}"'
        f' stroke-width="{width}"{dashed}/>'
        for r in runs
        if len(r) > 1
    ) + "".join(
        f'<circle cx="{r[0].split(",")[0]}" cy="{r[0].split(",")[1]}" r="1.5"'
        f' fill="{colour}"/>'
        for r in runs
        if len(r) == 1 and dash
    )


def variation_icon_svg(icon, size=40):
    """The MDC variation icon: a ring coloured by kind, an H or L for special
    cause, and a small run of dots (flat for common cause)."""
    if not icon:
        return ""
    kind = icon.rsplit("_", 1)[0] if icon != "common_cause" else "common"
    colour = {"improvement": BLUE, "concern": ORANGE, "neutral": PURPLE}.get(kind, GREY)
    letter = {"high": "H", "low": "L"}.get(icon.rsplit("_", 1)[-1], "")
    dots = (
        [(12, 26), (17, 26), (22, 26), (27, 26)]
        if not letter
        else [(11, 30), (16, 28), (21, 26), (26, 22), (30, 16)]
        if letter == "H"
        else [(11, 14), (16, 18), (21, 22), (26, 26), (30, 30)]
    )
    label = VARIATION_LABELS.get(icon, icon)
    body = "".join(
        f'<circle cx="{cx}" cy="{cy}" r="2" fill="{colour}"/>' for cx, cy in dots
    )
    text = (
        f'<text x="20" y="{17 if letter == "H" else 28}" font-size="11"'
        f' font-weight="bold" text-anchor="middle" fill="{colour}">{letter}</text>'
        if letter
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="{size}"'
        f' height="{size}" role="img" class="csphub-icon">'
        f"<title>{escape(label)}</title>"
        f'<circle cx="20" cy="20" r="17" fill="#ffffff" stroke="{colour}"'
        f' stroke-width="3"/>{body}{text}</svg>'
    )


def assurance_icon_svg(icon, size=40):
    """The MDC assurance icon: P (blue), F (orange) or ? for hit and miss (grey),
    on a ring with the target drawn as a red line."""
    if not icon:
        return ""
    colour, letter = {
        "consistent_pass": (BLUE, "P"),
        "consistent_fail": (ORANGE, "F"),
    }.get(icon, (GREY, "?"))
    label = ASSURANCE_LABELS.get(icon, icon)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="{size}"'
        f' height="{size}" role="img" class="csphub-icon">'
        f"<title>{escape(label)}</title>"
        f'<circle cx="20" cy="20" r="17" fill="#ffffff" stroke="{colour}"'
        ' stroke-width="3"/>'
        f'<line x1="8" x2="32" y1="29" y2="29" stroke="{RED}" stroke-width="2"/>'
        f'<text x="20" y="24" font-size="15" font-weight="bold" text-anchor="middle"'
        f' fill="{colour}">{letter}</text></svg>'
    )


def _run_start(points, last):
    """Index of the first point of the special-cause run that ends at `last`."""
    rule, kind = points[last].rule, points[last].point_type
    start = last
    for i in range(last - 1, -1, -1):
        p = points[i]
        if p.value is None:
            continue
        if p.rule != rule or p.point_type != kind:
            break
        start = i
    return start


def _side(point):
    return "above" if (point.relative_to_mean or 0) > 0 else "below"


def reading(periods, result, *, unit="", plain=False):  # noqa: C901 (one branch a rule)
    """One sentence on what the chart says about its latest point.

    Technical ("special cause concern: 7 points above the mean since ...") by
    default; `plain=True` says the same to a resident.
    """
    points = result.points
    observed = [i for i, p in enumerate(points) if p.value is not None]
    if not observed:
        return "No data yet." if not plain else "There are no figures yet."
    if len(observed) < 2:
        return (
            "One value only: too few points to tell change from noise."
            if not plain
            else "There is only one figure so far, too few to see a change."
        )
    last = observed[-1]
    p = points[last]
    when = short_month(periods[last])
    start = _run_start(points, last)
    since = short_month(periods[start])
    count = sum(1 for i in observed if start <= i <= last)
    better = p.point_type == SPECIAL_CAUSE_IMPROVEMENT
    worse = p.point_type == SPECIAL_CAUSE_CONCERN
    label = (
        "special cause improvement"
        if better
        else "special cause concern"
        if worse
        else "special cause variation"
    )
    value = f"{fmt(p.value)}{' ' + unit if unit else ''}"
    if p.rule is None:
        sentence = (
            f"Common cause variation: the latest value ({value}, {when}) is within"
            f" the process limits ({fmt(p.lpl)} to {fmt(p.upl)}) around a mean of"
            f" {fmt(p.mean)}; no sign of real change."
        )
        if plain:
            sentence = (
                f"No real change: the latest figure ({value}, {when}) is within the"
                f" usual range of {fmt(p.lpl)} to {fmt(p.upl)} (average"
                f" {fmt(p.mean)})."
            )
    elif p.rule == RULE_OUTSIDE_LIMITS:
        limit = "upper" if p.relative_to_mean > 0 else "lower"
        bound = p.upl if p.relative_to_mean > 0 else p.lpl
        sentence = (
            f"{label.capitalize()}: the latest value ({value}, {when}) is beyond the"
            f" {limit} process limit ({fmt(bound)})."
        )
        if plain:
            sentence = (
                f"{_plain_lead(better, worse)} the latest figure ({value}, {when}) is"
                f" {'higher' if limit == 'upper' else 'lower'} than the usual range"
                f" ({fmt(p.lpl)} to {fmt(p.upl)})."
            )
    elif p.rule == RULE_TREND:
        way = "rising" if (p.value or 0) >= (points[start].value or 0) else "falling"
        sentence = f"{label.capitalize()}: {count} points {way} in a row since {since}."
        if plain:
            sentence = (
                f"{_plain_lead(better, worse)} the figure has been {way} for"
                f" {count} periods in a row, since {since}."
            )
    elif p.rule == RULE_TWO_OF_THREE:
        limit = "upper" if p.relative_to_mean > 0 else "lower"
        sentence = (
            f"{label.capitalize()}: 2 of the last 3 points are close to the {limit}"
            f" process limit."
        )
        if plain:
            sentence = (
                f"{_plain_lead(better, worse)} two of the last three figures are near"
                f" the {'top' if limit == 'upper' else 'bottom'} of the usual range."
            )
    else:  # RULE_SHIFT
        sentence = (
            f"{label.capitalize()}: {count} points {_side(p)} the mean since {since}."
        )
        if plain:
            sentence = (
                f"{_plain_lead(better, worse)} the last {count} figures, since"
                f" {since}, are all {_side(p)} the average of {fmt(p.mean)}."
            )
    return sentence


def _plain_lead(better, worse):
    return (
        "Better than usual:"
        if better
        else "Worse than usual:"
        if worse
        else ("A real change:")
    )


RULE_NAMES = {
    RULE_OUTSIDE_LIMITS: "outside the limits",
    RULE_TREND: "trend",
    RULE_TWO_OF_THREE: "2 of 3 near a limit",
    RULE_SHIFT: "shift",
}


POINT_LABELS = {
    COMMON_CAUSE: "common cause",
    SPECIAL_CAUSE_IMPROVEMENT: "improvement",
    SPECIAL_CAUSE_CONCERN: "concern",
    "special_cause_neutral_high": "special cause (high)",
    "special_cause_neutral_low": "special cause (low)",
}


def data_table_html(periods, result, *, caption, targets=None, sources=None):
    """The chart's data as a GOV.UK table: period, value ("missing" where there
    is none), mean, limits, target, variation (and source, when given).

    Built here rather than in a template: a review page shows 60 of these
    tables of 60 rows, and template rendering would cost most of its time.
    """
    targets = targets or [None] * len(periods)
    headers = ["Value", "Mean", "Lower limit", "Upper limit", "Target"]
    head = '<th scope="col" class="govuk-table__header">Period</th>' + "".join(
        f'<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
        f"{h}</th>"
        for h in headers
    )
    head += '<th scope="col" class="govuk-table__header">Variation</th>'
    if sources is not None:
        head += '<th scope="col" class="govuk-table__header">Source</th>'
    cell = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    rows = []
    for i, (period, point) in enumerate(zip(periods, result.points, strict=True)):
        value = "missing" if point.value is None else fmt(point.value)
        row = (
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
            f"{short_month(period)}</th>{cell}{value}</td>{cell}{fmt(point.mean)}</td>"
            f"{cell}{fmt(point.lpl)}</td>{cell}{fmt(point.upl)}</td>"
            f"{cell}{fmt(targets[i])}</td>"
            f'<td class="govuk-table__cell">{POINT_LABELS.get(point.point_type, "–")}'
            "</td>"
        )
        if sources is not None:
            row += f'<td class="govuk-table__cell">{escape(sources[i] or "–")}</td>'
        rows.append(row + "</tr>")
    return (
        '<table class="govuk-table csphub-table-s"><caption class="govuk-table__caption'
        f' govuk-table__caption--s">{escape(caption)}</caption>'
        f'<thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr>'
        f'</thead><tbody class="govuk-table__body">{"".join(rows)}</tbody></table>'
    )

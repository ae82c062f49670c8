"""Monthly count lines for briefings' trends: a gap where there is no data,
the expected value marked, and a sentence reading the chart."""

from django.utils.html import format_html, format_html_join

from csphub.lib.months import month_label, parse_month

from .base import (
    BORDER as GRID,
    FONT,
    GOVUK_BLUE as LINE,
    GOVUK_RED as EXPECTED,
    PALE,
    SECONDARY,
    coords as _fmt,
    gap_runs,
    nice_max,
    value_runs,
)

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 96, 12, 30


def line_chart(months, counts, *, title, expected=None):
    """A line of monthly counts (None = no data: a gap, never a zero), with the
    latest month's expected value marked when given. `months` are YYYY-MM."""
    known = [c for c in counts if c is not None]
    if not known:
        return ""
    top = nice_max(max(known + ([expected] if expected is not None else [])))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(months) - 1, 1)

    def xy(i, v):
        return LEFT + i * step, TOP + plot_h * (1 - v / top)

    runs = [[xy(i, c) for i, c in run] for run in value_runs(counts)]
    paths = format_html_join(
        "",
        '<path d="{}" fill="none" stroke="' + LINE + '" stroke-width="2"/>',
        (("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in r),) for r in runs),
    )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="2.5" fill="' + LINE + '"/>',
        (_fmt(*xy(i, c)) for i, c in enumerate(counts) if c is not None),
    )
    axes = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="'
        + GRID
        + '" stroke-width="0.5"/><text x="{}" y="{}" text-anchor="end"'
        " " + FONT + ">{}</text>",
        (
            (LEFT, LEFT + plot_w, *_fmt(y, y), LEFT - 4, *_fmt(y + 4), f"{v:g}")
            for v in (0, top / 2, top)
            for y in [TOP + plot_h * (1 - v / top)]
        ),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" ' + FONT + ">{}</text>",
        (
            (
                *_fmt(LEFT + i * step),
                HEIGHT - 10,
                month_label(parse_month(m), short=True),
            )
            for i, m in enumerate(months)
            if i in (0, len(months) - 1) or m.endswith("-01")
        ),
    )
    gaps = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="' + PALE + '"/>'
        '<text x="{}" y="{}" text-anchor="middle" '
        + FONT
        + ' fill="'
        + SECONDARY
        + '">no data</text>',
        (
            (*_fmt(x0, TOP, max(x1 - x0, 4), plot_h), *_fmt((x0 + x1) / 2, TOP + 12))
            for first, last in gap_runs(counts)
            for x0, x1 in [(LEFT + (first - 0.5) * step, LEFT + (last + 0.5) * step)]
        ),
    )
    marker = ""
    if expected is not None:
        x, y = xy(len(months) - 1, expected)
        marker = format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"'
            ' stroke-width="2" stroke-dasharray="4 2"/>'
            '<text x="{}" y="{}" ' + FONT + ' fill="{}">'
            "expected {}</text>",
            *_fmt(x - 14, x + 6, y, y),
            EXPECTED,
            *_fmt(x + 8, y + 4),
            EXPECTED,
            f"{expected:g}",
        )
    return format_html(
        '<svg class="csphub-chart" viewBox="0 0 {} {}" role="img" aria-label="{}"'
        ' xmlns="http://www.w3.org/2000/svg">{}{}{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        gaps,
        axes,
        ticks,
        paths,
        dots,
        marker,
    )


def reading(months, counts, *, expected=None):
    """One sentence that says what the chart shows."""
    known = [(m, c) for m, c in zip(months, counts, strict=True) if c is not None]
    if not known:
        return "There is no data to chart."
    latest_month, latest = months[-1], counts[-1]
    high_month, high = max(known, key=lambda mc: (mc[1], mc[0]))
    label = month_label(parse_month(latest_month))
    text = f"{latest} in {label}"
    if expected is not None:
        text += f" against {expected:g} expected"
    if latest == high:
        text += f", the highest of the {len(known)} months with data"
    else:
        text += f"; the highest was {high} in {month_label(parse_month(high_month))}"
    return text + "."

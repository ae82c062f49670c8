"""What every server-drawn chart shares: the palette, numbers for people,
axis ranges, month labels on a narrow axis, and the runs of values between
missing ones (a missing value is drawn as a gap, never as a zero)."""

import math

from csphub.lib.months import month_label

# GOV.UK Design System colours, readable in print.
INK = "#0b0c0c"
SECONDARY = "#505a5f"
BORDER = "#b1b4b6"
PALE = "#f3f2f1"
GOVUK_BLUE = "#1d70b8"
GOVUK_RED = "#d4351c"
FONT = 'font-family="arial, sans-serif" font-size="11"'


def fmt(value, digits=1):
    """A number for people: no trailing .0, thousands separated."""
    if value is None:
        return "–"
    rounded = round(value, digits)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.{digits}f}"


def coords(*numbers):
    """SVG coordinates to one decimal place."""
    return tuple(f"{n:.1f}" for n in numbers)


def short_month(day):
    """'Jun 2018': axes and tables are narrow."""
    return month_label(day, short=True)


def nice_range(low, high):
    """Axis bounds and a tick step of 1, 2 or 5 x 10^k, about five ticks."""
    if high <= low:
        high, low = high + 1, low - 1
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if raw <= step:
            break
    start = (low // step) * step
    stop = -((-high) // step) * step
    return start, stop, step


def nice_max(value):
    """The top of a count axis that starts at 0: 5, or 1, 2, 2.5 or 5 x 10^k."""
    if value <= 5:
        return 5
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return int(10 * magnitude)


def gap_runs(values):
    """(first, last) index of each run of missing (None) values."""
    runs, start = [], None
    for i, v in enumerate([*values, 0]):
        if v is None and start is None:
            start = i
        elif v is not None and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def value_runs(values):
    """[(index, value), ...] for each run of values between the missing ones."""
    runs, run = [], []
    for i, v in enumerate(values):
        if v is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append((i, v))
    if run:
        runs.append(run)
    return runs

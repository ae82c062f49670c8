"""Re-offending of the IOM cohort, computed from arrays (numpy; no Django).

Definitions (the MoJ proven re-offending measure, applied from the date of
selection; README.md says why each choice was made):

- A *re-offence* is an offence committed in the 12 months after selection,
  from the day after the selection day up to and including the same date 12
  months on (an offence on the selection day is the index offence, not a
  re-offence), and proven (convicted or cautioned) by the same date 18 months
  on: 12 months' follow-up plus a 6-month waiting period.
- De-selection does not stop the clock: a nominal stays in the cohort of the
  period they were selected in for the whole 12 months, so de-selecting those
  who re-offend cannot flatter the rate.
- A selection period's rates exist only once its last possible selection day
  is 18 months past (`as_of` on or after it); before that they are NaN.
- Binary rate: per cent of the period's selections with at least one
  re-offence. Frequency rate: re-offences per nominal selected.
- Before / after: offences per nominal committed in the 12 months up to and
  including the selection day, and re-offences as above.
- Time to first re-offence: days from selection; the period's median over
  those who re-offended.
- Cohort size: nominals selected on or before a period's last day and not
  de-selected on or before it.
"""

from dataclasses import dataclass

import numpy as np

FOLLOW_UP_MONTHS = 12
WAITING_MONTHS = 6


def months_on(days, months):
    """Dates `months` calendar months on (or back), clipped to the month's end
    (31 Jan + 1 month = 28/29 Feb). Works on datetime64[D] arrays; NaT stays."""
    days = np.asarray(days, dtype="datetime64[D]")
    start = days.astype("datetime64[M]")
    offset = days - start.astype("datetime64[D]")
    target = (start + months).astype("datetime64[D]")
    last = (start + months + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.minimum(target + offset, last)


@dataclass
class CohortMeasures:
    """Per selection period (arrays of equal length) and per nominal."""

    periods: np.ndarray  # datetime64[D], first day of each period
    period_months: int
    cohort_size: np.ndarray  # in the cohort at the period's last day
    selected: np.ndarray  # nominals selected in the period
    complete: np.ndarray  # bool: the period's 18 months have elapsed
    reoffenders: np.ndarray
    binary_rate: np.ndarray  # per cent, NaN until complete
    frequency_rate: np.ndarray  # re-offences per nominal, NaN until complete
    before_mean: np.ndarray  # offences per nominal in the 12 months before
    after_mean: np.ndarray  # re-offences per nominal in the 12 months after
    median_days_to_first: np.ndarray  # NaN without re-offenders
    # per nominal
    reoffences: np.ndarray
    offences_before: np.ndarray
    days_to_first: np.ndarray  # NaN for none
    nominal_complete: np.ndarray


def _dates(values):
    return np.asarray(values, dtype="datetime64[D]")


def per_nominal(selected, off_nominal, committed, proven, as_of):
    """(re-offences, offences before, days to first re-offence, complete) per
    nominal, from the offence arrays."""
    n = len(selected)
    start = selected[off_nominal]
    follow_end = months_on(selected, FOLLOW_UP_MONTHS)
    waiting_end = months_on(selected, FOLLOW_UP_MONTHS + WAITING_MONTHS)
    counted = (
        (committed > start)
        & (committed <= follow_end[off_nominal])
        & (proven <= waiting_end[off_nominal])
        & (proven <= as_of)
    )
    before = (committed <= start) & (
        committed > months_on(selected, -FOLLOW_UP_MONTHS)[off_nominal]
    )
    reoffences = np.bincount(off_nominal[counted], minlength=n)
    offences_before = np.bincount(off_nominal[before], minlength=n)
    first = np.full(n, np.inf)
    gap = (committed - start).astype("int64").astype(float)
    np.minimum.at(first, off_nominal[counted], gap[counted])
    first[np.isinf(first)] = np.nan
    return reoffences, offences_before, first, waiting_end <= as_of


def cohort_measures(
    selected, deselected, off_nominal, committed, proven, as_of, period_months=3
):
    """The cohort's measures per selection period of `period_months` months
    (3: calendar quarters), from the first selection to `as_of`'s period."""
    selected, deselected = _dates(selected), _dates(deselected)
    committed, proven = _dates(committed), _dates(proven)
    off_nominal = np.asarray(off_nominal, dtype=np.int64)
    as_of = np.datetime64(as_of, "D")
    reoffences, before, first, nominal_complete = per_nominal(
        selected, off_nominal, committed, proven, as_of
    )
    if len(selected) == 0:
        periods = np.array([], dtype="datetime64[D]")
    else:
        months = selected.astype("datetime64[M]").astype(np.int64)
        lo = months.min() // period_months * period_months
        hi = as_of.astype("datetime64[M]").astype(np.int64)
        hi = hi // period_months * period_months
        periods = np.arange(lo, max(hi, lo) + 1, period_months).astype("datetime64[M]")
        periods = periods.astype("datetime64[D]")
    k = len(periods)
    last_day = months_on(periods, period_months) - np.timedelta64(1, "D")
    size = np.searchsorted(np.sort(selected), last_day, side="right") - np.searchsorted(
        np.sort(deselected[~np.isnat(deselected)]), last_day, side="right"
    )
    group = np.searchsorted(periods, selected, side="right") - 1
    count = np.bincount(group, minlength=k)[:k]
    reoffenders = np.bincount(group, weights=reoffences > 0, minlength=k)[:k]
    total = np.bincount(group, weights=reoffences, minlength=k)[:k]
    total_before = np.bincount(group, weights=before, minlength=k)[:k]
    complete = months_on(last_day, FOLLOW_UP_MONTHS + WAITING_MONTHS) <= as_of
    with np.errstate(invalid="ignore", divide="ignore"):
        usable = complete & (count > 0)
        binary = np.where(usable, 100.0 * reoffenders / count, np.nan)
        frequency = np.where(usable, total / count, np.nan)
        before_mean = np.where(usable, total_before / count, np.nan)
    median_first = np.full(k, np.nan)
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(k + 1))
    for p in np.flatnonzero(usable & (reoffenders > 0)):
        members = order[bounds[p] : bounds[p + 1]]
        median_first[p] = np.nanmedian(first[members])
    return CohortMeasures(
        periods=periods,
        period_months=period_months,
        cohort_size=size.astype(np.int64),
        selected=count.astype(np.int64),
        complete=complete,
        reoffenders=reoffenders.astype(np.int64),
        binary_rate=binary,
        frequency_rate=frequency,
        before_mean=before_mean,
        after_mean=frequency.copy(),
        median_days_to_first=median_first,
        reoffences=reoffences,
        offences_before=before,
        days_to_first=first,
        nominal_complete=nominal_complete,
    )

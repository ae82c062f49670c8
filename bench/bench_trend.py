"""emerging_trends over a London-size set: 650 wards x 14 categories = 9,100
series of 36 months (synthetic Poisson counts with seasonality, a few real
rises, one month with no data as police.uk sometimes has).

The baseline is a bare numpy pass over the same counts in the same run (per
series mean, moving ranges, the seasonal reference months and a Poisson
upper-tail probability), so the ratio says what the full method costs beyond
touching the arrays. The briefing needs the whole set well under 2 s.
"""

import datetime
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from csphub.analytics.trend import TrendSeries, emerging_trends  # noqa: E402

WARDS, CATEGORIES, MONTHS = 650, 14, 36


def make_counts():
    """Monthly counts (None for the month with no file) and the months."""
    rng = np.random.default_rng(20180601)
    months = [
        datetime.date(2015 + (6 + i) // 12, (6 + i) % 12 + 1, 1) for i in range(36)
    ]
    season = 1 + 0.2 * np.sin(2 * np.pi * np.arange(MONTHS) / 12)
    level = rng.gamma(1.2, 6.0, size=(WARDS * CATEGORIES, 1)) + 0.2
    rates = level * season
    rises = rng.random(WARDS * CATEGORIES) < 0.01
    rates[rises, -3:] *= 2.5
    counts = rng.poisson(rates).tolist()
    gap = 9  # a month with no file
    for row in counts:
        row[gap] = None
    return counts, months


def make_series(counts, months):
    """TrendSeries values (this checks every month and count)."""
    return [
        TrendSeries(
            (f"E0{index // CATEGORIES:07d}", f"category-{index % CATEGORIES}"),
            months,
            row,
        )
        for index, row in enumerate(counts)
    ]


def baseline(values):
    """A bare numpy pass over the same counts."""
    mean = np.nanmean(values, axis=1)
    ranges = np.nanmean(np.abs(np.diff(values, axis=1)), axis=1)
    reference = values[:, [-15, -14, -13, -12, -11, -10, -9, -27, -26, -25, -24]]
    expected = np.nanmean(reference, axis=1)
    return stats.poisson.sf(values[:, -1] - 1, expected), mean, ranges


def main():
    counts, months = make_counts()
    start = time.perf_counter()
    series = make_series(counts, months)
    built = time.perf_counter() - start
    values = np.array(
        [[np.nan if c is None else c for c in item.counts] for item in series]
    )
    emerging_trends(series[:200])  # warm imports and caches
    start = time.perf_counter()
    results = emerging_trends(series)
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    baseline(values)
    bare = time.perf_counter() - start
    flagged = sum(result.flagged for result in results)
    print(f"{len(series)} series, {flagged} flagged, {elapsed:.3f} s", file=sys.stderr)
    print(
        json.dumps(
            {
                "trend.emerging_9k_series_s": round(elapsed, 4),
                "trend.series_per_s": round(len(series) / elapsed, 1),
                "trend.baseline_numpy_pass_s": round(bare, 5),
                "trend.ratio_vs_numpy_pass": round(elapsed / bare, 1),
                "trend.validate_9k_series_s": round(built, 4),
            }
        )
    )


if __name__ == "__main__":
    main()

"""Trend analytics: count-change tests and "emerging and worrying" trends.

The public names the briefing and casework code against live here:
``poisson_z``, ``e_test``, ``wdd``, ``wdd_harm`` and ``benjamini_hochberg``
(implemented in ``counts.py``).
"""

from csphub.analytics.counts import (
    BhResult,
    WddHarmResult,
    WddResult,
    benjamini_hochberg,
    e_test,
    poisson_z,
    wdd,
    wdd_harm,
)

__all__ = [
    "BhResult",
    "WddHarmResult",
    "WddResult",
    "benjamini_hochberg",
    "e_test",
    "poisson_z",
    "wdd",
    "wdd_harm",
]

"""Hotspots of harm: counts weighted by a harm index (for example weights
derived from the ONS Crime Severity Score), so that one robbery can outweigh
several thefts. Pure: counts and weights in, values out."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping


def harm_values(
    rows: Iterable[tuple[Hashable, str, float]], weights: Mapping[str, float]
) -> tuple[dict, list]:
    """({area: weighted harm}, [categories with no weight, sorted]) of
    ``(area, category, count)`` rows. A category without a weight adds
    nothing and is named, so the page can say what was left out."""
    values, missing = {}, set()
    for area, category, count in rows:
        weight = weights.get(category)
        if weight is None:
            missing.add(category)
            continue
        values[area] = values.get(area, 0.0) + weight * count
    return values, sorted(missing)

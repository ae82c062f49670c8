"""Near repeats: chains of events close in space and time, ptools' "near
strings" (import from ``near_repeat``)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import ConvexHull, QhullError

from csphub.analytics.near_repeat_events import METRICS, EventArrays, event_arrays
from csphub.analytics.near_repeat_table import close_pairs_within
from csphub.analytics.records import record_fields

# -- near-repeat chains -------------------------------------------------------


@dataclass(frozen=True)
class Chain:
    """Events linked, directly or through others, within the chain distance
    and days: one connected component (a "near string").

    ``events`` are indices into the input, in time order (then input order);
    ``ids`` the caller's identifiers for them. ``span_days`` = last - first
    day; ``span_metres`` = the largest distance between two of its events (in
    the chain's metric); ``centre`` = mean x, y; ``links`` = linked pairs.
    """

    number: int
    events: tuple[int, ...]
    ids: tuple[Hashable, ...]
    size: int
    first: dt.date | int
    last: dt.date | int
    span_days: int
    span_metres: float
    centre: tuple[float, float]
    links: int

    def to_dict(self) -> dict[str, Any]:
        def day(value):
            return value.isoformat() if isinstance(value, dt.date) else value

        return {
            "number": self.number,
            "size": self.size,
            "events": list(self.events),
            "ids": list(self.ids),
            "first": day(self.first),
            "last": day(self.last),
            "span_days": self.span_days,
            "span_metres": self.span_metres,
            "centre": list(self.centre),
            "links": self.links,
        }


@dataclass(frozen=True)
class NearRepeatChains:
    """Near-repeat chains, largest first (then earliest).

    Two events are linked when less than ``distance`` apart and less than
    ``days`` apart (both strict, as ptools' ``near_strings``). ``component``
    gives every event's component number, 1-based in order of first
    appearance in the input (ptools' ``CompId``), lone events included;
    ``chains`` holds the components of at least ``min_size`` events.
    """

    chains: tuple[Chain, ...]
    component: tuple[int, ...]
    distance: float
    days: int
    metric: str
    min_size: int
    n_events: int

    @property
    def events_in_chains(self) -> int:
        return sum(chain.size for chain in self.chains)

    def to_dict(self) -> dict[str, Any]:
        return {
            **record_fields(
                self, "distance days metric min_size n_events events_in_chains"
            ),
            "chains": [chain.to_dict() for chain in self.chains],
        }


def _diameter(xy: np.ndarray, metric: str) -> float:
    """Largest distance between two of the points."""
    if len(xy) < 2:
        return 0.0
    if metric == "manhattan":  # max |dx| + |dy| over the two diagonals
        return float(max(np.ptp(xy[:, 0] + xy[:, 1]), np.ptp(xy[:, 0] - xy[:, 1])))
    if len(xy) > 50:
        try:
            xy = xy[ConvexHull(xy).vertices]
        except QhullError:  # all on a line: its ends are the extremes
            ends = np.lexsort((xy[:, 1], xy[:, 0]))[[0, -1]]
            return float(np.hypot(*(xy[ends[0]] - xy[ends[1]])))
    i, j = np.triu_indices(len(xy), 1)
    return float(np.hypot(*(xy[i] - xy[j]).T).max())


def _check_chain_options(distance: float, days: int, metric: str, min_size: int):
    if not (
        isinstance(distance, int | float) and math.isfinite(distance) and distance > 0
    ):
        raise ValueError(f"distance must be a positive number, got {distance!r}")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"days must be a whole number >= 1, got {days!r}")
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")
    if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 2:
        raise ValueError(f"min_size must be a whole number >= 2, got {min_size!r}")


def _components(arrays: EventArrays, distance: float, days: int, metric: str):
    """Component label per event (0-based, by first appearance) and links."""
    n = len(arrays)
    xy = np.column_stack([arrays.x, arrays.y])
    i, j, _ = close_pairs_within(xy, distance, metric, inclusive=False)
    near = np.abs(arrays.days[i] - arrays.days[j]) < days
    i, j = i[near], j[near]
    graph = sparse.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    _, labels = csgraph.connected_components(graph, directed=False)
    # Renumber by first appearance, as ptools does.
    _, first = np.unique(labels, return_index=True)
    order = np.empty(len(first), dtype=np.int64)
    order[np.argsort(first)] = np.arange(len(first))
    return order[labels], i


def near_repeat_chains(
    events: Any,
    *,
    distance: float,
    days: int,
    ids: Sequence[Hashable] | None = None,
    metric: str = "euclidean",
    min_size: int = 2,
) -> NearRepeatChains:
    """Near-repeat chains: events linked within ``distance`` and ``days``.

    ``events``: ``(x, y, t)`` rows as for ``knox``. ``ids``: an identifier per
    event for the listing (default: the index). Both limits are strict (less
    than), as ptools' ``near_strings``; the metric defaults to Euclidean as
    there. Chains of fewer than ``min_size`` events are not listed.
    """
    _check_chain_options(distance, days, metric, min_size)
    arrays = event_arrays(events)
    n = len(arrays)
    if ids is not None and len(ids) != n:
        raise ValueError(f"got {len(ids)} ids for {n} events")
    labels, link_rows = _components(arrays, float(distance), days, metric)
    sizes = np.bincount(labels) if n else np.zeros(0, dtype=np.int64)
    links = np.bincount(labels[link_rows], minlength=len(sizes))
    chains = [
        _chain(arrays, np.flatnonzero(labels == label), ids, metric, int(links[label]))
        for label in np.flatnonzero(sizes >= min_size)
    ]
    chains.sort(key=lambda chain: (-chain.size, chain.first, chain.events[0]))
    return NearRepeatChains(
        chains=tuple(
            replace(chain, number=number) for number, chain in enumerate(chains, 1)
        ),
        component=tuple(int(v) + 1 for v in labels),
        distance=float(distance),
        days=days,
        metric=metric,
        min_size=min_size,
        n_events=n,
    )


def _chain(
    arrays: EventArrays,
    members: np.ndarray,
    ids: Sequence[Hashable] | None,
    metric: str,
    links: int,
) -> Chain:
    members = members[np.argsort(arrays.days[members], kind="stable")]
    xy = np.column_stack([arrays.x[members], arrays.y[members]])
    first, last = int(arrays.days[members[0]]), int(arrays.days[members[-1]])
    return Chain(
        number=0,
        events=tuple(int(k) for k in members),
        ids=tuple(int(k) if ids is None else ids[k] for k in members),
        size=len(members),
        first=arrays.day_value(first),
        last=arrays.day_value(last),
        span_days=last - first,
        span_metres=_diameter(xy, metric),
        centre=(float(xy[:, 0].mean()), float(xy[:, 1].mean())),
        links=links,
    )

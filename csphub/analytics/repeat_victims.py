"""Repeat victimisation: how much harm falls on people or households hit
more than once.

Pure: events in, figures out. Each event is ``(victim, day, area)``, where
``victim`` is any hashable pseudonym (a keyed hash; this module never needs
the reference itself), ``day`` a date and ``area`` a label (a ward). A repeat
victim is a victim with at least two events in the window. Figures:

* ``share``: incidents against repeat victims / all incidents with a victim;
* ``gaps``: days between each repeat victim's consecutive incidents (0 for
  two on the same day), with their median and a distribution in bands;
* ``areas``: per area, the repeat victims' incidents there and the number of
  repeat victims with an incident there (most incidents first).

Victims are never returned: only counts, so the result can be shown.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date

# Days between repeats, in the bands a briefing shows (upper bound inclusive).
GAP_BANDS = ((7, "within a week"), (28, "8 to 28 days"), (91, "29 to 91 days"))
LONGER = "more than 91 days"


@dataclass(frozen=True)
class RepeatVictimisation:
    """The repeat victimisation figures of one set of events (no victims)."""

    incidents: int  # with a victim
    victims: int
    repeat_victims: int
    repeat_incidents: int  # incidents against repeat victims
    share: float | None  # repeat_incidents / incidents
    gaps: list = field(default_factory=list)  # days, sorted
    median_gap: float | None = None
    gap_bands: list = field(default_factory=list)  # (label, count)
    areas: list = field(default_factory=list)  # (area, incidents, victims)


def gap_band(days: int) -> str:
    for limit, label in GAP_BANDS:
        if days <= limit:
            return label
    return LONGER


def repeat_victimisation(
    events: Iterable[tuple[Hashable, date, Hashable]],
) -> RepeatVictimisation:
    """Repeat victimisation figures of ``(victim, day, area)`` events."""
    by_victim = defaultdict(list)
    for victim, day, area in events:
        if victim is None or victim == "" or day is None:
            continue
        by_victim[victim].append((day, area))
    incidents = sum(len(v) for v in by_victim.values())
    repeats = {
        v: sorted(e, key=lambda x: x[0]) for v, e in by_victim.items() if len(e) > 1
    }
    repeat_incidents = sum(len(e) for e in repeats.values())
    gaps = sorted(
        (later[0] - earlier[0]).days
        for e in repeats.values()
        for earlier, later in zip(e, e[1:], strict=False)
    )
    bands = Counter(gap_band(g) for g in gaps)
    area_incidents, area_victims = Counter(), defaultdict(set)
    for victim, e in repeats.items():
        for _, area in e:
            area_incidents[area] += 1
            area_victims[area].add(victim)
    areas = sorted(
        ((a, n, len(area_victims[a])) for a, n in area_incidents.items()),
        key=lambda r: (-r[1], -r[2], str(r[0])),
    )
    return RepeatVictimisation(
        incidents=incidents,
        victims=len(by_victim),
        repeat_victims=len(repeats),
        repeat_incidents=repeat_incidents,
        share=repeat_incidents / incidents if incidents else None,
        gaps=gaps,
        median_gap=statistics.median(gaps) if gaps else None,
        gap_bands=[
            (label, bands[label])
            for label in [*(label for _, label in GAP_BANDS), LONGER]
        ],
        areas=areas,
    )

"""Intelligence briefing speed, each figure beside a baseline from the same run.

* `intelligence.zone_briefing_haringey_s`: `build_briefing` for Haringey's
  South zone, June 2018, over all the Haringey police.uk files in a fresh
  SQLite database (trends, 999-permutation Gi* over the LSOAs and a 250 m
  grid, repeat locations, map). Baseline: the bare esda Gi* call alone on the
  same 145 LSOA counts (`intelligence.gi_star_haringey_lsoas_s`).
* `intelligence.briefing_london_s`: a borough briefing over a synthetic
  London-size set, 1 million incidents a year for 3 years on 4,835 LSOAs of
  a lattice (9 LSOAs a ward, 538 wards, 5 zones). The incidents are generated
  in memory and counted with numpy into exactly the `BriefingInputs` the
  database read gives (counts per ward x category x month, per LSOA, the
  points and the snap points of the last 3 months); the time is that counting
  plus `compute` (trends over every ward and zone x category, Gi* with 999
  permutations over 4,835 LSOAs and on 250 m cells, the maps). Baseline: the
  bare esda Gi* call on the 4,835 LSOA counts (`intelligence.gi_star_london_s`).
* `intelligence.briefing_page_ms`: the stored briefing's page (median of 30,
  in-process test client, signed in); baseline `/health/` the same way
  (`intelligence.health_page_ms`).
"""

import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from common import prepare, timed, timings
from synthetic_policeuk import LONDON_CATEGORIES, draw_categories

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FILES = sorted(
    (ROOT.parent / "shared" / "data" / "policeuk" / "haringey").glob("*.csv")
)


def bare_gi_star(areas, counts):
    """esda's G_Local alone: binary queen weights, star, 999 permutations."""
    from esda.getisord import G_Local

    from csphub.analytics import hotspot, hotspot_esda

    neighbours = hotspot.area_neighbours(areas)
    ids = list(neighbours)
    index = {a: k for k, a in enumerate(ids)}
    w = hotspot_esda.binary_weights([[index[b] for b in neighbours[a]] for a in ids])
    y = np.array([counts.get(a, 0) for a in ids], dtype=float)
    _, seconds = timed(G_Local, y, w, transform="B", star=True, permutations=999,
                       seed=1, keep_simulations=False, n_jobs=1)  # fmt: skip
    return seconds


def haringey():
    from shapely.geometry import shape

    from csphub.accounts.models import Partnership, User
    from csphub.intelligence.importing import Placer
    from csphub.intelligence.services import build_briefing, import_file
    from csphub.places.models import Zone

    partnership = Partnership.objects.get(slug="haringey")
    placer = Placer(partnership)
    for f in FILES:
        import_file(partnership, f, placer=placer)
    south = Zone.objects.get(partnership=partnership, slug="south")
    build_briefing(partnership, south, date(2018, 6, 1))  # warm: esda imports
    briefing, seconds = timed(build_briefing, partnership, south, date(2018, 6, 1))
    lsoas = [
        (h["lsoa"], shape(g)) for h, g in zip(*_haringey_lsoas(briefing), strict=True)
    ]
    counts = {h["lsoa"]: h["count"] for h in briefing.results["hotspots"]}
    baseline = bare_gi_star(lsoas, counts)

    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="officer"))
    page, _ = timings(client, briefing.get_absolute_url(), rounds=30)
    health, _ = timings(client, "/health/", rounds=30)
    return {
        "intelligence.zone_briefing_haringey_s": round(seconds, 3),
        "intelligence.gi_star_haringey_lsoas_s": round(baseline, 3),
        "intelligence.briefing_page_ms": round(page, 1),
        "intelligence.health_page_ms": round(health, 1),
    }


def _haringey_lsoas(briefing):
    from csphub.places.models import Area

    rows = briefing.results["hotspots"]
    boundary = dict(
        Area.objects.filter(code__in=[h["lsoa"] for h in rows]).values_list(
            "code", "boundary"
        )
    )
    return rows, [boundary[h["lsoa"]] for h in rows]


# A synthetic London


SIDE = 70  # lattice columns; 4,835 cells fill 69 rows and 5 cells of the 70th
N_LSOAS = 4835
N_MONTHS = 36
PER_YEAR = 1_000_000
DLON, DLAT = 0.0064, 0.0040  # about 440 m square at London's latitude
SNAPS = 16  # snap points an LSOA


def london_lattice():
    cells = [(k % SIDE, k // SIDE) for k in range(N_LSOAS)]
    block = 3  # 3 x 3 LSOAs a ward
    ward_of = [(r // block) * (SIDE // block + 1) + c // block for c, r in cells]
    wards = sorted(set(ward_of))
    # Edges from one table, so that neighbours share them exactly.
    xs = [round(-0.51 + k * DLON, 6) for k in range(SIDE + 1)]
    ys = [round(51.29 + k * DLAT, 6) for k in range(SIDE + 1)]
    lsoas = []
    for k, (c, r) in enumerate(cells):
        ring = [[xs[c], ys[r]], [xs[c + 1], ys[r]], [xs[c + 1], ys[r + 1]],
                [xs[c], ys[r + 1]], [xs[c], ys[r]]]  # fmt: skip
        geometry = {"type": "Polygon", "coordinates": [ring]}
        lsoas.append((f"E01{k:06d}", f"London {k:04d}", ward_of[k], geometry))
    return lsoas, wards, np.array(ward_of)


def london_events(rng):
    """3 million incidents: month, category, LSOA and snap point of each."""
    n = PER_YEAR * 3
    c, r = np.arange(N_LSOAS) % SIDE, np.arange(N_LSOAS) // SIDE
    # A few town centres and a gradient: hotspots for Gi* to find.
    intensity = 1 + 6 * np.exp(-((c - 20) ** 2 + (r - 30) ** 2) / 30)
    intensity += 4 * np.exp(-((c - 50) ** 2 + (r - 15) ** 2) / 20)
    intensity *= rng.gamma(4, 0.25, N_LSOAS)
    lsoa = rng.choice(N_LSOAS, n, p=intensity / intensity.sum())
    month = rng.integers(0, N_MONTHS, n)
    category = draw_categories(rng, n, LONDON_CATEGORIES)
    snap = rng.integers(0, SNAPS, n) ** 2 // SNAPS  # a few busy snap points
    return month, category, lsoa, snap


def london_inputs(events, lattice):
    """The BriefingInputs the database read would give, counted with numpy."""
    from csphub.intelligence.briefing import BriefingInputs, Unit

    month, category, lsoa, snap = events
    lsoas, wards, ward_of = lattice
    n_cat = len(LONDON_CATEGORIES)
    ward_index = {w: k for k, w in enumerate(wards)}
    ward_pos = np.array([ward_index[w] for w in ward_of])[lsoa]
    flat = np.bincount(
        (ward_pos * n_cat + category) * N_MONTHS + month,
        minlength=len(wards) * n_cat * N_MONTHS,
    ).reshape(len(wards), n_cat, N_MONTHS)
    ward_counts = {w: flat[k] for k, w in enumerate(wards)}
    recent = month >= N_MONTHS - 3
    per_lsoa = np.bincount(lsoa[recent], minlength=N_LSOAS)
    c, r = lsoa % SIDE, lsoa // SIDE
    snap_lon = -0.51 + (c + (snap[:] % 4 + 0.5) / 4) * DLON
    snap_lat = 51.29 + (r + (snap[:] // 4 + 0.5) / 4) * DLAT
    points = np.column_stack([snap_lon[recent], snap_lat[recent]])
    snap_id = lsoa[recent] * SNAPS + snap[recent]
    at_snap = np.bincount(snap_id, minlength=N_LSOAS * SNAPS)
    busy = np.flatnonzero(at_snap >= 10)
    order = busy[np.argsort(-at_snap[busy], kind="stable")]
    repeats = []
    for sid in order[:20]:
        k, s = divmod(int(sid), SNAPS)
        repeats.append({
            "latitude": round(51.29 + (k // SIDE + (s // 4 + 0.5) / 4) * DLAT, 6),
            "longitude": round(-0.51 + (k % SIDE + (s % 4 + 0.5) / 4) * DLON, 6),
            "location": f"On or near Street {sid}", "count": int(at_snap[sid]),
            "lsoa": lsoas[k][0], "ward": f"Ward {lsoas[k][2]}",
        })  # fmt: skip
    zones = np.array_split(np.array(wards), 5)
    units = [Unit(f"W{w:05d}", f"Ward {w}", "ward", [w]) for w in wards]
    units += [
        Unit(f"zone:{z}", f"Zone {z}", "zone", list(ids)) for z, ids in enumerate(zones)
    ]  # noqa: E501
    area = Unit("E12000007", "London (synthetic)", "borough", list(wards))
    first = date(2015, 7, 1)
    months = [
        date(
            first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1, 1
        )
        for k in range(N_MONTHS)
    ]  # noqa: E501
    return BriefingInputs(
        area=area, month=months[-1], months=months, has_data=[True] * N_MONTHS,
        categories=[name for name, _ in LONDON_CATEGORIES], ward_counts=ward_counts,
        units=[*units, area], lsoas=lsoas,
        lsoa_counts={lsoas[k][0]: int(v) for k, v in enumerate(per_lsoa)},
        points=points, repeats=repeats, repeat_total=len(busy), dated=[],
        ward_names={w: f"Ward {w}" for w in wards},
    )  # fmt: skip


def london():
    from shapely.geometry import shape

    from csphub.intelligence.briefing import DEFAULTS, SEED, compute

    rng = np.random.default_rng(2026)
    lattice = london_lattice()
    events = london_events(rng)
    start = time.perf_counter()
    inputs = london_inputs(events, lattice)
    results = compute(inputs, DEFAULTS, SEED)
    seconds = time.perf_counter() - start
    assert len(results["hotspots"]) == N_LSOAS and results["permutations"] == 999
    areas = [(code, shape(g)) for code, _, _, g in lattice[0]]
    baseline = bare_gi_star(areas, inputs.lsoa_counts)
    return {
        "intelligence.briefing_london_s": round(seconds, 3),
        "intelligence.gi_star_london_s": round(baseline, 3),
        "intelligence.briefing_london_incidents": int(len(events[0])),
        "intelligence.briefing_london_trend_tests": results["trend_tests"],
    }


def main():
    figures = {}  # none without the police.uk files
    if FILES:
        with tempfile.TemporaryDirectory() as tmp:
            prepare(tmp)
            figures = {**haringey(), **london()}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

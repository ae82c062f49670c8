"""A synthetic national-shape police.uk data set, seeded, for the scale bench.

Areas: London's 4,835 LSOAs as a lattice of ~440 m squares (9 LSOAs a ward,
3 x 3), repeated as needed: a `Lattice` is any number of LSOAs with its own
ONS-style codes, so N forces x M months is N lattices (or parts of one) and M
monthly files each. Incidents: police.uk's street-level layout exactly (the
12 columns, a 64-hex Crime ID except for anti-social behaviour, "On or near
..." snap points, outcomes), the national category mix of police.uk, a mild
seasonal swing, and spatial clustering: a few town centres over a gradient,
times a gamma-distributed LSOA effect, and a few busy snap points in each
LSOA (repeat locations). Everything comes from one numpy Generator seed.
"""

import csv
import io
from dataclasses import dataclass

import numpy as np

# police.uk's categories with their share of crime: the national mix
# (England and Wales, 2023, rounded), and London's (bench_briefing).
CATEGORY_SHARES = [
    # category                       national  London
    ("Anti-social behaviour",          0.20,    0.26),
    ("Violence and sexual offences",   0.33,    0.24),
    ("Other theft",                    0.07,    0.09),
    ("Vehicle crime",                  0.06,    0.08),
    ("Burglary",                       0.04,    0.06),
    ("Public order",                   0.08,    0.05),
    ("Criminal damage and arson",      0.08,    0.05),
    ("Theft from the person",          0.02,    0.04),
    ("Robbery",                        0.01,    0.03),
    ("Shoplifting",                    0.06,    0.03),
    ("Drugs",                          0.03,    0.03),
    ("Bicycle theft",                  0.01,    0.02),
    ("Other crime",                    0.01,    0.01),
    ("Possession of weapons",          0.01,    0.01),
]  # fmt: skip
CATEGORIES = [(name, national) for name, national, _ in CATEGORY_SHARES]
LONDON_CATEGORIES = [(name, london) for name, _, london in CATEGORY_SHARES]
OUTCOMES = [
    "Investigation complete; no suspect identified", "Unable to prosecute suspect",
    "Under investigation", "Status update unavailable", "Local resolution",
    "Offender given a caution", "Awaiting court outcome",
]  # fmt: skip
LONDON_LSOAS = 4835
SIDE = 70  # lattice columns
DLON, DLAT = 0.0064, 0.0040  # about 440 m square at London's latitude
SNAPS = 16  # snap points an LSOA (4 x 4)
WARD_BLOCK = 3  # 3 x 3 LSOAs a ward


@dataclass
class Lattice:
    """LSOAs on a lattice, grouped 3 x 3 into wards, with a crime intensity."""

    prefix: int  # code block: LSOA codes E01{prefix}{k:05d}, wards E05...
    n: int
    side: int
    lon0: float
    lat0: float
    weights: np.ndarray  # relative intensity per LSOA, sums to 1

    def cell(self, k):
        return k % self.side, k // self.side

    def lsoa_code(self, k):
        return f"E01{self.prefix}{k:05d}"

    def ward_of(self, k):
        c, r = self.cell(k)
        return (r // WARD_BLOCK) * (self.side // WARD_BLOCK + 1) + c // WARD_BLOCK

    def ward_code(self, w):
        return f"E05{self.prefix}{w:05d}"

    def boundary(self, k):
        c, r = self.cell(k)
        x0, y0 = round(self.lon0 + c * DLON, 6), round(self.lat0 + r * DLAT, 6)
        x1, y1 = (
            round(self.lon0 + (c + 1) * DLON, 6),
            round(self.lat0 + (r + 1) * DLAT, 6),
        )
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        return {"type": "Polygon", "coordinates": [ring]}


def lattice(rng, *, prefix, n=LONDON_LSOAS, side=SIDE, lon0=-0.51, lat0=51.29):
    """A lattice of n LSOAs with town centres where crime clusters."""
    k = np.arange(n)
    c, r = k % side, k // side
    rows = n // side + 1
    intensity = np.ones(n)
    for _ in range(max(1, n // 1500)):  # a town centre every ~1,500 LSOAs
        cx, cy = rng.uniform(0, side), rng.uniform(0, rows)
        spread = rng.uniform(15, 40)
        distance2 = (c - cx) ** 2 + (r - cy) ** 2
        intensity += rng.uniform(3, 7) * np.exp(-distance2 / spread)
    intensity *= rng.gamma(4, 0.25, n)
    return Lattice(prefix, n, side, lon0, lat0, intensity / intensity.sum())


def draw_categories(rng, count, mix=CATEGORIES):
    """`count` indexes into `mix`, drawn by its shares."""
    weights = np.array([w for _, w in mix])
    return rng.choice(len(mix), count, p=weights / weights.sum())


def month_events(rng, area, count):
    """(LSOA, category, snap point) of `count` incidents in one month."""
    lsoa = rng.choice(area.n, count, p=area.weights)
    category = draw_categories(rng, count)
    snap = rng.integers(0, SNAPS, count) ** 2 // SNAPS  # a few busy snap points
    return lsoa, category, snap


def seasonal(month_index, per_month):
    """Incidents in a month: a 10% summer peak around the mean."""
    return int(per_month * (1 + 0.1 * np.sin(2 * np.pi * (month_index % 12 - 3) / 12)))


def month_csv(rng, area, month, count, force="Synthetic Police"):
    """The bytes of one police.uk street-level file for `area` and `month`."""
    lsoa, category, snap = month_events(rng, area, count)
    c, r = lsoa % area.side, lsoa // area.side
    lon = area.lon0 + (c + (snap % 4 + 0.5) / 4) * DLON
    lat = area.lat0 + (r + (snap // 4 + 0.5) / 4) * DLAT
    ids = rng.integers(0, 2**63, (count, 4))
    outcome = rng.integers(0, len(OUTCOMES), count)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([
        "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
        "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category",
        "Context",
    ])  # fmt: skip
    text = f"{month:%Y-%m}"
    for i in range(count):
        k, cat = int(lsoa[i]), int(category[i])
        asb = cat == 0
        writer.writerow([
            "" if asb else "".join(f"{v:016x}" for v in ids[i]), text, force, force,
            f"{lon[i]:.6f}", f"{lat[i]:.6f}",
            f"On or near Street {k * SNAPS + int(snap[i])}", area.lsoa_code(k),
            f"Synthetic {k:04d}", CATEGORIES[cat][0],
            "" if asb else OUTCOMES[outcome[i]], "",
        ])  # fmt: skip
    return out.getvalue().encode()

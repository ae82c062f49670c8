"""Partner data set import speed, against a baseline measured in the same run.

A synthetic council ASB log of 100,000 rows (CSV; dates, a category map,
longitude/latitude placed by point in polygon, a flag column) is imported
through a saved mapping. The baseline is a bare `executemany` INSERT of the
same parsed, placed rows into the same table of the same database; issue 6
asks the police.uk import for half its rate, and partner files should stay
near that.
"""

import csv
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import bare_executemany, import_rates, prepare

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PLACES = ROOT.parent / "shared" / "data" / "places"
ROWS = 100_000


def write_file(path, points):
    rng = random.Random(6)
    codes = ["NOI", "ROW", "DRK", "DRG"]
    start = date(2017, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Ref", "Date", "Code", "Lon", "Lat", "Street", "Alcohol"])
        for n in range(ROWS):
            lon, lat = rng.choice(points)
            day = start + timedelta(days=rng.randrange(365))
            writer.writerow(
                [f"B-{n}", f"{day:%d/%m/%Y}", rng.choice(codes),
                 f"{lon + rng.uniform(-4e-4, 4e-4):.6f}",
                 f"{lat + rng.uniform(-3e-4, 3e-4):.6f}", "High Road",
                 rng.choice("YN")]
            )  # fmt: skip


def main():
    if not PLACES.exists():
        print(json.dumps({}))
        return
    with tempfile.TemporaryDirectory() as tmp:
        prepare(tmp)
        from shapely.geometry import shape

        from csphub.accounts.models import Organisation, Partnership
        from csphub.intelligence.datasets.parsing import parse_dataset_file
        from csphub.intelligence.datasets.services import create_data_set
        from csphub.intelligence.importing import Placer
        from csphub.intelligence.loading import import_file
        from csphub.places.models import Area

        haringey = Partnership.objects.get(slug="haringey")
        lsoas = Area.objects.lsoas().filter(parent__parent=haringey.borough)
        points = [
            (p.x, p.y)
            for p in (shape(a.boundary).representative_point() for a in lsoas)
        ]
        data_set = create_data_set(
            haringey,
            name="Bench ASB log",
            organisation=Organisation.objects.get(name="Haringey Council"),
            by=None,
            date_column="Date",
            date_formats=["%d/%m/%Y"],
            category_column="Code",
            category_map={
                "NOI": "Noise",
                "ROW": "Rowdy",
                "DRK": "Drink",
                "DRG": "Drugs",
            },
            category_map_required=True,
            x_column="Lon",
            y_column="Lat",
            address_column="Street",
            reference_column="Ref",
            alcohol_column="Alcohol",
        )
        path = Path(tmp) / "asb.csv"
        write_file(path, points)
        placer = Placer(haringey)

        start = time.perf_counter()
        result = import_file(haringey, path, data_set=data_set, placer=placer)
        import_s = time.perf_counter() - start

        parsed = parse_dataset_file(data_set, path.read_bytes(), path.name)
        baseline = bare_executemany([(result.source_file, parsed)], placer)
    rows = result.rows_loaded
    print(json.dumps(import_rates("intelligence.dataset_", rows, import_s, baseline)))


if __name__ == "__main__":
    main()

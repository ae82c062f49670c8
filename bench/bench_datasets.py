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
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import prepare

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
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
        import django

        django.setup()
        from django.db import connection, transaction
        from shapely.geometry import shape

        from csphub.accounts.models import Organisation, Partnership
        from csphub.intelligence import dataset_services as services
        from csphub.intelligence.datasets import parse_dataset_file
        from csphub.intelligence.importing import Placer
        from csphub.intelligence.models import Incident
        from csphub.places.models import Area

        haringey = Partnership.objects.get(slug="haringey")
        lsoas = Area.objects.lsoas().filter(parent__parent=haringey.borough)
        points = [
            (p.x, p.y)
            for p in (shape(a.boundary).representative_point() for a in lsoas)
        ]
        data_set = services.create_data_set(
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
        result = services.import_dataset_file(data_set, path, placer=placer)
        import_s = time.perf_counter() - start
        rows = result.rows_loaded

        # Baseline: the same rows, parsed and placed beforehand, inserted bare.
        parsed = parse_dataset_file(data_set, path.read_bytes(), path.name)
        source_id = data_set.files.get().pk
        Incident.objects.filter(data_set=data_set).delete()
        values = []
        for row in parsed.rows:
            status, lsoa, ward, zone = placer.place(row)
            if status == placer.PLACED:
                values.append(
                    (haringey.pk, source_id, data_set.pk, row.line, row.reference,
                     row.occurred_on.replace(day=1), row.occurred_on, row.category,
                     row.longitude, row.latitude, row.location, "", lsoa, ward,
                     zone, row.alcohol_related, row.hate_crime, row.repeat_victim)
                )  # fmt: skip
        columns = ", ".join(services.DATASET_COLUMNS)
        sql = (
            f"INSERT INTO {Incident._meta.db_table} ({columns})"
            f" VALUES ({', '.join(['%s'] * len(services.DATASET_COLUMNS))})"
        )
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, values)
        baseline_s = time.perf_counter() - start

    import_rate = rows / import_s
    baseline_rate = len(values) / baseline_s
    print(
        json.dumps(
            {
                "intelligence.dataset_import_rows": rows,
                "intelligence.dataset_import_rows_per_s": round(import_rate),
                "intelligence.dataset_executemany_rows_per_s": round(baseline_rate),
                "intelligence.dataset_import_ratio_vs_executemany": round(
                    import_rate / baseline_rate, 3
                ),
            }
        )
    )


if __name__ == "__main__":
    main()

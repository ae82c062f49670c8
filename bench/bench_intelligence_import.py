"""Crime import speed on the Haringey police.uk files, against a baseline.

The baseline is a bare `executemany` INSERT of the same parsed, placed rows
into the same table of the same database, measured in the same run; the
import must reach at least half its rate (issue 6).
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from common import prepare

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FILES = sorted(
    (ROOT.parent / "shared" / "data" / "policeuk" / "haringey").glob("*.csv")
)


def main():
    if not FILES:
        print(json.dumps({}))
        return
    with tempfile.TemporaryDirectory() as tmp:
        prepare(tmp)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
        import django

        django.setup()
        from django.db import connection, transaction

        from csphub.accounts.models import Partnership
        from csphub.intelligence.importing import Placer, read_police_uk
        from csphub.intelligence.models import Incident, SourceFile
        from csphub.intelligence.services import import_crime_file

        haringey = Partnership.objects.get(slug="haringey")
        placer = Placer(haringey)

        start = time.perf_counter()
        results = [import_crime_file(haringey, f, placer=placer) for f in FILES]
        import_s = time.perf_counter() - start
        rows = sum(r.rows_loaded for r in results)

        # Baseline: the same rows, parsed and placed beforehand, inserted bare.
        parsed = [read_police_uk(f) for f in FILES]
        source_ids = dict(SourceFile.objects.values_list("name", "pk"))
        Incident.objects.all().delete()
        table = Incident._meta.db_table
        values = []
        for p in parsed:
            for row in p.rows:
                status, lsoa, ward, zone = placer.place(row)
                if status == placer.PLACED:
                    values.append(
                        (
                            haringey.pk,
                            source_ids[Path(p.name).name],
                            row.line,
                            row.crime_id,
                            p.month,
                            row.category,
                            row.longitude,
                            row.latitude,
                            row.location,
                            row.outcome,
                            lsoa,
                            ward,
                            zone,
                            False,
                            False,
                            False,
                        )
                    )
        sql = (
            f"INSERT INTO {table} (partnership_id, source_file_id, line, crime_id,"
            " month, category, longitude, latitude, location, outcome, lsoa_id,"
            " ward_id, zone_id, alcohol_related, hate_crime, repeat_victim)"
            f" VALUES ({', '.join(['%s'] * 16)})"
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
                "intelligence.import_rows": rows,
                "intelligence.import_rows_per_s": round(import_rate),
                "intelligence.executemany_rows_per_s": round(baseline_rate),
                "intelligence.import_ratio_vs_executemany": round(
                    import_rate / baseline_rate, 3
                ),
            }
        )
    )


if __name__ == "__main__":
    main()

"""Crime import speed on the Haringey police.uk files, against a baseline.

The baseline is a bare `executemany` INSERT of the same parsed, placed rows
into the same table of the same database, measured in the same run; the
import must reach at least half its rate (issue 6).
"""

import json
import sys
import tempfile
import time
from pathlib import Path

from common import bare_executemany, import_rates, prepare

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
        from csphub.accounts.models import Partnership
        from csphub.intelligence.importing import Placer, read_police_uk
        from csphub.intelligence.loading import import_file

        haringey = Partnership.objects.get(slug="haringey")
        placer = Placer(haringey)

        start = time.perf_counter()
        results = [import_file(haringey, f, placer=placer) for f in FILES]
        import_s = time.perf_counter() - start
        rows = sum(r.rows_loaded for r in results)

        parsed = [read_police_uk(f) for f in FILES]
        pairs = [(r.source_file, p) for r, p in zip(results, parsed, strict=True)]
        baseline = bare_executemany(pairs, placer)
    print(json.dumps(import_rates("intelligence.", rows, import_s, baseline)))


if __name__ == "__main__":
    main()

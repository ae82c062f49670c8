"""Re-time the London-size borough briefing on a PostgreSQL database that
bench_scale.py has already filled (its "london" partnership: 3 million
incidents, 4,835 LSOAs, 3 years), without importing it again: read_inputs
alone, then the whole briefing from the database (every read included), twice,
wall and CPU, with the load average.

    DATABASE_URL=postgres://.../DB .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://.../DB .venv/bin/python bench/bench_london_again.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
os.environ["CSPHUB_DEMO"] = "1"
import django

django.setup()
from csphub.accounts.models import Partnership  # noqa: E402
from csphub.intelligence.briefing import DEFAULTS, read_inputs  # noqa: E402
from csphub.intelligence.models import Incident  # noqa: E402
from csphub.intelligence.services import build_briefing  # noqa: E402

p = Partnership.objects.get(slug="london")
borough = p.borough
from csphub.intelligence.coverage import data_months  # noqa: E402

month = max(m for m, has in data_months(p) if has)


def timed(fn, *a):
    w, c = time.perf_counter(), time.process_time()
    r = fn(*a)
    return r, time.perf_counter() - w, time.process_time() - c


print("incidents", Incident.objects.filter(partnership=p).count(), "month", month)
for i in range(2):
    _, rs, rc = timed(read_inputs, p, borough, month, DEFAULTS)
    b, s, c = timed(build_briefing, p, borough, month)
    load = os.getloadavg()[0]
    print(f"run {i + 1}: read {rs:.2f} s wall {rc:.2f} s CPU;", end=" ")
    print(f"briefing {s:.2f} s wall {c:.2f} s CPU; load {load:.1f}")

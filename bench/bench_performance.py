"""The performance group's review page for 60 KPIs over five years (60 monthly
values each, with SPC charts, icons, tables and readings), rendered in-process
through Django's test client. Issue 5 asks for under 300 ms.

The baseline is /health/ through the same client in the same run. The page's
query count is printed too: it must not grow with the number of KPIs.
"""

import json
import os
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

from common import prepare, timings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
KPIS, MONTHS = 60, 60


def build():
    from csphub.accounts.models import Partnership, Role
    from csphub.accounts.services import ensure_user, grant_role
    from csphub.performance.models import Indicator, Measurement, Review, add_months

    partnership = Partnership.objects.create(name="Bench partnership", slug="bench")
    rng = random.Random(5)
    start = date(2013, 7, 1)
    rows = []
    for k in range(KPIS):
        indicator = Indicator.objects.create(
            partnership=partnership,
            name=f"Indicator {k}",
            slug=f"indicator-{k}",
            source="csp",
            target_value=100 if k % 2 else None,
            target_critical=k % 3 == 0,
        )
        level = rng.uniform(50, 150)
        rows += [
            Measurement(
                indicator=indicator,
                period=add_months(start, m),
                value=round(level + rng.gauss(0, 8) + (10 if m > 50 and k % 4 else 0)),
                source="imported",
            )
            for m in range(MONTHS)
        ]
    Measurement.objects.bulk_create(rows)
    review = Review.objects.create(partnership=partnership, period=date(2018, 6, 1))
    user = ensure_user("bench", organisation=None)
    grant_role(user, partnership, Role.ANALYST)
    return user, review


def main():
    with tempfile.TemporaryDirectory() as tmp:
        prepare(tmp, demo=None)
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        user, review = build()
        client = Client()
        client.force_login(user)
        url = review.get_absolute_url()
        health, _ = timings(client, "/health/", ROUNDS)
        review_ms, _ = timings(client, url, ROUNDS)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert html.count('class="csphub-spc"') == KPIS
    print(
        json.dumps(
            {
                "performance.baseline_health_ms": round(health, 2),
                "performance.review_page_ms": round(review_ms, 2),
                "performance.review_page_queries": len(queries),
                "performance.review_ratio_vs_health": round(review_ms / health, 1),
            }
        )
    )


if __name__ == "__main__":
    main()

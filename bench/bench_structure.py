"""The structure map and review for a generated partnership of 200 bodies and
1,000 seats, rendered in-process through Django's test client.

The baseline is /health/ (one trivial query) through the same client in the
same run, so the ratios say what the pages cost beyond the framework's own
overhead. Issue 3 asks for the map and review under 300 ms.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

from common import prepare, timings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
BODIES, SEATS, PEOPLE = 200, 1000, 250


def build():
    from csphub.accounts.models import Organisation, Partnership, Role
    from csphub.accounts.services import ensure_user, grant_role
    from csphub.structure.tests.factories import make_structure

    Organisation.objects.get_or_create(
        name="Metropolitan Police Service", defaults={"kind": "police"}
    )
    partnership = Partnership.objects.create(name="Bench partnership", slug="bench")
    make_structure(partnership, BODIES, SEATS // BODIES, PEOPLE)
    user = ensure_user("bench", organisation=None)
    grant_role(user, partnership, Role.OFFICER)
    return user


def main():
    with tempfile.TemporaryDirectory() as tmp:
        prepare(tmp, demo=None)
        from django.test import Client

        user = build()
        client = Client()
        client.force_login(user)
        health, _ = timings(client, "/health/", ROUNDS)
        map_ms, _ = timings(client, "/structure/", ROUNDS)
        review_ms, _ = timings(client, "/structure/review/", ROUNDS)
    print(
        json.dumps(
            {
                "structure.baseline_health_ms": round(health, 2),
                "structure.map_ms": round(map_ms, 2),
                "structure.review_ms": round(review_ms, 2),
                "structure.map_ratio_vs_health": round(map_ms / health, 1),
                "structure.review_ratio_vs_health": round(review_ms / health, 1),
            }
        )
    )


if __name__ == "__main__":
    main()

"""The delivery report for a strategy of 8 priorities, 200 activities (each
with two milestones, one done and one late) and three years of quarterly
updates (2,400), as a page (median of rendered requests through Django's test
client) and as PDF (WeasyPrint). Issue 14 asks for under 300 ms and under 5 s.

The baseline is /health/ through the same client in the same run. The report's
query count (nine, whatever the plan's size) is checked by
csphub/delivery/tests/test_updates.py.
"""

import json
import os
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from common import prepare, timings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
PDF_ROUNDS = int(os.environ.get("BENCH_PDF_ROUNDS", "3"))
PRIORITIES, ACTIVITIES, QUARTERS = 8, 200, 12


def build():
    from csphub.accounts.models import Organisation, Partnership, Role
    from csphub.accounts.services import ensure_user, grant_role
    from csphub.delivery import quarters
    from csphub.delivery.models import (
        Activity,
        Milestone,
        Objective,
        QuarterlyUpdate,
    )
    from csphub.strategy.models import Priority, Strategy

    rng = random.Random(14)
    partnership = Partnership.objects.create(name="Bench partnership", slug="bench")
    organisations = [
        Organisation.objects.create(name=f"Bench org {i}", kind="council")
        for i in range(6)
    ]
    user = ensure_user("bench", organisation=organisations[0])
    grant_role(user, partnership, Role.MEMBER)
    strategy = Strategy.objects.create(partnership=partnership, name="Bench strategy")
    last = quarters.quarter_of(date.today())
    quarter_list = [last]
    for _ in range(QUARTERS - 1):
        quarter_list.append(quarters.previous_quarter(quarter_list[-1]))
    first = quarter_list[-1]
    activities = []
    for p in range(PRIORITIES):
        priority = Priority.objects.create(
            partnership=partnership, strategy=strategy, name=f"Priority {p}",
            slug=f"priority-{p}", order=p,
        )  # fmt: skip
        priority.allocated_leads.set(organisations[:2])
        priority.actual_leads.set(organisations[1:3])
        objectives = [
            Objective.objects.create(priority=priority, title=f"Objective {p}.{o}")
            for o in range(5)
        ]
        for a in range(ACTIVITIES // PRIORITIES):
            activities.append(
                Activity(
                    objective=objectives[a % 5], title=f"Activity {p}.{a}",
                    owner=user, organisation=rng.choice(organisations),
                    starts=first, ends=last + timedelta(days=400),
                    status=Activity.Status.IN_PROGRESS,
                )
            )  # fmt: skip
    Activity.objects.bulk_create(activities)
    Milestone.objects.bulk_create(
        Milestone(
            activity=a,
            name=f"Milestone {m}",
            due=first + timedelta(days=200 * m),
            done_on=first + timedelta(days=190) if m == 1 else None,
        )
        for a in activities
        for m in (1, 2)
    )
    rags = ["green", "green", "amber", "red"]
    QuarterlyUpdate.objects.bulk_create(
        QuarterlyUpdate(
            activity=a, quarter=q, rag=(rag := rng.choice(rags)),
            reason="" if rag == "green" else "Behind plan: partner staffing.",
            progress="Progress described in a sentence or two. " * 3,
            next_quarter="Expectations for next quarter.", by=user,
            blockers="A blocker." if rag == "red" else "",
        )
        for a in activities
        for q in quarter_list
    )  # fmt: skip
    return user, strategy, last


def main():
    with tempfile.TemporaryDirectory() as tmp:
        prepare(tmp, demo=None)
        from django.test import Client
        from django.urls import reverse

        user, strategy, quarter = build()
        client = Client()
        client.force_login(user)
        url = reverse("delivery:report", args=[strategy.pk]) + f"?quarter={quarter}"
        health, _ = timings(client, "/health/", ROUNDS)
        page_ms, _ = timings(client, url, ROUNDS)
        html = client.get(url).content.decode()
        assert html.count("csphub-report-priority") == PRIORITIES
        pdf_ms, _ = timings(client, url + "&format=pdf", PDF_ROUNDS)
        pdf_s = pdf_ms / 1000
    print(
        json.dumps(
            {
                "delivery.baseline_health_ms": round(health, 2),
                "delivery.report_page_ms": round(page_ms, 2),
                "delivery.report_ratio_vs_health": round(page_ms / health, 1),
                "delivery.report_pdf_s": round(pdf_s, 2),
            }
        )
    )


if __name__ == "__main__":
    main()

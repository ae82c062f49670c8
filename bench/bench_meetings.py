"""Meetings (issue 12): a 60-page agenda pack PDF, and the planning and
meeting pages with a year of meetings.

The demo (without crime data) is loaded into a temporary SQLite database; a
year of extra board meetings (one a week) is added, each with ten items,
papers and homework. The next board meeting gets enough papers to fill about
60 pages; its full pack is built as PDF through packs.pack_pdf, timed.
Then the demo `member` (on the Executive, which plans the board) opens the
planning page and the meeting page through the in-process test client: one
warm-up, then ROUNDS timed requests (median and p95). The baseline is
/health/ through the same client in the same run. The issue asks for the
pack under 10 s and the pages under 300 ms.
"""

import json
import sys
import tempfile
import time
from datetime import time as clock, timedelta
from pathlib import Path

from common import prepare, timings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BOARD = "Haringey Community Safety Partnership Board"
PARAGRAPH = (
    "The partnership's performance group rated this indicator and the"
    " Executive asks the board to consider what each partner will do. "
) * 6


def year_of_meetings(board):
    """A board meeting a week for a year, ten items each, papers, homework."""
    from django.utils import timezone

    from csphub.accounts.models import Organisation
    from csphub.meetings.models import AgendaItem, Meeting, Paper, Question

    today = timezone.localdate()
    org = Organisation.objects.get(name="Metropolitan Police Service")
    meetings = Meeting.objects.bulk_create(
        Meeting(
            partnership=board.partnership,
            body=board,
            title=f"Bench meeting {k}",
            date=today - timedelta(days=7 * k + 3),
            start=clock(18),
            end=clock(20),
            status=Meeting.Status.HELD,
        )
        for k in range(52)
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=m, order=n, title=f"Item {n}", kind="decision",
                   sought="Agree", minutes=10)
        for m in meetings for n in range(10)
    )  # fmt: skip
    Paper.objects.bulk_create(
        Paper(item=i, title="Paper", text=PARAGRAPH, frozen=True) for i in items
    )
    Question.objects.bulk_create(
        Question(item=i, organisation=org, text="What will you do?", due=today)
        for i in items
    )


def sixty_pages(meeting):
    from csphub.meetings.models import AgendaItem, Paper
    from csphub.meetings.packs import pack_for, pack_pdf

    for n in range(21):
        item = AgendaItem.objects.create(
            meeting=meeting, order=50 + n, title=f"Bench item {n}", kind="discussion",
            minutes=5,
        )  # fmt: skip
        Paper.objects.create(item=item, title=f"Bench paper {n}", text=PARAGRAPH * 11)
    start = time.perf_counter()
    pdf, pages = pack_pdf(pack_for(meeting, True))
    return time.perf_counter() - start, pages


def main():
    with tempfile.TemporaryDirectory() as tmp:
        prepare(tmp)
        from django.test import Client
        from django.urls import reverse
        from django.utils import timezone

        from csphub.accounts.models import User
        from csphub.meetings.models import Meeting
        from csphub.structure.models import Body

        board = Body.objects.get(name=BOARD)
        year_of_meetings(board)
        upcoming = (
            Meeting.objects.filter(body=board, date__gte=timezone.localdate())
            .order_by("date")
            .first()
        )
        seconds, pages = sixty_pages(upcoming)
        assert pages >= 58, pages
        client = Client()
        client.force_login(User.objects.get(username="member"))
        health, _ = timings(client, "/health/")
        planning, planning_p95 = timings(
            client, reverse("meetings:planning", args=[upcoming.pk])
        )
        meeting, meeting_p95 = timings(client, upcoming.get_absolute_url())
        print(f"{Meeting.objects.filter(body=board).count()} board meetings;"
              f" pack of {pages} pages in {seconds:.2f} s")  # fmt: skip
        print(
            json.dumps(
                {
                    "meetings.pack_60_pages_s": round(seconds, 2),
                    "meetings.pack_pages_count": pages,
                    "meetings.planning_page_ms": round(planning, 1),
                    "meetings.planning_page_p95_ms": round(planning_p95, 1),
                    "meetings.meeting_page_ms": round(meeting, 1),
                    "meetings.meeting_page_p95_ms": round(meeting_p95, 1),
                    "meetings.health_baseline_ms": round(health, 1),
                }
            )
        )


if __name__ == "__main__":
    main()

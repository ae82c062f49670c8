"""Agenda packs: the public pack (no exempt items or papers) and the full pack
(members only), on the web and as PDF through WeasyPrint. The PDF's table of
contents takes its page numbers from the PDF's own layout (CSS
target-counter), so they always match."""

import time
from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Meeting, PackBuild, Paper, Proposal, Question
from .operations import zone_calendar
from .planning import timings
from .services import previous_meeting


@dataclass
class Pack:
    """What an agenda pack holds."""

    meeting: Meeting
    full: bool
    timings: list  # [(item, start time)]
    highlight: list  # the highlight report's exceptions proposed for the meeting
    operations: tuple | None = None  # (start, end, rows) for a zone meeting
    previous: Meeting | None = None  # whose minutes the standing item takes

    @property
    def marking(self):
        # A public pack is published, so it carries no sensitive marking.
        return self.meeting.marking if self.full else Meeting.Marking.OFFICIAL

    @property
    def label(self):
        return "Full pack (members only)" if self.full else "Public pack"

    @property
    def items(self):
        return [item for item, _ in self.timings]


def pack_for(meeting, full):
    """The pack's contents, in a fixed number of queries."""
    papers = Paper.objects.current()
    if not full:
        papers = papers.filter(restricted=False)
    items = meeting.items.select_related(
        "proposal", "proposal__briefing", "proposal__from_body"
    ).prefetch_related(
        Prefetch("papers", queryset=papers),
        Prefetch("questions", queryset=Question.objects.select_related("organisation")),
    )
    if not full:
        items = items.filter(restricted=False)
    highlight = meeting.proposals.filter(source=Proposal.Source.HIGHLIGHT)
    if not full:
        highlight = highlight.filter(restricted=False)
    return Pack(
        meeting=meeting,
        full=full,
        timings=timings(meeting, list(items)),
        highlight=list(highlight.only("title", "detail", "chart_svg", "state")),
        operations=zone_calendar(meeting, restricted=full),
        previous=previous_meeting(meeting),
    )


def pack_html(pack, *, base_url=None):
    return render_to_string(
        "meetings/pack_pdf.html",
        {"pack": pack, "meeting": pack.meeting, "base_url": base_url},
    )


def pack_pdf(pack, *, base_url=None):
    """(PDF bytes, page count)."""
    from weasyprint import HTML

    document = HTML(string=pack_html(pack), base_url=base_url).render()
    return document.write_pdf(), len(document.pages)


def run_pack_build(build):
    """Build the PDF of a queued pack, recording progress on the build."""
    started = time.monotonic()

    def step(percent, text):
        PackBuild.objects.filter(pk=build.pk).update(
            status=PackBuild.Status.RUNNING, progress=percent, step=text
        )

    step(10, "Gathering the agenda, papers and homework")
    pack = pack_for(build.meeting, build.pack == PackBuild.Pack.FULL)
    step(40, "Laying out the pages")
    pdf, pages = pack_pdf(pack)
    build.pdf, build.pages = pdf, pages
    build.status, build.progress, build.step = PackBuild.Status.DONE, 100, "Ready"
    build.seconds = round(time.monotonic() - started, 2)
    build.save(update_fields=["pdf", "pages", "status", "progress", "step", "seconds"])
    return build


def pack_filename(meeting, pack):
    return f"agenda-{pack}-{meeting.body.slug}-{meeting.date:%Y-%m-%d}.pdf"


def stale(build):
    """A build that has not moved for ten minutes is shown as stuck."""
    return (
        build.status in {PackBuild.Status.QUEUED, PackBuild.Status.RUNNING}
        and (timezone.now() - build.created_at).total_seconds() > 600
    )

"""Build a meeting's agenda pack as PDF from a terminal."""

from pathlib import Path

from django.core.management.base import CommandError

from csphub.accounts.commands import PartnershipCommand
from csphub.meetings.models import Meeting
from csphub.meetings.packs import pack_for, pack_pdf


class Command(PartnershipCommand):
    """Write a meeting's agenda pack as PDF: the public pack leaves out exempt
    items and papers; the full pack holds everything (members only)."""

    arguments = {
        "--meeting": {"required": True, "type": int, "help": "meeting id"},
        "--pack": {"choices": ["public", "full"], "default": "public"},
        "--out": {"required": True, "help": "where to write the PDF"},
    }

    def handle_partnership(self, partnership, **options):
        meeting = Meeting.objects.of(partnership).filter(pk=options["meeting"]).first()
        if meeting is None:
            raise CommandError(
                f"No meeting {options['meeting']} in {partnership.name}."
            )
        self.stdout.write(f"Building the {options['pack']} pack for {meeting}...")
        pdf, pages = pack_pdf(pack_for(meeting, options["pack"] == "full"))
        out = Path(options["out"])
        try:
            out.write_bytes(pdf)
        except OSError as e:
            raise CommandError(f"Cannot write {out}: {e.strerror}.") from e
        self.stdout.write(f"Wrote {out}: {pages} pages, {len(pdf):,} bytes.")

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError

from csphub.accounts.commands import PartnershipCommand
from csphub.intelligence.briefing import BriefingError, resolve_area
from csphub.intelligence.presentation import briefing_document, briefing_pdf
from csphub.intelligence.services import briefing_json, build_briefing
from csphub.lib.commands import flag
from csphub.lib.months import parse_month


class Command(PartnershipCommand):
    """Prepare and store an intelligence briefing for an area and month, and
    write it as JSON, HTML or PDF. --area is an ONS code (the borough or one
    of its wards) or zone:SLUG (e.g. zone:south). The month must have data.
    Bad arguments exit with status 2 and a one-line reason."""

    arguments = {
        "--area": {
            "required": True,
            "help": "ONS code of the borough or a ward, or zone:SLUG",
        },
        "--month": {"required": True, "help": "YYYY-MM"},
        "--format": {"choices": ["json", "html", "pdf"], "default": "json"},
        "--out": {"help": "file to write (default: standard output)"},
        "--cell-size": {"type": int, "help": "grid cell size in metres (250)"},
        "--local-moran": flag("also compute local Moran's I"),
        "--seed": {"type": int, "help": "permutation seed (12345)"},
        "--source": {
            "action": "append",
            "dest": "sources",
            "metavar": "KEY",
            "help": "a data set to analyse: police_uk, a partner data set's slug or"
            " reports:residents; repeat for a mix (default: police_uk)",
        },
        "--hotspot-source": {
            "action": "append",
            "dest": "hotspot_sources",
            "metavar": "KEY",
            "help": "a data set for the hotspots only (default: the --source mix)",
        },
        "--hotspot-category": {
            "action": "append",
            "dest": "hotspot_categories",
            "metavar": "NAME",
            "help": "limit the hotspots to a category; repeat for several",
        },
        "--harm-weighted": flag(
            "weight the hotspots by the partnership's harm weights"
        ),
    }

    def handle_partnership(self, partnership, **options):
        month = parse_month(options["month"])
        if month is None:
            raise CommandError(
                f"--month must be YYYY-MM, got {options['month']!r}", returncode=2
            )
        if options["format"] == "pdf" and not options["out"]:
            raise CommandError("--format pdf needs --out PATH", returncode=2)
        try:
            area = resolve_area(partnership, options["area"])
            briefing = build_briefing(
                partnership,
                area,
                month,
                progress=self.bar(),
                cell_size=options["cell_size"],
                local_moran=options["local_moran"] or None,
                seed=options["seed"],
                sources=options["sources"],
                hotspot_sources=options["hotspot_sources"],
                hotspot_categories=options["hotspot_categories"],
                harm_weighted=options["harm_weighted"] or None,
            )
        except BriefingError as e:
            raise CommandError(str(e), returncode=2) from None
        if self.stderr.isatty():
            self.stderr.write("")
        self.write(briefing, options["format"], options["out"])

    def write(self, briefing, fmt, out):
        if fmt == "pdf":
            Path(out).write_bytes(briefing_pdf(briefing))
        else:
            text = (
                json.dumps(briefing_json(briefing), indent=2, ensure_ascii=False)
                if fmt == "json"
                else briefing_document(briefing)
            )
            if out:
                Path(out).write_text(text + "\n", encoding="utf-8")
            else:
                sys.stdout.write(text + "\n")
        if out:
            self.stderr.write(f"Wrote {briefing} ({fmt}) to {out}.")

    def bar(self):
        if not self.stderr.isatty():
            return None

        def show(percent, step):
            filled = int(30 * percent / 100)
            self.stderr.write(
                f"\r[{'#' * filled:<30}] {percent:3d}% {step[:50]:<50}",
                ending="",
            )
            self.stderr.flush()

        return show

"""Write a partnership's highlight report for a month, as JSON or PDF."""

import json
from pathlib import Path

from django.core.management.base import CommandError

from csphub.accounts.commands import PartnershipCommand
from csphub.lib.months import parse_period
from csphub.performance import services
from csphub.performance.models import Review


class Command(PartnershipCommand):
    """Write the exception-only highlight report of the performance group's
    review of a month (YYYY-MM, or 'latest' for the latest review): JSON with
    the report's exceptions by priority, or the PDF of the agenda pack."""

    arguments = {
        "--period": {"default": "latest", "help": "YYYY-MM or latest"},
        "--format": {"choices": ["json", "pdf"], "default": "json"},
        "--out": {"help": "file to write (default: standard output, JSON only)"},
    }

    def handle_partnership(self, partnership, *, period, format, out, **options):
        reviews = Review.objects.filter(partnership=partnership).select_related("body")
        if period == "latest":
            review = reviews.order_by("-period").first()
            if review is None:
                raise CommandError(f"{partnership.name} has no performance review yet")
        else:
            month = parse_period(period)
            if month is None:
                raise CommandError(f"--period {period!r} is not YYYY-MM or latest")
            review = reviews.filter(period=month).first()
            if review is None:
                raise CommandError(f"{partnership.name} has no review for {period}")
        report = services.highlight_report(review)
        if format == "pdf":
            if not out:
                raise CommandError("--format pdf needs --out PATH")
            from csphub.performance.views import highlight_pdf

            Path(out).write_bytes(highlight_pdf(report))
        else:
            text = json.dumps(report.as_json(), indent=2)
            if out:
                Path(out).write_text(text + "\n")
            else:
                self.stdout.write(text)
        if out:
            self.stderr.write(
                f"Wrote {out}: {services.exception_count(report)} exceptions,"
                f" {report.in_control_count} in control."
            )

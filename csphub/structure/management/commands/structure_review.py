import json
from datetime import date

from django.core.management.base import CommandError

from csphub.accounts.commands import PartnershipCommand
from csphub.lib.commands import flag
from csphub.structure.review import KIND_LABELS
from csphub.structure.services import record_review, review_structure


class Command(PartnershipCommand):
    """Review a partnership's structure from its data alone: busy members,
    overlapping memberships, priorities with no strategic body of their own,
    duplicate coverage, missing or circular reporting lines, overdue
    task-and-finish groups, bodies pending for months or not meeting, and what
    each finding would save in person-hours a year. --record keeps it as a
    dated review."""

    arguments = {
        "--format": {"choices": ["text", "json"], "default": "text"},
        "--date": {"help": "review as of this date (YYYY-MM-DD)"},
        "--record": flag("keep it as a dated review"),
    }

    def handle_partnership(
        self, partnership, *, format, date=None, record=False, **options
    ):
        today = _parse_date(date)
        result = review_structure(partnership, today)
        if record:
            record_review(partnership, None, today=today, note="manage.py")
        if format == "json":
            self.stdout.write(json.dumps(result.as_json(), indent=2))
            return
        self.stdout.write(f"Structure review of {partnership.name}, {result.date}")
        for f in result.findings:
            saving = (
                f" [saves {f.saving_hours_per_year:.0f} h/yr]"
                if f.saving_hours_per_year
                else ""
            )
            self.stdout.write(f"- {KIND_LABELS[f.kind]}: {f.detail}{saving}")
        self.stdout.write(
            f"{len(result.findings)} findings; the structure costs"
            f" {result.hours_per_year:,.0f} person-hours of meetings a year."
        )


def _parse_date(value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date {value!r} is not YYYY-MM-DD") from None

from datetime import date

from django.core.management.base import CommandError

from csphub.accounts.commands import PartnershipCommand
from csphub.offenders.models import KpiFeed
from csphub.offenders.services import feed_kpis, link_kpi


class Command(PartnershipCommand):
    """Compute the IOM cohort's measures and record them as values of the KPIs
    they feed (a period of fewer than 5 people is left out). --link
    SLUG=MEASURE first links a KPI to a measure: cohort_size, binary_rate or
    frequency_rate. --as-of defaults to the latest proven offence held (the
    extract's end)."""

    arguments = {
        "--as-of": {"help": "YYYY-MM-DD (default: the latest proven offence)"},
        "--link": {"action": "append", "default": [], "metavar": "SLUG=M"},
    }

    def handle_partnership(self, partnership, **options):
        as_of = None
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError("--as-of must be YYYY-MM-DD", returncode=2) from None
        for text in options["link"]:
            slug, _, measure = text.partition("=")
            if measure not in KpiFeed.Measure.values:
                raise CommandError(
                    f"--link {text!r}: the measure must be one of"
                    f" {', '.join(KpiFeed.Measure.values)}",
                    returncode=2,
                )
            if link_kpi(partnership, slug, measure) is None:
                raise CommandError(f"--link: no KPI with slug {slug!r}", returncode=2)
        written = feed_kpis(partnership, as_of)
        self.stdout.write(f"{written} KPI values written or withdrawn.")

"""Count crime KPIs from the partnership's police.uk incidents."""

from django.core.management.base import BaseCommand, CommandError

from csphub.accounts.models import Partnership
from csphub.intelligence.kpi import count_crime_kpis, crime_indicators


class Command(BaseCommand):
    help = (
        "Count each crime KPI (an indicator mapped to police.uk categories) for"
        " every period with crime data. A month with no data gets no value (shown"
        " as missing, never 0); a changed count is kept as a correction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="partnership slug")

    def handle(self, *args, partnership, **options):
        found = Partnership.objects.filter(slug=partnership).first()
        if found is None:
            raise CommandError(f"no partnership with the slug {partnership!r}")
        indicators = crime_indicators(found)
        written = count_crime_kpis(found)
        self.stdout.write(
            f"{len(indicators)} crime KPIs counted for {found.name}: "
            + ", ".join(i.name for i in indicators)
            + f"; {written} values new or changed"
        )

"""Count crime KPIs from the partnership's police.uk incidents."""

from csphub.accounts.commands import PartnershipCommand
from csphub.intelligence.kpi import count_crime_kpis, crime_indicators


class Command(PartnershipCommand):
    """Count each crime KPI (an indicator mapped to police.uk categories) for
    every period with crime data. A month with no data gets no value (shown as
    missing, never 0); a changed count is kept as a correction."""

    def handle_partnership(self, partnership, **options):
        indicators = crime_indicators(partnership)
        written = count_crime_kpis(partnership)
        self.stdout.write(
            f"{len(indicators)} crime KPIs counted for {partnership.name}: "
            + ", ".join(i.name for i in indicators)
            + f"; {written} values new or changed"
        )

from csphub.accounts.commands import PartnershipCommand
from csphub.intelligence import counts


class Command(PartnershipCommand):
    """Count the imported incidents again into the monthly count tables that
    briefings read (every partnership, or --partnership SLUG). Imports keep
    the counts up to date; run this once for data imported before the tables
    existed. All or nothing. A bad slug exits with status 2."""

    partnership_required = False

    def handle_partnership(self, partnership, **options):
        wards, lsoas = counts.rebuild(partnership)
        self.stdout.write(
            f"Counted again: {wards} ward x category x month rows,"
            f" {lsoas} LSOA x month rows"
        )

from csphub.accounts.commands import PartnershipCommand
from csphub.web.search_index import rebuild_index


class Command(PartnershipCommand):
    """Index every record the search box can find again, from the records
    themselves. Saves keep the index up to date; run this after a bulk load
    that bypassed them. Who may see a result is always checked against the
    records, never the index."""

    partnership_help = "only this partnership (its slug)"
    partnership_required = False

    def handle_partnership(self, partnership, **options):
        counts = rebuild_index(partnership)
        for kind, n in counts.items():
            self.stdout.write(f"{kind}: {n}")
        self.stdout.write(f"Indexed {sum(counts.values())} records.")

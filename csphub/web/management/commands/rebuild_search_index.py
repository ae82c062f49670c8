from django.core.management.base import BaseCommand, CommandError

from csphub.accounts.models import Partnership
from csphub.web.search_index import rebuild_index


class Command(BaseCommand):
    help = (
        "Index every record the search box can find again, from the records"
        " themselves. Saves keep the index up to date; run this after a bulk"
        " load that bypassed them. Who may see a result is always checked"
        " against the records, never the index."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--partnership", help="only this partnership (its slug)", default=""
        )

    def handle(self, *args, partnership, **options):
        chosen = None
        if partnership:
            chosen = Partnership.objects.filter(slug=partnership).first()
            if chosen is None:
                raise CommandError(f"No partnership with the slug {partnership!r}.")
        counts = rebuild_index(chosen)
        for kind, n in counts.items():
            self.stdout.write(f"{kind}: {n}")
        self.stdout.write(f"Indexed {sum(counts.values())} records.")

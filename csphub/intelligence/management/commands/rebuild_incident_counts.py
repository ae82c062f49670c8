from django.core.management.base import BaseCommand, CommandError

from csphub.accounts.models import Partnership
from csphub.intelligence import counts


class Command(BaseCommand):
    help = (
        "Count the imported incidents again into the monthly count tables that"
        " briefings read (every partnership, or --partnership SLUG). Imports"
        " keep the counts up to date; run this once for data imported before"
        " the tables existed. All or nothing. A bad slug exits with status 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="partnership slug")

    def handle(self, *args, **options):
        partnership = None
        if options["partnership"]:
            partnership = Partnership.objects.filter(
                slug=options["partnership"]
            ).first()
            if partnership is None:
                raise CommandError(
                    f"no partnership with slug {options['partnership']!r}",
                    returncode=2,
                )
        wards, lsoas = counts.rebuild(partnership)
        self.stdout.write(
            f"Counted again: {wards} ward x category x month rows,"
            f" {lsoas} LSOA x month rows"
        )

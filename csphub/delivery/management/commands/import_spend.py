"""Load a CSV or XLSX file of spend lines into a partnership, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from csphub.accounts.models import Partnership
from csphub.delivery import spend


class Command(BaseCommand):
    help = (
        "Import spend lines (columns: organisation, service_area, priority, year,"
        " amount; optionally zone, source, confidence). Every row is checked first;"
        " one bad row loads nothing. A line for a cell already held replaces it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--partnership", required=True, help="its slug")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership {options['partnership']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            new, replaced = spend.import_spend(
                partnership, path.read_bytes(), path.name, dry_run=options["dry_run"]
            )
        except spend.SpendFileError as error:
            for line in error.errors[1:]:
                self.stderr.write(f"{path.name}: {line}")
            raise CommandError(f"{path.name}: {error.errors[0]}") from None
        self.stdout.write(
            f"{path.name}: {new} new spend lines, {replaced} replaced"
            + (" (dry run: nothing saved)" if options["dry_run"] else "")
        )

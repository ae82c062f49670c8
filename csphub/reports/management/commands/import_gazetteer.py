from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from csphub.accounts.models import Partnership
from csphub.reports.gazetteer import GazetteerError, load_gazetteer


class Command(BaseCommand):
    help = (
        "Load a borough's street gazetteer (street names with points) from CSV"
        " files with name, latitude and longitude columns, or from police.uk"
        " street files (their 'On or near ...' snap points), or folders of them."
        " The gazetteer is replaced whole; points outside the borough are skipped;"
        " a bad file loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="partnership slug")
        parser.add_argument("paths", nargs="+", help="CSV files or folders of them")
        parser.add_argument(
            "--dry-run", action="store_true", help="check, load nothing"
        )

    def handle(self, *args, partnership, paths, dry_run, **options):
        found = Partnership.objects.filter(slug=partnership).first()
        if found is None:
            raise CommandError(f"No partnership {partnership!r}.")
        files = []
        for path in map(Path, paths):
            if path.is_dir():
                files += sorted(path.glob("*.csv"))
            elif path.exists():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder.")
        try:
            loaded, skipped = load_gazetteer(found, files, dry_run=dry_run)
        except (GazetteerError, OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from None
        verb = "checked" if dry_run else "loaded"
        self.stdout.write(
            f"{loaded} street points {verb} from {len(files)} files;"
            f" {skipped} outside {found.borough.name} skipped."
        )

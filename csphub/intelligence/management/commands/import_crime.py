import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from csphub.accounts.models import Partnership
from csphub.intelligence.importing import CrimeFileError, Placer
from csphub.intelligence.kpi import count_crime_kpis
from csphub.intelligence.loading import import_file


class Command(BaseCommand):
    help = (
        "Import data.police.uk street-level CSV files (or folders of them) into a"
        " partnership. A file is the unit: the same file again changes nothing, a"
        " newer file for the same force and month replaces the older, and a bad"
        " file is rejected whole with file:line: reason (exit status 2)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="partnership slug")
        parser.add_argument("paths", nargs="+", help="CSV files or folders")

    def handle(self, *args, partnership, paths, **options):
        try:
            partnership = Partnership.objects.get(slug=partnership)
        except Partnership.DoesNotExist:
            raise CommandError(f"no partnership with slug {partnership!r}") from None
        files = expand(paths)
        placer = Placer(partnership)
        failed = 0
        for path in files:
            try:
                result = import_file(
                    partnership, path, placer=placer, progress=self.bar(path)
                )
            except (CrimeFileError, OSError) as e:
                self.stderr.write(f"\r{e}")
                failed += 1
                continue
            self.stdout.write("\r" + result.summary())
        count_crime_kpis(partnership)  # crime KPIs follow the new data
        self.stdout.write(f"{len(files) - failed} files imported, {failed} rejected.")
        if failed:
            sys.exit(2)

    def bar(self, path):
        if not self.stderr.isatty():
            return None
        name = Path(path).name

        def show(done, total):
            filled = int(30 * done / total) if total else 30
            bar = "#" * filled + " " * (30 - filled)
            self.stderr.write(f"\r[{bar}] {done}/{total} {name}", ending="")
            self.stderr.flush()

        return show


def expand(paths):
    """Files named, and the .csv files within folders named, sorted."""
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.csv")))
        elif path.exists():
            files.append(path)
        else:
            raise CommandError(f"{raw}: no such file or folder")
    return files

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from csphub.accounts.models import Partnership
from csphub.intelligence.datasets.parsing import DataSetFileError
from csphub.intelligence.importing import Placer
from csphub.intelligence.kpi import count_crime_kpis
from csphub.intelligence.loading import import_file
from csphub.intelligence.models import DataSet

from .import_crime import Command as ImportCrime

SUFFIXES = (".csv", ".xlsx")


class Command(BaseCommand):
    help = (
        "Import partner files (CSV or XLSX, or folders of them) into a partner data"
        " set through its saved column mapping. A file is the unit: the same file"
        " again changes nothing, a file covering the same months as a loaded file"
        " replaces it, and a bad file is rejected whole with file:row: reason"
        " (exit status 2)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="partnership slug")
        parser.add_argument("--dataset", required=True, help="data set slug")
        parser.add_argument("paths", nargs="+", help="CSV/XLSX files or folders")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read and check every file, load nothing",
        )

    def handle(self, *args, partnership, dataset, paths, dry_run, **options):
        data_set = self.data_set(partnership, dataset)
        files = expand(paths)
        placer = Placer(data_set.partnership)
        failed = 0
        for path in files:
            try:
                result = import_file(
                    data_set.partnership,
                    path,
                    data_set=data_set,
                    placer=placer,
                    progress=ImportCrime.bar(self, path),
                    dry_run=dry_run,
                )
            except (DataSetFileError, OSError) as e:
                self.stderr.write(f"\r{e}")
                failed += 1
                continue
            self.stdout.write("\r" + result.summary())
        if not dry_run:
            count_crime_kpis(data_set.partnership)  # flagged series count it
        verb = "checked" if dry_run else "imported"
        self.stdout.write(f"{len(files) - failed} files {verb}, {failed} rejected.")
        if failed:
            sys.exit(2)

    def data_set(self, partnership_slug, slug):
        try:
            partnership = Partnership.objects.get(slug=partnership_slug)
        except Partnership.DoesNotExist:
            raise CommandError(
                f"no partnership with slug {partnership_slug!r}"
            ) from None
        data_set = (
            DataSet.objects.select_related("partnership", "organisation")
            .filter(partnership=partnership, slug=slug)
            .first()
        )
        if data_set is None:
            known = (
                ", ".join(partnership.data_sets.values_list("slug", flat=True))
                or "none yet"
            )
            raise CommandError(
                f"no data set {slug!r} in {partnership_slug}; its data sets: {known}"
            )
        return data_set


def expand(paths):
    """Files named, and the CSV/XLSX files within folders named, sorted."""
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
            )
        elif path.exists():
            files.append(path)
        else:
            raise CommandError(f"{raw}: no such file or folder")
    return files

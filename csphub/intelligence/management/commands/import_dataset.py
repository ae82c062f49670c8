from django.core.management.base import CommandError

from csphub.intelligence.models import DataSet
from csphub.lib.commands import flag

from .import_crime import Command as ImportCrime


class Command(ImportCrime):
    """Import partner files (CSV or XLSX, or folders of them) into a partner
    data set through its saved column mapping. A file is the unit: the same
    file again changes nothing, a file covering the same months as a loaded
    file replaces it, and a bad file is rejected whole with file:row: reason
    (exit status 2)."""

    arguments = {
        "--dataset": {"required": True, "help": "data set slug"},
        "paths": {"nargs": "+", "help": "CSV/XLSX files or folders"},
        "--dry-run": flag("read and check every file, load nothing"),
    }
    suffixes = (".csv", ".xlsx")

    def handle_partnership(self, partnership, *, dataset, paths, dry_run, **options):
        data_set = self.data_set(partnership, dataset)
        files = self.files(paths)
        self.import_files(partnership, files, data_set=data_set, dry_run=dry_run)

    def data_set(self, partnership, slug):
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
                f"no data set {slug!r} in {partnership.slug}; its data sets: {known}"
            )
        return data_set

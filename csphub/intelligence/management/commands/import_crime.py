import sys
from pathlib import Path

from csphub.accounts.commands import PartnershipCommand
from csphub.intelligence.importing import CrimeFileError, Placer
from csphub.intelligence.kpi import count_crime_kpis
from csphub.intelligence.loading import import_file


class Command(PartnershipCommand):
    """Import data.police.uk street-level CSV files (or folders of them) into a
    partnership. A file is the unit: the same file again changes nothing, a
    newer file for the same force and month replaces the older, and a bad file
    is rejected whole with file:line: reason (exit status 2)."""

    arguments = {"paths": {"nargs": "+", "help": "CSV files or folders"}}

    def handle_partnership(self, partnership, *, paths, **options):
        self.import_files(partnership, self.files(paths))

    def import_files(self, partnership, files, *, data_set=None, dry_run=False):
        """Import (or check) each file on its own, say what each did, then
        count the crime KPIs again; exit with status 2 if any was rejected."""
        placer = Placer(partnership)
        failed = 0
        for path in files:
            try:
                result = import_file(
                    partnership,
                    path,
                    data_set=data_set,
                    placer=placer,
                    progress=self.bar(path),
                    dry_run=dry_run,
                )
            except (CrimeFileError, OSError) as e:
                self.stderr.write(f"\r{e}")
                failed += 1
                continue
            self.stdout.write("\r" + result.summary())
        if not dry_run:
            count_crime_kpis(partnership)  # crime KPIs follow the new data
        verb = "checked" if dry_run else "imported"
        self.stdout.write(f"{len(files) - failed} files {verb}, {failed} rejected.")
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

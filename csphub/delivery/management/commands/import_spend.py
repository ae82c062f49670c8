"""Load a CSV or XLSX file of spend lines into a partnership, all or nothing."""

from pathlib import Path

from django.core.management.base import CommandError

from csphub.accounts.commands import PartnershipCommand
from csphub.delivery import spend
from csphub.lib.commands import flag


class Command(PartnershipCommand):
    """Import spend lines (columns: organisation, service_area, priority, year,
    amount; optionally zone, source, confidence). Every row is checked first;
    one bad row loads nothing. A line for a cell already held replaces it."""

    partnership_help = "its slug"
    arguments = {"file": {}, "--dry-run": flag()}

    def handle_partnership(self, partnership, *, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            new, replaced = spend.import_spend(
                partnership, path.read_bytes(), path.name, dry_run=dry_run
            )
        except spend.SpendFileError as error:
            for line in error.errors[1:]:
                self.stderr.write(f"{path.name}: {line}")
            raise CommandError(f"{path.name}: {error.errors[0]}") from None
        self.stdout.write(
            f"{path.name}: {new} new spend lines, {replaced} replaced"
            + (" (dry run: nothing saved)" if dry_run else "")
        )

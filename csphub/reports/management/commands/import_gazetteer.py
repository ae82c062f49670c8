from django.core.management.base import CommandError

from csphub.accounts.commands import PartnershipCommand
from csphub.lib.commands import flag
from csphub.reports.gazetteer import GazetteerError, load_gazetteer


class Command(PartnershipCommand):
    """Load a borough's street gazetteer (street names with points) from CSV
    files with name, latitude and longitude columns, or from police.uk street
    files (their 'On or near ...' snap points), or folders of them (a police.uk
    download's month folders too). The gazetteer is replaced whole; points
    outside the borough are skipped; a bad file loads nothing."""

    arguments = {
        "paths": {"nargs": "+", "help": "CSV files or folders of them"},
        "--dry-run": flag("check, load nothing"),
    }

    def handle_partnership(self, partnership, *, paths, dry_run, **options):
        files = self.files(paths)
        try:
            loaded, skipped = load_gazetteer(partnership, files, dry_run=dry_run)
        except (GazetteerError, OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from None
        verb = "checked" if dry_run else "loaded"
        self.stdout.write(
            f"{loaded} street points {verb} from {len(files)} files;"
            f" {skipped} outside {partnership.borough.name} skipped."
        )

from django.core.management.base import CommandError

from csphub.lib import commands
from csphub.reports.gazetteer import GazetteerError, load_postcodes


class Command(commands.Command):
    """Load an ONS Postcode Directory extract (CSV with pcds or pcd, lat, long
    and optionally lsoa21/lsoa11 and doterm columns), so residents can give a
    postcode. Terminated postcodes and ones without a grid reference are
    skipped; a malformed row loads nothing."""

    arguments = {
        "path": {"help": "the ONSPD CSV extract"},
        "--dry-run": commands.flag("check, load nothing"),
    }

    def handle(self, *args, path, dry_run, **options):
        try:
            loaded, skipped = load_postcodes(path, dry_run=dry_run)
        except (GazetteerError, OSError, UnicodeDecodeError, KeyError) as error:
            raise CommandError(str(error)) from None
        verb = "checked" if dry_run else "loaded"
        self.stdout.write(f"{loaded} postcodes {verb}; {skipped} skipped.")

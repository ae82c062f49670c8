from django.core.management.base import CommandError

from csphub.lib import commands
from csphub.places.services import AreaImportError, load_areas


class Command(commands.Command):
    """Load LSOA boundaries, their wards (from an LSOA-to-ward lookup) and
    optionally borough boundaries. All or nothing: a bad file loads nothing.
    Ward boundaries are the union of their LSOAs."""

    arguments = {
        "--lsoas": {
            "required": True,
            "help": "LSOA GeoJSON (LSOA11CD, LSOA11NM, LAD11CD, LAD11NM)",
        },
        "--lookup": {"required": True, "help": "CSV with LSOA11CD, WD18CD, WD18NM"},
        "--boroughs": {"help": "borough GeoJSON (LADxxCD, LADxxNM)"},
        "--dry-run": commands.flag("check and count, save nothing"),
    }

    def handle(self, *args, lsoas, lookup, boroughs, dry_run, **options):
        try:
            result = load_areas(lsoas, lookup, boroughs, dry_run=dry_run)
        except AreaImportError as e:
            raise CommandError(str(e)) from None
        verb = "Would load" if dry_run else "Loaded"
        self.stdout.write(f"{verb} {result.summary()}.")

from django.core.management.base import BaseCommand, CommandError

from csphub.places.services import AreaImportError, load_areas


class Command(BaseCommand):
    help = (
        "Load LSOA boundaries, their wards (from an LSOA-to-ward lookup) and"
        " optionally borough boundaries. All or nothing: a bad file loads nothing."
        " Ward boundaries are the union of their LSOAs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--lsoas",
            required=True,
            help="LSOA GeoJSON (LSOA11CD, LSOA11NM, LAD11CD, LAD11NM)",
        )
        parser.add_argument(
            "--lookup", required=True, help="CSV with LSOA11CD, WD18CD, WD18NM"
        )
        parser.add_argument("--boroughs", help="borough GeoJSON (LADxxCD, LADxxNM)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, save nothing"
        )

    def handle(self, *args, lsoas, lookup, boroughs, dry_run, **options):
        try:
            result = load_areas(lsoas, lookup, boroughs, dry_run=dry_run)
        except AreaImportError as e:
            raise CommandError(str(e)) from None
        verb = "Would load" if dry_run else "Loaded"
        self.stdout.write(f"{verb} {result.summary()}.")

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from csphub.accounts.commands import add_partnership_argument, partnership_named
from csphub.offenders.importing import CohortFileError, import_cohort


class Command(BaseCommand):
    help = (
        "Load the case system's IOM cohort export (CSV) into a partnership, all or"
        " nothing. References are stored only as keyed hashes (CSPHUB_IOM_KEY); a"
        " file with a column that looks like a name, date of birth or address is"
        " refused whole. Columns: reference, stream, selected_on, and optionally"
        " risk_tier, selection_reason, deselected_on, deselection_reason,"
        " lead_organisation, zone."
    )
    importer = staticmethod(import_cohort)

    def add_arguments(self, parser):
        add_partnership_argument(parser)
        parser.add_argument("path", help="the CSV export")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file, store nothing"
        )

    def handle(self, *args, **options):
        partnership = partnership_named(options["partnership"])
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        try:
            summary = self.importer(
                partnership, path.read_bytes(), path.name, dry_run=options["dry_run"]
            )
        except CohortFileError as error:
            for line in error.errors[:20]:
                self.stderr.write(line)
            raise CommandError(
                f"{len(error.errors)} problem(s) in {path.name}: nothing was stored",
                returncode=2,
            ) from None
        except ImproperlyConfigured as error:
            raise CommandError(str(error), returncode=2) from None
        prefix = "Dry run, nothing stored: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{summary}.")

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from csphub.accounts.commands import PartnershipCommand
from csphub.lib.commands import flag
from csphub.offenders.importing import CohortFileError, import_cohort


class Command(PartnershipCommand):
    """Load the case system's IOM cohort export (CSV) into a partnership, all
    or nothing. References are stored only as keyed hashes (CSPHUB_IOM_KEY); a
    file with a column that looks like a name, date of birth or address is
    refused whole. Columns: reference, stream, selected_on, and optionally
    risk_tier, selection_reason, deselected_on, deselection_reason,
    lead_organisation, zone."""

    arguments = {
        "path": {"help": "the CSV export"},
        "--dry-run": flag("check the file, store nothing"),
    }
    importer = staticmethod(import_cohort)

    def handle_partnership(self, partnership, **options):
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

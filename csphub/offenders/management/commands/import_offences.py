from csphub.offenders.importing import import_offences

from .import_cohort import Command as ImportCohort


class Command(ImportCohort):
    """Replace a partnership's IOM proven offences with the case system's full
    extract (CSV), all or nothing. Columns: reference, committed_on, proven_on
    (conviction or caution), category; every reference must be in the cohort.
    No free text is read."""

    importer = staticmethod(import_offences)

from csphub.lib import commands
from csphub.reports.retention import anonymise, retention_days


class Command(commands.Command):
    """Remove residents' personal data from reports closed, and case reviews
    finished, longer ago than the retention period
    (CSPHUB_REPORTS_RETENTION_DAYS). Run it daily from a scheduler."""

    arguments = {"--dry-run": commands.flag("count only")}

    def handle(self, *args, dry_run, **options):
        counts = anonymise(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"Past {retention_days()} days: {counts['reporters']} residents' details,"
            f" {counts['photos']} photos and {counts['case_reviews']} case review"
            f" applicants {verb} anonymised."
        )

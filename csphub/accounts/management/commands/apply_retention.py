from csphub.accounts.retention import apply_retention
from csphub.lib import commands


class Command(commands.Command):
    """Anonymise or delete each kind of record older than its retention period
    (CSPHUB_RETENTION_DAYS, kind=days), and log the counts in the audit log.
    Run it daily from a scheduler; --dry-run only counts."""

    arguments = {"--dry-run": commands.flag("count only")}

    def handle(self, *args, dry_run, **options):
        results = apply_retention(dry_run=dry_run)
        for rule, days, count in results:
            if days is None:
                self.stdout.write(
                    f"{rule.kind}: kept, no period set: {rule.description}"
                )
                continue
            verb = f"would be {rule.verb}" if dry_run else rule.verb
            self.stdout.write(
                f"{rule.kind}: {count} {verb} (older than {days} days):"
                f" {rule.description}"
            )
        total = sum(count for _, _, count in results)
        self.stdout.write(f"{total} records {'would be ' if dry_run else ''}changed.")

from csphub.casework.digest import send_digests
from csphub.lib import commands


class Command(commands.Command):
    """Send each person their daily casework digest (actions due, escalations
    answered, taskings received). Nothing is sent to a person with nothing
    new, with the digest turned off, or with no e-mail address."""

    arguments = {"--dry-run": commands.flag("Count, but send nothing.")}

    def handle(self, *args, dry_run=False, **options):
        r = send_digests(dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"Digests {verb}: {r.sent}; nothing to say: {r.empty};"
            f" turned off: {r.off}; no address: {r.no_address}; failed: {r.failed}."
        )
        if r.failed:
            self.stderr.write(f"{r.failed} digest(s) failed: see the log for why.")

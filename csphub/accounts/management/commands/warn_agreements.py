from csphub.accounts.services import EXPIRY_WARNING_DAYS, warn_expiring_agreements
from csphub.lib import commands


class Command(commands.Command):
    help = (
        f"E-mail the owner of each information-sharing agreement that expires"
        f" within {EXPIRY_WARNING_DAYS} days, once per agreement (again after its"
        " dates change). Run it daily from a scheduler."
    )

    arguments = {"--dry-run": commands.flag("list only")}

    def handle(self, *args, dry_run, **options):
        agreements = warn_expiring_agreements(dry_run=dry_run)
        for agreement in agreements:
            self.stdout.write(
                f"{agreement.partnership.slug}: {agreement.title} expires"
                f" {agreement.expires_on:%Y-%m-%d} (owner {agreement.owner})"
            )
        verb = "would be warned" if dry_run else "warned"
        self.stdout.write(f"{len(agreements)} agreement owners {verb}.")

"""Ask activity owners for their quarterly updates, and chase late ones."""

from django.utils import timezone

from csphub.accounts.commands import PartnershipCommand
from csphub.accounts.models import Partnership
from csphub.delivery import services
from csphub.lib.commands import flag


class Command(PartnershipCommand):
    """E-mail each activity owner once for the reporting quarter's update (from
    two weeks before the quarter ends) and once more when the last due update
    is late. Run daily; each e-mail is sent once and recorded."""

    partnership_help = "its slug (default: every one)"
    partnership_required = False
    arguments = {"--dry-run": flag()}

    def handle_partnership(self, chosen, *, dry_run, **options):
        partnerships = [chosen] if chosen else Partnership.objects.all()
        today = timezone.localdate()
        for partnership in partnerships:
            result = services.chase_updates(partnership, today, dry_run=dry_run)
            self.stdout.write(
                f"{partnership.slug}: {result.asked} asked, {result.chased} chased,"
                f" {result.no_owner} with no owner to ask"
                + (" (dry run: nothing sent)" if dry_run else "")
            )

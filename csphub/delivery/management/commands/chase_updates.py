"""Ask activity owners for their quarterly updates, and chase late ones."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from csphub.accounts.models import Partnership
from csphub.delivery import services


class Command(BaseCommand):
    help = (
        "E-mail each activity owner once for the reporting quarter's update (from"
        " two weeks before the quarter ends) and once more when the last due update"
        " is late. Run daily; each e-mail is sent once and recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="its slug (default: every one)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        partnerships = Partnership.objects.all()
        if options["partnership"]:
            partnerships = partnerships.filter(slug=options["partnership"])
            if not partnerships:
                raise CommandError(f"No partnership {options['partnership']!r}.")
        today = timezone.localdate()
        for partnership in partnerships:
            result = services.chase_updates(
                partnership, today, dry_run=options["dry_run"]
            )
            self.stdout.write(
                f"{partnership.slug}: {result.asked} asked, {result.chased} chased,"
                f" {result.no_owner} with no owner to ask"
                + (" (dry run: nothing sent)" if options["dry_run"] else "")
            )

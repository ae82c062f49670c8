from csphub.lib import commands
from csphub.reports.intake import triage_pending
from csphub.reports.models import Report


class Command(commands.Command):
    """Route and match every report the Open311 intake took and left waiting
    (task workers do this within seconds; run it after a crash, or where no
    task worker runs). Safe to run beside the task workers."""

    def handle(self, *args, **options):
        found = triage_pending()
        matched = sum(1 for duplicate in found.values() if duplicate)
        waiting = Report.objects.filter(awaiting_triage=True).count()
        self.stdout.write(
            f"{len(found)} reports routed and matched ({matched} possibly the same"
            f" as an open report nearby); {waiting} still waiting."
        )

import time

from django.core.management.base import CommandError

from csphub.accounts.commands import partnership_named
from csphub.accounts.models import Partnership
from csphub.intelligence.briefing import BriefingError
from csphub.intelligence.models import Briefing
from csphub.intelligence.tasks import (
    briefing_places,
    briefing_progress,
    latest_month,
    queue_briefings,
)
from csphub.lib import commands
from csphub.lib.months import parse_month


class Command(commands.Command):
    """Queue a background briefing for every area for a month: every ward and
    zone of one partnership (--partnership SLUG), or every ward of every
    partnership (--all). --month YYYY-MM, or 'latest' (each partnership's
    latest month with data). Task workers (manage.py db_worker, on any
    machine) prepare them; each is prepared once. A place already queued for
    the month is skipped. --wait shows progress until all are done. Bad
    arguments exit with status 2 and a one-line reason."""

    arguments = {
        "--month": {"required": True, "help": "YYYY-MM or latest"},
        "--wait": commands.flag("show progress until all are done"),
        "--dry-run": commands.flag("count the areas, queue nothing"),
    }

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--partnership", help="partnership slug")
        which.add_argument("--all", **commands.flag("every partnership"))
        super().add_arguments(parser)

    def handle(self, *args, **options):
        partnerships = self.partnerships(options)
        zones = not options["all"]
        queued, skipped, empty = [], 0, []
        for partnership in partnerships:
            month = self.month(partnership, options["month"])
            if month is None:
                empty.append(partnership.slug)
                continue
            if options["dry_run"]:
                n = len(briefing_places(partnership, zones=zones))
                self.stdout.write(f"{partnership.slug} {month:%Y-%m}: {n} areas")
                continue
            try:
                new, already = queue_briefings(partnership, month, zones=zones)
            except BriefingError as e:
                if options["partnership"]:
                    raise CommandError(str(e), returncode=2) from None
                empty.append(partnership.slug)
                continue
            queued += [b.pk for b in new]
            skipped += already
            self.stdout.write(
                f"{partnership.slug} {month:%Y-%m}: {len(new)} briefings queued"
                + (f", {already} already queued" if already else "")
            )
        if empty:
            self.stdout.write(f"No data for that month: {', '.join(empty)}")
        if options["dry_run"]:
            return
        if options["wait"] and queued:
            self.wait(queued)
        self.stdout.write(
            f"{len(queued)} briefings queued, {skipped} already queued,"
            f" {len(empty)} partnerships without data"
        )

    def partnerships(self, options):
        if options["all"]:
            return list(Partnership.objects.order_by("slug"))
        return [partnership_named(options["partnership"])]

    def month(self, partnership, text):
        if text == "latest":
            return latest_month(partnership)
        month = parse_month(text)
        if month is None:
            raise CommandError(
                f"--month must be YYYY-MM or latest, got {text!r}", returncode=2
            )
        return month

    def wait(self, ids, interval=2.0):
        """Poll the briefings' statuses until every one has finished."""
        started = time.monotonic()
        while True:
            counts = briefing_progress(ids)
            done = counts[Briefing.Status.DONE] + counts[Briefing.Status.FAILED]
            width = 30
            bar = "#" * (width * done // len(ids))
            self.stderr.write(
                f"\r[{bar:<{width}}] {done}/{len(ids)} done,"
                f" {counts[Briefing.Status.RUNNING]} running,"
                f" {counts[Briefing.Status.FAILED]} failed,"
                f" {time.monotonic() - started:.0f} s",
                ending="",
            )
            if done == len(ids):
                self.stderr.write("")
                return counts
            time.sleep(interval)

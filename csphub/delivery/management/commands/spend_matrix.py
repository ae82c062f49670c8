"""Print a partnership's spend matrix for a financial year, in pence."""

import csv
import json
import sys

from django.core.management.base import CommandError

from csphub.accounts.commands import PartnershipCommand
from csphub.delivery import spend


class Command(PartnershipCommand):
    """Print the spend matrix (service area x priority, in pence, with row and
    column totals) of a partnership's financial year as JSON or CSV."""

    partnership_help = "its slug"
    arguments = {
        "--year": {"required": True, "help": "YYYY, the year it starts"},
        "--format": {"choices": ["json", "csv"], "default": "json"},
    }

    def handle_partnership(self, partnership, **options):
        year = spend.parse_year(options["year"])
        if year is None:
            raise CommandError(f"{options['year']!r} is not a year such as 2011.")
        matrix = spend.matrix(partnership, year)
        if not matrix.rows:
            raise CommandError(f"No spend lines for {partnership.slug} in {year}.")
        data = matrix.as_json()
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, indent=2))
            return
        names = [p.name for p in matrix.columns]
        writer = csv.writer(self.stdout if self.stdout else sys.stdout)
        writer.writerow(["service_area", *names, "total"])
        for row in data["rows"]:
            writer.writerow(
                [row["service_area"], *(row["cells"][n] for n in names), row["total"]]
            )
        writer.writerow(["Total", *(data["totals"][n] for n in names), data["total"]])

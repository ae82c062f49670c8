"""The demo's crime data: Haringey's police.uk files from shared/data."""

from pathlib import Path

from django.db.models import Max, Q

from csphub.places.models import Zone

from .importing import Placer
from .models import Briefing, SourceFile
from .services import build_briefing, import_crime_file


def load_crime_demo(partnership, shared_dir):
    """Import every Haringey police.uk file found; (lines to print, missing)."""
    folder = Path(shared_dir) / "data" / "policeuk" / "haringey"
    files = sorted(folder.glob("*-street.csv"))
    if not files:
        return [], [
            f"police.uk files not found in {folder}: the demo has no crime data,"
            " so crime pages say so."
        ]
    placer = Placer(partnership)
    results = [import_crime_file(partnership, path, placer=placer) for path in files]
    loaded = [r for r in results if r.status != "unchanged"]
    rows = sum(r.rows_loaded for r in results)
    months = sorted({r.month for r in results})
    line = (
        f"Crime data: {len(files)} police.uk files ({len(loaded)} new or revised),"
        f" {rows} incidents, {months[0]:%Y-%m} to {months[-1]:%Y-%m}."
    )
    return [line], []


def prepare_demo_briefings(partnership):
    """A briefing for each zone for the latest month with police.uk data (a
    partner file for a later month is no crime data for it), unless one was
    prepared since any data last changed; lines to print."""
    files = SourceFile.objects.filter(partnership=partnership)
    latest = files.aggregate(
        month=Max("month", filter=Q(source=SourceFile.Source.POLICE_UK)),
        imported=Max("imported_at"),
    )
    if latest["month"] is None:
        return []
    made = []
    for zone in Zone.objects.filter(partnership=partnership):
        fresh = Briefing.objects.filter(
            partnership=partnership,
            zone=zone,
            month=latest["month"],
            status=Briefing.Status.DONE,
            created_at__gte=latest["imported"],
        )
        if not fresh.exists():
            build_briefing(partnership, zone, latest["month"])
            made.append(zone.name)
    if not made:
        return [f"Briefings for {latest['month']:%B %Y} are up to date."]
    return [f"Briefings prepared for {latest['month']:%B %Y}: {', '.join(made)} zones."]

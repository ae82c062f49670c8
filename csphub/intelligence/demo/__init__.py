"""The demo's crime data: Haringey's police.uk files from shared/data.

The illustrative harm weights are data beside this loader, in
harm_weights.json: relative weights by police.uk category, labelled
synthetic, for the demo only.
"""

import json
from pathlib import Path

from django.db.models import Max, Q

from csphub.accounts.models import User
from csphub.places.models import Zone

from ..datasets.demo import COUNCIL_SLUG
from ..harm import load_harm_weights
from ..importing import Placer
from ..loading import import_file
from ..models import Briefing, HarmIndex, SourceFile
from ..services import build_briefing
from ..sources import available_sources, source_months

DATA = Path(__file__).resolve().parent


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
    results = [import_file(partnership, path, placer=placer) for path in files]
    loaded = [r for r in results if r.status != "unchanged"]
    rows = sum(r.rows_loaded for r in results)
    months = sorted({r.month for r in results})
    line = (
        f"Crime data: {len(files)} police.uk files ({len(loaded)} new or revised),"
        f" {rows} incidents, {months[0]:%Y-%m} to {months[-1]:%Y-%m}."
    )
    return [line], []


def demo_sources(partnership, month):
    """Every source with data for the month: police.uk, the partner data sets
    and residents' reports, so the demo's briefings name them (issue 19)."""
    sources = available_sources(partnership)
    months = source_months(partnership, sources)
    return [s.key for s in sources if month in months[s.key]]


def load_harm_demo(partnership):
    """Illustrative harm weights (labelled synthetic), unless some are loaded."""
    if HarmIndex.objects.filter(partnership=partnership).exists():
        return []
    harm = json.loads((DATA / "harm_weights.json").read_text(encoding="utf-8"))
    rows = "\n".join(f"{c},{w}" for c, w in harm["weights"].items())
    load_harm_weights(
        partnership,
        f"category,weight\n{rows}\n".encode(),
        harm["file_name"],
        index_name=harm["index_name"],
        source=harm["source"],
        by=User.objects.filter(username="analyst").first(),
    )
    return [f"Harm weights: {len(harm['weights'])} illustrative categories."]


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
            sources = demo_sources(partnership, latest["month"])
            build_briefing(
                partnership,
                zone,
                latest["month"],
                sources=sources,
                # The synthetic council log sits at police.uk's ASB places:
                # with both, the hotspots would count those places twice.
                hotspot_sources=[k for k in sources if k != COUNCIL_SLUG],
            )
            made.append(zone.name)
    if not made:
        return [f"Briefings for {latest['month']:%B %Y} are up to date."]
    return [f"Briefings prepared for {latest['month']:%B %Y}: {', '.join(made)} zones."]

"""The demo's crime data: Haringey's police.uk files from shared/data."""

from pathlib import Path

from .importing import Placer
from .services import import_crime_file


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

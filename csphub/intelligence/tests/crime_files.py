"""Haringey's police.uk street-crime files, imported for a test."""

from csphub.intelligence.services import import_file

from .fixtures import data_dir

# the real files where ../shared/data has them, else the synthetic fixtures
HARINGEY = data_dir() / "policeuk" / "haringey"


def import_street_crime(partnership, months, folder=HARINGEY):
    """Imports the Metropolitan Police file of each month ("2016-02") in `folder`."""
    for month in months:
        import_file(partnership, folder / f"{month}-metropolitan-street.csv")

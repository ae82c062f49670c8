"""Synthetic partner data sets for the demo, labelled "synthetic" wherever they show.

No real council ASB log or fire service file is public, so the demo makes
one of each from the real police.uk incidents already loaded: a council ASB
log (CSV, eastings/northings, the council's own problem codes) placed at
police.uk anti-social behaviour locations, and a fire service's secondary
fires (XLSX, longitude/latitude, date cells) placed at arson and criminal
damage locations. Days are drawn with a fixed seed, with some near-repeats
(a second incident a few days later a few tens of metres away). Each file is
written to a temporary file and loaded through the real import path.
"""

import csv
import random
import tempfile
from collections import defaultdict
from datetime import datetime, time, timedelta
from pathlib import Path

import openpyxl
from pyproj import Transformer

from csphub.accounts.models import Organisation, User
from csphub.lib.months import add_months, first_of_month

from ..importing import Placer
from ..loading import import_file
from ..models import DataSet, Incident
from .services import create_data_set

SEED = 20160101
COUNCIL_SLUG, FIRE_SLUG = "council-asb-log", "lfb-secondary-fires"
SYNTHETIC_NOTE = (
    "Synthetic: made for the demo from the locations of real police.uk {what}"
    " in each month, with days drawn at random (fixed seed) and some"
    " near-repeats. Not real {whose} data."
)
# Council problem codes -> (category, share, chance the row is alcohol-related)
COUNCIL_CODES = {
    "NOI": ("Noise", 0.30, 0.20),
    "ROW": ("Rowdy or inconsiderate behaviour", 0.28, 0.40),
    "DRK": ("Street drinking", 0.10, 1.0),
    "DRG": ("Drug use or dealing", 0.12, 0.05),
    "NBR": ("Neighbour dispute", 0.10, 0.10),
    "VEH": ("Vehicle nuisance", 0.10, 0.05),
}
FIRE_TYPES = [
    ("Secondary fire: refuse or rubbish", 0.55),
    ("Secondary fire: grassland or scrub", 0.15),
    ("Secondary fire: derelict vehicle", 0.10),
    ("Secondary fire: outdoor structure", 0.20),
]
COUNCIL_HEADER = [
    "Case ref", "Date received", "Problem code", "Easting", "Northing",
    "Street", "Ward", "Alcohol involved", "Repeat victim", "Household ref",
]  # fmt: skip
FIRE_HEADER = [
    "IncidentNumber", "DateOfCall", "TimeOfCall", "PropertyCategory",
    "PropertyType", "Longitude", "Latitude", "Street",
]  # fmt: skip


def load_dataset_demo(partnership):
    """Build and import the two synthetic data sets; lines to print."""
    sources = _police_points(partnership)
    if not sources:
        return []
    months = sorted(sources)
    council, fire = _data_sets(partnership)
    placer = Placer(partnership)
    lines = []
    for data_set, build, suffix in (
        (council, _council_rows, ".csv"),
        (fire, _fire_rows, ".xlsx"),
    ):
        loaded = 0
        for year in sorted({m.year for m in months}):
            name = f"{data_set.slug}-{year}{suffix}"
            if data_set.files.filter(name=name).exists():
                continue  # already loaded: the demo is idempotent
            year_months = [m for m in months if m.year == year]
            body = build(sources, year_months, random.Random(f"{SEED}-{name}"))
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / name
                _write(path, data_set, body)
                import_file(partnership, path, data_set=data_set, placer=placer)
            loaded += 1
        count = data_set.incidents.count()
        lines.append(
            f"Partner data: {data_set.name}, {count} incidents"
            f" ({loaded} files loaded now)."
        )
    return lines


def _police_points(partnership):
    """{month: {"asb": [...], "damage": [...]}} of police.uk points, with every
    month between the first and last (a month police.uk lacks borrows the
    next month's places, so the partner files have no gap of their own)."""
    points = defaultdict(lambda: {"asb": [], "damage": []})
    kinds = {"Anti-social behaviour": "asb", "Criminal damage and arson": "damage"}
    rows = (
        Incident.objects.police_uk()
        .filter(partnership=partnership, category__in=kinds)
        .exclude(longitude=None)
        .values_list(
            "month", "category", "longitude", "latitude", "location", "ward__name"
        )
        .order_by("month", "pk")
    )
    for month, category, lon, lat, location, ward in rows:
        points[month][kinds[category]].append((lon, lat, location, ward or ""))
    if not points:
        return {}
    months, month = {}, min(points)
    while month <= max(points):
        later = month
        while later not in points:
            later = add_months(later, 1)
        months[month] = points[later]
        month = add_months(month, 1)
    return months


# slug -> (organisation, the data set's name, description and mapping)
DATA_SETS = {
    COUNCIL_SLUG: (
        "Haringey Council",
        {
            "name": "Haringey Council ASB log (synthetic)",
            "description": SYNTHETIC_NOTE.format(
                what="anti-social behaviour incidents", whose="council"
            ),
            "columns": COUNCIL_HEADER,
            "date_column": "Date received",
            "date_formats": ["%d/%m/%Y"],
            "category_column": "Problem code",
            "category_map": {code: c for code, (c, _, _) in COUNCIL_CODES.items()},
            "category_map_required": True,
            "location_kind": DataSet.LocationKind.EASTING_NORTHING,
            "x_column": "Easting",
            "y_column": "Northing",
            "address_column": "Street",
            "reference_column": "Case ref",
            "alcohol_column": "Alcohol involved",
            "repeat_victim_column": "Repeat victim",
            "victim_column": "Household ref",
            "yes_values": "Y",
        },
    ),
    FIRE_SLUG: (
        "London Fire Brigade",
        {
            "name": "London Fire Brigade secondary fires (synthetic)",
            "description": SYNTHETIC_NOTE.format(
                what="criminal damage and arson incidents", whose="fire service"
            ),
            "columns": FIRE_HEADER,
            "date_column": "DateOfCall",
            "date_formats": ["%d/%m/%Y", "%Y-%m-%d"],
            "category_column": "PropertyType",
            "location_kind": DataSet.LocationKind.LONGITUDE_LATITUDE,
            "x_column": "Longitude",
            "y_column": "Latitude",
            "address_column": "Street",
            "reference_column": "IncidentNumber",
        },
    ),
}


def _data_sets(partnership):
    """The council's and the fire service's data sets, made if missing."""
    analyst = User.objects.filter(username="analyst").first()
    data_sets = DataSet.objects.select_related("partnership", "organisation")
    found = []
    for slug, (organisation, options) in DATA_SETS.items():
        data_set = data_sets.filter(partnership=partnership, slug=slug).first()
        if data_set is None:
            data_set = create_data_set(
                partnership,
                slug=slug,
                organisation=Organisation.objects.get(name=organisation),
                by=analyst,
                **options,
            )
        found.append(data_set)
    return found


def _days_in(month):
    return (add_months(month, 1) - month).days


def _day(month, rng, *, weekend_bias):
    """A day of the month, more often a Friday or Saturday when biased."""
    day = month + timedelta(days=rng.randrange(_days_in(month)))
    if rng.random() < weekend_bias:
        shift = (4 - day.weekday()) % 7 + rng.choice((0, 1))  # Fri or Sat
        if first_of_month(day + timedelta(days=shift)) == month:
            day += timedelta(days=shift)
    return day


def _jitter(lon, lat, rng, metres):
    # ~ metres at London's latitude: 1e-5 deg lat ~ 1.1 m, 1e-5 deg lon ~ 0.7 m
    return (
        lon + rng.uniform(-metres, metres) / 70_000,
        lat + rng.uniform(-metres, metres) / 111_000,
    )


def _events(points, month, rng, share, weekend_bias, metres=25, near_repeat=0.2):
    """(day, lon, lat, street, ward) events drawn from a month's points, with
    some followed by a near-repeat 1-7 days later within ~60 m."""
    events = []
    last = first_of_month(add_months(month, 1)) - timedelta(days=1)
    for lon, lat, location, ward in points:
        if rng.random() >= share:
            continue
        day = _day(month, rng, weekend_bias=weekend_bias)
        street = location.removeprefix("On or near ")
        events.append((day, *_jitter(lon, lat, rng, metres), street, ward))
        if rng.random() < near_repeat:
            again = day + timedelta(days=rng.randint(1, 7))
            if again <= last:
                events.append((again, *_jitter(lon, lat, rng, 60), street, ward))
    return sorted(events, key=lambda e: e[0])


def _council_rows(sources, months, rng):
    to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    codes = list(COUNCIL_CODES)
    weights = [share for _, share, _ in COUNCIL_CODES.values()]
    body, n = [], 0
    households = defaultdict(list)  # street -> households that reported there
    for month in months:
        for day, lon, lat, street, ward in _events(
            sources[month]["asb"], month, rng, share=0.35, weekend_bias=0.3
        ):
            n += 1
            code = rng.choices(codes, weights)[0]
            easting, northing = to_grid.transform(lon, lat)
            alcohol = rng.random() < COUNCIL_CODES[code][2]
            household, repeat = _household(households[street], rng, n)
            body.append(
                [f"HC-ASB-{day.year}-{n:05}", f"{day:%d/%m/%Y}", code,
                 f"{easting:.0f}", f"{northing:.0f}", street, ward,
                 "Y" if alcohol else "N", "Y" if repeat else "N", household]
            )  # fmt: skip
    return body


def _household(seen, rng, n):
    """(synthetic household reference, repeat?): about one report in eight
    comes again from a household that reported on the same street before."""
    if seen and rng.random() < 0.12:
        return rng.choice(seen[-5:]), True
    household = f"HH-{n:06}"
    seen.append(household)
    return household, False


def _fire_rows(sources, months, rng):
    kinds = [kind for kind, _ in FIRE_TYPES]
    body, n = [], 0
    for month in months:
        summer = month.month in (4, 5, 6, 7, 8)
        weights = [w * (3 if summer and "grass" in k else 1) for k, w in FIRE_TYPES]
        for day, lon, lat, street, _ in _events(
            sources[month]["damage"],
            month,
            rng,
            share=0.16 if summer else 0.09,
            weekend_bias=0.2,
            near_repeat=0.25,
        ):
            n += 1
            at = time(rng.choice((15, 17, 19, 20, 21, 22, 23)), rng.randrange(60))
            body.append(
                [f"LFB{day:%y}{n:06}", datetime.combine(day, time()),
                 at.strftime("%H:%M"), "Outdoor", rng.choices(kinds, weights)[0],
                 round(lon, 6), round(lat, 6), street]
            )  # fmt: skip
    return body


def _write(path, data_set, body):
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(data_set.columns)
            writer.writerows(body)
        return
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Secondary fires"
    sheet.append(data_set.columns)
    for row in body:
        sheet.append(row)
    for cell in sheet["B"][1:]:
        cell.number_format = "DD/MM/YYYY"
    book.save(path)

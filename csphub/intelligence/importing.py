"""Reading police.uk street-level CSV files exactly as published, and placing
rows in a partnership's area tree. Every parser (this one, and a partner data
set's in `datasets.parsing`) gives a ParsedFile of IncidentRows, which the one
import pipeline (`loading.import_data`) places and writes."""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import Point, shape

from csphub.lib.months import parse_month
from csphub.places.models import Area, Zone

POLICE_UK_COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]


class CrimeFileError(Exception):
    """A file cannot be imported; the message is `file:line: reason`."""


@dataclass(slots=True)
class IncidentRow:
    """One row of a file as the pipeline writes it: police.uk rows give a month
    (the file's) and an outcome; partner rows a day, flags and a victim key."""

    line: int
    crime_id: str  # police.uk's Crime ID, or a partner file's reference
    category: str
    longitude: float | None
    latitude: float | None
    location: str
    lsoa_code: str
    outcome: str = ""
    occurred_on: date | None = None
    alcohol_related: bool = False
    hate_crime: bool = False
    repeat_victim: bool = False
    victim_key: str = ""  # the keyed hash of the victim reference, never the text


@dataclass
class ParsedFile:
    """A file read whole: its rows and the whole months it covers. `force` is
    the police force of a police.uk file, or the organisation of a partner's."""

    name: str
    sha256: str
    force: str = ""
    month: date | None = None
    last_month: date | None = None
    rows: list = field(default_factory=list)


def read_police_uk(path, name=None):
    """Parse a police.uk street-level CSV file; see parse_police_uk."""
    with open(path, "rb") as fh:
        return parse_police_uk(fh.read(), name or str(path))


def parse_police_uk(raw, name):
    """Parse the bytes of a police.uk street-level CSV, all or nothing.

    Raises CrimeFileError naming the line for a wrong header, a short or long
    row, a bad month or bad coordinates, text that is not UTF-8, or a file
    mixing months or forces.
    """
    text = _decode(raw, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        _check_header(header, name)
        parsed = ParsedFile(name, hashlib.sha256(raw).hexdigest())
        month_text = None  # the Month column as written, checked once
        for row in reader:
            month_text = _add_row(parsed, row, reader.line_num, name, month_text)
    except csv.Error as e:
        raise CrimeFileError(f"{name}:{reader.line_num}: {e}") from None
    if not parsed.rows:
        raise CrimeFileError(f"{name}:2: the file has no rows")
    parsed.last_month = parsed.month
    return parsed


def _decode(raw, name):
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise CrimeFileError(
            f"{name}:{line}: not UTF-8 text (byte {raw[e.start]:#04x});"
            " police.uk files are UTF-8"
        ) from None


def _check_header(header, name):
    if header != POLICE_UK_COLUMNS:
        found = ", ".join(header or []) or "nothing"
        raise CrimeFileError(
            f"{name}:1: the columns are {found}; expected the 12 police.uk"
            f" columns: {', '.join(POLICE_UK_COLUMNS)}"
        )


def _add_row(parsed, row, line, name, month_text):
    if len(row) != len(POLICE_UK_COLUMNS):
        raise CrimeFileError(
            f"{name}:{line}: expected 12 columns, found {len(row)}"
            " (is the file truncated?)"
        )
    crime_id, month, reported_by, _, lon, lat, location, lsoa, _, category = row[:10]
    if month != month_text:
        _check_month(parsed, month, line, name, month_text)
    if not parsed.rows:
        parsed.force = reported_by
    elif reported_by != parsed.force:
        raise CrimeFileError(
            f"{name}:{line}: reported by {reported_by!r}, not {parsed.force!r}"
            " (a police.uk file holds one force)"
        )
    if not category:
        raise CrimeFileError(f"{name}:{line}: the crime type is empty")
    longitude, latitude = _coordinates(lon, lat, line, name)
    parsed.rows.append(
        IncidentRow(
            line, crime_id, category, longitude, latitude, location, lsoa, row[10]
        )
    )
    return month


def _check_month(parsed, month, line, name, month_text):
    first_day = parse_month(month)
    if first_day is None or month != month.strip():
        raise CrimeFileError(f"{name}:{line}: month {month!r} is not YYYY-MM")
    if parsed.rows:
        raise CrimeFileError(
            f"{name}:{line}: month {month} differs from the file's"
            f" {month_text} (a police.uk file holds one month)"
        )
    parsed.month = first_day


def _coordinates(lon, lat, line, name):
    if not lon and not lat:
        return None, None
    try:
        longitude, latitude = float(lon), float(lat)
    except ValueError:
        raise CrimeFileError(
            f"{name}:{line}: bad coordinates {lon!r}, {lat!r}: expected decimal"
            " longitude and latitude"
        ) from None
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise CrimeFileError(
            f"{name}:{line}: bad coordinates {lon}, {lat}: outside longitude"
            " -180..180 / latitude -90..90"
        )
    return longitude, latitude


class Placer:
    """Places rows in a partnership's LSOAs, wards and zones.

    A row's published LSOA code decides where it is; a row without one is
    placed by its point. Where the borough has no LSOAs loaded, rows inside
    the borough's boundary are kept without an LSOA.
    """

    PLACED, OUTSIDE, NO_LOCATION = "placed", "outside", "no_location"

    def __init__(self, partnership):
        borough = partnership.borough
        lsoas = list(
            Area.objects.lsoas()
            .filter(parent__parent=borough)
            .values_list("pk", "code", "parent_id", "boundary")
        )
        self.by_code = {code: (pk, ward) for pk, code, ward, _ in lsoas}
        self.zone_of_ward = dict(
            Zone.wards.through.objects.filter(
                zone__partnership=partnership
            ).values_list("area_id", "zone_id")
        )
        with_boundary = [(pk, ward, b) for pk, _, ward, b in lsoas if b]
        self.tree_ids = [(pk, ward) for pk, ward, _ in with_boundary]
        self.tree = STRtree([shape(b) for _, _, b in with_boundary])
        self.borough_shape = (
            shape(borough.boundary) if borough and borough.boundary else None
        )

    def place(self, row):
        """(status, lsoa id, ward id, zone id) for a row."""
        if row.lsoa_code and row.lsoa_code in self.by_code:
            return self._placed(*self.by_code[row.lsoa_code])
        if row.longitude is None:
            status = self.OUTSIDE if row.lsoa_code else self.NO_LOCATION
            return (status, None, None, None)
        point = Point(row.longitude, row.latitude)
        if not row.lsoa_code and self.tree_ids:
            hits = self.tree.query(point, predicate="within")
            if len(hits):
                return self._placed(*self.tree_ids[int(hits[0])])
        if not self.by_code and self.borough_shape and self.borough_shape.covers(point):
            return (self.PLACED, None, None, None)
        return (self.OUTSIDE, None, None, None)

    def place_many(self, rows):
        """[place(row) for row in rows], with the points queried at once.

        One vectorised STRtree query instead of one per row: partner files
        place every row by its point, where police.uk rows carry an LSOA.
        """
        placed = [None] * len(rows)
        pending = []
        for i, row in enumerate(rows):
            if (row.lsoa_code and row.lsoa_code in self.by_code) or (
                row.longitude is None or row.lsoa_code
            ):
                placed[i] = self.place(row)
            else:
                pending.append(i)
        if pending and self.tree_ids:
            points = shapely.points(
                np.array([[rows[i].longitude, rows[i].latitude] for i in pending])
            )
            found, hits = self.tree.query(points, predicate="within")
            for point_index, hit in zip(found.tolist(), hits.tolist(), strict=True):
                i = pending[point_index]
                if placed[i] is None:
                    placed[i] = self._placed(*self.tree_ids[hit])
        for i in pending:
            if placed[i] is None:
                placed[i] = self.place(rows[i])  # the borough check, or outside
        return placed

    def _placed(self, lsoa_id, ward_id):
        return (self.PLACED, lsoa_id, ward_id, self.zone_of_ward.get(ward_id))

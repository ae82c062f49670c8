"""Where a report is: streets and postcodes loaded locally (no lookup service
on the internet), and a point placed in the LSOA, ward and zone it falls in."""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from shapely.geometry import Point, shape
from shapely.prepared import prep

from csphub.intelligence.importing import Placer
from csphub.places.models import Area, Zone

from .models import LsoaBox, Postcode, Street

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
ON_OR_NEAR = re.compile(r"^on or near\s+", re.IGNORECASE)


class GazetteerError(Exception):
    """A gazetteer or postcode file that cannot be loaded (nothing was)."""


class OutsideArea(Exception):
    """A point outside the partnership's borough."""


@dataclass
class Placement:
    latitude: float
    longitude: float
    lsoa: Area | None
    ward: Area | None
    zone: Zone | None
    place: str = ""
    street: Street | None = None

    def fields(self):
        """The report's fields for where it is."""
        return {**where_fields(self), "lsoa": self.lsoa, "ward": self.ward}


def where_fields(where):
    """A report's point, street, place and zone from a Placement (or the
    intake's Placed, which has the LSOA and ward as ids)."""
    return {
        "latitude": where.latitude,
        "longitude": where.longitude,
        "street": where.street,
        "place": where.place[:200],
        "zone": where.zone,
    }


def normalise_postcode(text):
    """'n178ab' -> 'N17 8AB', or None when it is not a UK postcode's shape."""
    compact = re.sub(r"\s+", "", (text or "").upper())
    match = POSTCODE.match(compact[:-3] + " " + compact[-3:]) if compact else None
    return f"{match.group(1)} {match.group(2)}" if match else None


def build_boxes(borough):
    """(Re)build the LSOA bounding boxes of a borough; returns how many."""
    LsoaBox.objects.filter(borough=borough).delete()
    boxes = []
    lsoas = Area.objects.lsoas().filter(parent__parent=borough)
    for lsoa in lsoas.exclude(boundary=None):
        min_lon, min_lat, max_lon, max_lat = shape(lsoa.boundary).bounds
        boxes.append(
            LsoaBox(
                lsoa=lsoa,
                borough=borough,
                min_lon=min_lon,
                max_lon=max_lon,
                min_lat=min_lat,
                max_lat=max_lat,
            )
        )
    LsoaBox.objects.bulk_create(boxes)
    return len(boxes)


def lsoa_at(borough, latitude, longitude):
    """The borough's LSOA containing the point, or None."""
    boxes = (
        LsoaBox.objects.filter(borough=borough)
        .filter(min_lat__lte=latitude, max_lat__gte=latitude)
        .filter(min_lon__lte=longitude, max_lon__gte=longitude)
        .select_related("lsoa", "lsoa__parent")
        .defer("lsoa__parent__boundary")  # the ward's: not needed
    )
    point = Point(longitude, latitude)
    for box in boxes:
        if shape(box.lsoa.boundary).covers(point):
            return box.lsoa
    return None


# Prepared LSOA boundaries, per process, keyed by the box they were read for
# with its bounds: rebuilt boxes (new boundaries) get new keys.
_SHAPES = {}
_SHAPES_MAX = 20_000


def in_box(box, latitude, longitude):
    """Whether the point is inside a box as locate takes them."""
    return box[3] <= longitude <= box[5] and box[4] <= latitude <= box[6]


def locate(boxes, latitude, longitude):
    """(LSOA id, ward id) of the LSOA containing the point, or None.

    The quick form of lsoa_at for the Open311 intake: `boxes` are the
    borough's LSOA boxes as (pk, LSOA id, ward id, min lon, min lat, max lon,
    max lat), read once (intake.Known); each LSOA's boundary is parsed once
    per process rather than read and parsed on every request."""
    point = None
    for box in boxes:
        if not in_box(box, latitude, longitude):
            continue
        boundary = _SHAPES.get(box)
        if boundary is None:
            geojson = Area.objects.filter(pk=box[1]).values_list("boundary", flat=True)[
                0
            ]
            if len(_SHAPES) >= _SHAPES_MAX:
                _SHAPES.clear()
            boundary = _SHAPES[box] = prep(shape(geojson))
        point = point or Point(longitude, latitude)
        if boundary.covers(point):
            return box[1], box[2]
    return None


def zone_of(partnership, ward):
    if ward is None:
        return None
    zones = Zone.objects.filter(partnership=partnership, wards=ward)
    return zones.defer("boundary").first()


def place_point(partnership, latitude, longitude, *, place="", street=None):
    """Place a point in the partnership's area tree, or raise OutsideArea.

    A borough with no LSOA boundaries loaded accepts any point inside its
    own boundary (or any point at all when it has none), unplaced.
    """
    borough = partnership.borough
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise OutsideArea("That is not a point on the map.")
    lsoa = lsoa_at(borough, latitude, longitude) if borough else None
    if lsoa is None:
        has_boxes = borough and LsoaBox.objects.filter(borough=borough).exists()
        inside = not has_boxes and (
            not (borough and borough.boundary)
            or shape(borough.boundary).covers(Point(longitude, latitude))
        )
        if not inside:
            name = borough.name if borough else "the partnership's area"
            raise OutsideArea(f"That place is outside {name}.")
    ward = lsoa.parent if lsoa else None
    if street is None and not place:
        street = nearest_street(borough, latitude, longitude)
        place = street.name if street else ""
    return Placement(
        latitude,
        longitude,
        lsoa,
        ward,
        zone_of(partnership, ward),
        place=place,
        street=street,
    )


def nearest_street(borough, latitude, longitude, metres=300):
    """The gazetteer point nearest a point, within `metres`, or None. Reads
    bare values (a street has dozens of points), then makes one instance."""
    d = metres / 111_320
    candidates = Street.objects.filter(
        borough=borough,
        latitude__range=(latitude - d, latitude + d),
        longitude__range=(longitude - 2 * d, longitude + 2 * d),
    ).values_list("pk", "name", "latitude", "longitude", "lsoa_id", "ward_id")
    best = min(
        candidates,
        key=lambda s: (s[2] - latitude) ** 2 + ((s[3] - longitude) * 0.62) ** 2,
        default=None,
    )
    if best is None:
        return None
    pk, name, lat, lon, lsoa_id, ward_id = best
    return Street(
        pk=pk,
        borough=borough,
        name=name,
        latitude=lat,
        longitude=lon,
        lsoa_id=lsoa_id,
        ward_id=ward_id,
    )


def streets_named(borough, text, limit=20):
    """Gazetteer streets whose name contains the text: one per name and ward."""
    text = (text or "").strip()
    if len(text) < 2 or borough is None:
        return []
    seen, found = set(), []
    rows = (
        Street.objects.filter(borough=borough, name__icontains=text)
        .select_related("ward", "lsoa")
        .defer("ward__boundary", "lsoa__boundary")
    )
    for street in rows.order_by("name", "ward__name", "pk")[:2000]:
        key = (street.name.lower(), street.ward_id)
        if key not in seen:
            seen.add(key)
            found.append(street)
        if len(found) >= limit:
            break
    return found


def street_label(street):
    return f"{street.name}, {street.ward.name}" if street.ward_id else street.name


def place_street(partnership, street, zones=None):
    """A gazetteer street is placed when loaded: no geometry needed here.
    `zones` (ward id -> zone) saves a query per street when placing many."""
    ward = street.ward
    zone = (
        zones.get(street.ward_id) if zones is not None else zone_of(partnership, ward)
    )
    return Placement(
        street.latitude, street.longitude, street.lsoa, ward, zone, street.name, street
    )


def zones_by_ward(partnership):
    return {
        ward_id: zone
        for zone in Zone.objects.filter(partnership=partnership).prefetch_related(
            "wards"
        )
        for ward_id in (w.pk for w in zone.wards.all())
    }


def place_postcode(partnership, text):
    """Place a postcode from the loaded directory; ValueError with a message."""
    postcode = normalise_postcode(text)
    if postcode is None:
        raise ValueError("Enter a postcode in the right format, like N17 8AB")
    found = Postcode.objects.filter(postcode=postcode).first()
    if found is None:
        raise ValueError(f"{postcode} is not in this area's postcode directory")
    return place_point(partnership, found.latitude, found.longitude)


def has_postcodes():
    return Postcode.objects.exists()


def read_gazetteer(path):
    """(name, lat, lon) rows of a CSV with name, latitude, longitude columns,
    or of police.uk street files (their "On or near ..." locations)."""
    rows = []
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = {f.lower(): f for f in reader.fieldnames or []}
        name_key = fields.get("name") or fields.get("location")
        if not (name_key and "latitude" in fields and "longitude" in fields):
            raise GazetteerError(
                f"{path}: needs columns name (or Location), latitude, longitude"
            )
        for line, row in enumerate(reader, start=2):
            name = ON_OR_NEAR.sub("", (row[name_key] or "").strip())
            lat, lon = row[fields["latitude"]], row[fields["longitude"]]
            if not name or not lat or not lon:
                continue  # police.uk rows without a location
            try:
                rows.append((name[:200], float(lat), float(lon)))
            except ValueError:
                raise GazetteerError(
                    f"{path}:{line}: bad coordinates {lat!r}, {lon!r}"
                ) from None
    return rows


@transaction.atomic
def load_gazetteer(partnership, paths, *, dry_run=False):
    """Replace a borough's gazetteer with the distinct named points of the
    files; points outside the borough are skipped. Returns (loaded, skipped)."""
    borough = partnership.borough
    if borough is None:
        raise GazetteerError(f"{partnership} has no borough.")
    build_boxes(borough)
    points = {}
    for path in paths:
        for name, lat, lon in read_gazetteer(path):
            points[(name, round(lat, 6), round(lon, 6))] = None
    rows = [
        _PointRow(lon, lat, name) for name, lat, lon in points
    ]  # placed at once, as intelligence places partner files
    placer = Placer(partnership)
    ward_of = dict(
        Area.objects.lsoas()
        .filter(parent__parent=borough)
        .values_list("pk", "parent_id")
    )
    streets, skipped = [], 0
    for row, (status, lsoa_id, ward_id, _) in zip(
        rows, placer.place_many(rows), strict=True
    ):
        if status != Placer.PLACED:
            skipped += 1
            continue
        streets.append(
            Street(
                borough=borough,
                name=row.name,
                latitude=row.latitude,
                longitude=row.longitude,
                lsoa_id=lsoa_id,
                ward_id=ward_id or ward_of.get(lsoa_id),
            )
        )
    if not dry_run:
        Street.objects.filter(borough=borough).delete()
        Street.objects.bulk_create(streets, batch_size=2000)
    return len(streets), skipped


@dataclass
class _PointRow:
    longitude: float
    latitude: float
    name: str
    lsoa_code: str = ""


@transaction.atomic
def load_postcodes(path, *, dry_run=False):
    """Load an ONS Postcode Directory extract (pcds or pcd, lat, long, lsoa11
    or lsoa21 columns). Terminated postcodes (doterm set) are skipped.
    Returns (loaded, skipped)."""
    loaded, skipped = [], 0
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = {f.lower(): f for f in reader.fieldnames or []}
        key = fields.get("pcds") or fields.get("pcd")
        if not (key and "lat" in fields and "long" in fields):
            raise GazetteerError(f"{path}: needs columns pcds (or pcd), lat, long")
        lsoa_key = fields.get("lsoa21") or fields.get("lsoa11")
        term_key = fields.get("doterm")
        for line, row in enumerate(reader, start=2):
            postcode = normalise_postcode(row[key])
            if postcode is None:
                raise GazetteerError(f"{path}:{line}: bad postcode {row[key]!r}")
            if term_key and row[term_key].strip():
                skipped += 1
                continue
            try:
                lat, lon = float(row[fields["lat"]]), float(row[fields["long"]])
            except ValueError:
                raise GazetteerError(f"{path}:{line}: bad coordinates") from None
            if lat > 90:  # ONSPD's 99.999999 for postcodes with no grid reference
                skipped += 1
                continue
            lsoa = row[lsoa_key].strip() if lsoa_key else ""
            loaded.append(
                Postcode(postcode=postcode, latitude=lat, longitude=lon, lsoa_code=lsoa)
            )
    if not dry_run:
        Postcode.objects.filter(postcode__in=[p.postcode for p in loaded]).delete()
        Postcode.objects.bulk_create(loaded, batch_size=2000)
    return len(loaded), skipped

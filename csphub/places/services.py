"""What the places app can do: load ONS areas from files, define zones, name
the contact for a zone or ward."""

import csv
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from shapely import make_valid, set_precision
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from .models import Area, PlaceContact, Zone

WGS84_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
    "CRS84",
}
ONS_CODE = {
    Area.Kind.BOROUGH: re.compile(r"^[EWSN]0[6-9]\d{6}$"),
    Area.Kind.WARD: re.compile(r"^[EWSN]05\d{6}$"),
    Area.Kind.LSOA: re.compile(r"^[EWSN]01\d{6}$"),
}
COORDINATE_DECIMALS = 6


class AreaImportError(Exception):
    """A file cannot be loaded; the message names the file and the feature or line."""


@dataclass
class AreaImportResult:
    """Counts of what an import created or updated."""

    boroughs: int = 0
    wards: int = 0
    lsoas: int = 0
    borough_codes: list = field(default_factory=list)

    def summary(self):
        return f"{self.boroughs} boroughs, {self.wards} wards, {self.lsoas} LSOAs"


@dataclass
class _Feature:
    code: str
    name: str
    geometry: object  # a shapely geometry
    properties: dict


def load_areas(lsoas_path, lookup_path, boroughs_path=None, *, dry_run=False):
    """Load LSOAs, their wards and boroughs from ONS-style files, all or nothing.

    Each LSOA's ward comes from the lookup; ward boundaries are the union of
    their LSOAs. Boroughs come from the boroughs file where given, else from
    the LSOAs' LAD11CD/LAD11NM with the union of their LSOAs as boundary.
    """
    lsoas = read_features(lsoas_path, "LSOA11CD", "LSOA11NM", Area.Kind.LSOA)
    wards_of = read_ward_lookup(lookup_path, {f.code for f in lsoas}, lsoas_path)
    boroughs = []
    if boroughs_path:
        boroughs = read_features(
            boroughs_path, r"LAD\d\dCD", r"LAD\d\dNM", Area.Kind.BOROUGH
        )
    _check_every_lsoa_has_a_ward(lsoas, wards_of, lsoas_path, lookup_path)
    with transaction.atomic():
        result = _save_areas(lsoas, wards_of, boroughs)
        if dry_run:
            transaction.set_rollback(True)
    return result


def read_features(path, code_key, name_key, kind):
    """Features of a WGS84 GeoJSON FeatureCollection as (code, name, geometry)."""
    data = _read_geojson(path)
    features = data.get("features")
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise AreaImportError(f"{path}: not a GeoJSON FeatureCollection")
    if not features:
        raise AreaImportError(f"{path}: the FeatureCollection has no features")
    return [
        _read_feature(path, i, f, code_key, name_key, kind)
        for i, f in enumerate(features, 1)
    ]


def _read_geojson(path):
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise AreaImportError(f"{path}: no such file") from None
    except UnicodeDecodeError as e:
        raise AreaImportError(f"{path}: not UTF-8 text (byte {e.start})") from None
    except json.JSONDecodeError as e:
        raise AreaImportError(
            f"{path}: not valid GeoJSON at line {e.lineno} column {e.colno}: {e.msg}"
            " (is the file truncated?)"
        ) from None
    if not isinstance(data, dict):
        raise AreaImportError(f"{path}: not a GeoJSON object")
    crs = (data.get("crs") or {}).get("properties", {}).get("name")
    if crs and crs not in WGS84_NAMES:
        raise AreaImportError(
            f"{path}: coordinate reference system {crs} is not supported;"
            " reproject to WGS84 longitude/latitude (EPSG:4326)"
        )
    return data


def _property(props, key_pattern):
    for key, value in props.items():
        if re.fullmatch(key_pattern, key):
            return value
    return None


def _read_feature(path, index, feature, code_key, name_key, kind):
    props = (feature or {}).get("properties") or {}
    code = _property(props, code_key)
    name = _property(props, name_key)
    where = f"{path}: feature {index}"
    if not code or not name:
        missing = code_key if not code else name_key
        raise AreaImportError(f"{where}: missing property {missing}")
    where = f"{where} ({code})"
    if not ONS_CODE[kind].match(str(code)):
        raise AreaImportError(f"{where}: {code!r} is not an ONS {kind.label} code")
    try:
        geometry = shape(feature.get("geometry"))
    except Exception:  # shapely raises several types for malformed geometry
        raise AreaImportError(f"{where}: geometry is missing or malformed") from None
    if geometry.geom_type not in {"Polygon", "MultiPolygon"} or geometry.is_empty:
        raise AreaImportError(f"{where}: geometry must be a Polygon or MultiPolygon")
    minx, miny, maxx, maxy = geometry.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise AreaImportError(
            f"{where}: coordinates ({minx:.0f}, {miny:.0f}) are not longitude/latitude;"
            " the file looks projected (British National Grid?): reproject to WGS84"
        )
    if not geometry.is_valid:
        geometry = make_valid(geometry)
    return _Feature(str(code), str(name), geometry, props)


def read_ward_lookup(path, lsoa_codes, lsoas_path):
    """{LSOA code: (ward code, ward name)} from an LSOA11CD,WD18CD,WD18NM CSV."""
    if not Path(path).is_file():
        raise AreaImportError(f"{path}: no such file")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = {"LSOA11CD", "WD18CD", "WD18NM"}
        missing = columns - set(reader.fieldnames or [])
        if missing:
            raise AreaImportError(
                f"{path}:1: missing column(s) {', '.join(sorted(missing))}"
            )
        wards_of, ward_names = {}, {}
        for row in reader:
            _read_lookup_row(
                path, reader.line_num, row, lsoa_codes, lsoas_path, wards_of, ward_names
            )
    return wards_of


def _read_lookup_row(path, line, row, lsoa_codes, lsoas_path, wards_of, ward_names):
    lsoa, ward, ward_name = (
        row.get(k, "").strip() for k in ("LSOA11CD", "WD18CD", "WD18NM")
    )
    if not ONS_CODE[Area.Kind.WARD].match(ward):
        raise AreaImportError(f"{path}:{line}: {ward!r} is not an ONS ward code (E05…)")
    if not ward_name:
        raise AreaImportError(f"{path}:{line}: ward {ward} has no name")
    if lsoa not in lsoa_codes:
        raise AreaImportError(f"{path}:{line}: LSOA {lsoa!r} is not in {lsoas_path}")
    if ward_names.setdefault(ward, ward_name) != ward_name:
        raise AreaImportError(
            f"{path}:{line}: ward {ward} is named {ward_name!r} here but"
            f" {ward_names[ward]!r} earlier"
        )
    if lsoa in wards_of and wards_of[lsoa][0] != ward:
        raise AreaImportError(f"{path}:{line}: LSOA {lsoa} is given two wards")
    wards_of[lsoa] = (ward, ward_name)


def _check_every_lsoa_has_a_ward(lsoas, wards_of, lsoas_path, lookup_path):
    for index, feature in enumerate(lsoas, 1):
        if feature.code not in wards_of:
            raise AreaImportError(
                f"{lsoas_path}: feature {index} ({feature.code}): no ward for this"
                f" LSOA in {lookup_path}"
            )


def geojson_geometry(geometry):
    """A shapely geometry as a GeoJSON dict with coordinates rounded to ~10 cm."""

    rounded = set_precision(geometry, 10**-COORDINATE_DECIMALS)
    return json.loads(json.dumps(mapping(rounded)))


def _save_areas(lsoas, wards_of, boroughs):
    result = AreaImportResult()
    borough_areas = {}
    for feature in boroughs:
        borough_areas[feature.code] = _upsert(
            feature.code, feature.name, Area.Kind.BOROUGH, None, feature.geometry
        )
        result.boroughs += 1
    by_borough = defaultdict(list)
    for feature in lsoas:
        lad_code = _property(feature.properties, r"LAD\d\dCD")
        by_borough[(lad_code, _property(feature.properties, r"LAD\d\dNM"))].append(
            feature
        )
    for (lad_code, lad_name), members in by_borough.items():
        if lad_code not in borough_areas:
            existing = Area.objects.filter(code=lad_code).first()
            geometry = unary_union([f.geometry for f in members])
            borough_areas[lad_code] = existing or _upsert(
                lad_code, lad_name, Area.Kind.BOROUGH, None, geometry
            )
        result.borough_codes.append(lad_code)
    ward_members = defaultdict(list)
    for feature in lsoas:
        ward_members[wards_of[feature.code]].append(feature)
    for (ward_code, ward_name), members in sorted(ward_members.items()):
        lad_codes = Counter(_property(f.properties, r"LAD\d\dCD") for f in members)
        borough = borough_areas[lad_codes.most_common(1)[0][0]]
        ward = _upsert(
            ward_code,
            ward_name,
            Area.Kind.WARD,
            borough,
            unary_union([f.geometry for f in members]),
        )
        result.wards += 1
        for feature in members:
            _upsert(feature.code, feature.name, Area.Kind.LSOA, ward, feature.geometry)
            result.lsoas += 1
    for zone in Zone.objects.filter(
        wards__code__in=[w for w, _ in ward_members]
    ).distinct():
        refresh_zone_boundary(zone)
    return result


def _upsert(code, name, kind, parent, geometry):
    boundary = geojson_geometry(geometry) if geometry is not None else None
    area, _ = Area.objects.update_or_create(
        code=code,
        defaults={"name": name, "kind": kind, "parent": parent, "boundary": boundary},
    )
    return area


def define_zone(partnership, name, ward_codes, *, slug=None, description=""):
    """Create or update a partnership's zone as a group of its borough's wards."""
    wards = list(Area.objects.wards().filter(code__in=ward_codes))
    unknown = set(ward_codes) - {w.code for w in wards}
    if unknown:
        raise AreaImportError(
            f"zone {name}: unknown ward code(s) {', '.join(sorted(unknown))}"
        )
    zone, _ = Zone.objects.update_or_create(
        partnership=partnership,
        slug=slug or slugify(name),
        defaults={"name": name, "description": description},
    )
    zone.wards.set(wards)
    refresh_zone_boundary(zone)
    return zone


def refresh_zone_boundary(zone):
    """Recompute a zone's boundary as the union of its wards' boundaries."""
    shapes = [shape(w.boundary) for w in zone.wards.all() if w.boundary]
    zone.boundary = geojson_geometry(unary_union(shapes)) if shapes else None
    zone.save(update_fields=["boundary"])


def ensure_area(code, name, kind, parent=None):
    """Create an area without a boundary where no boundary file is available."""
    area, _ = Area.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "parent": parent}
    )
    return area


def shared_places_dir(shared_dir):
    """The folder of boundary files within the shared data folder."""
    return Path(shared_dir) / "data" / "places"


CONTACT_FIELDS = [
    "lead_officer",
    "role",
    "organisation",
    "email",
    "phone",
    "how_to_reach",
]


@transaction.atomic
def set_place_contact(partnership, *, zone=None, ward=None, **fields):
    """Name (or rename) the contact for a zone or a ward of the partnership;
    the caller audits it (places sits below accounts)."""
    if (zone is None) == (ward is None):
        raise ValueError("a contact is for one zone or one ward")
    if zone is not None and zone.partnership_id != partnership.pk:
        raise ValueError(f"{zone} is not a zone of {partnership}")
    if ward is not None and ward.parent_id != partnership.borough_id:
        raise ValueError(f"{ward} is not a ward of {partnership}")
    values = {k: v for k, v in fields.items() if k in CONTACT_FIELDS}
    contact, _ = PlaceContact.objects.update_or_create(
        partnership=partnership, zone=zone, ward=ward, defaults=values
    )
    return contact


def place_contacts(partnership):
    """({zone id: contact}, {ward id: contact}) of a partnership, one query."""
    zones, wards = {}, {}
    for c in PlaceContact.objects.of(partnership):
        if c.zone_id:
            zones[c.zone_id] = c
        else:
            wards[c.ward_id] = c
    return zones, wards

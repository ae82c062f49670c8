"""Reading a partner data set's files (CSV or XLSX) through its saved mapping.

A file is read whole before anything is loaded: any bad row rejects the file
with `file:row: reason` (the row as a spreadsheet numbers it, the header being
row 1). The rows are the pipeline's IncidentRows, so a partner file loads
through `loading.import_data` as a police.uk file does.
"""

import csv
import hashlib
import io
import re
from datetime import date, datetime

import openpyxl
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from pyproj import Transformer

from csphub.lib.months import first_of_month

from .. import victims
from ..importing import CrimeFileError, IncidentRow, ParsedFile
from ..victims import victim_key

# (strptime format, how it looks), offered on the mapping page.
DATE_FORMATS = [
    ("%d/%m/%Y", "31/01/2018"),
    ("%d/%m/%Y %H:%M", "31/01/2018 14:30"),
    ("%d/%m/%Y %H:%M:%S", "31/01/2018 14:30:00"),
    ("%d/%m/%y", "31/01/18"),
    ("%Y-%m-%d", "2018-01-31"),
    ("%Y-%m-%d %H:%M", "2018-01-31 14:30"),
    ("%Y-%m-%d %H:%M:%S", "2018-01-31 14:30:00"),
    ("%Y-%m-%dT%H:%M:%S", "2018-01-31T14:30:00"),
    ("%d-%m-%Y", "31-01-2018"),
    ("%d.%m.%Y", "31.01.2018"),
    ("%d %b %Y", "31 Jan 2018"),
    ("%d %B %Y", "31 January 2018"),
    ("%m/%d/%Y", "01/31/2018 (month first, as in the US)"),
]
FORMAT_EXAMPLES = dict(DATE_FORMATS)
# Great Britain, generously: a point outside is a mistake (often swapped
# columns), not a place in another borough.
GB_LONGITUDE, GB_LATITUDE = (-9.0, 3.0), (49.0, 61.0)
GB_EASTING, GB_NORTHING = (0, 700_000), (0, 1_300_000)
# Each kind of coordinates: the ranges of x and y in Great Britain, and what a
# point outside them is outside of.
GB_DEGREES = (
    GB_LONGITUDE,
    GB_LATITUDE,
    "Great Britain (longitude -9 to 3, latitude 49 to 61): are longitude and"
    " latitude the right way round?",
)
GB_GRID = (
    GB_EASTING,
    GB_NORTHING,
    "the British National Grid (easting 0 to 700000, northing 0 to 1300000)",
)
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
# A full UK postcode: removed from addresses, which must not point at a home.
POSTCODE = re.compile(r",?\s*\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
XLSX_MAGIC, XLS_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
SAMPLE_ROWS = 5


class DataSetFileError(CrimeFileError):
    """A partner file cannot be imported; the message is `file:row: reason`."""


# Reading cells -----------------------------------------------------------------


def read_table(raw, name, *, encoding="utf-8", sheet=""):
    """(header, rows) of a CSV or XLSX file: rows yields (row number, cells).

    Cells are text for CSV; XLSX cells keep their type (a date cell is a
    datetime). Blank rows are skipped.
    """
    if raw.startswith(XLS_MAGIC):
        raise DataSetFileError(
            f"{name}:1: an Excel 97-2003 (.xls) workbook, which is not read:"
            " save it as .xlsx or CSV"
        )
    if raw.startswith(XLSX_MAGIC) or name.lower().endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(raw, name, sheet)
    else:
        rows = _csv_rows(raw, name, encoding)
    for _, cells in rows:
        header = [str(c).strip() if c is not None else "" for c in cells]
        return header, rows
    raise DataSetFileError(f"{name}:1: the file is empty (no header row)")


def _csv_rows(raw, name, encoding):
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataSetFileError(
            f"{name}:1: UTF-16 text (Excel's 'Unicode text'): save it as"
            " 'CSV UTF-8' instead"
        )
    try:
        text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        hint = (
            "; if the file was saved from Excel as plain CSV, set the data"
            " set's encoding to Windows-1252"
            if encoding == "utf-8"
            else ""
        )
        raise DataSetFileError(
            f"{name}:{line}: not {encoding.upper()} text (byte"
            f" {raw[e.start]:#04x}){hint}"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield reader.line_num, cells
    except csv.Error as e:
        raise DataSetFileError(
            f"{name}:{reader.line_num}: {e} (is the file truncated?)"
        ) from None


def _xlsx_rows(raw, name, sheet):
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise DataSetFileError(
            f"{name}:1: not a readable XLSX workbook (truncated or corrupt?)"
        ) from None
    if sheet and sheet not in book.sheetnames:
        raise DataSetFileError(
            f"{name}:1: no sheet named {sheet!r}; the sheets are"
            f" {', '.join(book.sheetnames)}"
        )
    worksheet = book[sheet] if sheet else book.worksheets[0]
    line = 0
    try:
        for line, cells in enumerate(worksheet.iter_rows(values_only=True), 1):
            if any(c is not None and str(c).strip() for c in cells):
                yield line, [c.strip() if isinstance(c, str) else c for c in cells]
    except Exception:  # a damaged sheet fails part-way through
        raise DataSetFileError(
            f"{name}:{line + 1}: the workbook is damaged from this row on"
            " (truncated or corrupt?)"
        ) from None
    finally:
        book.close()


def read_sample(raw, name, *, encoding="utf-8", sheet=""):
    """(columns, first rows as text) of a sample file, for the mapping page."""
    header, rows = read_table(raw, name, encoding=encoding, sheet=sheet)
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise DataSetFileError(f"{name}:1: the header row has no column names")
    sample = []
    for _, cells in rows:
        sample.append([as_text(c) for c in cells[: len(header)]])
        if len(sample) == SAMPLE_ROWS:
            break
    return header, sample


def as_text(value):
    """A cell as the text a person would see."""
    if type(value) is str:  # every CSV cell: the fast path
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M" if value.time() else "%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# Reading rows through the mapping ----------------------------------------------


class RowReader:
    """Reads rows through a data set's mapping; raises DataSetFileError."""

    def __init__(self, data_set, header, name, *, today=None):
        self.data_set, self.name = data_set, name
        self.today = today or timezone.localdate()
        self.width = len(header)
        self.formats = list(data_set.date_formats) or ["%d/%m/%Y", "%Y-%m-%d"]
        self.category_map = {
            k.strip().lower(): v for k, v in data_set.category_map.items()
        }
        self.yes = data_set.yes_list()
        self.dates = {}  # text -> date: a file repeats its dates many times
        self.references = {}
        self.victims = {}  # reference -> hash, within this file only
        self.easting_northing = (
            data_set.location_kind == data_set.LocationKind.EASTING_NORTHING
        )
        self.index = self._columns(header)
        if "victim" in self.index:
            self._check_victim_key()

    def _columns(self, header):
        ds = self.data_set
        wanted = {
            "date": (ds.date_column, "date"),
            "category": (ds.category_column, "category"),
            "x": (ds.x_column, "longitude or easting"),
            "y": (ds.y_column, "latitude or northing"),
            "lsoa": (ds.lsoa_column, "LSOA code"),
            "address": (ds.address_column, "address"),
            "reference": (ds.reference_column, "reference"),
            "victim": (ds.victim_column, "victim or household reference"),
            **{flag: (column, "flag") for flag, column in ds.flag_columns().items()},
        }
        if ds.location_kind == ds.LocationKind.LSOA:
            wanted.pop("x"), wanted.pop("y")
        index = {}
        for key, (column, what) in wanted.items():
            if not column:
                continue
            positions = [i for i, h in enumerate(header) if h == column]
            if not positions:
                found = ", ".join(h for h in header if h) or "none"
                raise DataSetFileError(
                    f"{self.name}:1: missing column {column!r} (the mapping's"
                    f" {what} column); the file's columns are {found}"
                )
            if len(positions) > 1:
                raise DataSetFileError(
                    f"{self.name}:1: {len(positions)} columns are named"
                    f" {column!r}; the mapping cannot tell which to read"
                )
            index[key] = positions[0]
        return index

    def _check_victim_key(self):
        try:
            victims.key()
        except ImproperlyConfigured:
            raise DataSetFileError(
                f"{self.name}:1: the victim or household references cannot be"
                " kept safely: the site has no key set for them (ask its"
                " administrator), so nothing was loaded"
            ) from None

    def fail(self, line, reason):
        raise DataSetFileError(f"{self.name}:{line}: {reason}")

    def read(self, line, cells):
        if len(cells) != self.width and not self._only_blanks_beyond(cells):
            self.fail(
                line,
                f"expected {self.width} columns, found {len(cells)}"
                " (is the file truncated?)",
            )
        get = self._getter(cells)
        occurred_on = self._date(line, get("date"))
        x, y = self._coordinates(line, get("x"), get("y"))
        row = IncidentRow(
            line=line,
            crime_id=self._reference(line, get("reference")),
            occurred_on=occurred_on,
            category=self._category(line, get("category")),
            longitude=x,
            latitude=y,
            location=POSTCODE.sub("", as_text(get("address")))[:255].strip(", "),
            lsoa_code=self._lsoa(line, get("lsoa")),
        )
        for flag in ("alcohol_related", "hate_crime", "repeat_victim"):
            if flag in self.index:
                setattr(row, flag, self._yes(get(flag)))
        if "victim" in self.index:
            row.victim_key = self._victim(get("victim"))
        return row

    def _victim(self, value):
        # Hashed as it is read: the reference itself goes no further.
        text = as_text(value)
        if not text:
            return ""
        if text not in self.victims:
            self.victims[text] = victim_key(text)
        return self.victims[text]

    def _only_blanks_beyond(self, cells):
        # XLSX rows and some CSV exports run past the header with empty cells.
        return len(cells) > self.width and not any(
            c is not None and str(c).strip() for c in cells[self.width :]
        )

    def _getter(self, cells):
        index, n = self.index, len(cells)

        def get(key):
            i = index.get(key)
            return cells[i] if i is not None and i < n else None

        return get

    def _date(self, line, value):
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        else:
            text = as_text(value)
            if not text:
                self.fail(
                    line, f"the date (column {self.data_set.date_column!r}) is empty"
                )
            day = self.dates.get(text)
            if day is None:
                day = self.dates[text] = self._parse_date(line, text)
        if day > self.today:
            self.fail(line, f"date {day:%d/%m/%Y} is in the future")
        return day

    def _parse_date(self, line, text):
        for fmt in self.formats:
            try:
                return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a day)
            except ValueError:
                continue
        expected = " or ".join(FORMAT_EXAMPLES.get(f, f) for f in self.formats)
        self.fail(
            line,
            f"bad date {text!r} in column {self.data_set.date_column!r}:"
            f" expected a date like {expected}",
        )

    def _category(self, line, value):
        ds = self.data_set
        if not ds.category_column:
            return ds.fixed_category
        text = as_text(value)
        if not text:
            self.fail(line, f"the category (column {ds.category_column!r}) is empty")
        mapped = self.category_map.get(text.lower())
        if mapped:
            return mapped
        if ds.category_map_required:
            known = ", ".join(sorted(ds.category_map)) or "none"
            self.fail(
                line,
                f"unknown category {text!r} in column {ds.category_column!r}:"
                f" the data set's category map knows {known}",
            )
        return text[:100]

    def _coordinates(self, line, x, y):
        if "x" not in self.index:
            return None, None
        x_text, y_text = as_text(x), as_text(y)
        if not x_text and not y_text:
            return None, None
        try:
            x, y = float(x_text), float(y_text)
        except ValueError:
            self.fail(line, f"bad coordinates {x_text!r}, {y_text!r}: expected numbers")
        xs, ys, area = GB_GRID if self.easting_northing else GB_DEGREES
        if not (xs[0] <= x <= xs[1] and ys[0] <= y <= ys[1]):
            self.fail(line, f"coordinates {x_text}, {y_text} are outside {area}")
        return x, y

    def _lsoa(self, line, value):
        code = as_text(value).upper()
        if code and not LSOA_CODE.match(code):
            self.fail(line, f"LSOA code {code!r} is not an ONS code like E01001234")
        return code

    def _reference(self, line, value):
        reference = as_text(value)[:64]
        if reference:
            first = self.references.setdefault(reference, line)
            if first != line:
                self.fail(line, f"reference {reference!r} is also on row {first}")
        return reference

    def _yes(self, value):
        if isinstance(value, bool):
            return value
        return as_text(value).lower() in self.yes


def parse_dataset_file(data_set, raw, name, *, today=None):
    """Read a whole partner file through the data set's mapping, all or nothing.

    Raises DataSetFileError naming the row for a missing column, a bad or
    future date, an unknown category (when the category map is required),
    coordinates outside Great Britain, a short row, text in the wrong
    encoding, or a damaged workbook.
    """
    if not data_set.is_mapped():
        raise DataSetFileError(
            f"{name}:1: the data set {data_set.name!r} has no complete column"
            " mapping yet (date, category and location columns)"
        )
    header, rows = read_table(
        raw, name, encoding=data_set.encoding, sheet=data_set.sheet
    )
    reader = RowReader(data_set, header, name, today=today)
    parsed = ParsedFile(
        name[:255], hashlib.sha256(raw).hexdigest(), data_set.organisation.name[:100]
    )
    parsed.rows = [reader.read(line, cells) for line, cells in rows]
    if not parsed.rows:
        raise DataSetFileError(f"{name}:2: the file has no rows")
    if reader.easting_northing:
        to_longitude_latitude(parsed.rows)
    days = [row.occurred_on for row in parsed.rows]
    parsed.month, parsed.last_month = (
        first_of_month(min(days)),
        first_of_month(max(days)),
    )
    return parsed


def preview_sample(data_set, *, today=None):
    """The sample rows read through the mapping: (problem with the columns or
    None, [(row number, IncidentRow or None, problem or "")])."""
    name = data_set.sample_name or "sample"
    try:
        reader = RowReader(data_set, data_set.columns, name, today=today)
    except DataSetFileError as e:
        return str(e).removeprefix(f"{name}:1: "), []
    if name.lower().endswith(".xlsx"):
        # The sample keeps an XLSX date cell as text in as_text's formats; a
        # real file's date cells are read as dates whatever formats are ticked.
        reader.formats += ["%d/%m/%Y", "%d/%m/%Y %H:%M"]
    read = []
    for line, cells in enumerate(data_set.sample_rows, 2):
        try:
            read.append((line, reader.read(line, cells), ""))
        except DataSetFileError as e:
            read.append((line, None, str(e).split(": ", 1)[1]))
    if data_set.location_kind == data_set.LocationKind.EASTING_NORTHING:
        to_longitude_latitude([row for _, row, _ in read if row])
    return None, read


def check_sample(data_set, *, today=None):
    """What goes wrong reading the data set's sample rows through its mapping:
    a list of `sample row N: reason` (empty when every sample row reads)."""
    problem, read = preview_sample(data_set, today=today)
    if problem:
        return [problem]
    return [f"sample row {line}: {error}" for line, _, error in read if error]


def to_longitude_latitude(rows):
    """Convert rows' British National Grid eastings/northings to WGS84, at once."""
    located = [r for r in rows if r.longitude is not None]
    if not located:
        return
    transformer = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    lons, lats = transformer.transform(
        [r.longitude for r in located], [r.latitude for r in located]
    )
    for row, lon, lat in zip(located, lons, lats, strict=True):
        row.longitude, row.latitude = round(float(lon), 6), round(float(lat), 6)

"""Measurements from a CSV or XLSX file: every row checked, all or nothing.

Columns (a header row, any order, case-insensitive): `indicator` (the
indicator's slug), `period` (YYYY-MM or YYYY-MM-DD: the first day of the
period is kept), `value` (a number; an empty cell is a missing value and is
refused, since a missing period is shown by leaving it out), and an optional
`note`. Errors read `file:row: reason`, row 1 being the header.
"""

import csv
import io
import math
from dataclasses import dataclass

from django.db import transaction

from csphub.lib.csvtext import csv_error_line
from csphub.lib.months import parse_period

from .access import user_may_enter_values
from .models import Indicator, Measurement
from .services import record_measurement

REQUIRED = ("indicator", "period", "value")
MAX_ROWS = 20_000


class MeasurementFileError(Exception):
    """A file that cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(errors[:5]))


@dataclass
class ImportSummary:
    rows: int
    new: int
    corrected: int
    unchanged: int

    def __str__(self):
        return (
            f"{self.rows} rows: {self.new} new values, {self.corrected} corrections,"
            f" {self.unchanged} unchanged"
        )


def read_rows(raw, name):
    """(row number, {column: text}) for each data row of a CSV or XLSX file."""
    if name.lower().endswith(".xlsx"):
        rows = _xlsx_rows(raw, name)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise MeasurementFileError(
                [f"{name}:1: not UTF-8 text; save the file as CSV (UTF-8) or XLSX"]
            ) from None
        reader = csv.reader(io.StringIO(text))
        try:
            rows = list(reader)
        except csv.Error as e:  # e.g. a field over csv.field_size_limit()
            raise MeasurementFileError(
                [f"{name}:{csv_error_line(text, reader)}: not readable as CSV ({e})"]
            ) from None
    if not rows:
        raise MeasurementFileError([f"{name}:1: the file is empty"])
    header = [str(c or "").strip().lower() for c in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise MeasurementFileError(
            [f"{name}:1: missing column(s) {', '.join(missing)}; the header must"
             f" have {', '.join(REQUIRED)} (and optionally note)"]
        )  # fmt: skip
    if len(rows) - 1 > MAX_ROWS:
        raise MeasurementFileError([f"{name}: more than {MAX_ROWS} rows; split it"])
    out = []
    for number, row in enumerate(rows[1:], 2):
        cells = [str(c).strip() if c is not None else "" for c in row]
        if not any(cells):
            continue
        out.append((number, dict(zip(header, cells, strict=False))))
    return out


def _xlsx_rows(raw, name):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not XLSX
        raise MeasurementFileError(
            [f"{name}:1: not a readable XLSX workbook"]
        ) from None
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(
            [c.strftime("%Y-%m-%d") if hasattr(c, "strftime") else c for c in row]
        )
    book.close()
    return rows


def _number(text):
    try:
        value = float(text.replace(",", "").rstrip("%"))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def check_rows(partnership, rows, name, *, user, roles):
    """[(indicator, period, value, note, row number)], or raise with every error."""
    indicators = {i.slug: i for i in Indicator.objects.filter(partnership=partnership)}
    errors, checked, seen = [], [], {}
    for number, row in rows:
        where = f"{name}:{number}"
        slug = row.get("indicator", "")
        indicator = indicators.get(slug)
        period = parse_period(row.get("period", ""))
        value = _number(row.get("value", ""))
        if indicator is None:
            errors.append(f"{where}: no indicator {slug!r} in this partnership")
            continue
        if indicator.status != Indicator.Status.MEASURED:
            errors.append(f"{where}: {slug} is not a measured indicator")
            continue
        if not user_may_enter_values(user, roles, indicator):
            errors.append(f"{where}: you may not enter values for {slug}")
            continue
        if period is None:
            errors.append(f"{where}: period {row.get('period', '')!r} is not YYYY-MM")
            continue
        if value is None:
            errors.append(
                f"{where}: value {row.get('value', '')!r} is not a number"
                " (leave a missing period out rather than enter 0)"
            )
            continue
        key = (slug, indicator.period_of(period))
        if key in seen:
            errors.append(f"{where}: {slug} {period:%Y-%m} is also on row {seen[key]}")
            continue
        seen[key] = number
        checked.append((indicator, period, value, row.get("note", ""), number))
    if errors:
        raise MeasurementFileError(errors)
    if not checked:
        raise MeasurementFileError([f"{name}:2: no rows of values"])
    return checked


def import_measurements(partnership, raw, name, *, user, roles):
    """Import a file of values, all or nothing; returns an ImportSummary."""
    checked = check_rows(
        partnership, read_rows(raw, name), name, user=user, roles=roles
    )
    new = corrected = unchanged = 0
    with transaction.atomic():
        for indicator, period, value, note, number in checked:
            before = (
                Measurement.objects.current()
                .filter(indicator=indicator, period=indicator.period_of(period))
                .values_list("value", flat=True)
                .first()
            )
            record_measurement(
                indicator,
                period,
                value,
                by=user,
                source=Measurement.Source.IMPORTED,
                source_detail=f"{name}:{number}",
                note=note,
            )
            if before is None:
                new += 1
            elif before == value:
                unchanged += 1
            else:
                corrected += 1
    return ImportSummary(len(checked), new, corrected, unchanged)

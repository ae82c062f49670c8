"""Spend lines: the matrix (service area or organisation x priority, with
row and column totals), duplication and gaps, and import/export.

Money is in pence throughout. An import is all or nothing: every row is
checked first and every problem is reported as `row N, column C: reason`
(row 1 is the header), then either every line is saved or none.
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from csphub.places.models import Zone
from csphub.strategy.models import Priority

from .models import SpendLine

COLUMNS = ["organisation", "service_area", "priority", "year", "amount"]
OPTIONAL = ["zone", "source", "confidence"]
# The fields of a line's cell: a partnership holds one line per cell.
CELL = ("organisation", "service_area", "priority", "zone", "year")
MAX_ROWS = 50_000


@dataclass
class Matrix:
    """Rows (service areas or organisations) x columns (priorities)."""

    columns: list  # priorities
    rows: list = field(default_factory=list)  # [(label, {priority id: pence}, total)]
    totals: dict = field(default_factory=dict)  # priority id -> pence
    total: int = 0

    def as_json(self):
        names = {p.pk: p.name for p in self.columns}
        return {
            "rows": [
                {
                    "service_area": label,
                    "cells": {names[pk]: cells.get(pk, 0) for pk in names},
                    "total": total,
                }
                for label, cells, total in self.rows
            ],
            "totals": {names[pk]: self.totals.get(pk, 0) for pk in names},
            "total": self.total,
        }

    def table(self):
        """Rows of cells in column order, for templates."""
        return [
            (label, [cells.get(p.pk, 0) for p in self.columns], total)
            for label, cells, total in self.rows
        ]

    def total_row(self):
        return [self.totals.get(p.pk, 0) for p in self.columns]


def lines_of(partnership, year=None):
    lines = SpendLine.objects.filter(partnership=partnership)
    if year is not None:
        lines = lines.filter(year=year)
    return lines


def years(partnership):
    return sorted(
        set(
            SpendLine.objects.filter(partnership=partnership).values_list(
                "year", flat=True
            )
        )
    )


def matrix(partnership, year, by="service_area"):
    """The spend matrix for a year: by service area (Table 2) or by
    organisation (across partners). Rows and columns are the service areas
    (or organisations) and priorities with spend, in the order they were first
    loaded, so a table imported as a whole keeps its layout."""
    lines = lines_of(partnership, year).select_related("organisation", "priority")
    cells = defaultdict(lambda: defaultdict(int))
    order, priorities = [], {}
    for line in lines.order_by("pk"):
        label = line.service_area if by == "service_area" else line.organisation.name
        if label not in cells:
            order.append(label)
        cells[label][line.priority_id] += line.pence
        priorities[line.priority_id] = line.priority
    result = Matrix(list(priorities.values()))
    for label in order:
        row = dict(cells[label])
        result.rows.append((label, row, sum(row.values())))
        for pk, pence in row.items():
            result.totals[pk] = result.totals.get(pk, 0) + pence
    result.total = sum(result.totals.values())
    return result


def duplication(partnership, year):
    """Priorities (and zones) funded by more than one organisation or service
    area: [(priority, zone, [(organisation, service area, pence)])]."""
    groups = defaultdict(list)
    lines = lines_of(partnership, year).select_related(
        "organisation", "priority", "zone"
    )
    for line in lines:
        groups[(line.priority, line.zone)].append(
            (line.organisation.name, line.service_area, line.pence)
        )
    return [
        (priority, zone, sorted(spenders))
        for (priority, zone), spenders in sorted(
            groups.items(), key=lambda kv: (kv[0][0].order, kv[0][0].name)
        )
        if len(spenders) > 1
    ]


def gaps(partnership, year):
    """The partnership's priorities with no spend recorded in the year."""
    funded = set(
        lines_of(partnership, year)
        .filter(pence__gt=0)
        .values_list("priority_id", flat=True)
    )
    return [p for p in Priority.objects.of(partnership) if p.pk not in funded]


class SpendFileError(Exception):
    """A file that cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(errors[:5]))


def read_rows(raw, name):
    """(header, [(row number, [cells])]) of a CSV (UTF-8) or XLSX file."""
    if name.lower().endswith(".xlsx"):
        rows = _xlsx_rows(raw)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise SpendFileError([_not_utf8(raw, error.start)]) from None
        rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise SpendFileError(["row 1: the file is empty"])
    header = [str(c or "").strip().lower().replace(" ", "_") for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS + OPTIONAL]
    errors = []
    if missing:
        errors.append(f"row 1: missing column(s) {', '.join(missing)}")
    if unknown:
        errors.append(
            f"row 1: unknown column(s) {', '.join(unknown)}; the columns are"
            f" {', '.join(COLUMNS)} and optionally {', '.join(OPTIONAL)}"
        )
    if errors:
        raise SpendFileError(errors)
    if len(rows) - 1 > MAX_ROWS:
        raise SpendFileError(
            [f"row {MAX_ROWS + 2}: more than {MAX_ROWS} rows; split it"]
        )
    body = []
    for number, row in enumerate(rows[1:], 2):
        cells = ["" if c is None else str(c).strip() for c in row]
        if any(cells):
            body.append((number, dict(zip(header, cells, strict=False))))
    return header, body


def _not_utf8(raw, at):
    """Where a CSV stops being UTF-8: its row and (by counting commas before
    the bad byte, so roughly, if a quoted cell holds a comma) its column."""
    line = raw[:at].count(b"\n") + 1
    start = raw.rfind(b"\n", 0, at) + 1
    index = raw[start:at].count(b",")
    header = raw.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").split(",")
    column = header[index].strip().lower() if index < len(header) else index + 1
    return (
        f"row {line}, column {column}: not UTF-8 text (byte {at + 1});"
        " save the file as CSV (UTF-8) or XLSX"
    )


def _xlsx_rows(raw):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not XLSX
        raise SpendFileError(["row 1: not a readable XLSX workbook"]) from None
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


MONEY = re.compile(r"^-?£?-?[0-9][0-9,]*(\.[0-9]{1,2})?$")


def parse_pence(text):
    """Pence from '£1,234.56', '1234' or '1234.5'; None if it is not money.
    Negative amounts parse (and are refused by the caller with their own
    message)."""
    text = text.replace(" ", "")
    if not MONEY.match(text):
        return None
    negative = "-" in text
    try:
        pounds = Decimal(text.replace("£", "").replace(",", "").replace("-", ""))
    except InvalidOperation:
        return None
    pence = int(pounds * 100)
    return -pence if negative else pence


def parse_year(text):
    """2011 from '2011', '2011/12' or '2011-12'; None otherwise."""
    match = re.fullmatch(r"(\d{4})(?:[/-](\d{2}|\d{4}))?(?:\.0)?", text)
    if not match:
        return None
    year = int(match.group(1))
    second = match.group(2)
    if second and int(second[-2:]) != (year + 1) % 100:
        return None
    return year if 1990 <= year <= 2100 else None


class _Lookups:
    """The partnership's names a spend file may use, read once per import."""

    def __init__(self, partnership):
        self.organisations = {
            o.name.lower(): o for o in partnership.organisations.all()
        }
        self.priorities = {}
        for p in Priority.objects.of(partnership):
            for key in (p.name, p.slug, p.wording):
                if key:
                    self.priorities[key.lower()] = p
        self.zones = {
            z.name.lower(): z for z in Zone.objects.filter(partnership=partnership)
        }
        self.confidences = {c.lower(): c for c in SpendLine.Confidence.values}


def _amount(text):
    pence = parse_pence(text)
    if pence is None:
        return None, f"{text!r} is not an amount of money"
    if pence < 0:
        return None, f"{text!r} is negative; spend cannot be"
    return pence, None


def check_row(row, lookups):
    """({field: value}, [(column, reason)]) for one data row."""
    errors, values = [], {}

    def look(column, table, what, required=True):
        text = row.get(column, "")
        if not text and not required:
            return None
        value = table.get(text.lower())
        if value is None:
            errors.append((column, f"no {what} {text!r} in this partnership"))
        return value

    values["organisation"] = look("organisation", lookups.organisations, "organisation")
    values["priority"] = look("priority", lookups.priorities, "priority")
    values["zone"] = look("zone", lookups.zones, "zone", required=False)
    values["service_area"] = row.get("service_area", "")
    if not values["service_area"]:
        errors.append(("service_area", "empty"))
    values["year"] = parse_year(row.get("year", ""))
    if values["year"] is None:
        errors.append(
            ("year", f"{row.get('year', '')!r} is not a financial year such as 2011/12")
        )
    values["pence"], problem = _amount(row.get("amount", ""))
    if problem:
        errors.append(("amount", problem))
    values["confidence"] = SpendLine.Confidence.ESTIMATE
    if row.get("confidence"):
        values["confidence"] = lookups.confidences.get(row["confidence"].lower())
        if values["confidence"] is None:
            choices = ", ".join(SpendLine.Confidence.values)
            errors.append(
                ("confidence", f"{row['confidence']!r} is not one of {choices}")
            )
    values["source"] = row.get("source", "")[:300]
    return values, errors


def check_rows(partnership, rows):
    """[SpendLine (unsaved)] or raise SpendFileError with every problem."""
    lookups = _Lookups(partnership)
    errors, lines, seen = [], [], {}
    for number, row in rows:
        values, problems = check_row(row, lookups)
        key = tuple(values[k] for k in ("organisation", "priority", "zone", "year")) + (
            values["service_area"].lower(),
        )
        if not problems and key in seen:
            problems.append(("amount", f"the same cell is also on row {seen[key]}"))
        seen.setdefault(key, number)
        errors += [f"row {number}, column {c}: {reason}" for c, reason in problems]
        if len(errors) > 200:
            break
        lines.append(SpendLine(partnership=partnership, **values))
    if errors:
        raise SpendFileError(errors)
    if not lines:
        raise SpendFileError(["row 2: no spend lines"])
    return lines


def import_spend(partnership, raw, name, *, dry_run=False):
    """Load a file of spend lines, all or nothing. A line for a cell already
    held (organisation, service area, priority, zone, year) replaces it.
    Returns (new, replaced)."""
    _, rows = read_rows(raw, name)
    lines = check_rows(partnership, rows)
    new = replaced = 0
    with transaction.atomic():
        for line in lines:
            existing = SpendLine.objects.filter(
                partnership=partnership, **{name: getattr(line, name) for name in CELL}
            )
            replaced += existing.count()
            existing.delete()
            line.save()
            new += 1
        if dry_run:
            transaction.set_rollback(True)
    return new - replaced, replaced


def export_rows(partnership, year=None):
    """Header and rows in the import's columns, so an export re-imports."""
    yield COLUMNS + OPTIONAL
    lines = lines_of(partnership, year).select_related(
        "organisation", "priority", "zone"
    )
    for line in lines.order_by("year", "pk"):
        yield [
            line.organisation.name,
            line.service_area,
            line.priority.name,
            f"{line.year}/{(line.year + 1) % 100:02d}",
            pounds(line.pence),
            line.zone.name if line.zone else "",
            line.source,
            line.confidence,
        ]


def pounds(pence):
    """'1234.56' from 123456 (no thousands separator, so it re-imports)."""
    return f"{pence // 100}.{pence % 100:02d}"


def xlsx_bytes(rows):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Spend")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

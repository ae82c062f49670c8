"""The case system's CSV exports: the cohort and its proven offences.

Every row is checked and a file loads whole or not at all. A header that looks
like a name, a date of birth or an address refuses the file before any row is
read, and nothing from it is stored; so does any column the import does not
read. Errors read `file:row: reason`, row 1 being the header.

Cohort columns: reference, stream (fixed/flex/free), selected_on (YYYY-MM-DD);
optional risk_tier, selection_reason, deselected_on, deselection_reason,
lead_organisation (an organisation's name in the partnership), zone (a zone's
name or slug). A reference already in the cohort updates its nominal.

Offence columns: reference, committed_on, proven_on, category. The file is the
case system's full extract for the cohort: it replaces every offence held.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from csphub.accounts.models import Organisation
from csphub.lib.csvtext import FileErrors
from csphub.lib.digits import is_digits
from csphub.places.models import Zone

from .models import Nominal, Offence
from .pseudonyms import is_reference, pseudonymise

COHORT_REQUIRED = ("reference", "stream", "selected_on")
COHORT_OPTIONAL = (
    "risk_tier",
    "selection_reason",
    "deselected_on",
    "deselection_reason",
    "lead_organisation",
    "zone",
)
OFFENCE_COLUMNS = ("reference", "committed_on", "proven_on", "category")
MAX_ROWS = 200_000
# Header words that identify a person: refused whatever else the file holds.
IDENTIFYING = re.compile(
    r"name|alias|dob|birth|born|address|addr|street|postcode|postal|zip|"
    r"house|flat|town|phone|mobile|email|nino|nationalinsurance"
)


class CohortFileError(FileErrors):
    """A cohort or offences file that cannot be imported."""


@dataclass
class ImportSummary:
    rows: int
    created: int = 0
    updated: int = 0

    def __str__(self):
        return f"{self.rows} rows: {self.created} new, {self.updated} updated"


def identifying_columns(header):
    """Columns whose names suggest a name, date of birth or address."""
    return [c for c in header if IDENTIFYING.search(re.sub(r"[^a-z]", "", c))]


def read_csv(raw, name, required, optional=()):
    """(row number, {column: text}) per data row, after the header checks."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CohortFileError(
            [f"{name}:1: not UTF-8 text; export as CSV (UTF-8)"]
        ) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise CohortFileError([f"{name}:1: the file is empty"])
    header = [c.strip().lower() for c in rows[0]]
    personal = identifying_columns(header)
    if personal:
        raise CohortFileError(
            [f"{name}:1: refused: column(s) {', '.join(personal)} look like a name,"
             " date of birth or address. The cohort is pseudonymous: export only"
             f" {', '.join(required + tuple(optional))}. Nothing was stored."]
        )  # fmt: skip
    unknown = [c for c in header if c not in required and c not in optional]
    missing = [c for c in required if c not in header]
    if unknown or missing:
        raise CohortFileError(
            [f"{name}:1: the header must have {', '.join(required)}"
             + (f" (and may have {', '.join(optional)})" if optional else "")
             + (f"; unknown column(s): {', '.join(unknown)}" if unknown else "")
             + (f"; missing: {', '.join(missing)}" if missing else "")]
        )  # fmt: skip
    if len(rows) - 1 > MAX_ROWS:
        raise CohortFileError([f"{name}: more than {MAX_ROWS} rows; split it"])
    out = []
    for number, row in enumerate(rows[1:], 2):
        cells = [c.strip() for c in row]
        if any(cells):
            out.append((number, dict(zip(header, cells, strict=False))))
    return out


def _date(text, where, column, errors, *, required=True):
    if not text:
        if required:
            errors.append(f"{where}: {column} is empty")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"{where}: {column} {text!r} is not a date (YYYY-MM-DD)")
        return None


def _choice(text, choices, where, column, errors, default=""):
    if not text:
        return default
    value = text.strip().lower().replace(" ", "_")
    if value in choices.values:
        return value
    errors.append(
        f"{where}: {column} {text!r} is not one of {', '.join(choices.values)}"
    )
    return default


def _reference(text, where, errors):
    if not is_reference(text):
        errors.append(
            f"{where}: reference must be the case system's reference (3-40 letters,"
            " digits, / _ - with a digit), not a name"
        )
        return None
    return pseudonymise(text)


def _cohort_row(row, where, lookups, errors):
    organisations, zones = lookups
    fields = {
        "stream": _choice(row["stream"], Nominal.Stream, where, "stream", errors),
        "risk_tier": row.get("risk_tier", "")[:40],
        "selected_on": _date(row["selected_on"], where, "selected_on", errors),
        "selection_reason": _choice(
            row.get("selection_reason", ""), Nominal.SelectionReason, where,
            "selection_reason", errors, Nominal.SelectionReason.OTHER,
        ),
        "deselected_on": _date(
            row.get("deselected_on", ""), where, "deselected_on", errors,
            required=False,
        ),
        "deselection_reason": _choice(
            row.get("deselection_reason", ""), Nominal.DeselectionReason, where,
            "deselection_reason", errors,
        ),
    }  # fmt: skip
    for column, table in (("lead_organisation", organisations), ("zone", zones)):
        text = row.get(column, "").lower()
        fields[column] = table.get(text) if text else None
        if text and fields[column] is None:
            errors.append(
                f"{where}: {column} {row[column]!r} is not in the partnership"
            )
    if fields["stream"] == "" and not row["stream"]:
        errors.append(f"{where}: stream is empty")
    start, end = fields["selected_on"], fields["deselected_on"]
    if start and end and end < start:
        errors.append(f"{where}: deselected_on is before selected_on")
    return fields


def _lookups(partnership):
    organisations = {
        o.name.lower(): o
        for o in Organisation.objects.filter(memberships__partnership=partnership)
    }
    zones = {}
    for zone in Zone.objects.filter(partnership=partnership):
        zones[zone.name.lower()] = zone
        zones[zone.slug.lower()] = zone
    return organisations, zones


@transaction.atomic
def import_cohort(partnership, raw, name, *, dry_run=False):
    """Load a cohort export whole or not at all; returns an ImportSummary."""
    rows = read_csv(raw, name, COHORT_REQUIRED, COHORT_OPTIONAL)
    lookups, errors, parsed, seen = _lookups(partnership), [], [], set()
    for number, row in rows:
        where = f"{name}:{number}"
        digest = _reference(row["reference"], where, errors)
        if digest in seen:
            errors.append(f"{where}: the reference appears twice in the file")
        seen.add(digest)
        parsed.append((digest, _cohort_row(row, where, lookups, errors)))
    if errors:
        raise CohortFileError(errors)
    existing = {
        n.reference_hash: n for n in Nominal.objects.filter(partnership=partnership)
    }
    summary = ImportSummary(rows=len(parsed))
    next_code = _next_code(partnership)
    for digest, fields in parsed:
        nominal = existing.get(digest)
        if nominal is None:
            nominal = Nominal(
                partnership=partnership, reference_hash=digest, code=next_code()
            )
            summary.created += 1
        else:
            summary.updated += 1
        for field, value in fields.items():
            setattr(nominal, field, value)
        if not dry_run:
            nominal.save()
    return summary


def _next_code(partnership):
    codes = Nominal.objects.filter(
        partnership=partnership, code__startswith="IOM-"
    ).values_list("code", flat=True)
    taken = max((int(c[4:]) for c in codes if is_digits(c[4:])), default=0)

    def make():
        nonlocal taken
        taken += 1
        return f"IOM-{taken:05d}"

    return make


@transaction.atomic
def import_offences(partnership, raw, name, *, dry_run=False):
    """Replace the cohort's proven offences with an export, whole or not at all."""
    rows = read_csv(raw, name, OFFENCE_COLUMNS)
    nominals = dict(
        Nominal.objects.filter(partnership=partnership).values_list(
            "reference_hash", "pk"
        )
    )
    errors, offences = [], []
    for number, row in rows:
        where = f"{name}:{number}"
        digest = _reference(row["reference"], where, errors)
        committed = _date(row["committed_on"], where, "committed_on", errors)
        proven = _date(row["proven_on"], where, "proven_on", errors)
        category = _choice(row["category"], Offence.Category, where, "category", errors)
        if digest and digest not in nominals:
            errors.append(f"{where}: the reference is not in the cohort")
        if not row["category"]:
            errors.append(f"{where}: category is empty")
        if committed and proven and proven < committed:
            errors.append(f"{where}: proven_on is before committed_on")
        if not errors:
            offences.append(
                Offence(
                    nominal_id=nominals[digest],
                    committed_on=committed,
                    proven_on=proven,
                    category=category,
                )
            )
    if errors:
        raise CohortFileError(errors)
    if not dry_run:
        Offence.objects.filter(nominal__partnership=partnership).delete()
        Offence.objects.bulk_create(offences, batch_size=2000)
    return ImportSummary(rows=len(offences), created=len(offences))

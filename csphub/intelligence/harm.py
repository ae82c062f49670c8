"""A partnership's harm weights: one weight a category, loaded from a CSV
file, for hotspots of harm (issue 19). For example weights derived from the
ONS Crime Severity Score, mapped to police.uk and partner categories.

The file has a header row with `category` and `weight` columns (any case,
other columns ignored). It loads whole or not at all: a bad row rejects the
file with `file:row: reason`. Loading replaces the partnership's weights.
"""

import csv
import io
import math

from django.db import transaction
from django.utils import timezone

from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit_record

from .models import HarmIndex, HarmWeight

MAX_WEIGHT = 1_000_000


class HarmFileError(ValueError):
    """A harm weights file cannot be loaded; the message is `file:row: reason`."""


def parse_harm_weights(raw, name):
    """[(category, weight)] of a harm weights CSV, all or nothing."""
    rows = _rows(raw, name)
    at_category, at_weight = _columns(rows[0][1], name)
    weights, first_seen = [], {}
    for line, cells in rows[1:]:
        category = cells[at_category].strip() if at_category < len(cells) else ""
        text = cells[at_weight].strip() if at_weight < len(cells) else ""
        if not category or len(category) > 100:
            raise HarmFileError(
                f"{name}:{line}: the category is "
                + ("empty" if not category else "longer than 100 characters")
            )
        if category.lower() in first_seen:
            raise HarmFileError(
                f"{name}:{line}: category {category!r} is also on row"
                f" {first_seen[category.lower()]}"
            )
        first_seen[category.lower()] = line
        weights.append((category, _weight(text, category, name, line)))
    if not weights:
        raise HarmFileError(f"{name}:2: the file has no weights")
    return weights


def _rows(raw, name):
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise HarmFileError(
            f"{name}:{line}: not UTF-8 text: save the file as 'CSV UTF-8'"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as e:
        raise HarmFileError(f"{name}:{reader.line_num}: {e}") from None
    if not rows:
        raise HarmFileError(f"{name}:1: the file is empty (no header row)")
    return rows


def _columns(header, name):
    columns = [h.strip().lower() for h in header]
    for wanted in ("category", "weight"):
        if wanted not in columns:
            found = ", ".join(h for h in header if h.strip()) or "none"
            raise HarmFileError(
                f"{name}:1: missing column {wanted!r}; the file's columns are {found}"
            )
    return columns.index("category"), columns.index("weight")


def _weight(text, category, name, line):
    try:
        weight = float(text.replace(",", ""))
    except ValueError:
        raise HarmFileError(
            f"{name}:{line}: weight {text!r} for {category!r} is not a number"
        ) from None
    if not math.isfinite(weight) or not 0 <= weight <= MAX_WEIGHT:
        raise HarmFileError(
            f"{name}:{line}: weight {text!r} for {category!r} must be from 0"
            f" to {MAX_WEIGHT:,}"
        )
    return weight


@transaction.atomic
def load_harm_weights(partnership, raw, name, *, index_name, source, by):
    """Load a harm weights file for a partnership, replacing its weights whole;
    returns the HarmIndex. Raises HarmFileError, changing nothing."""
    weights = parse_harm_weights(raw, name)
    index, _ = HarmIndex.objects.update_or_create(
        partnership=partnership,
        defaults={
            "name": index_name,
            "source": source,
            "file_name": name[:255],
            "loaded_at": timezone.now(),
            "loaded_by": by,
        },
    )
    index.weight_rows.all().delete()
    HarmWeight.objects.bulk_create(
        HarmWeight(index=index, category=category, weight=weight)
        for category, weight in weights
    )
    loaded = f"harm weights loaded from {name} ({len(weights)} categories)"
    audit_record(
        AuditEntry.Action.CHANGE, index, by=by, reason=loaded, partnership=partnership
    )
    return index

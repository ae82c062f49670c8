"""What partner data sets can do: be set up from a sample, say what they
hold, and carry flags partners record on incidents.

Their files load through the one import pipeline (`loading.import_data`
with the data set), as police.uk files do.
"""

from pathlib import Path

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.text import slugify

from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit, audit_record

from ..coverage import data_months
from ..models import DataSet, FlagChange
from .parsing import read_sample

FLAGS = [f.value for f in FlagChange.Flag]


# Setting up a data set -----------------------------------------------------------


def unique_slug(partnership, name, exclude=None):
    base = slugify(name)[:70] or "data-set"
    slug, n = base, 1
    taken = DataSet.objects.filter(partnership=partnership)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_data_set(
    partnership, *, name, organisation, by, description="", slug=None, **mapping
):
    """A new data set; its mapping is made on the mapping page (or passed in)."""
    data_set = DataSet.objects.create(
        partnership=partnership,
        organisation=organisation,
        name=name,
        slug=slug or unique_slug(partnership, name),
        description=description,
        created_by=by,
        **mapping,
    )
    audit(AuditEntry.Action.CREATE, actor=by, record=data_set, partnership=partnership)
    return data_set


def set_sample(data_set, raw, name, *, by):
    """Keep a sample file's columns and first rows, for the mapping page.

    Raises DataSetFileError when the file cannot be read at all.
    """
    columns, rows = read_sample(
        raw, name, encoding=data_set.encoding, sheet=data_set.sheet
    )
    data_set.columns, data_set.sample_rows = columns, rows
    data_set.sample_name = Path(name).name[:255]
    data_set.save(update_fields=["columns", "sample_rows", "sample_name"])
    return data_set


@transaction.atomic
def save_mapping(data_set, *, by):
    """Save a data set whose mapping fields were changed, and audit it."""
    data_set.mapping_changed_at = timezone.now()
    data_set.save()
    audit_record(
        AuditEntry.Action.CHANGE, data_set, by=by, reason="column mapping saved"
    )
    return data_set


# Flags ---------------------------------------------------------------------------


@transaction.atomic
def record_flags(incident, values, *, by, note=""):
    """Set an incident's flags to `values` ({flag: bool}); each change becomes a
    FlagChange row and an audit entry. Returns the changes made."""
    changes = []
    for flag, value in values.items():
        if flag not in FLAGS or getattr(incident, flag) == bool(value):
            continue
        setattr(incident, flag, bool(value))
        changes.append(
            FlagChange(
                partnership_id=incident.partnership_id,
                incident=incident,
                incident_label=_label(incident),
                flag=flag,
                value=bool(value),
                note=note[:500],
                recorded_by=by,
            )
        )
    if changes:
        incident.save(update_fields=[c.flag for c in changes])
        FlagChange.objects.bulk_create(changes)
        reason = "; ".join(str(c) for c in changes)
        audit_record(AuditEntry.Action.CHANGE, incident, by=by, reason=reason)
    return changes


def _label(incident):
    reference = incident.crime_id or f"row {incident.line}"
    return f"{incident.source_file.name} {reference}"[:255]


# Reading -------------------------------------------------------------------------


def monthly_totals(data_set):
    """[(month, incidents or None)] over the data set's months, newest first;
    None for a month no file covers ("no data", never zero)."""
    found = dict(
        data_set.incidents.values_list("month").annotate(n=Count("pk")).order_by()
    )
    return [
        (month, found.get(month, 0) if has_data else None)
        for month, has_data in reversed(data_months(data_set.partnership_id, data_set))
    ]


def category_counts(data_set):
    """[{category, count, first}] of the data set's incidents, largest first."""
    return list(
        data_set.incidents.values("category")
        .annotate(count=Count("pk"), first=Min("occurred_on"))
        .order_by("-count", "category")
    )


def flag_counts(data_set):
    """{flag: number of incidents flagged}, in one query."""
    return data_set.incidents.aggregate(
        **{flag: Count("pk", filter=Q(**{flag: True})) for flag in FLAGS}
    )

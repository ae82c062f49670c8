"""What partner data sets can do: be set up from a sample, import files
through their saved mapping, and carry flags partners record on incidents.

A partner file's period is the whole months from its earliest date to its
latest. A file whose months lie over other files' months replaces them (a
corrected month, or a year's file over its monthly files); a file that only
partly overlaps another file is rejected, since loading it would count some
incidents twice. The same file again (same sha256) changes nothing.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.text import slugify

from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit

from .coverage import dataset_months
from .datasets import DataSetFileError, parse_dataset_file, read_sample
from .importing import Placer
from .loading import run_upload_job, save_rows
from .models import DataSet, FlagChange, Incident, SourceFile

FLAGS = [f.value for f in FlagChange.Flag]

__all__ = ["DataSetFileError"]  # re-exported: callers catch it from here


@dataclass
class DataSetImportResult:
    """What importing (or checking, with dry_run) one partner file did."""

    name: str
    first_month: date
    last_month: date
    status: str  # "loaded", "replaced", "unchanged" or "checked" (dry run)
    rows_read: int
    rows_loaded: int
    rows_outside: int
    rows_no_location: int
    replaced: list

    def summary(self):
        period = f"{self.first_month:%Y-%m}"
        if self.last_month != self.first_month:
            period += f" to {self.last_month:%Y-%m}"
        verb = "would load" if self.status == "checked" else "loaded"
        text = (
            f"{self.name}: {self.status}, {period}: {self.rows_loaded} of"
            f" {self.rows_read} rows {verb},"
            f" {self.rows_outside} outside the area, {self.rows_no_location}"
            " with no location"
        )
        if self.replaced:
            text += f" (replacing {', '.join(self.replaced)})"
        return text


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
    audit(
        AuditEntry.Action.CHANGE,
        actor=by,
        record=data_set,
        reason="column mapping saved",
        partnership=data_set.partnership,
    )
    return data_set


# Importing -----------------------------------------------------------------------


def import_dataset_file(data_set, path, **options):
    """Import one file from disk; see import_dataset_data."""
    raw = Path(path).read_bytes()
    return import_dataset_data(data_set, raw, Path(path).name, **options)


def import_dataset_data(
    data_set, raw, name, *, by=None, placer=None, progress=None, dry_run=False
):
    """Import one partner file through the data set's mapping, all or nothing.

    Raises DataSetFileError (`file:row: reason`) and loads nothing on a bad
    file, or on a file that partly overlaps the months of another file of the
    data set. With dry_run, reads and places every row and changes nothing.
    """
    if not data_set.is_mapped():
        raise DataSetFileError(
            f"{name}:1: the data set {data_set.name!r} has no complete column"
            " mapping yet (date, category and location columns)"
        )
    parsed = parse_dataset_file(data_set, raw, name)
    unchanged = data_set.files.filter(sha256=parsed.sha256).first()
    if unchanged:
        return _result(unchanged, "unchanged", [])
    placer = placer or Placer(data_set.partnership)
    with transaction.atomic():
        # Lock the data set so two imports cannot both pass the overlap check.
        DataSet.objects.select_for_update().filter(pk=data_set.pk).first()
        replaced = _files_replaced(data_set, parsed)
        if dry_run:
            counts = Counter(place[0] for place in placer.place_many(parsed.rows))
            return DataSetImportResult(
                parsed.name, parsed.first_month, parsed.last_month, "checked",
                len(parsed.rows), counts[Placer.PLACED], counts[Placer.OUTSIDE],
                counts[Placer.NO_LOCATION], [f.name for f in replaced],
            )  # fmt: skip
        kept_flags = recorded_flags(replaced)
        for old in replaced:
            old.delete()
        source_file = SourceFile.objects.create(
            partnership=data_set.partnership,
            source=SourceFile.Source.DATASET,
            data_set=data_set,
            name=parsed.name[:255],
            force=data_set.organisation.name[:100],
            month=parsed.first_month,
            last_month=parsed.last_month,
            sha256=parsed.sha256,
            rows_read=len(parsed.rows),
            imported_by=by,
        )
        counts = _save_rows(data_set, source_file, parsed, placer, progress)
        source_file.rows_loaded = counts[Placer.PLACED]
        source_file.rows_outside = counts[Placer.OUTSIDE]
        source_file.rows_no_location = counts[Placer.NO_LOCATION]
        source_file.save(
            update_fields=["rows_loaded", "rows_outside", "rows_no_location"]
        )
        reapply_flags(source_file, kept_flags)
        if by is not None:
            audit(
                AuditEntry.Action.CREATE,
                actor=by,
                record=source_file,
                reason=f"imported into {data_set.name}",
                partnership=data_set.partnership,
            )
    return _result(
        source_file, "replaced" if replaced else "loaded", [f.name for f in replaced]
    )


def _files_replaced(data_set, parsed):
    """The data set's files within the new file's months; raises on a partial
    overlap, which would count some incidents twice."""
    overlapping = list(
        data_set.files.filter(
            month__lte=parsed.last_month, last_month__gte=parsed.first_month
        ).order_by("month")
    )
    for old in overlapping:
        if old.month < parsed.first_month or old.last_month > parsed.last_month:
            months = _period(parsed.first_month, parsed.last_month)
            raise DataSetFileError(
                f"{parsed.name}:1: covers {months},"
                f" which partly overlaps {old.name}"
                f" ({_period(old.month, old.last_month)}) already loaded: send a"
                " file for the same months to replace it, or for months not yet"
                " loaded"
            )
    return overlapping


def _period(first, last):
    if first == last:
        return f"{first:%Y-%m}"
    return f"{first:%Y-%m} to {last:%Y-%m}"


# Incident columns a partner import writes, in the order of the tuples below.
DATASET_COLUMNS = [
    "partnership_id", "source_file_id", "data_set_id", "line", "crime_id",
    "month", "occurred_on", "category", "longitude", "latitude", "location",
    "outcome", "lsoa_id", "ward_id", "zone_id", "alcohol_related",
    "hate_crime", "repeat_victim", "victim_key",
]  # fmt: skip


def _save_rows(data_set, source_file, parsed, placer, progress):
    adapt = connection.ops.adapt_datefield_value
    days, months = {}, {}
    fixed = (data_set.partnership_id, source_file.pk, data_set.pk)

    def values(row, lsoa_id, ward_id, zone_id):
        day = row.occurred_on
        if day not in days:
            days[day] = adapt(day)
            months[day] = adapt(day.replace(day=1))
        return (*fixed, row.line, row.reference, months[day], days[day],
                row.category, row.longitude, row.latitude, row.location, "",
                lsoa_id, ward_id, zone_id, row.alcohol_related,
                row.hate_crime, row.repeat_victim, row.victim_key)  # fmt: skip

    places = placer.place_many(parsed.rows)
    return save_rows(parsed.rows, places, DATASET_COLUMNS, values, progress)


def recorded_flags(files):
    """{(reference, flag): (latest value, ids of its FlagChange rows)} recorded
    on incidents of files about to be replaced, so a corrected file keeps what
    partners recorded (matched by reference)."""
    kept = {}
    changes = (
        FlagChange.objects.filter(incident__source_file__in=files)
        .exclude(incident__crime_id="")
        .values_list("pk", "incident__crime_id", "flag", "value")
        .order_by("recorded_at", "pk")
    )
    for pk, reference, flag, value in changes:
        _, ids = kept.get((reference, flag), (None, []))
        kept[(reference, flag)] = (value, [*ids, pk])
    return kept


def reapply_flags(source_file, kept):
    """Set recorded flags again on the new file's incidents with the same
    reference, and point their history rows at them."""
    if not kept:
        return
    references = {reference for reference, _ in kept}
    by_reference = dict(
        source_file.incidents.filter(crime_id__in=references).values_list(
            "crime_id", "pk"
        )
    )
    for (reference, flag), (value, ids) in kept.items():
        pk = by_reference.get(reference)
        if pk is not None:
            Incident.objects.filter(pk=pk).update(**{flag: value})
            FlagChange.objects.filter(pk__in=ids).update(incident_id=pk)


def _result(source_file, status, replaced):
    return DataSetImportResult(
        name=source_file.name,
        first_month=source_file.month,
        last_month=source_file.last_month,
        status=status,
        rows_read=source_file.rows_read,
        rows_loaded=source_file.rows_loaded,
        rows_outside=source_file.rows_outside,
        rows_no_location=source_file.rows_no_location,
        replaced=replaced,
    )


def run_dataset_import_job(job):
    """Import a stored upload into its data set, recording progress and outcome."""

    def load(raw, progress):
        return import_dataset_data(
            job.data_set, raw, job.name, by=job.uploaded_by, progress=progress
        )

    def source_file_of(result):
        return job.data_set.files.filter(month=result.first_month).first()

    run_upload_job(job, load, DataSetFileError, source_file_of=source_file_of)
    return job


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
        audit(
            AuditEntry.Action.CHANGE,
            actor=by,
            record=incident,
            reason="; ".join(str(c) for c in changes),
            partnership=incident.partnership,
        )
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
        for month, has_data in reversed(dataset_months(data_set))
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
    from django.db.models import Q

    return data_set.incidents.aggregate(
        **{flag: Count("pk", filter=Q(**{flag: True})) for flag in FLAGS}
    )

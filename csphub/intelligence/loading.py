"""The one import pipeline, under police.uk files and partner data sets.

A file is the unit, all or nothing: it is read whole by its parser (police.uk
CSV in `importing`, or a partner file through a data set's mapping in
`datasets.parsing`), placed in the area tree, and written with its monthly
counts in one transaction. The same file again (same sha256) changes
nothing. A file replaces the files of its kind and source (the same police
force, or the same data set) lying within its whole months: a corrected
police.uk month, or a partner's year file over its monthly files; a file
that only partly overlaps one is rejected, since loading it would count some
incidents twice. Flags partners recorded are carried to the new file's
incidents with the same reference.

Above the parsers and `kpi`; `services`, `tasks`, the commands and the demo
call it.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q

from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit_record
from csphub.lib.months import first_of_month

from .counts import Tally, insert_sql
from .datasets.parsing import DataSetFileError, parse_dataset_file
from .importing import CrimeFileError, Placer, parse_police_uk
from .kpi import count_crime_kpis
from .models import DataSet, FlagChange, ImportJob, Incident, SourceFile

BATCH = 5000
# The incident columns every import writes, in the order of row_values' tuples.
COLUMNS = [
    "partnership_id", "source_file_id", "data_set_id", "line", "crime_id",
    "month", "occurred_on", "category", "longitude", "latitude", "location",
    "outcome", "lsoa_id", "ward_id", "zone_id", "alcohol_related",
    "hate_crime", "repeat_victim", "victim_key",
]  # fmt: skip


@dataclass
class ImportResult:
    """What importing (or checking, with dry_run) one file did."""

    name: str
    month: date
    last_month: date
    status: str  # "loaded", "replaced", "unchanged" or "checked" (dry run)
    rows_read: int
    rows_loaded: int
    rows_outside: int
    rows_no_location: int
    force: str = ""  # a police.uk file's force; "" for a partner file
    replaced: list = field(default_factory=list)  # names of the files replaced
    source_file: SourceFile | None = field(default=None, repr=False)

    def summary(self):
        period = period_label(self.month, self.last_month)
        verb = "would load" if self.status == "checked" else "loaded"
        text = (
            f"{self.name}: {self.status}, {f'{self.force} ' if self.force else ''}"
            f"{period}: {self.rows_loaded} of {self.rows_read} rows {verb},"
            f" {self.rows_outside} outside the area, {self.rows_no_location}"
            " with no location"
        )
        if self.replaced:
            text += f" (replacing {', '.join(self.replaced)})"
        return text


def period_label(first, last):
    """'2017-01', or '2017-01 to 2017-12'."""
    if last is None or first == last:
        return f"{first:%Y-%m}"
    return f"{first:%Y-%m} to {last:%Y-%m}"


def import_file(partnership, path, **options):
    """Import one file from disk; see import_data."""
    raw = Path(path).read_bytes()
    return import_data(partnership, raw, Path(path).name, **options)


def import_data(
    partnership,
    raw,
    name,
    *,
    data_set=None,
    by=None,
    placer=None,
    progress=None,
    dry_run=False,
):
    """Import one file into a partnership, all or nothing: a police.uk
    street-level file, or (given `data_set`) a partner file read through the
    data set's mapping.

    Raises CrimeFileError (DataSetFileError for a partner file) as
    `file:row: reason` and loads nothing on a bad file, or on a file that
    partly overlaps the months of another. With dry_run, reads and places
    every row and changes nothing. progress(done, total) is called as rows
    are written.
    """
    if data_set is None:
        parsed, error = parse_police_uk(raw, name), CrimeFileError
    else:
        parsed, error = parse_dataset_file(data_set, raw, name), DataSetFileError
    files = SourceFile.objects.filter(partnership=partnership, data_set=data_set)
    unchanged = files.filter(sha256=parsed.sha256).first()
    if unchanged:
        return result_of(unchanged, "unchanged")
    placer = placer or Placer(partnership)
    with transaction.atomic():
        if data_set is not None:
            # Two imports into one data set cannot both pass the overlap check;
            # police.uk files have a unique constraint per force and month.
            DataSet.objects.select_for_update().filter(pk=data_set.pk).first()
        replaced = files_replaced(files.filter(force=parsed.force), parsed, error)
        names = [f.name for f in replaced]
        places = placer.place_many(parsed.rows)
        if dry_run:
            counts = Counter(place[0] for place in places)
            return ImportResult(
                parsed.name, parsed.month, parsed.last_month, "checked",
                len(parsed.rows), counts[Placer.PLACED], counts[Placer.OUTSIDE],
                counts[Placer.NO_LOCATION], "", names,
            )  # fmt: skip
        kept_flags = recorded_flags(replaced)
        for old in replaced:
            old.delete()
        source_file = SourceFile.objects.create(
            partnership=partnership,
            source=SourceFile.Source.DATASET
            if data_set
            else SourceFile.Source.POLICE_UK,
            data_set=data_set,
            name=Path(parsed.name).name[:255],
            force=parsed.force,
            month=parsed.month,
            last_month=None if data_set is None else parsed.last_month,
            sha256=parsed.sha256,
            rows_read=len(parsed.rows),
            imported_by=by,
        )
        values = row_values(source_file, parsed)
        counts = save_rows(parsed.rows, places, COLUMNS, values, progress)
        source_file.rows_loaded = counts[Placer.PLACED]
        source_file.rows_outside = counts[Placer.OUTSIDE]
        source_file.rows_no_location = counts[Placer.NO_LOCATION]
        source_file.save(
            update_fields=["rows_loaded", "rows_outside", "rows_no_location"]
        )
        reapply_flags(source_file, kept_flags)
        if by is not None:
            reason = f"imported into {data_set.name if data_set else 'police.uk'}"
            audit_record(AuditEntry.Action.CREATE, source_file, by=by, reason=reason)
    return result_of(source_file, "replaced" if replaced else "loaded", names)


def files_replaced(files, parsed, error):
    """The `files` lying within the new file's months; raises on a partial
    overlap, which would count some incidents twice. A police.uk file's
    `last_month` is empty: it covers its one month."""
    within = Q(month__lte=parsed.last_month) & (
        Q(last_month__gte=parsed.month) | Q(last_month=None, month__gte=parsed.month)
    )
    overlapping = list(files.filter(within).order_by("month"))
    for old in overlapping:
        old_last = old.last_month or old.month
        if old.month < parsed.month or old_last > parsed.last_month:
            months = period_label(parsed.month, parsed.last_month)
            raise error(
                f"{parsed.name}:1: covers {months},"
                f" which partly overlaps {old.name}"
                f" ({period_label(old.month, old_last)}) already loaded: send a"
                " file for the same months to replace it, or for months not yet"
                " loaded"
            )
    return overlapping


def row_values(source_file, parsed):
    """values(row, lsoa_id, ward_id, zone_id): the tuple of COLUMNS for a
    placed row. A police.uk row's month is its file's; a partner row's is
    the month of its day. Dates are adapted once per day, not once a row."""
    adapt = connection.ops.adapt_datefield_value
    dates = {}  # day (None for police.uk rows) -> (month, day), adapted
    fixed = (source_file.partnership_id, source_file.pk, source_file.data_set_id)

    def values(row, lsoa_id, ward_id, zone_id):
        day = row.occurred_on
        if day not in dates:
            dates[day] = (
                adapt(first_of_month(day) if day else parsed.month),
                adapt(day),
            )
        month, adapted_day = dates[day]
        return (*fixed, row.line, row.crime_id, month, adapted_day, row.category,
                row.longitude, row.latitude, row.location, row.outcome, lsoa_id,
                ward_id, zone_id, row.alcohol_related, row.hate_crime,
                row.repeat_victim, row.victim_key)  # fmt: skip

    return values


def result_of(source_file, status, replaced=()):
    return ImportResult(
        name=source_file.name,
        month=source_file.month,
        last_month=source_file.last_month or source_file.month,
        status=status,
        rows_read=source_file.rows_read,
        rows_loaded=source_file.rows_loaded,
        rows_outside=source_file.rows_outside,
        rows_no_location=source_file.rows_no_location,
        force="" if source_file.data_set_id else source_file.force,
        replaced=list(replaced),
        source_file=source_file,
    )


# Writing rows ---------------------------------------------------------------------


def copy_sql(columns):
    """COPY of incident rows with `columns` from standard input (PostgreSQL)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    return f"COPY {quote(Incident._meta.db_table)} ({names}) FROM STDIN"


def write_executemany(cursor, columns, batches):
    """Any database: INSERT with executemany, a batch at a time. Rows go in
    as tuples rather than model instances: building 85,000 instances costs
    several times the insert itself (bench/bench_intelligence_*)."""
    sql = insert_sql(Incident, columns)
    for batch in batches:
        cursor.executemany(sql, batch)


def write_copy(cursor, columns, batches):
    """PostgreSQL: one COPY FROM STDIN (psycopg 3) for the whole file, one
    round trip instead of one a row (bench/bench_scale.py compares it with a
    bare COPY). It runs inside the import's transaction, so a failure loads
    nothing, as with INSERT."""
    with cursor.cursor.copy(copy_sql(columns)) as copy:
        for batch in batches:
            for row in batch:
                copy.write_row(row)


def row_writer():
    """How this database takes rows fastest."""
    return write_copy if connection.vendor == "postgresql" else write_executemany


def save_rows(rows, places, columns, values, progress=None):
    """Insert the rows that were placed in the area; returns how many rows
    were placed, outside the area, or without a location.

    `places` gives Placer's (status, lsoa, ward, zone) for each row, and
    values(row, lsoa_id, ward_id, zone_id) the tuple of `columns` to write.
    progress(done, total) is called every BATCH rows and at the end. The
    rows' monthly counts (`counts`) are written with them: call it inside the
    file's transaction, so both load or neither does.
    """
    counts = {Placer.PLACED: 0, Placer.OUTSIDE: 0, Placer.NO_LOCATION: 0}
    total = len(rows)
    tally = Tally(columns)

    def batches():
        batch = []
        for done, (row, place) in enumerate(zip(rows, places, strict=True), 1):
            status, lsoa_id, ward_id, zone_id = place
            counts[status] += 1
            if status == Placer.PLACED:
                value = values(row, lsoa_id, ward_id, zone_id)
                tally.add(value)
                batch.append(value)
            if len(batch) >= BATCH:
                yield batch
                batch = []
            if progress and done % BATCH == 0:
                progress(done, total)
        if batch:
            yield batch

    with connection.cursor() as cursor:
        row_writer()(cursor, columns, batches())
        tally.write(cursor)
    if progress:
        progress(total, total)
    return counts


# Flags partners recorded -------------------------------------------------------


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


# A stored upload, run as a background job ---------------------------------------


def run_upload_job(job):
    """Import a stored upload (into its data set, if it has one), keeping
    progress and the outcome on the job; a rejected file fails the job with
    its `file:row: reason` and loads nothing. Crime KPIs are counted again
    from the new data (their flagged series count every source). The stored
    upload is deleted either way."""
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(done, total):
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)

    try:
        with default_storage.open(job.stored_as, "rb") as fh:
            raw = fh.read()
        result = import_data(
            job.partnership,
            raw,
            job.name,
            data_set=job.data_set,
            by=job.uploaded_by,
            progress=progress,
        )
    except CrimeFileError as e:
        job.status, job.message = ImportJob.Status.FAILED, str(e)
        job.save(update_fields=["status", "message"])
        return None
    finally:
        default_storage.delete(job.stored_as)
    if result.status != "unchanged":
        count_crime_kpis(job.partnership)
    job.refresh_from_db(fields=["rows_done", "rows_total"])
    job.status, job.message = ImportJob.Status.DONE, result.summary()
    job.source_file = result.source_file
    job.save(update_fields=["status", "message", "source_file"])
    return result

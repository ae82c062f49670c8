"""The one import pipeline under police.uk files and partner data sets:
write placed rows in batches, and run a stored upload as a background job.

Below `services` (police.uk) and `dataset_services` (partner files), which
give it their columns, their row values and their parser; it reads neither.
"""

from django.core.files.storage import default_storage
from django.db import connection

from .counts import Tally
from .importing import Placer
from .models import ImportJob, Incident

BATCH = 5000


def insert_sql(columns):
    """INSERT of one incident row with `columns`. Rows go in with executemany
    rather than model instances: building 85,000 instances costs several
    times the insert itself (bench/bench_intelligence_*)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(Incident._meta.db_table)} ({names}) VALUES ({marks})"


def copy_sql(columns):
    """COPY of incident rows with `columns` from standard input (PostgreSQL)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    return f"COPY {quote(Incident._meta.db_table)} ({names}) FROM STDIN"


def write_executemany(cursor, columns, batches):
    """Any database: INSERT with executemany, a batch at a time."""
    sql = insert_sql(columns)
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


def run_upload_job(job, load, error, *, source_file_of):
    """Run a stored upload's import, keeping progress and the outcome on the job.

    load(raw, progress) imports the file's bytes and returns a result with a
    summary(); an `error` exception fails the job with its message (the file
    loads whole or not at all). source_file_of(result) is the file it made.
    The stored upload is deleted either way.
    """
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(done, total):
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)

    try:
        with default_storage.open(job.stored_as, "rb") as fh:
            raw = fh.read()
        result = load(raw, progress)
    except error as e:
        job.status, job.message = ImportJob.Status.FAILED, str(e)
        job.save(update_fields=["status", "message"])
        return None
    finally:
        default_storage.delete(job.stored_as)
    job.refresh_from_db(fields=["rows_done", "rows_total"])
    job.status, job.message = ImportJob.Status.DONE, result.summary()
    job.source_file = source_file_of(result)
    job.save(update_fields=["status", "message", "source_file"])
    return result

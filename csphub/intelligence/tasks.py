"""Background work (Django's tasks framework; the database backend by default).

The top of intelligence's own modules: it queues and runs what `services`,
`dataset_services` and `briefing` do inline, and none of them import it.
"""

import uuid
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

from . import dataset_services, services
from .briefing import BriefingError, build
from .models import Briefing, ImportJob


@task()
def run_import_job(job_id):
    """Import an uploaded file; progress and outcome are kept on the ImportJob."""
    job = ImportJob.objects.select_related("partnership").get(pk=job_id)
    services.run_import_job(job)


@task()
def run_briefing(briefing_id):
    """Prepare a queued briefing; progress and outcome are kept on the Briefing."""
    briefing = Briefing.objects.select_related("partnership", "area", "zone").get(
        pk=briefing_id
    )
    try:
        build(briefing)
    except BriefingError:
        pass  # recorded on the briefing, whose page says why
    except Exception as e:
        Briefing.objects.filter(pk=briefing.pk).update(
            status=Briefing.Status.FAILED,
            message=f"The briefing could not be prepared ({e.__class__.__name__}).",
        )
        raise


@task()
def run_dataset_import_job(job_id):
    """Import an upload into a partner data set; progress is kept on the job."""
    job = ImportJob.objects.select_related(
        "partnership", "data_set__partnership", "data_set__organisation"
    ).get(pk=job_id)
    dataset_services.run_dataset_import_job(job)


def _store_upload(partnership, uploaded, suffix):
    return default_storage.save(
        f"imports/{partnership.slug}/{uuid.uuid4().hex}{suffix}", uploaded
    )


def start_upload_import(partnership, uploaded, *, by):
    """Store an uploaded police.uk file and queue its import; returns the
    ImportJob, whose page shows its progress. The import is the same code as
    `manage.py import_crime`."""
    job = ImportJob.objects.create(
        partnership=partnership,
        uploaded_by=by,
        name=uploaded.name,
        stored_as=_store_upload(partnership, uploaded, ".csv"),
    )
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def start_dataset_upload(data_set, uploaded, *, by):
    """Store an upload for a partner data set and queue its import; returns
    the ImportJob."""
    suffix = Path(uploaded.name).suffix.lower()
    job = ImportJob.objects.create(
        partnership=data_set.partnership,
        data_set=data_set,
        uploaded_by=by,
        name=Path(uploaded.name).name[:255],
        stored_as=_store_upload(data_set.partnership, uploaded, suffix),
    )
    transaction.on_commit(lambda: run_dataset_import_job.enqueue(job.pk))
    return job


def prepare_briefing(partnership, area, month, *, by, **options):
    """Queue a briefing to be prepared in the background; returns the Briefing,
    whose page shows its progress."""
    briefing = services.new_briefing(partnership, area, month, by, options)
    transaction.on_commit(lambda: run_briefing.enqueue(briefing.pk))
    return briefing

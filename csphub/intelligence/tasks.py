"""Background work (Django's tasks framework; the database backend by default).

The top of intelligence's own modules: it queues and runs what `loading`,
`services` and `briefing` do inline, and none of them import it.
"""

import uuid
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import models, transaction
from django_tasks import task

from csphub.places.models import Area, Zone

from . import loading, services
from .briefing import SEED, BriefingError, build, parameters_with_defaults, window
from .coverage import data_months
from .models import Briefing, ImportJob


@task()
def run_import_job(job_id):
    """Import an uploaded file (police.uk, or into its partner data set);
    progress and outcome are kept on the ImportJob."""
    job = ImportJob.objects.select_related(
        "partnership", "data_set__partnership", "data_set__organisation"
    ).get(pk=job_id)
    loading.run_upload_job(job)


@task()
def run_briefing(briefing_id):
    """Prepare a queued briefing; progress and outcome are kept on the Briefing.

    The briefing is claimed first (queued -> running in one UPDATE), so a task
    delivered twice, or a briefing queued twice, is prepared once."""
    claimed = Briefing.objects.filter(
        pk=briefing_id, status=Briefing.Status.QUEUED
    ).update(status=Briefing.Status.RUNNING)
    if not claimed:
        return
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


def start_upload_import(partnership, uploaded, *, by, data_set=None):
    """Store an uploaded file and queue its import: a police.uk file, or a
    file for `data_set` read through its mapping. Returns the ImportJob, whose
    page shows its progress. The import is the same code as `manage.py
    import_crime` and `import_dataset`."""
    name = Path(uploaded.name).name
    stored_as = default_storage.save(
        f"imports/{partnership.slug}/{uuid.uuid4().hex}{Path(name).suffix.lower()}",
        uploaded,
    )
    job = ImportJob.objects.create(
        partnership=partnership,
        data_set=data_set,
        uploaded_by=by,
        name=name[:255],
        stored_as=stored_as,
    )
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def prepare_briefing(partnership, area, month, *, by, **options):
    """Queue a briefing to be prepared in the background; returns the Briefing,
    whose page shows its progress."""
    briefing = services.new_briefing(partnership, area, month, by, options)
    transaction.on_commit(lambda: run_briefing.enqueue(briefing.pk))
    return briefing


def briefing_places(partnership, *, zones=True):
    """The places `brief_all` briefs: the wards of a partnership's borough by
    ONS code, then (with `zones`) its zones by name."""
    places = list(
        Area.objects.wards().filter(parent_id=partnership.borough_id).order_by("code")
    )
    if zones:
        places += list(Zone.objects.filter(partnership=partnership).order_by("name"))
    return places


def latest_month(partnership):
    """The latest month with crime data, or None."""
    months = [m for m, has_data in data_months(partnership) if has_data]
    return max(months) if months else None


def queue_briefings(partnership, month, *, by=None, zones=True):
    """Queue one background briefing per ward (and zone) of a partnership for
    a month, with the default parameters; returns (queued Briefings, places
    skipped because a briefing for them and that month is already queued or
    running). Raises BriefingError, queueing nothing, when the month has no
    data. Any number of task workers share the queue; each task is claimed
    with a row lock, so each briefing is prepared once."""
    parameters = parameters_with_defaults()
    window(data_months(partnership), month, parameters)  # BriefingError: no data
    busy = set(
        Briefing.objects.filter(
            partnership=partnership,
            month=month,
            status__in=[Briefing.Status.QUEUED, Briefing.Status.RUNNING],
        ).values_list("area_id", "zone_id")
    )
    new, skipped = [], 0
    for place in briefing_places(partnership, zones=zones):
        area, zone = (None, place) if isinstance(place, Zone) else (place, None)
        if (area and area.pk, zone and zone.pk) in busy:
            skipped += 1
            continue
        new.append(
            Briefing(
                partnership=partnership,
                area=area,
                zone=zone,
                month=month,
                created_by=by,
                seed=SEED,
                parameters=parameters,
            )
        )
    with transaction.atomic():
        queued = Briefing.objects.bulk_create(new)
        ids = [b.pk for b in queued]
        transaction.on_commit(lambda: [run_briefing.enqueue(pk) for pk in ids])
    return queued, skipped


def briefing_progress(ids):
    """{status: count} over the given briefings."""
    counts = dict.fromkeys(Briefing.Status.values, 0)
    rows = (
        Briefing.objects.filter(pk__in=ids)
        .values_list("status")
        .annotate(n=models.Count("pk"))
        .order_by()
    )
    counts.update(dict(rows))
    return counts

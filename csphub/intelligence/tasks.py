"""Background tasks (Django's tasks framework; the database backend by default)."""

from django_tasks import task

from . import services
from .models import ImportJob


@task()
def run_import_job(job_id):
    """Import an uploaded file; progress and outcome are kept on the ImportJob."""
    job = ImportJob.objects.select_related("partnership").get(pk=job_id)
    services.run_import_job(job)


@task()
def run_briefing(briefing_id):
    """Prepare a queued briefing; progress and outcome are kept on the Briefing."""
    from .briefing import BriefingError, build
    from .models import Briefing

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
    from . import dataset_services

    job = ImportJob.objects.select_related(
        "partnership", "data_set__partnership", "data_set__organisation"
    ).get(pk=job_id)
    dataset_services.run_dataset_import_job(job)

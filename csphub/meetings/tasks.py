"""Background work (Django's tasks framework; the database backend by default).

The top of the meetings app's own modules: it queues and runs what `packs`
does inline, and `packs` never imports it.
"""

from django.db import transaction
from django_tasks import task

from .models import PackBuild
from .packs import run_pack_build


@task()
def build_pack(build_id):
    """Build a queued agenda pack; progress and outcome are kept on the build."""
    build = PackBuild.objects.select_related(
        "meeting__body", "meeting__partnership"
    ).get(pk=build_id)
    try:
        run_pack_build(build)
    except Exception as e:
        PackBuild.objects.filter(pk=build.pk).update(
            status=PackBuild.Status.FAILED,
            message=f"The pack could not be built ({e.__class__.__name__}).",
        )
        raise


def start_pack_build(meeting, pack, by):
    """Queue a pack build; its page shows the progress."""
    build = PackBuild.objects.create(meeting=meeting, pack=pack, created_by=by)
    transaction.on_commit(lambda: build_pack.enqueue(build.pk))
    return build

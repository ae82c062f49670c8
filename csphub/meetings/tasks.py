"""Background tasks (Django's tasks framework; the database backend by default)."""

from django_tasks import task


@task()
def build_pack(build_id):
    """Build a queued agenda pack; progress and outcome are kept on the build."""
    from .models import PackBuild
    from .packs import run_pack_build

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

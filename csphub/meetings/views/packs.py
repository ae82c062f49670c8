"""Pages for agenda packs: on the web, built as PDF in the background with a
progress page, and the PDF itself."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from csphub.accounts.access import partnership_required
from csphub.accounts.services import record_restricted_view

from .. import access, packs, tasks
from ..models import PackBuild

PACKS = {"public": False, "full": True}


def _pack_meeting(request, pk, kind):
    if kind not in PACKS:
        raise Http404("No such pack.")
    meeting = access.meeting_for(request, pk)
    if PACKS[kind]:
        access.require(
            access.can_run(request, meeting),
            "Only members of the body may open the full pack.",
        )
        record_restricted_view(request, meeting, reason="full agenda pack")
    return meeting


def pack(request, pk, kind):
    meeting = _pack_meeting(request, pk, kind)
    return TemplateResponse(
        request,
        "meetings/pack.html",
        {
            "pack": packs.pack_for(meeting, PACKS[kind]),
            "meeting": meeting,
            "kind": kind,
            "can_run": access.can_run(request, meeting),
        },
    )


@require_POST
@partnership_required
def pack_start(request, pk, kind):
    meeting = _pack_meeting(request, pk, kind)
    access.require(access.can_run(request, meeting))
    build = tasks.start_pack_build(meeting, kind, request.user)
    return redirect(build)


def _build_for(request, pk):
    build = get_object_or_404(PackBuild.objects.defer("pdf"), pk=pk)
    build.meeting = _pack_meeting(
        request, build.meeting_id, "full" if build.pack == "full" else "public"
    )
    access.require(access.in_partnership(request, build.meeting))
    return build


@partnership_required
def pack_build(request, pk):
    build = _build_for(request, pk)
    response = TemplateResponse(
        request,
        "meetings/pack_build.html",
        {"build": build, "meeting": build.meeting, "stale": packs.stale(build)},
    )
    if build.status in {PackBuild.Status.QUEUED, PackBuild.Status.RUNNING}:
        response["Refresh"] = "3"  # the progress page updates without scripts
    return response


def pack_pdf(request, pk, kind):
    """The pack as PDF, built now (the build page keeps one for big packs)."""
    meeting = _pack_meeting(request, pk, kind)
    pdf, _ = packs.pack_pdf(packs.pack_for(meeting, PACKS[kind]))
    return _pdf_response(pdf, packs.pack_filename(meeting, kind))


@partnership_required
def pack_build_pdf(request, pk):
    build = _build_for(request, pk)
    if build.status != PackBuild.Status.DONE:
        raise Http404("The pack is not ready.")
    pdf = PackBuild.objects.values_list("pdf", flat=True).get(pk=build.pk)
    return _pdf_response(bytes(pdf), packs.pack_filename(build.meeting, build.pack))


def _pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

"""Pages about the partnership's incident data."""

import csv
from collections import defaultdict

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from csphub.accounts.access import has_role, partnership_required
from csphub.accounts.models import Role

from . import services
from .forms import CrimeUploadForm
from .models import ImportJob, Incident, SourceFile

LOADERS = {Role.ANALYST, Role.ADMIN}


@partnership_required
def data_status(request):
    """Which months have data, file by file, and where rows were kept out."""
    partnership = request.partnership
    files = defaultdict(list)
    police_uk = SourceFile.objects.filter(
        partnership=partnership, source=SourceFile.Source.POLICE_UK
    )
    for f in police_uk.order_by("force"):
        files[f.month].append(f)
    months = [
        {"month": month, "has_data": has_data, "files": files.get(month, [])}
        for month, has_data in reversed(services.data_months(partnership))
    ]
    categories = (
        Incident.objects.police_uk()
        .filter(partnership=partnership)
        .values("category")
        .annotate(count=Count("pk"))
        .order_by("-count")
    )
    if request.GET.get("format") == "csv":
        return _months_csv(months)
    return TemplateResponse(
        request,
        "intelligence/data_status.html",
        {
            "months": months,
            "categories": categories,
            "missing": [m for m in months if not m["has_data"]],
            "can_upload": has_role(request, *LOADERS),
        },
    )


@partnership_required(roles=LOADERS)
def upload(request):
    posted = request.method == "POST"
    form = CrimeUploadForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if posted and form.is_valid():
        job = services.start_upload_import(
            request.partnership, form.cleaned_data["file"], by=request.user
        )
        return redirect(job)
    jobs = ImportJob.objects.filter(partnership=request.partnership).select_related(
        "uploaded_by"
    )[:20]
    return TemplateResponse(
        request, "intelligence/upload.html", {"form": form, "jobs": jobs}
    )


@partnership_required(roles=LOADERS)
def import_job(request, pk):
    job = get_object_or_404(ImportJob, pk=pk, partnership=request.partnership)
    return TemplateResponse(request, "intelligence/import_job.html", {"job": job})


def _months_csv(months):
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="crime-data-months.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["month", "file", "force", "rows", "loaded", "outside area", "no location"]
    )
    for m in months:
        if not m["has_data"]:
            writer.writerow([f"{m['month']:%Y-%m}", "no data", "", "", "", "", ""])
        for f in m["files"]:
            writer.writerow(
                [
                    f"{m['month']:%Y-%m}",
                    f.name,
                    f.force,
                    f.rows_read,
                    f.rows_loaded,
                    f.rows_outside,
                    f.rows_no_location,
                ]
            )
    return response

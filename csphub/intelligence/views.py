"""Pages about the partnership's incident data."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from csphub.accounts.access import partnership_required
from csphub.lib.csv_export import csv_response
from csphub.lib.months import month_key
from csphub.lib.paging import page_of, query_without_page

from . import access, presentation, services, tasks
from .briefing import BriefingError, resolve_area
from .coverage import files_by_month
from .forms import (
    BriefingForm,
    CrimeUploadForm,
    DataSetUploadForm,
    HarmWeightsForm,
    IncidentFilterForm,
)
from .harm import HarmFileError, load_harm_weights
from .models import Briefing, HarmIndex, ImportJob, Incident, SourceFile


@partnership_required
def data_status(request):
    """Which months have data, file by file, and where rows were kept out."""
    partnership = request.partnership
    files = SourceFile.objects.filter(partnership=partnership, data_set=None)
    months = files_by_month(
        files.select_related("imported_by").order_by("force"),
        services.data_months(partnership),
    )
    categories = (
        Incident.objects.police_uk()
        .filter(partnership=partnership)
        .values("category")
        .annotate(count=Count("pk"))
        .order_by("-count")
    )
    if request.GET.get("format") == "csv":
        return csv_response("crime-data-months.csv", _months_rows(months))
    return TemplateResponse(
        request,
        "intelligence/data_status.html",
        {
            "months": months,
            "categories": categories,
            "missing": [m for m in months if not m["has_data"]],
            "can_upload": access.may_load(request),
        },
    )


@partnership_required
def upload(request, slug=None):
    """Upload a police.uk file or, given a data set's slug, a file of that data
    set; the import runs in the background (tasks.start_upload_import)."""
    data_set = access.data_set_for(request, slug) if slug else None
    access.require(access.may_load(request))
    posted = request.method == "POST"
    form = (DataSetUploadForm if data_set else CrimeUploadForm)(
        request.POST if posted else None, request.FILES if posted else None
    )
    if posted and form.is_valid():
        job = tasks.start_upload_import(
            request.partnership,
            form.cleaned_data["file"],
            by=request.user,
            data_set=data_set,
        )
        return redirect(job)
    jobs = ImportJob.objects.filter(
        partnership=request.partnership, data_set=data_set
    ).select_related("uploaded_by")[:20]
    return TemplateResponse(
        request,
        "intelligence/upload.html",
        {"data_set": data_set, "form": form, "jobs": jobs},
    )


@partnership_required
def import_job(request, pk, partner=False):
    """An upload's import: its progress, then what it loaded or why not. A
    partner data set's jobs (`partner`) have their own address."""
    job = get_object_or_404(
        ImportJob.objects.select_related("data_set", "uploaded_by"),
        pk=pk,
        partnership=request.partnership,
        data_set__isnull=not partner,
    )
    access.require(access.may_load(request))
    return TemplateResponse(request, "intelligence/import_job.html", {"job": job})


def _months_rows(months):
    yield ["month", "file", "force", "rows", "loaded", "outside area", "no location"]
    for m in months:
        month = month_key(m["month"])
        if not m["has_data"]:
            yield [month, "no data", "", "", "", "", ""]
        for f in m["files"]:
            yield [
                month,
                f.name,
                f.force,
                f.rows_read,
                f.rows_loaded,
                f.rows_outside,
                f.rows_no_location,
            ]


# Briefings


@partnership_required
def briefing_list(request):
    """The partnership's briefings, and (for analysts) a form to prepare one."""
    partnership = request.partnership
    can_prepare = access.may_prepare(request)
    if request.method == "POST" and not can_prepare:
        raise PermissionDenied("Only analysts and administrators prepare briefings.")
    form = None
    if can_prepare:
        months = [m for m, has in reversed(services.data_months(partnership)) if has]
        form = BriefingForm(partnership, months, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                briefing = tasks.prepare_briefing(
                    partnership,
                    resolve_area(partnership, form.cleaned_data["area"]),
                    form.cleaned_data["month"],
                    by=request.user,
                    **form.options(),
                )
            except BriefingError as e:
                form.add_error("area", str(e))
            else:
                return redirect(briefing)
    briefings = Briefing.objects.of(partnership).defer("results")[:100]
    return TemplateResponse(
        request,
        "intelligence/briefing_list.html",
        {"briefings": briefings, "form": form},
    )


@partnership_required
def briefing_detail(request, pk):
    briefing = access.briefing_for(request, pk)
    context = {"briefing": briefing}
    if briefing.status == Briefing.Status.DONE:
        context.update(presentation.briefing_context(briefing, request.user))
    return TemplateResponse(request, "intelligence/briefing_detail.html", context)


@partnership_required
def briefing_pdf(request, pk):
    briefing = access.briefing_for(request, pk)
    if briefing.status != Briefing.Status.DONE:
        raise Http404("This briefing is not ready.")
    pdf = presentation.briefing_pdf(briefing, request.user, base_url=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{presentation.file_name(briefing)}.pdf"'
    )
    return response


# Incidents

CSV_COLUMNS = [
    "month", "occurred_on", "category", "location", "latitude", "longitude",
    "lsoa", "ward", "zone", "outcome", "crime_id", "alcohol_related",
    "hate_crime", "repeat_victim", "source_file", "line",
]  # fmt: skip


@partnership_required
def incident_list(request):
    """Incidents behind a figure: filterable, paginated, exportable as CSV."""
    partnership = request.partnership
    categories = list(
        Incident.objects.filter(partnership=partnership)
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )
    form = IncidentFilterForm(partnership, categories, request.GET or None)
    incidents = Incident.objects.none()
    if not request.GET or form.is_valid():
        filters = form.cleaned_data if request.GET else {}
        incidents = services.filter_incidents(partnership, **filters)
    if request.GET.get("format") == "csv":
        incidents = incidents.select_related("lsoa", "ward", "zone", "source_file")
        return csv_response("incidents.csv", _incidents_rows(incidents), stream=True)
    incidents = incidents.select_related("lsoa", "ward", "data_set")
    page = page_of(incidents, request.GET.get("page"))
    return TemplateResponse(
        request,
        "intelligence/incident_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def _incidents_rows(incidents):
    yield CSV_COLUMNS
    for i in incidents.iterator(chunk_size=2000):
        yield [
            month_key(i.month), i.occurred_on or "", i.category, i.location,
            i.latitude, i.longitude, i.lsoa.code if i.lsoa else "",
            i.ward.name if i.ward else "", i.zone.name if i.zone else "",
            i.outcome, i.crime_id, i.alcohol_related, i.hate_crime,
            i.repeat_victim, i.source_file.name, i.line,
        ]  # fmt: skip


@partnership_required
def harm_weights(request):
    """The partnership's harm weights; analysts and administrators load them."""
    can_load = access.may_load(request)
    if request.method == "POST" and not can_load:
        raise PermissionDenied("Only analysts and administrators load harm weights.")
    index = (
        HarmIndex.objects.filter(partnership=request.partnership)
        .select_related("loaded_by")
        .first()
    )
    form = HarmWeightsForm(request.POST or None, request.FILES or None)
    if can_load and request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            load_harm_weights(
                request.partnership,
                uploaded.read(),
                uploaded.name,
                index_name=form.cleaned_data["name"],
                source=form.cleaned_data["source"],
                by=request.user,
            )
        except HarmFileError as e:
            form.add_error("file", str(e))
        else:
            return redirect("intelligence:harm-weights")
    return TemplateResponse(
        request,
        "intelligence/harm_weights.html",
        {
            "index": index,
            "weights": index.weight_rows.all() if index else [],
            "form": form if can_load else None,
        },
    )

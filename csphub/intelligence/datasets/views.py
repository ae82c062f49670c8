"""Pages about partner data sets and incidents with their flags (a data
set's upload and import pages are the police.uk ones, given the data set).

Analysts and administrators set data sets up and load files; partner
officers, case handlers, analysts and administrators record flags; everyone
with a role in the partnership reads.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from csphub.accounts.access import partnership_required, submitted

from .. import access
from ..coverage import files_by_month
from ..forms import DataSetForm, FlagForm, MappingForm, SampleForm
from ..models import DataSet, FlagChange
from . import services
from .parsing import FORMAT_EXAMPLES, DataSetFileError, preview_sample


@partnership_required
def dataset_list(request):
    data_sets = DataSet.objects.filter(partnership=request.partnership).with_counts()
    return TemplateResponse(
        request,
        "intelligence/dataset_list.html",
        {"data_sets": data_sets, "can_manage": access.may_load(request)},
    )


@partnership_required(roles=access.LOADERS)
def dataset_add(request):
    posted = request.method == "POST"
    form = DataSetForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        partnership=request.partnership,
    )
    if posted and form.is_valid():
        data_set = form.save(commit=False)
        sample = form.cleaned_data["sample"]
        try:
            with transaction.atomic():
                data_set = services.create_data_set(
                    request.partnership,
                    by=request.user,
                    **{f: getattr(data_set, f) for f in form.Meta.fields},
                )
                services.set_sample(
                    data_set, sample.read(), sample.name, by=request.user
                )
        except DataSetFileError as e:
            form.add_error("sample", str(e))
        else:
            return redirect("intelligence:dataset-mapping", data_set.slug)
    return TemplateResponse(request, "intelligence/dataset_add.html", {"form": form})


@partnership_required
def dataset_detail(request, slug):
    data_set = access.data_set_for(request, slug)
    files = list(data_set.files.select_related("imported_by").order_by("month"))
    months = services.monthly_totals(data_set)
    latest = data_set.incidents.select_related("ward").order_by("-occurred_on", "-pk")
    return TemplateResponse(
        request,
        "intelligence/dataset_detail.html",
        {
            "data_set": data_set,
            "files": files,
            "file_months": files_by_month(
                files, [(month, n is not None) for month, n in reversed(months)]
            ),
            "last_import": max((f.imported_at for f in files), default=None),
            "months": months,
            "gaps": [month for month, n in reversed(months) if n is None],
            "categories": services.category_counts(data_set),
            "flags": services.flag_counts(data_set),
            "latest": latest[:10],
            "formats": [FORMAT_EXAMPLES.get(f, f) for f in data_set.date_formats],
            "can_manage": access.may_load(request),
        },
    )


@partnership_required
def dataset_mapping(request, slug):
    data_set = access.data_set_for(request, slug)
    access.require(access.may_load(request))
    form = MappingForm(request.POST or None, instance=data_set)
    if submitted(request, form):
        services.save_mapping(form.save(commit=False), by=request.user)
        messages.success(request, "Mapping saved. Check how the sample reads below.")
        return redirect("intelligence:dataset-mapping", data_set.slug)
    return _mapping_page(request, data_set, form, SampleForm())


def _mapping_page(request, data_set, form, sample_form, status=200):
    saved = DataSet.objects.get(pk=data_set.pk)  # the preview uses the saved mapping
    problem, preview = preview_sample(saved) if saved.is_mapped() else (None, [])
    return TemplateResponse(
        request,
        "intelligence/dataset_mapping.html",
        {
            "data_set": saved,
            "form": form,
            "sample_form": sample_form,
            "problem": problem,
            "preview": preview,
        },
        status=status,
    )


@require_POST
@partnership_required
def dataset_sample(request, slug):
    data_set = access.data_set_for(request, slug)
    access.require(access.may_load(request))
    form = SampleForm(request.POST, request.FILES)
    if form.is_valid():
        sample = form.cleaned_data["sample"]
        try:
            services.set_sample(data_set, sample.read(), sample.name, by=request.user)
        except DataSetFileError as e:
            form.add_error("sample", str(e))
        else:
            messages.success(request, f"Sample replaced by {sample.name}.")
            return redirect("intelligence:dataset-mapping", data_set.slug)
    return TemplateResponse(
        request,
        "intelligence/dataset_mapping.html",
        {
            "data_set": data_set,
            "form": MappingForm(instance=data_set),
            "sample_form": form,
        },
        status=400,
    )


# the records the incident page names, selected with the incident
INCIDENT_PAGE_SHOWS = [
    "source_file__imported_by",
    "data_set__organisation",
    "lsoa",
    "ward",
    "zone",
]


@partnership_required
def incident_detail(request, pk):
    incident = access.incident_for(request, pk, *INCIDENT_PAGE_SHOWS)
    history = FlagChange.objects.filter(incident=incident).select_related("recorded_by")
    may_flag = access.may_flag(request)
    return TemplateResponse(
        request,
        "intelligence/incident_detail.html",
        {
            "incident": incident,
            "history": history,
            "form": _flag_form(incident) if may_flag else None,
        },
    )


def _flag_form(incident, data=None):
    initial = [flag for flag in services.FLAGS if getattr(incident, flag)]
    return FlagForm(data, initial={"flags": initial})


@require_POST
@partnership_required
def incident_flags(request, pk):
    incident = access.incident_for(request, pk, "source_file")
    access.require(access.may_flag(request))
    form = _flag_form(incident, request.POST)
    if form.is_valid():
        ticked = form.cleaned_data["flags"]
        values = {flag: flag in ticked for flag in services.FLAGS}
        changes = services.record_flags(
            incident, values, by=request.user, note=form.cleaned_data["note"]
        )
        messages.success(
            request,
            "Saved: " + "; ".join(c.describe() for c in changes)
            if changes
            else "No flag changed.",
        )
    else:
        messages.error(
            request, "; ".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect(incident)

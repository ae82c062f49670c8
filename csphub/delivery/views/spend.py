"""Spend pages: the matrix, duplication and gaps, import and export."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from csphub.accounts.access import partnership_required, submitted
from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit
from csphub.lib.csv_export import csv_response

from .. import access, quarters, spend as spending
from ..forms import SpendImportForm


def _year(request, years):
    value = request.GET.get("year", "")
    year = spending.parse_year(value) if value else None
    if year is None and years:
        year = years[-1]
    return year


@partnership_required
def spend(request):
    years = spending.years(request.partnership)
    year = _year(request, years)
    by = "organisation" if request.GET.get("by") == "organisation" else "service_area"
    context = {
        "years": [(y, quarters.financial_year_label(y)) for y in years],
        "year": year,
        "year_label": quarters.financial_year_label(year) if year else "",
        "by": by,
        "can_import": access.can_import_spend(request),
    }
    if year is not None:
        context.update(
            matrix=spending.matrix(request.partnership, year, by),
            duplication=spending.duplication(request.partnership, year),
            gaps=spending.gaps(request.partnership, year),
        )
    return TemplateResponse(request, "delivery/spend.html", context)


@partnership_required
def spend_import(request):
    access.require(
        access.can_import_spend(request), "Analysts and administrators import spend."
    )
    form = SpendImportForm(request.POST or None, request.FILES or None)
    errors = []
    if submitted(request, form):
        upload = form.cleaned_data["file"]
        try:
            new, replaced = spending.import_spend(
                request.partnership, upload.read(), upload.name
            )
        except spending.SpendFileError as error:
            errors = error.errors
        else:
            audit(
                AuditEntry.Action.CREATE,
                request=request,
                reason=f"spend import {upload.name}: {new} new, {replaced} replaced",
            )
            messages.success(
                request,
                f"{upload.name}: {new + replaced} spend lines loaded"
                f" ({new} new, {replaced} replaced).",
            )
            return redirect("delivery:spend")
    return TemplateResponse(
        request, "delivery/spend_import.html", {"form": form, "errors": errors}
    )


@partnership_required
def spend_export(request):
    year = (
        spending.parse_year(request.GET.get("year", ""))
        if request.GET.get("year")
        else None
    )
    rows = list(spending.export_rows(request.partnership, year))
    name = f"spend-{request.partnership.slug}{'-' + str(year) if year else ''}"
    audit(AuditEntry.Action.EXPORT, request=request, reason=name)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            spending.xlsx_bytes(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    return csv_response(f"{name}.csv", rows)

"""Pages about performance: the KPI register, values, the review, the highlight
report and the public scorecard."""

from functools import partial

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from csphub.accounts.access import form_flow, partnership_required, submitted
from csphub.accounts.models import Partnership

from . import access, services
from .access import VALUE_ENTRY_ROLES
from .forms import (
    BoardReportForm,
    ContextForm,
    ImportForm,
    IndicatorForm,
    MeasurementForm,
    OpenReviewForm,
    RatingForm,
)
from .importing import MeasurementFileError, import_measurements
from .models import Indicator, Measurement, Review


def _grouped(items, key):
    groups = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return list(groups.items())


@partnership_required
def indicator_list(request):
    indicators = list(Indicator.objects.of(request.partnership))
    latest = services.latest_period(request.partnership)
    measured = [i for i in indicators if i.status == Indicator.Status.MEASURED]
    items = (
        {c.indicator.pk: c for c in services.charts_for(measured, latest, draw=False)}
        if latest
        else {}
    )
    rows = [(i, items.get(i.pk)) for i in indicators]
    return TemplateResponse(
        request,
        "performance/indicator_list.html",
        {
            "groups": _grouped(rows, lambda r: r[0].group_name),
            "latest": latest,
            "reviews": list(Review.objects.filter(partnership=request.partnership)[:1]),
            "can_edit": access.may_edit_register(request),
            "can_import": bool(request.roles & VALUE_ENTRY_ROLES),
        },
    )


@partnership_required
def indicator_detail(request, slug):
    indicator = access.indicator_for(request, slug)
    end = services.latest_period(request.partnership)
    chart = None
    if end and indicator.status == Indicator.Status.MEASURED:
        chart = services.charts_for([indicator], end)[0]
    history = list(
        indicator.measurements.select_related("recorded_by").order_by(
            "-period", "-recorded_at"
        )[:200]
    )
    return TemplateResponse(
        request,
        "performance/indicator_detail.html",
        {
            "indicator": indicator,
            "chart": chart,
            "history": history,
            "corrections": [m for m in history if not m.current],
            "can_edit": access.may_edit_register(request),
            "can_enter": access.may_enter_values(request, indicator)
            and indicator.status == Indicator.Status.MEASURED,
            "can_set_board_report": _may_set_board_report(request),
        },
    )


def _may_set_board_report(request):
    """The performance group (its seats) and administrators, as for RAG."""
    body = services.review_body(request.partnership)
    return access.may_rate(request, Review(partnership=request.partnership, body=body))


@partnership_required
def board_report_edit(request, slug):
    indicator = access.indicator_for(request, slug)
    access.require(_may_set_board_report(request))
    form = BoardReportForm(
        request.POST or None,
        initial={
            "setting": indicator.board_report,
            "reason": indicator.board_report_reason,
        },
    )
    done = form_flow(
        request,
        form,
        partial(services.set_board_report, indicator, request.user),
        indicator,
        lambda _: (
            f"“{indicator.name}” on the board's highlight report:"
            f" {indicator.get_board_report_display().lower()}."
        ),
    )
    return done or TemplateResponse(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": f"Board report: {indicator.name}",
            "back": indicator,
            "hint": "The performance group decides what reaches the board. An"
            " indicator another board already reviews (a MOPAC 7 indicator the"
            " police review, for example) can be kept off, so the partnership"
            " does not add an extra layer.",
        },
    )


@partnership_required(roles=access.REGISTER_EDITORS)
def indicator_add(request):
    return _indicator_form(request, Indicator(partnership=request.partnership))


@partnership_required(roles=access.REGISTER_EDITORS)
def indicator_edit(request, slug):
    return _indicator_form(request, access.indicator_for(request, slug))


def _indicator_form(request, indicator):
    created = indicator.pk is None
    form = IndicatorForm(request.partnership, request.POST or None, instance=indicator)
    if submitted(request, form):
        indicator = form.save(commit=False)
        if created:
            indicator.slug = _free_slug(request.partnership, indicator.name)
        services.save_indicator(indicator, request.user, created=created)
        messages.success(request, f"Saved “{indicator.name}”.")
        return redirect(indicator)
    title = "Add an indicator" if created else f"Edit: {indicator.name}"
    return TemplateResponse(
        request,
        "performance/form.html",
        {"form": form, "title": title, "back": None if created else indicator},
    )


def _free_slug(partnership, name):
    from django.utils.text import slugify

    base = slugify(name)[:70] or "indicator"
    slug, n = base, 2
    while Indicator.objects.filter(partnership=partnership, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@partnership_required
def measurement_add(request, slug):
    indicator = access.indicator_for(request, slug)
    access.require(
        access.may_enter_values(request, indicator)
        and indicator.status == Indicator.Status.MEASURED
    )
    form = MeasurementForm(request.POST or None)
    if submitted(request, form):
        data = form.cleaned_data
        services.record_measurement(
            indicator,
            data["period"],
            data["value"],
            by=request.user,
            source=Measurement.Source.ENTERED,
            source_detail=f"entered by {request.user}",
            note=data["note"],
        )
        messages.success(
            request, f"Recorded {data['value']:g} for {data['period']:%B %Y}."
        )
        return redirect(indicator)
    return TemplateResponse(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": f"Enter a value: {indicator.name}",
            "back": indicator,
            "hint": "A value for a month that already has one is kept as a"
            " correction: the old value stays in the history.",
        },
    )


@partnership_required(roles=VALUE_ENTRY_ROLES)
def import_values(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if submitted(request, form):
        upload = form.cleaned_data["file"]
        try:
            summary = import_measurements(
                request.partnership,
                upload.read(),
                upload.name,
                user=request.user,
                roles=request.roles,
            )
        except MeasurementFileError as e:
            errors = e.errors
        else:
            messages.success(request, f"Imported {upload.name}: {summary}.")
            return redirect("performance:indicators")
    return TemplateResponse(
        request, "performance/import.html", {"form": form, "errors": errors}
    )


@partnership_required
def review_list(request):
    reviews = list(
        Review.objects.filter(partnership=request.partnership).select_related("body")
    )
    latest = services.latest_period(request.partnership)
    body = services.review_body(request.partnership)
    probe = Review(partnership=request.partnership, body=body)
    return TemplateResponse(
        request,
        "performance/review_list.html",
        {
            "reviews": reviews,
            "body": body,
            "form": OpenReviewForm(
                initial={"period": f"{latest:%Y-%m}" if latest else ""}
            ),
            "can_open": access.may_rate(request, probe)
            or access.may_add_context(request),
        },
    )


@require_POST
@partnership_required
def review_open(request):
    body = services.review_body(request.partnership)
    probe = Review(partnership=request.partnership, body=body)
    access.require(access.may_rate(request, probe) or access.may_add_context(request))
    form = OpenReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the month to review as YYYY-MM.")
        return redirect("performance:reviews")
    review = services.open_review(
        request.partnership, form.cleaned_data["period"], by=request.user
    )
    return redirect(review)


@partnership_required
def review_detail(request, period):
    review = access.review_for(request, period)
    items = services.review_charts(review)
    report = services.highlight_report(review, items)
    return TemplateResponse(
        request,
        "performance/review.html",
        {
            "review": review,
            "groups": _grouped(items, lambda c: c.indicator.group_name),
            "count": len(items),
            "rated": sum(1 for c in items if c.rating and c.rating.rag),
            "exceptions": services.exception_count(report),
            "can_rate": access.may_rate(request, review),
            "can_context": access.may_add_context(request),
        },
    )


@partnership_required
def rating_edit(request, period, slug):
    review = access.review_for(request, period)
    indicator = access.indicator_for(request, slug)
    access.require(access.may_rate(request, review))
    chart = services.charts_for([indicator], review.period)[0]
    rating = indicator.ratings.filter(review=review).first()
    proposed = chart.proposed_rag()
    initial = {"rag": rating.rag if rating and rating.rag else proposed}
    if rating:
        initial.update(
            commentary=rating.commentary,
            board_ask=rating.board_ask,
            override_reason=rating.override_reason,
        )
    form = RatingForm(request.POST or None, initial=initial)
    save = partial(services.rate, review, indicator, by=request.user)
    rated = f"Rated “{indicator.name}”."
    done = form_flow(request, form, save, _on_review(review, indicator), rated)
    context = {"form": form, "review": review, "item": chart, "proposed": proposed}
    return done or TemplateResponse(request, "performance/rate.html", context)


def _on_review(review, indicator):
    """The indicator's place on the review's page."""
    return f"{review.get_absolute_url()}#kpi-{indicator.slug}"


@partnership_required(roles=access.CONTEXT_ROLES)
def context_edit(request, period, slug):
    review = access.review_for(request, period)
    indicator = access.indicator_for(request, slug)
    rating = indicator.ratings.filter(review=review).first()
    form = ContextForm(
        request.POST or None, initial={"note": rating.context_note if rating else ""}
    )
    save = partial(services.add_context, review, indicator, by=request.user)
    added = f"Context added to “{indicator.name}”."
    done = form_flow(request, form, save, _on_review(review, indicator), added)
    return done or TemplateResponse(
        request,
        "performance/form.html",
        {
            "form": form,
            "title": f"Context: {indicator.name}",
            "back": review,
            "hint": "Business intelligence adds context when it helps the board"
            " understand and respond to the figures.",
        },
    )


@partnership_required
def highlight(request, period):
    review = access.review_for(request, period)
    report = services.highlight_report(review)
    context = {"report": report, "review": review, "partnership": request.partnership}
    if request.GET.get("format") == "pdf":
        pdf = highlight_pdf(report, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="highlight-report-{review.period:%Y-%m}.pdf"'
        )
        return response
    return TemplateResponse(request, "performance/highlight.html", context)


def highlight_pdf(report, base_url=None):
    """The highlight report as PDF bytes (WeasyPrint; the same SVG charts)."""
    from weasyprint import HTML

    html = render_to_string(
        "performance/highlight_pdf.html",
        {
            "report": report,
            "review": report.review,
            "partnership": report.review.partnership,
        },
    )
    # Tagged PDF/UA: screen readers follow its structure, title and language.
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")


def scorecard(request, partnership):
    partnership = get_object_or_404(Partnership, slug=partnership)
    indicators = list(Indicator.objects.of(partnership).published())
    end = services.latest_period(partnership)
    items = services.charts_for(indicators, end) if end else []
    return TemplateResponse(
        request,
        "performance/scorecard.html",
        {
            "scorecard_partnership": partnership,
            "groups": _grouped(items, lambda c: c.indicator.group_name),
            "end": end,
            "sign_in": reverse("accounts:login"),
        },
    )

"""The Community Trigger: the public figures page and CSV, the application,
the applicant's page, and the case handlers' pages that run a review."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from csphub.accounts.access import partnership_required
from csphub.accounts.models import Partnership
from csphub.lib.csv_export import csv_response

from .. import access, trigger
from ..forms import ApplyForm, DecideForm, MeetingForm, SubmissionForm
from ..models import CaseReview, Reporter


def figures(request):
    """Public: how to apply, and each partnership's yearly figures."""
    rows = [
        (p, trigger.yearly_figures(p))
        for p in Partnership.objects.exclude(borough=None)
    ]
    return TemplateResponse(
        request,
        "reports/trigger_figures.html",
        {"rows": rows, "threshold": trigger.threshold()},
    )


def figures_csv(request):
    rows = []
    rows.append(
        [
            "partnership",
            "year",
            "applications",
            "threshold_not_met",
            "reviews_held",
            "reviews_with_recommendations",
        ]
    )
    for partnership in Partnership.objects.exclude(borough=None):
        for row in trigger.yearly_figures(partnership):
            rows.append(
                [
                    partnership.slug,
                    row["year"],
                    row["applications"],
                    row["not_met"],
                    row["held"],
                    row["recommendations"],
                ]
            )
    return csv_response("community-trigger.csv", rows)


def apply(request):
    """Public: apply for a case review, from a report's page or directly."""
    token = request.GET.get("report") or request.POST.get("report") or ""
    reporter = Reporter.objects.filter(token=token).select_related("report").first()
    partnerships = list(Partnership.objects.exclude(borough=None))
    initial = {"partnership": reporter.report.partnership.slug} if reporter else {}
    if reporter:
        initial.update(name=reporter.name, email=reporter.email, phone=reporter.phone)
    form = ApplyForm(partnerships, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partnership = next(p for p in partnerships if p.slug == data["partnership"])
        review = trigger.apply(
            partnership,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            on_behalf_of=data["on_behalf_of"],
            account=data["account"],
            report=reporter.report if reporter else None,
        )
        messages.success(
            request,
            f"Your application has been received. Your reference is {review.reference}."
            " Keep this page's address to follow it.",
        )
        return redirect("reports:trigger-applicant", review.token)
    return TemplateResponse(
        request, "reports/trigger_apply.html", {"form": form, "token": token}
    )


def applicant(request, token):
    """The applicant's private page: where the review is, and asking the PCC."""
    review = get_object_or_404(CaseReview, token=token, anonymised_at=None)
    return TemplateResponse(
        request, "reports/trigger_applicant.html", {"review": review}
    )


@require_POST
def applicant_pcc(request, token):
    review = get_object_or_404(CaseReview, token=token, anonymised_at=None)
    try:
        trigger.ask_pcc(review)
        messages.success(
            request,
            "The Police and Crime Commissioner has been asked to review"
            " how your case was handled.",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:trigger-applicant", token)


@partnership_required(roles=access.REVIEW_ROLES)
def review_list(request):
    reviews = CaseReview.objects.filter(partnership=request.partnership)
    return TemplateResponse(
        request,
        "reports/review_list.html",
        {
            "reviews": reviews,
            "locations": trigger.locations_over_threshold(request.partnership),
            "threshold": trigger.threshold(),
        },
    )


@partnership_required(roles=access.REVIEW_ROLES)
def review_detail(request, reference):
    review = access.review_for(request, reference)
    return TemplateResponse(
        request,
        "reports/review_detail.html",
        {
            "review": review,
            "submissions": review.submissions.select_related("organisation", "by"),
            "decide_form": DecideForm(),
            "meeting_form": MeetingForm(),
            "submission_form": SubmissionForm(),
        },
    )


STEP_ACTIONS = {
    "acknowledge": (None, lambda review, data: trigger.acknowledge(review)),
    "decide": (
        DecideForm,
        lambda review, data: trigger.decide(
            review, met=data["met"] == "yes", reason=data["reason"]
        ),
    ),
    "meeting": (
        MeetingForm,
        lambda review, data: trigger.hold_meeting(
            review, recommendations=data["recommendations"], on=data["meeting_on"]
        ),
    ),
    "outcome": (None, lambda review, data: trigger.send_outcome(review)),
}


@require_POST
@partnership_required(roles=access.REVIEW_ROLES)
def review_step(request, reference, action):
    review = access.review_for(request, reference)
    if action not in STEP_ACTIONS:
        return redirect(review)
    form_class, do = STEP_ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(
            request,
            "Fill in the step's fields: "
            + "; ".join(e for errors in form.errors.values() for e in errors),
        )
        return redirect(review)
    try:
        do(review, form.cleaned_data if form else {})
        messages.success(request, f"Case review: {review.get_step_display()}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(review)


@require_POST
@partnership_required
def review_submit(request, reference):
    """A partner's submission to the panel (any partner with a role)."""
    review = get_object_or_404(
        CaseReview, partnership=request.partnership, reference=reference
    )
    form = SubmissionForm(request.POST)
    if form.is_valid() and request.user.organisation_id:
        trigger.add_submission(
            review, request.user.organisation, request.user, form.cleaned_data["text"]
        )
        messages.success(request, "Your organisation's submission has been added.")
    else:
        messages.error(request, "Write the submission.")
    if access.can_run_reviews(request):
        return redirect(review)
    return redirect("reports:staff-list")

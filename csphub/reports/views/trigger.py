"""The Community Trigger: the public figures page and CSV, the application,
the applicant's page, and the case handlers' pages that run a review."""

from functools import partial

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from csphub.accounts.access import partnership_required, post_back, submitted
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
    if submitted(request, form):
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
    asked = (
        "The Police and Crime Commissioner has been asked to review"
        " how your case was handled."
    )
    back = reverse("reports:trigger-applicant", args=[token])
    return post_back(request, back, partial(trigger.ask_pcc, review), message=asked)


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
    "acknowledge": (None, trigger.acknowledge),
    "decide": (
        DecideForm,
        lambda review, met, reason: trigger.decide(
            review, met=met == "yes", reason=reason
        ),
    ),
    "meeting": (
        MeetingForm,
        lambda review, recommendations, meeting_on: trigger.hold_meeting(
            review, recommendations=recommendations, on=meeting_on
        ),
    ),
    "outcome": (None, trigger.send_outcome),
}


@require_POST
@partnership_required(roles=access.REVIEW_ROLES)
def review_step(request, reference, action):
    review = access.review_for(request, reference)
    if action not in STEP_ACTIONS:
        return redirect(review)
    form_class, do = STEP_ACTIONS[action]
    return post_back(
        request,
        review,
        partial(do, review),
        form_class(request.POST) if form_class else None,
        lambda: f"Case review: {review.get_step_display()}.",
        invalid="Fill in the step's fields: ",
    )


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

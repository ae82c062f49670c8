"""Pages of the plan: strategies and priorities, activities, quarterly
updates, the timeline, an organisation's plan and the delivery report."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.access import form_flow, partnership_required, submitted
from csphub.accounts.models import Organisation
from csphub.performance.models import Indicator
from csphub.strategy.models import Priority

from .. import access, charts, quarters, services
from ..forms import ActivityForm, MilestoneForm, ObjectiveForm, UpdateForm
from ..models import Activity, LeadRequirement, Objective, Reminder


def _form_page(request, form, title, back, hint=""):
    return TemplateResponse(
        request,
        "delivery/form.html",
        {"form": form, "title": title, "back": back, "hint": hint},
    )


@partnership_required
def index(request):
    strategies = request.partnership.strategies.all()
    rows = [(s, list(services.priorities_of(s))) for s in strategies]
    quarter, late_list = services.late_updates(
        request.partnership, timezone.localdate()
    )
    return TemplateResponse(
        request,
        "delivery/index.html",
        {"strategies": rows, "late_count": len(late_list), "late_quarter": quarter},
    )


@partnership_required
def leads(request):
    strategies = [
        (s, list(services.priorities_of(s)))
        for s in request.partnership.strategies.all()
    ]
    return TemplateResponse(request, "delivery/leads.html", {"strategies": strategies})


@partnership_required
def priority_detail(request, slug):
    priority = access.priority_for(request, slug)
    priority = (
        Priority.objects.prefetch_related("allocated_leads", "actual_leads", "outcomes")
        .select_related("strategy", "owner", "owner__organisation")
        .get(pk=priority.pk)
    )
    today = timezone.localdate()
    # A restricted body (the IOM Panel) is named only to those who may see it.
    bodies = services.driving_bodies(
        priority, seen_by=request.user, is_admin=access.is_admin(request)
    )
    driver = services.driving_body(priority)
    if driver is not None and driver.restricted and driver not in bodies:
        driver = None
    return TemplateResponse(
        request,
        "delivery/priority_detail.html",
        {
            "priority": priority,
            "bodies": bodies,
            "driver": driver,
            "indicators": Indicator.objects.filter(priority=priority).order_by("order"),
            "objectives": services.plan_of(priority),
            "checklist": services.requirement_checklist(
                priority, request.user.organisation
            ),
            "can_plan": access.can_plan(request, priority),
            "can_accept": access.can_accept(request, priority),
            "today": today,
        },
    )


@partnership_required
def objective_add(request, slug):
    priority = access.priority_for(request, slug)
    access.require(
        access.can_plan(request, priority),
        "Only the priority's owner or an administrator keeps its plan.",
    )
    form = ObjectiveForm(request.POST or None)
    back = reverse("delivery:priority-detail", args=[slug])
    save = partial(services.add_objective, priority, request.user)
    done = form_flow(request, form, save, back)
    return done or _form_page(
        request, form, f"Add an objective to {priority.name}", back
    )


@partnership_required
def activity_add(request, pk):
    objective = get_object_or_404(
        Objective.objects.select_related("priority"),
        pk=pk,
        priority__partnership=request.partnership,
    )
    priority = objective.priority
    access.require(access.can_plan(request, priority))
    form = ActivityForm(request.POST or None, partnership=request.partnership)
    done = form_flow(
        request, form, partial(services.add_activity, objective, request.user)
    )
    return done or _form_page(
        request,
        form,
        f"Add an activity: {objective.title}",
        reverse("delivery:priority-detail", args=[priority.slug]),
    )


@partnership_required
def activity_edit(request, pk):
    activity = access.activity_for(request, pk)
    access.require(access.can_plan(request, activity.priority))
    form = ActivityForm(
        request.POST or None, instance=activity, partnership=request.partnership
    )
    if submitted(request, form):
        services.change_activity(form, request.user)
        return redirect(activity)
    return _form_page(
        request,
        form,
        f"Change the activity: {activity.title}",
        activity.get_absolute_url(),
    )


@partnership_required
def activity_detail(request, pk):
    activity = access.activity_for(request, pk)
    return TemplateResponse(
        request,
        "delivery/activity_detail.html",
        {
            "activity": activity,
            "updates": activity.updates.select_related("by", "issue"),
            "milestones": activity.milestones.all(),
            "today": timezone.localdate(),
            "can_update": access.can_update(request, activity),
            "can_plan": access.can_plan(request, activity.priority),
        },
    )


@partnership_required
def milestone_add(request, pk):
    activity = access.activity_for(request, pk)
    access.require(
        access.can_plan(request, activity.priority)
        or access.can_update(request, activity)
    )
    form = MilestoneForm(request.POST or None)
    save = partial(services.add_milestone, activity, request.user)
    done = form_flow(request, form, save, activity)
    return done or _form_page(
        request, form, f"Add a milestone: {activity.title}", activity.get_absolute_url()
    )


@require_POST
@partnership_required
def milestone_done(request, pk):
    milestone = access.milestone_for(request, pk)
    activity = access.activity_for(request, milestone.activity_id)
    access.require(
        access.can_plan(request, activity.priority)
        or access.can_update(request, activity)
    )
    services.complete_milestone(milestone, request.user, on=timezone.localdate())
    messages.success(request, f"Milestone done: {milestone.name}.")
    return redirect(activity)


@partnership_required
def update_submit(request, pk):
    activity = access.activity_for(request, pk)
    access.require(
        access.can_update(request, activity),
        "Only the activity's owner gives its quarterly update.",
    )
    form = UpdateForm(
        request.POST or None, today=timezone.localdate(), activity=activity
    )
    done = form_flow(
        request,
        form,
        partial(services.submit_update, activity, request.user),
        activity,
        lambda update: f"Update for {update.quarter_label()} recorded.",
    )
    return done or _form_page(
        request,
        form,
        f"Quarterly update: {activity.title}",
        activity.get_absolute_url(),
        "Red or amber needs a reason. A blocker can be escalated to"
        " the body that drives the priority from the activity page.",
    )


@require_POST
@partnership_required
def update_escalate(request, pk):
    update = access.update_for(request, pk)
    access.require(access.can_update(request, update.activity))
    try:
        issue = services.escalate_blocker(update, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(update.activity)
    messages.success(request, f"The blocker is now an issue on {issue.body.name}.")
    return redirect(issue)


@require_POST
@partnership_required
def requirement_accept(request, slug, pk):
    priority = access.priority_for(request, slug)
    requirement = get_object_or_404(
        LeadRequirement, pk=pk, partnership=request.partnership
    )
    access.require(
        access.can_accept(request, priority),
        "Only a person of a lead organisation accepts for it.",
    )
    services.accept_requirement(
        priority, requirement, request.user.organisation, request.user
    )
    messages.success(request, f"{request.user.organisation} accepts: {requirement}.")
    return redirect("delivery:priority-detail", slug=priority.slug)


@partnership_required
def timeline(request, pk):
    strategy = access.strategy_for(request, pk)
    today = timezone.localdate()
    activities = list(
        Activity.objects.filter(objective__priority__strategy=strategy)
        .select_related("objective__priority", "organisation")
        .prefetch_related("milestones")
        .order_by("objective__priority__order", "objective__order", "starts", "pk")
    )
    return TemplateResponse(
        request,
        "delivery/timeline.html",
        {
            "strategy": strategy,
            "chart": charts.timeline(activities, today),
            "activities": activities,
            "today": today,
        },
    )


def _organisation_page(request, organisation):
    activities = Activity.objects.of(request.partnership).prefetch_related("partners")
    leads_on = activities.filter(organisation=organisation)
    contributes = activities.filter(partners=organisation).exclude(
        organisation=organisation
    )
    priorities = (
        Priority.objects.of(request.partnership)
        .filter(Q(allocated_leads=organisation) | Q(actual_leads=organisation))
        .distinct()
        .prefetch_related("allocated_leads", "actual_leads")
    )
    return TemplateResponse(
        request,
        "delivery/organisation.html",
        {
            "organisation": organisation,
            "leads_on": leads_on,
            "contributes": contributes,
            "priorities": priorities,
        },
    )


@partnership_required
def organisation_plan(request, pk):
    organisation = get_object_or_404(
        Organisation, pk=pk, partnerships=request.partnership
    )
    return _organisation_page(request, organisation)


@partnership_required
def my_organisation(request):
    if request.user.organisation is None:
        return TemplateResponse(request, "delivery/no_organisation.html", {})
    return _organisation_page(request, request.user.organisation)


@partnership_required
def late(request):
    today = timezone.localdate()
    quarter, activities = services.late_updates(request.partnership, today)
    chased = set(
        Reminder.objects.filter(
            activity__in=activities, quarter=quarter, kind=Reminder.Kind.CHASED
        ).values_list("activity_id", flat=True)
    )
    return TemplateResponse(
        request,
        "delivery/late.html",
        {
            "quarter": quarter,
            "due": quarters.due_date(quarter),
            "activities": activities,
            "chased": chased,
            "reporting": quarters.reporting_quarter(today),
        },
    )


@partnership_required
def report(request, pk):
    strategy = access.strategy_for(request, pk)
    today = timezone.localdate()
    quarter = quarters.parse(
        request.GET.get("quarter", "")
    ) or quarters.reporting_quarter(today)
    result = services.delivery_report(strategy, quarter)
    if request.GET.get("format") == "pdf":
        pdf = services.report_pdf(result, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="delivery-report-{quarter:%Y-%m}.pdf"'
        )
        return response
    choices = [quarters.reporting_quarter(today)]
    for _ in range(11):
        choices.append(quarters.previous_quarter(choices[-1]))
    return TemplateResponse(
        request,
        "delivery/report.html",
        {
            "report": result,
            "choices": [(q.isoformat(), quarters.label(q)) for q in choices],
            "selected": result.quarter.isoformat(),
        },
    )

"""Pages for action logs: issues, actions, escalations, taskings, oversight."""

from functools import partial

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.access import (
    audit_restricted,
    form_flow,
    partnership_required,
    submitted,
)
from csphub.accounts.models import AuditEntry, Organisation
from csphub.accounts.services import audit
from csphub.lib.csv_export import csv_response
from csphub.lib.digits import is_digits
from csphub.lib.paging import page_of, query_without_page
from csphub.structure.models import Body

from .. import access, forms, services
from ..models import (
    Action,
    DigestSetting,
    Issue,
    ProblemLink,
    Project,
    theme_for,
)
from ..oversight import (
    body_oversight,
    escalations_to,
    issue_counts_by_body,
    issue_rows,
    oversight_issues,
)
from ..response import DEFAULT_MONTHS, period_bounds as response_period, response_times
from .pages import form_page
from .response import body_response_times


def _csv(filename, rows, request):
    audit(AuditEntry.Action.EXPORT, reason=filename, request=request)
    return csv_response(filename, rows)


@partnership_required
def index(request):
    today = timezone.localdate()
    seated = access.seated(request)
    visible = access.issues_for(request)
    counts = issue_counts_by_body(visible)
    bodies = list(
        Body.objects.filter(partnership=request.partnership)
        .current()
        .visible_to(request.user, is_admin=access.is_admin(request))
        .order_by("name")
    )
    rows = [(b, counts.get(b.pk, {})) for b in bodies]
    mine = [(b, c) for b, c in rows if b.pk in seated]
    return TemplateResponse(
        request,
        "casework/index.html",
        {
            "mine": mine,
            "rows": [(b, c) for b, c in rows if c.get("live")],
            "escalations": list(escalations_to(seated, request.user)),
            "my_actions": Action.objects.visible_to(request.user)
            .filter(owner__user=request.user, issue__partnership=request.partnership)
            .live()
            .count(),
            "today": today,
        },
    )


@partnership_required
def issue_list(request):
    form = forms.FilterForm(request.partnership, request.GET or None)
    filters = form.filters()
    issues = access.issues_for(request).matching(**filters)
    query = request.GET.get("q", "").strip()
    if query:
        issues = issues.filter(
            Q(title__icontains=query) | Q(description__icontains=query)
        )
    now, today = timezone.now(), timezone.localdate()
    days = filters.get("stalled_days") or services.stalled_days_default()
    issues = issues.flagged(today, now, days).with_flag(filters.get("flag"))
    issues = issues.order_by("-last_activity_at", "-pk")
    if request.GET.get("format") == "csv":
        return _csv("issues.csv", issue_rows(issues), request)
    page = page_of(issues, request.GET.get("page"))
    shown = list(page)
    audit_restricted(request, shown, "issue list")
    return TemplateResponse(
        request,
        "casework/issue_list.html",
        {
            "form": form,
            "issues": shown,
            "count": page.paginator.count,
            "page": page,
            "search": query,
            "query": query_without_page(request),
        },
    )


def _prefill(request):
    """Initial values from a link such as a briefing's "raise an issue"."""
    get = request.GET
    initial = {k: get[k] for k in ("title", "description") if get.get(k)}
    theme = theme_for(get.get("theme", ""))
    if theme:
        initial["theme"] = theme
    if get.get("origin") in Issue.Origin.values:
        initial["origin"] = get["origin"]
    if is_digits(get.get("briefing", "")):
        initial["briefing"] = int(get["briefing"])
        initial.setdefault("origin", Issue.Origin.BRIEFING)
        initial["origin_detail"] = f"Intelligence briefing {get['briefing']}"
    area = get.get("area", "").removeprefix("zone:")  # a briefing names zones so
    place = services.resolve_area(request.partnership, area)
    if place:
        initial["area"] = place["ward"].code if place["ward"] else place["zone"].slug
        if place["lsoa"]:
            initial["lsoa"] = place["lsoa"].code
    if place:
        initial["body"] = services.owning_body_id(request.partnership, place)
    return initial, place


@partnership_required
def issue_raise(request):
    initial, place = _prefill(request)
    similar = []
    if request.method == "POST":
        form = forms.IssueForm(request, request.POST, similar=True)
        if form.is_valid():
            data = form.cleaned_data
            similar = list(
                services.similar_open_issues(
                    request.partnership,
                    request.user,
                    theme=data["theme"],
                    zone=data["place"]["zone"],
                    ward=data["place"]["ward"],
                )
            )
            if not similar or data.get("not_duplicate"):
                issue = services.raise_issue(
                    request.partnership,
                    data["body"],
                    request.user,
                    **form.issue_fields(),
                )
                messages.success(request, f"Issue raised on {issue.body.name}.")
                return redirect(issue)
            form = forms.IssueForm(request, request.POST, similar=True)
            form.is_valid()
    else:
        form = forms.IssueForm(request, initial=initial)
        if place and initial.get("theme"):
            similar = list(
                services.similar_open_issues(
                    request.partnership,
                    request.user,
                    theme=initial["theme"],
                    zone=place["zone"],
                    ward=place["ward"],
                )
            )
    audit_restricted(request, similar, "similar issues")
    return TemplateResponse(
        request,
        "casework/issue_raise.html",
        {"form": form, "similar": similar, "posted": request.method == "POST"},
    )


@partnership_required
def issue_detail(request, pk):
    issue = access.issue_for(request, pk)
    today = timezone.localdate()
    actions = list(
        issue.actions.select_related("owner", "organisation").prefetch_related(
            "updates"
        )
    )
    can_work = access.can_work(request, issue)
    project = Project.objects.filter(issue=issue).first()
    link = (
        ProblemLink.objects.filter(issue=issue)
        .select_related("problem__project")
        .first()
    )
    return TemplateResponse(
        request,
        "casework/issue_detail.html",
        {
            "issue": issue,
            "today": today,
            "actions": actions,
            "events": list(issue.events.select_related("by")),
            "escalations": list(
                issue.escalations.select_related(
                    "from_body", "to_body", "action", "answered_by", "raised_by"
                )
            ),
            "taskings": list(
                issue.taskings.select_related("from_body", "to_body", "to_organisation")
            ),
            "project": project,
            "linked": link.problem if link else None,
            "can_link": access.can_link(request, issue),
            "can_work": can_work,
            "can_task": access.can_act_for(request, issue.body) and not issue.is_done(),
            "update_form": forms.UpdateForm(initial={"status": issue.status}),
            "stalled": issue.is_stalled(
                timezone.now(), services.stalled_days_default()
            ),
        },
    )


@require_POST
@partnership_required
def issue_update(request, pk):
    issue = access.issue_for(request, pk)
    access.require(access.can_work(request, issue))
    form = forms.UpdateForm(request.POST)
    save = partial(services.record_update, issue, request.user)
    done = form_flow(request, form, save, issue, "Update recorded.")
    return done or form_page(request, form, f"Update {issue.title}", issue)


@partnership_required
def action_add(request, pk):
    issue = access.issue_for(request, pk)
    access.require(access.can_work(request, issue))
    form = forms.ActionForm(request.partnership, request.POST or None)
    save = partial(services.add_action, issue, request.user)
    done = form_flow(request, form, save, issue, "Action added.")
    return done or form_page(request, form, f"Add an action to {issue.title}", issue)


@partnership_required
def action_update(request, pk):
    action = access.action_for(request, pk)
    issue = action.issue
    can = access.can_update_action(request, action)
    initial = {"status": action.status, "version": action.edit_version()}
    form = forms.ActionUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST":
        access.require(can)

    def save(**data):
        try:
            return services.update_action(action, request.user, **data)
        except services.ActionChanged:
            # Their typed values stay; the next submit is checked against
            # the update they can now read on the page.
            action.refresh_from_db()
            form.data = form.data.copy()
            form.data["version"] = action.edit_version()
            raise

    done = form_flow(request, form, save, issue, "Action updated.")
    return done or TemplateResponse(
        request,
        "casework/action.html",
        {
            "action": action,
            "issue": issue,
            "updates": list(action.updates.select_related("by")),
            "form": form if can else None,
            "today": timezone.localdate(),
        },
    )


@partnership_required
def issue_escalate(request, pk):
    issue = access.issue_for(request, pk)
    access.require(access.can_work(request, issue))
    blocked = request.GET.get("action", "")  # from a blocked action's page
    initial = {"action": int(blocked)} if is_digits(blocked) else {}
    form = forms.EscalateForm(issue, request.POST or None, initial=initial)
    upper = issue.body.reports_to
    save = partial(services.escalate, issue, request.user)
    done = form_flow(request, form, save, issue, f"Escalated to {upper}.")
    hint = (
        f"It goes to {upper.name}, the body {issue.body.name} reports to."
        if upper
        else f"{issue.body.name} reports to no body: it cannot be escalated."
    )
    return done or form_page(request, form, f"Escalate {issue.title}", issue, hint)


@partnership_required
def escalation_answer(request, pk):
    escalation = access.escalation_for(request, pk)
    can = access.can_act_for(request, escalation.to_body) and escalation.is_pending()
    form = forms.AnswerForm(escalation, request.POST or None)
    if request.method == "POST":
        access.require(can)
    save = partial(services.answer_escalation, escalation, request.user)
    answered = "Answer recorded; the lower body sees it."
    done = form_flow(request, form, save, escalation.issue, answered)
    return done or TemplateResponse(
        request,
        "casework/escalation.html",
        {
            "escalation": escalation,
            "issue": escalation.issue,
            "form": form if can else None,
        },
    )


@partnership_required
def issue_task(request, pk):
    issue = access.issue_for(request, pk)
    access.require(access.can_act_for(request, issue.body) and not issue.is_done())
    form = forms.TaskForm(issue.body, request.POST or None)
    save = partial(services.task, issue, issue.body, request.user)
    done = form_flow(
        request, form, save, issue, lambda _: f"Tasked to {form.cleaned_data['to']}."
    )
    hint = f"From {issue.body.name}, to a body below it or a partner organisation."
    return done or form_page(
        request, form, f"Task or commission: {issue.title}", issue, hint
    )


@partnership_required
def tasking_report(request, pk):
    tasking = access.tasking_for(request, pk)
    access.require(access.can_report(request, tasking))
    form = forms.ReportForm(request.POST or None)
    save = partial(services.report_back, tasking, request.user)
    reported = f"Reported back to {tasking.from_body.name}."
    done = form_flow(request, form, save, tasking.issue, reported)
    hint = f"Asked for by {tasking.from_body.name}: {tasking.expects}"
    return done or form_page(
        request, form, f"Report back: {tasking.issue.title}", tasking.issue, hint
    )


def _action_table(request, actions, title, template_extra):
    today = timezone.localdate()
    actions = list(
        actions.filter(issue__partnership=request.partnership)
        .visible_to(request.user)
        .select_related("issue", "issue__body", "owner", "organisation")
        .order_by("due", "pk")
    )
    audit_restricted(request, (action.issue for action in actions), title)
    live = [a for a in actions if a.is_live()]
    return {
        "title": title,
        "today": today,
        "overdue": [a for a in live if a.is_overdue(today)],
        "soon": [a for a in live if a.is_due_soon(today)],
        "later": [
            a for a in live if not a.is_overdue(today) and not a.is_due_soon(today)
        ],
        "done": [a for a in actions if not a.is_live()][-20:],
        **template_extra,
    }


@partnership_required
def my_actions(request):
    context = _action_table(
        request,
        Action.objects.filter(owner__user=request.user),
        "My actions",
        {"organisation": request.user.organisation},
    )
    if request.GET.get("format") == "csv":
        return _csv("my-actions.csv", _action_rows(context), request)
    return TemplateResponse(request, "casework/actions.html", context)


@partnership_required
def organisation_actions(request, pk):
    organisation = get_object_or_404(
        Organisation, pk=pk, partnerships=request.partnership
    )
    context = _action_table(
        request,
        Action.objects.filter(organisation=organisation),
        f"What {organisation.name} owes",
        {
            "for_organisation": organisation,
            "response": _organisation_response(request, organisation),
        },
    )
    if request.GET.get("format") == "csv":
        return _csv(f"actions-{organisation.pk}.csv", _action_rows(context), request)
    return TemplateResponse(request, "casework/actions.html", context)


def _organisation_response(request, organisation):
    """The organisation's response times over the last 12 months: the issues
    it acted on, to its own first action and to resolution (3 queries)."""
    start, end = response_period(DEFAULT_MONTHS, timezone.localdate())
    issues = access.issues_for(request).filter(
        pk__in=Action.objects.filter(organisation=organisation).values("issue_id")
    )
    times = response_times(issues, [], start=start, end=end)
    return next((r for r in times.organisations if r.subject == organisation), None)


def _action_rows(context):
    yield ["issue", "action", "owner", "organisation", "due", "status", "flag"]
    for flag, key in (("overdue", "overdue"), ("due soon", "soon"), ("", "later")):
        for a in context[key]:
            yield [
                a.issue.title,
                a.title,
                a.owner.name,
                a.organisation.name,
                a.due.isoformat(),
                a.get_status_display(),
                flag,
            ]


@partnership_required
def oversight(request, slug):
    body = access.body_for(request, slug)
    form = forms.FilterForm(request.partnership, request.GET or None)
    filters = form.filters()
    today = timezone.localdate()
    if request.GET.get("format") == "csv":
        issues = oversight_issues(
            body,
            request.user,
            today=today,
            filters=filters,
            is_admin=access.is_admin(request),
        )
        return _csv(f"oversight-{body.slug}.csv", issue_rows(issues), request)
    view = body_oversight(
        body,
        request.user,
        today=today,
        stalled_days=filters.get("stalled_days"),
        filters=filters,
        page=request.GET.get("page"),
        is_admin=access.is_admin(request),
    )
    audit_restricted(request, view.issues, "oversight")
    return TemplateResponse(
        request,
        "casework/oversight.html",
        {
            "body": body,
            "view": view,
            "response": body_response_times(request, body, DEFAULT_MONTHS, today).total,
            "form": form,
            "today": today,
            "can_act": access.can_act_for(request, body),
            "query": query_without_page(request),
            "stalled_days": filters.get("stalled_days")
            or services.stalled_days_default(),
        },
    )


@partnership_required
def digest_settings(request):
    setting, _ = DigestSetting.objects.get_or_create(user=request.user)
    form = forms.DigestForm(request.POST or None, instance=setting)
    if submitted(request, form):
        form.save()
        messages.success(request, "Digest settings saved.")
        return redirect(reverse("casework:digest-settings"))
    return form_page(
        request,
        form,
        "Daily digest e-mail",
        hint="A daily e-mail of your actions due, escalations answered and taskings"
        " received, grouped by body. Nothing is sent on a day with nothing in it.",
    )

"""Who may see and change what in casework.

Every role in a partnership sees its unrestricted issues and may raise one.
A restricted issue is seen only by members (current seats) of its owning
body, or of a body it was escalated to; it is a 404 to anyone else, and every
view of one is written to the audit log. An issue is worked (updates,
actions, escalation, problem solving) by the owning body's members and by
members of a body it is tasked to; an escalation is answered, and tasks
given, by the upper body's members. Administrators may do all of that on
what they can see. Restricted issues are seen only while the user's
organisation is party to an information-sharing agreement in force for
restricted casework (Issue.objects.visible_to asks csphub.accounts.sharing).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from csphub.accounts.access import audit_restricted, has_role
from csphub.accounts.models import Role
from csphub.accounts.services import record_restricted_view
from csphub.structure.models import Body

from . import services
from .models import Action, Escalation, Issue, Project, Tasking


def is_admin(request):
    return has_role(request, Role.ADMIN)


def seated(request):
    """Ids of bodies the user sits on (cached on the request)."""
    if not hasattr(request, "_casework_seats"):
        request._casework_seats = services.seated_body_ids(request.user)
    return request._casework_seats


def issues_for(request):
    return services.visible_issues(request.partnership, request.user)


def issue_for(request, pk, reason="issue page"):
    """The issue, or 404 when it is elsewhere or hidden (restricted issues
    are not revealed); a restricted one is audited."""
    issue = get_object_or_404(
        Issue.objects.select_related(
            "body", "body__reports_to", "ward", "zone", "lsoa"
        ),
        pk=pk,
        partnership=request.partnership,
    )
    if not issues_for(request).filter(pk=issue.pk).exists():
        raise Http404("No such issue.")
    if issue.restricted:
        record_restricted_view(request, issue, reason=reason)
    return issue


def body_for(request, slug):
    body = get_object_or_404(
        Body.objects.select_related("reports_to", "zone", "ward"),
        partnership=request.partnership,
        slug=slug,
    )
    if body.restricted and not (is_admin(request) or body.pk in seated(request)):
        raise Http404("No such body.")
    return body


def can_work(request, issue):
    """Whether the user may update the issue, add actions or escalate it."""
    if issue.is_done() and not is_admin(request):
        return False
    if is_admin(request) or issue.body_id in seated(request):
        return True
    return Tasking.objects.filter(
        issue=issue, state=Tasking.State.OPEN, to_body__in=seated(request)
    ).exists()


def can_act_for(request, body):
    """Whether the user may answer escalations to, and task from, a body."""
    return is_admin(request) or body.pk in seated(request)


def require(allowed):
    if not allowed:
        raise PermissionDenied("Only members of the body concerned can do this.")


def action_for(request, pk):
    action = get_object_or_404(
        Action.objects.select_related("issue", "owner", "organisation"),
        pk=pk,
        issue__partnership=request.partnership,
    )
    issue_for(request, action.issue_id, reason="action page")
    return action


def can_update_action(request, action):
    owner_user = action.owner.user_id
    return owner_user == request.user.pk or can_work(request, action.issue)


def escalation_for(request, pk):
    escalation = get_object_or_404(
        Escalation.objects.select_related("issue", "from_body", "to_body", "action"),
        pk=pk,
        issue__partnership=request.partnership,
    )
    escalation.issue = issue_for(request, escalation.issue_id, "escalation page")
    return escalation


def tasking_for(request, pk):
    tasking = get_object_or_404(
        Tasking.objects.select_related("issue", "from_body", "to_body"),
        pk=pk,
        issue__partnership=request.partnership,
    )
    tasking.issue = issue_for(request, tasking.issue_id, "tasking page")
    return tasking


def can_report(request, tasking):
    if is_admin(request):
        return True
    if tasking.to_body_id:
        return tasking.to_body_id in seated(request)
    return request.user.organisation_id == tasking.to_organisation_id


def project_for(request, pk):
    project = get_object_or_404(
        Project.objects.select_related("issue", "lead"),
        pk=pk,
        issue__partnership=request.partnership,
    )
    project.issue = issue_for(request, project.issue_id, "problem-solving project")
    return project


def can_link(request, issue):
    """Whether the user may link an issue with others as one problem: as one
    who works it, or a member of a body above its owner (a zone links its
    wards' issues)."""
    if can_work(request, issue):
        return True
    seats = seated(request)
    body, seen = issue.body, set()
    while body is not None and body.pk not in seen:
        if body.pk in seats:
            return True
        seen.add(body.pk)
        body = body.reports_to
    return False


def problem_for(request, pk):
    """A linked problem and its issues the user may see; 404 when none."""
    from .models import LinkedProblem

    problem = get_object_or_404(
        LinkedProblem.objects.select_related("project__issue__body"),
        pk=pk,
        partnership=request.partnership,
    )
    issues = list(
        issues_for(request)
        .filter(problem_link__problem=problem)
        .select_related("body__reports_to")
        .order_by("body__name", "title")
    )
    if not issues:
        raise Http404("No such problem.")
    audit_restricted(request, issues, "linked problem")
    return problem, issues

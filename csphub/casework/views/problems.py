"""Problems linked across groups: link issues, the problem's page, unlink,
and one problem-solving project covering them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from csphub.accounts.access import partnership_required, submitted

from .. import access, problems
from ..forms import LinkForm
from ..models import LinkedProblem


def _candidates(request, issue):
    """Open, unlinked issues the user sees that could be the same problem:
    on the same theme or in the same zone, those on both first."""
    near = Q(theme=issue.theme)
    if issue.zone_id:
        near |= Q(zone_id=issue.zone_id)
    return (
        access.issues_for(request)
        .open()
        .filter(near, problem_link__isnull=True)
        .exclude(pk=issue.pk)
        .annotate(
            closeness=Case(
                When(Q(theme=issue.theme, zone_id=issue.zone_id), then=Value(0)),
                When(theme=issue.theme, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("closeness", "body__name", "title")
    )


@partnership_required
def issue_link(request, pk):
    issue = access.issue_for(request, pk)
    access.require(access.can_link(request, issue))
    current = getattr(issue, "problem_link", None)
    form = LinkForm(
        issue,
        _candidates(request, issue),
        LinkedProblem.objects.filter(partnership=request.partnership),
        request.POST or None,
        initial={"problem": current.problem_id if current else None,
                 "title": issue.title},
    )  # fmt: skip
    if submitted(request, form):
        data = form.cleaned_data
        try:
            problem = problems.link_issues(
                request.partnership,
                request.user,
                [issue, *data["issues"]],
                title=data["title"],
                description=data["description"],
                problem=data.get("problem"),
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"Linked as one problem: {problem.title}.")
            return redirect(problem)
    return TemplateResponse(
        request,
        "casework/form.html",
        {
            "form": form,
            "issue": issue,
            "title": f"Link “{issue.title}” with other issues as one problem",
            "hint": "When the same problem shows on several groups' action logs,"
            " link them: each group keeps its issue, the zone sees one row, and"
            " one problem-solving project can cover them all.",
            "submit": "Link them",
        },
    )


@partnership_required
def problem_detail(request, pk):
    problem, issues = access.problem_for(request, pk)
    # Those who work an issue, or sit above it (the zone), may run the project.
    workable = [i for i in issues if access.can_link(request, i)]
    return TemplateResponse(
        request,
        "casework/problem_detail.html",
        {
            "problem": problem,
            "issues": issues,
            "workable": workable,
            "can_link": bool(workable),
        },
    )


@require_POST
@partnership_required
def issue_unlink(request, pk):
    issue = access.issue_for(request, pk)
    access.require(access.can_link(request, issue))
    link = getattr(issue, "problem_link", None)
    back = link.problem if link else issue
    remaining = problems.unlink_issue(issue, request.user)
    messages.success(request, f"“{issue.title}” unlinked.")
    return redirect(remaining or issue if link else back)


@require_POST
@partnership_required
def problem_project(request, pk):
    problem, issues = access.problem_for(request, pk)
    chosen = request.POST.get("issue", "")
    issue = next((i for i in issues if str(i.pk) == chosen), None)
    if issue is None:
        messages.error(request, "Choose the issue whose project covers them all.")
        return redirect(problem)
    access.require(access.can_link(request, issue))
    project = problems.cover_with_project(problem, issue, request.user)
    messages.success(request, f"The project covers every issue of {problem.title}.")
    return redirect(project)

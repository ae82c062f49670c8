"""Problems linked across groups: link issues on several action logs as one
problem, unlink them, cover them with one problem-solving project, and read
them as one row each for a zone's oversight.

Every write records an IssueEvent on each issue it touches.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction

from .history import record_event, touch_issue
from .models import Issue, IssueEvent, LinkedProblem, ProblemLink
from .projects import start_project


@transaction.atomic
def link_issues(partnership, by, issues, *, title="", description="", problem=None):
    """Link `issues` as one problem: a new one titled `title`, or the existing
    `problem`. An issue already in another linked problem is refused."""
    issues = list(issues)
    if problem is None and len(issues) < 2:
        raise ValidationError("Choose at least one other issue to link it with.")
    if any(i.partnership_id != partnership.pk for i in issues):
        raise ValidationError("Every issue must be in this partnership.")
    elsewhere = ProblemLink.objects.filter(issue__in=issues).select_related("problem")
    if problem is not None:
        elsewhere = elsewhere.exclude(problem=problem)
    clash = elsewhere.first()
    if clash is not None:
        raise ValidationError(
            f"“{clash.issue.title}” is already part of the linked problem"
            f" “{clash.problem.title}”: unlink it there first."
        )
    if problem is None:
        problem = LinkedProblem.objects.create(
            partnership=partnership,
            title=title.strip(),
            description=description,
            created_by=by,
        )
    have = set(problem.links.values_list("issue_id", flat=True))
    new = [i for i in issues if i.pk not in have]
    ProblemLink.objects.bulk_create(
        ProblemLink(problem=problem, issue=i, linked_by=by) for i in new
    )
    bodies = sorted(
        {i.body.name for i in issues}
        | set(problem.links.values_list("issue__body__name", flat=True))
    )
    for issue in new:
        touch_issue(issue)
        record_event(
            issue,
            by,
            IssueEvent.Kind.LINKED,
            f"Linked as one problem, “{problem.title}”, with issues of "
            + ", ".join(bodies)
            + ".",
        )
        if problem.project_id:
            _covered(issue, by, problem)
    return problem


@transaction.atomic
def unlink_issue(issue, by):
    """Take an issue out of its linked problem (a problem left with fewer
    than two issues is dissolved: nothing is linked any more)."""
    link = ProblemLink.objects.filter(issue=issue).select_related("problem").first()
    if link is None:
        return None
    problem = link.problem
    link.delete()
    touch_issue(issue)
    record_event(issue, by, IssueEvent.Kind.LINKED, f"Unlinked from “{problem.title}”.")
    rest = list(problem.links.select_related("issue"))
    if len(rest) < 2:
        for other in rest:
            record_event(
                other.issue,
                by,
                IssueEvent.Kind.LINKED,
                f"“{problem.title}” dissolved: no other issue is linked.",
            )
        problem.delete()
        return None
    return problem


def _covered(issue, by, problem):
    project_issue = problem.project.issue
    if project_issue.pk == issue.pk:
        return
    record_event(
        issue,
        by,
        IssueEvent.Kind.PROJECT,
        f"Covered by the problem-solving project of “{project_issue.title}”"
        f" ({project_issue.body.name}), for the linked problem “{problem.title}”.",
    )


@transaction.atomic
def cover_with_project(problem, issue, by):
    """Make the problem-solving project of `issue` (one of the linked issues;
    started if it has none) cover every issue of the problem."""
    if not problem.links.filter(issue=issue).exists():
        raise ValidationError("That issue is not part of this linked problem.")
    project = start_project(issue, by)
    problem.project = project
    problem.save(update_fields=["project"])
    for link in problem.links.select_related("issue"):
        _covered(link.issue, by, problem)
    return project


def cover_if_linked(issue, project, by):
    """A project started on a linked issue covers the problem if nothing does."""
    link = ProblemLink.objects.filter(issue=issue).select_related("problem").first()
    if link is not None and link.problem.project_id is None:
        link.problem.project = project
        link.problem.save(update_fields=["project"])
        for other in link.problem.links.select_related("issue__body"):
            _covered(other.issue, by, link.problem)


SEVERITY = {
    Issue.Status.BLOCKED: 2,
    Issue.Status.ESCALATED: 1,
}


def problems_in(issues):
    """One row per linked problem with an issue among `issues` (a queryset of
    the issues the viewer may see): the problem and its issues among them,
    their groups, wards, how many are open and the worst status. One
    query."""
    links = list(
        ProblemLink.objects.filter(issue__in=issues.values("pk"))
        .select_related("problem", "problem__project", "issue__body", "issue__ward")
        .order_by("problem_id", "issue__title")
    )
    grouped = defaultdict(list)
    problems = {}
    for link in links:
        grouped[link.problem_id].append(link.issue)
        problems[link.problem_id] = link.problem
    rows = []
    for pk, members in grouped.items():
        open_ = [i for i in members if not i.is_done()]
        rows.append(
            {
                "problem": problems[pk],
                "issues": members,
                "bodies": sorted({i.body.label for i in members}),
                "wards": sorted({i.ward.name for i in members if i.ward_id}),
                "open": len(open_),
                "severity": max((SEVERITY.get(i.status, 0) for i in open_), default=0),
            }
        )
    rows.sort(key=lambda r: (-r["severity"], -r["open"], r["problem"].title))
    return rows

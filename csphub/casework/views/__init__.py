"""Casework pages: action logs (issues.py) and problem solving (projects.py)."""

from .issues import (
    action_add,
    action_update,
    digest_settings,
    escalation_answer,
    index,
    issue_detail,
    issue_escalate,
    issue_list,
    issue_raise,
    issue_task,
    issue_update,
    my_actions,
    organisation_actions,
    oversight,
    tasking_report,
)
from .problems import issue_link, issue_unlink, problem_detail, problem_project
from .projects import (
    project_advance,
    project_after,
    project_baseline,
    project_close,
    project_detail,
    project_edit,
    project_start,
    status_list,
)
from .response import response_adopt, response_times

__all__ = [
    "action_add", "action_update", "digest_settings", "escalation_answer", "index",
    "issue_detail", "issue_escalate", "issue_list", "issue_raise", "issue_task",
    "issue_update", "my_actions", "organisation_actions", "oversight",
    "tasking_report", "project_advance", "project_after", "project_baseline",
    "project_close", "project_detail", "project_edit", "project_start", "status_list",
    "response_adopt", "response_times", "issue_link", "issue_unlink",
    "problem_detail", "problem_project",
]  # fmt: skip

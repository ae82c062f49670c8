"""Issues on bodies' action logs, their actions, escalations, taskings and
problem-solving projects (the SARA process and its "302" status list)."""

from .issues import (
    CATEGORY_THEMES,
    FLAG_FILTERS,
    LIVE_ISSUE,
    MAX_DUE_WITHIN_DAYS,
    Action,
    ActionQuerySet,
    ActionUpdate,
    DigestSetting,
    Escalation,
    Issue,
    IssueEvent,
    IssueQuerySet,
    Tasking,
    Theme,
    member_bodies,
    theme_for,
)
from .problems import LinkedProblem, ProblemLink
from .projects import Project
from .response import ResponseIndicator

__all__ = [
    "CATEGORY_THEMES",
    "FLAG_FILTERS",
    "LIVE_ISSUE",
    "MAX_DUE_WITHIN_DAYS",
    "Action",
    "ActionQuerySet",
    "ActionUpdate",
    "DigestSetting",
    "Escalation",
    "Issue",
    "IssueEvent",
    "IssueQuerySet",
    "LinkedProblem",
    "ProblemLink",
    "Project",
    "ResponseIndicator",
    "Tasking",
    "Theme",
    "member_bodies",
    "theme_for",
]

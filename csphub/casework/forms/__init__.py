"""Forms for issues, actions, escalations, taskings and problem solving,
by what they are for: issues and actions, projects, response times and linked
problems."""

from .issues import (
    FLAG_CHOICES,
    STATUS_CHOICES,
    ActionForm,
    ActionUpdateForm,
    AnswerForm,
    DigestForm,
    EscalateForm,
    FilterForm,
    IssueForm,
    ReportForm,
    TaskForm,
    UpdateForm,
    area_choices,
    body_choices,
    recipient,
    recipient_choices,
)
from .problems import (
    AdoptResponseKPIForm,
    LinkForm,
    ResponsePeriodForm,
)
from .projects import (
    PROJECT_SECTIONS,
    AfterForm,
    BaselineForm,
    CloseForm,
    incident_categories,
    project_form,
)

__all__ = [
    "ActionForm",
    "ActionUpdateForm",
    "AdoptResponseKPIForm",
    "AfterForm",
    "AnswerForm",
    "BaselineForm",
    "CloseForm",
    "DigestForm",
    "EscalateForm",
    "FLAG_CHOICES",
    "FilterForm",
    "IssueForm",
    "LinkForm",
    "PROJECT_SECTIONS",
    "ReportForm",
    "ResponsePeriodForm",
    "STATUS_CHOICES",
    "TaskForm",
    "UpdateForm",
    "area_choices",
    "body_choices",
    "incident_categories",
    "project_form",
    "recipient",
    "recipient_choices",
]

"""Problem-solving projects: the SARA stages, baseline, assessment, close, and
the "302" status list of a body and the bodies below it."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.access import (
    audit_restricted,
    form_flow,
    partnership_required,
    submitted,
)
from csphub.lib.forms import cleaned

from .. import access, projects, services
from ..forms import PROJECT_SECTIONS, AfterForm, BaselineForm, CloseForm, project_form
from ..models import Project
from ..problems import cover_if_linked
from .pages import form_page


@partnership_required
def project_detail(request, pk):
    project = access.project_for(request, pk)
    target = projects.next_stage(project)
    return TemplateResponse(
        request,
        "casework/project_detail.html",
        {
            "project": project,
            "issue": project.issue,
            "partners": list(project.partners.all()),
            "actions": list(
                project.issue.actions.select_related("owner", "organisation")
            ),
            "next_stage": target,
            "missing": projects.missing(project, target) if target else [],
            "can_work": access.can_work(request, project.issue),
            "today": timezone.localdate(),
        },
    )


@require_POST
@partnership_required
def project_start(request, pk):
    issue = access.issue_for(request, pk)
    access.require(access.can_work(request, issue))
    project = projects.start_project(issue, request.user)
    cover_if_linked(issue, project, request.user)
    return redirect(project)


@partnership_required
def project_edit(request, pk, section):
    project = access.project_for(request, pk)
    access.require(access.can_work(request, project.issue))
    if section not in PROJECT_SECTIONS or project.stage == Project.Stage.CLOSED:
        return redirect(project)
    if section == "response" and not project.has_baseline():
        messages.error(
            request, "Set the baseline first: the aim is a target against it."
        )
        return redirect("casework:project-baseline", project.pk)
    form = project_form(
        section, request.partnership, request.POST or None, instance=project
    )
    if submitted(request, form):
        data = cleaned(form, PROJECT_SECTIONS[section])
        projects.save_project(project, request.user, **data)
        messages.success(request, f"{section.capitalize()} saved.")
        return redirect(project)
    return _project_form(request, project, form, section.capitalize())


def _project_form(request, project, form, step, hint=""):
    """A form page for a step of the project, titled by the step."""
    title = f"{step}: {project.issue.title}"
    return form_page(request, form, title, project.issue, hint, back=project)


BASELINE_HINT = (
    "A count of incidents is computed from the crime data for the period and"
    " area chosen, never typed. Any other measure is entered with its source;"
    " the assessment must then use the same source."
)


@partnership_required
def project_baseline(request, pk):
    project = access.project_for(request, pk)
    access.require(access.can_work(request, project.issue))
    if project.after is not None:
        messages.error(request, "The baseline is fixed once the assessment measures.")
        return redirect(project)
    start, end = projects.default_periods(request.partnership, timezone.localdate())
    form = BaselineForm(
        request.partnership,
        request.POST or None,
        initial={"start": start, "end": end},
    )
    save = partial(projects.set_baseline, project, request.user)
    done = form_flow(request, form, save, project, "Baseline set.")
    return done or _project_form(request, project, form, "Baseline", BASELINE_HINT)


@partnership_required
def project_after(request, pk):
    project = access.project_for(request, pk)
    access.require(access.can_work(request, project.issue))
    if project.stage != Project.Stage.ASSESSMENT:
        messages.error(request, "The measure after belongs to the assessment stage.")
        return redirect(project)
    form = AfterForm(project, request.POST or None)
    save = partial(projects.record_after, project, request.user)
    done = form_flow(request, form, save, project, "Measure after recorded.")
    hint = (
        f"From the same source as the baseline: {project.source}"
        f" ({project.measure_label})."
    )
    return done or _project_form(request, project, form, "Measure after", hint)


@require_POST
@partnership_required
def project_advance(request, pk):
    project = access.project_for(request, pk)
    access.require(access.can_work(request, project.issue))
    try:
        projects.advance(project, request.user)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Moved to {project.get_stage_display().lower()}.")
    return redirect(project)


@partnership_required
def project_close(request, pk):
    project = access.project_for(request, pk)
    access.require(access.can_work(request, project.issue))
    form = CloseForm(request.POST or None)
    needs = projects.missing(project, Project.Stage.CLOSED)
    if submitted(request, form):
        try:
            projects.close_project(project, request.user, form.cleaned_data["note"])
        except ValidationError as e:
            for message in e.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Project closed after its assessment.")
            return redirect(project)
    return TemplateResponse(
        request,
        "casework/project_close.html",
        {"form": form, "project": project, "issue": project.issue, "missing": needs},
    )


@partnership_required
def status_list(request, slug):
    body = access.body_for(request, slug)
    ids = [b.pk for b in services.bodies_below(body)]
    rows = list(projects.status_list(ids, request.user))
    audit_restricted(request, (project.issue for project in rows), "302 list")
    return TemplateResponse(
        request,
        "casework/status_list.html",
        {"body": body, "projects": rows, "stages": Project.Stage.choices},
    )

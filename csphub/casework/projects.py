"""Problem-solving projects: the SARA process the Zonal terms of reference ask
for, enforced. No response without a baseline and an aim; no assessment
without responses; no close without an assessment against the same source.

Where the measure is a count of incidents in an area, the baseline and the
measure after are computed from the intelligence data, never typed.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from csphub.analytics.trend import wdd
from csphub.intelligence.models import SourceFile
from csphub.intelligence.services import data_months, monthly_counts
from csphub.lib.months import add_months, months_between
from csphub.places.models import Area

from .history import record_event, touch_issue
from .models import Issue, IssueEvent, Project

POLICE_UK = SourceFile.Source.POLICE_UK.label


class ProcessError(ValidationError):
    """A step the process does not allow yet; `messages` say what is missing."""


def _unmet(*needs):
    """What to do for each (met, what to do) need not met."""
    return [what for met, what in needs if not met]


def _scanning_gaps(project):
    return _unmet(
        (project.problem.strip(), "Scanning: describe the problem."),
        (project.evidence.strip(), "Scanning: give the evidence of the problem."),
    )


def _analysis_gaps(project):
    return _unmet(
        (project.causes.strip(), "Analysis: say what causes the problem."),
        (
            (project.victim or project.offender or project.place).strip(),
            "Analysis: describe the victims, offenders or location.",
        ),
        (
            project.has_baseline(),
            "Analysis: set a baseline measure with its source and period.",
        ),
        (
            project.aim is not None and project.aim_text.strip(),
            "Response: set an aim as a target against the baseline.",
        ),
    )


def _response_gaps(project):
    return _unmet(
        (project.issue.actions.exists(), "Response: record the responses as actions."),
        (project.partners.exists(), "Response: name the partners involved."),
    )


def _assessment_gaps(project):
    return _unmet(
        (
            project.after is not None and project.after_from,
            "Assessment: measure the problem after the response, from the"
            f" same source as the baseline ({project.source or 'not set'}).",
        ),
        (project.assessment.strip(), "Assessment: say what the assessment found."),
    )


# What each stage needs in place before a project may enter it.
GATES = {
    Project.Stage.SCANNING: [],
    Project.Stage.ANALYSIS: [_scanning_gaps],
    Project.Stage.RESPONSE: [_scanning_gaps, _analysis_gaps],
    Project.Stage.ASSESSMENT: [_scanning_gaps, _analysis_gaps, _response_gaps],
    Project.Stage.CLOSED: [
        _scanning_gaps,
        _analysis_gaps,
        _response_gaps,
        _assessment_gaps,
    ],
}


def missing(project, stage):
    """What must be in place before `project` may move to `stage`."""
    return [gap for check in GATES[stage] for gap in check(project)]


def next_stage(project):
    order = [*Project.STAGES, Project.Stage.CLOSED]
    index = order.index(project.stage)
    return order[index + 1] if index + 1 < len(order) else None


@transaction.atomic
def start_project(issue, by, lead=None):
    """The problem-solving project of an issue (made once)."""
    project, created = Project.objects.get_or_create(
        issue=issue, defaults={"lead": lead, "problem": issue.description}
    )
    if created:
        record_event(
            issue, by, IssueEvent.Kind.PROJECT, "Problem-solving project started."
        )
    return project


@transaction.atomic
def save_project(project, by, **fields):
    """Save a stage's fields; the measure's source cannot change once the
    assessment depends on it."""
    partners = fields.pop("partners", None)
    if (
        "source" in fields
        and project.after is not None
        and fields["source"] != project.source
    ):
        raise ProcessError("The source cannot change after the assessment.")
    for name, value in fields.items():
        setattr(project, name, value)
    project.updated_at = timezone.now()
    project.save()
    if partners is not None:
        project.partners.set(partners)
    touch_issue(project.issue)
    return project


def count_incidents(partnership, *, categories, start, end, ward=None, zone=None):
    """(total, months) of incidents of `categories` in an area over a period,
    from the intelligence data. Raises ValidationError naming the months with
    no data: a missing month is not zero."""
    months = months_between(start, end)
    if not months:
        raise ValidationError("The period ends before it starts.")
    present = {m for m, has in data_months(partnership) if has}
    absent = [m for m in months if m not in present]
    if absent:
        listed = ", ".join(f"{m:%B %Y}" for m in absent[:6])
        more = f" and {len(absent) - 6} more" if len(absent) > 6 else ""
        raise ValidationError(
            f"No crime data for {listed}{more}: import those months first."
        )
    series = monthly_counts(partnership, zone=zone, ward=ward, months=months)
    total = sum(sum(series.get(c, [0])) for c in categories)
    return total, len(months)


def _save_and_record(project, by, note, update_fields=None):
    """Save a change to the project and note it in the issue's history."""
    project.updated_at = timezone.now()
    project.save(update_fields=update_fields)
    record_event(project.issue, by, IssueEvent.Kind.PROJECT, note)


def _area_name(project):
    if project.measure_ward_id:
        return f"{project.measure_ward.name} ward"
    if project.measure_zone_id:
        return f"{project.measure_zone.name} zone"
    return "the borough"


@transaction.atomic
def compute_baseline(project, by, *, categories, start, end, ward=None, zone=None):
    """Set the baseline from the incidents in an area over a period."""
    partnership = project.issue.partnership
    total, months = count_incidents(
        partnership, categories=categories, start=start, end=end, ward=ward, zone=zone
    )
    project.measure = Project.Measure.INCIDENTS
    project.categories = list(categories)
    project.measure_ward, project.measure_zone = ward, zone
    project.source = POLICE_UK
    project.baseline_from, project.baseline_to = start.replace(day=1), end
    project.baseline, project.baseline_months = total, months
    project.measure_label = f"{', '.join(categories)} in {_area_name(project)}"
    _save_and_record(
        project,
        by,
        f"Baseline computed: {total} ({project.measure_label},"
        f" {start:%B %Y} to {end:%B %Y}, {POLICE_UK}).",
    )
    return project


@transaction.atomic
def compute_after(project, by, *, start, end, control=None):
    """Measure the same incidents in the same area over a later period, with
    the same source; optionally against a control area (see comparison)."""
    if project.measure != Project.Measure.INCIDENTS:
        raise ProcessError("This project's measure is entered, not computed.")
    if start <= project.baseline_to:
        raise ProcessError("The period after must start after the baseline ends.")
    if len(months_between(start, end)) != project.baseline_months:
        raise ProcessError(
            "The period after must be as long as the baseline's"
            f" ({project.baseline_months} months), to compare like with like."
        )
    partnership = project.issue.partnership
    total, _ = count_incidents(
        partnership,
        categories=project.categories,
        start=start,
        end=end,
        ward=project.measure_ward,
        zone=project.measure_zone,
    )
    project.after_from, project.after_to, project.after = (
        start.replace(day=1),
        end,
        total,
    )
    if control is not None:
        if control in (project.measure_ward, project.measure_zone):
            raise ProcessError("The control area must not be the target area.")
        project.comparison = comparison(project, control, start, end)
    _save_and_record(
        project,
        by,
        f"Measure after computed: {total} against a baseline of {project.baseline}"
        f" ({start:%B %Y} to {end:%B %Y}, {project.source}).",
    )
    return project


def comparison(project, control, start, end):
    """The target area against a control area over both periods, with the
    Weighted Displacement Difference (Wheeler & Ratcliffe 2018) of the
    change: negative is a fall in the target beyond the control's."""
    partnership = project.issue.partnership
    kind = "ward" if isinstance(control, Area) else "zone"
    before, _ = count_incidents(
        partnership,
        categories=project.categories,
        start=project.baseline_from,
        end=project.baseline_to,
        **{kind: control},
    )
    after, _ = count_incidents(
        partnership,
        categories=project.categories,
        start=start,
        end=end,
        **{kind: control},
    )
    result = wdd((project.baseline, project.after), (before, after))
    return {
        "control": str(control.name),
        "control_kind": kind,
        "control_before": before,
        "control_after": after,
        "wdd": round(result.estimate, 1),
        "wdd_se": round(result.se, 1),
        "wdd_z": round(result.z, 2),
        "wdd_p": round(result.p_value, 4),
        "wdd_ci": [round(result.ci_low, 1), round(result.ci_high, 1)],
    }


@transaction.atomic
def enter_after(project, by, *, after, start, end):
    """The measure after for an entered measure, from the baseline's source."""
    if project.measure == Project.Measure.INCIDENTS:
        raise ProcessError("Incident counts are computed: use the computed measure.")
    if project.baseline_to and start <= project.baseline_to:
        raise ProcessError("The period after must start after the baseline ends.")
    project.after, project.after_from, project.after_to = after, start, end
    _save_and_record(
        project,
        by,
        f"Measure after entered: {after} against {project.baseline}"
        f" ({project.source}).",
    )
    return project


def set_baseline(project, by, *, measure, start, end, **fields):
    """The baseline from a baseline form's fields: a count of incidents is
    computed (categories, ward, zone), any other measure is entered with its
    label, source and value."""
    if measure == Project.Measure.INCIDENTS:
        return compute_baseline(
            project,
            by,
            categories=fields["categories"],
            start=start,
            end=end,
            ward=fields.get("ward"),
            zone=fields.get("zone"),
        )
    return save_project(
        project,
        by,
        measure=measure,
        measure_label=fields["measure_label"],
        source=fields["source"],
        baseline=fields["baseline"],
        baseline_from=start,
        baseline_to=end,
        categories=[],
    )


def record_after(project, by, *, start, end, control=None, after=None, **_):
    """The measure after, the same way as the baseline: computed for a count
    of incidents (against an optional control area), else entered."""
    if project.measure == Project.Measure.INCIDENTS:
        return compute_after(project, by, start=start, end=end, control=control)
    return enter_after(project, by, after=after, start=start, end=end)


@transaction.atomic
def advance(project, by):
    """Move to the next stage, or raise ProcessError saying what is missing."""
    target = next_stage(project)
    if target is None or target == Project.Stage.CLOSED:
        raise ProcessError("Use close to end the project.")
    needs = missing(project, target)
    if needs:
        raise ProcessError(needs)
    project.stage = target
    _save_and_record(
        project,
        by,
        f"Moved to {project.get_stage_display().lower()}.",
        update_fields=["stage", "updated_at"],
    )
    touch_issue(project.issue)
    return project


@transaction.atomic
def close_project(project, by, note):
    """Close after an assessment, approved by the owning body's member `by`."""
    if project.stage != Project.Stage.ASSESSMENT:
        raise ProcessError(
            "A project closes from its assessment stage: it is at"
            f" {project.get_stage_display().lower()}."
        )
    needs = missing(project, Project.Stage.CLOSED)
    if needs:
        raise ProcessError(needs)
    project.stage = Project.Stage.CLOSED
    project.closed_at, project.closed_by, project.close_note = timezone.now(), by, note
    project.save(update_fields=["stage", "closed_at", "closed_by", "close_note"])
    before = project.issue.status
    touch_issue(project.issue, Issue.Status.CLOSED)
    record_event(
        project.issue,
        by,
        IssueEvent.Kind.PROJECT,
        f"Closed after evaluation, approved for {project.issue.body.name}: {note}",
        before,
        Issue.Status.CLOSED,
    )
    return project


def status_list(body_ids, user):
    """The "302" status list: problem-solving projects owned by these bodies."""
    return (
        Project.objects.filter(
            issue__body_id__in=body_ids, issue__in=Issue.objects.visible_to(user)
        )
        .select_related("issue", "issue__body", "issue__ward", "issue__zone", "lead")
        .order_by("stage", "issue__title")
    )


def default_periods(partnership, today):
    """The 12 months up to the latest month the crime data holds, as (start,
    end) dates; the last 12 whole months before `today` only when there is
    no data. Data lags (the demo's ends in 2018): a default from today's date
    would ask for months nobody has loaded."""
    months = [m for m, has in data_months(partnership) if has]
    end_month = max(months) if months else add_months(today.replace(day=1), -1)
    start = add_months(end_month, -11)
    return start, add_months(end_month, 1) - date.resolution

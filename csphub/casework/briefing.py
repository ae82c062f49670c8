"""The briefing section casework adds: problem-solving projects open in the
briefing's area, as the reader may see them (restricted issues never show)."""

from django.db.models import Q

from csphub.intelligence.hooks import BriefingSection
from csphub.places.models import Area, Zone

from .models import Issue, Project


def open_projects_section(partnership, area, month, user):
    """Open projects in a borough, ward or zone (registered in apps.py)."""
    projects = Project.objects.filter(
        issue__partnership=partnership,
        issue__in=Issue.objects.visible_to(user),
    ).exclude(stage=Project.Stage.CLOSED)
    if isinstance(area, Zone):
        projects = projects.filter(Q(issue__zone=area) | Q(issue__ward__zones=area))
    elif isinstance(area, Area) and area.kind == Area.Kind.WARD:
        projects = projects.filter(issue__ward=area)
    elif not (isinstance(area, Area) and area.kind == Area.Kind.BOROUGH):
        return None
    rows = [
        {
            "title": p.issue.title,
            "url": p.get_absolute_url(),
            "stage": p.get_stage_display(),
            "owner": p.issue.body.name,
            "where": p.issue.area_label(),
            "baseline": p.baseline,
            "measure": p.measure_label,
        }
        for p in projects.select_related(
            "issue", "issue__body", "issue__ward", "issue__zone", "issue__lsoa"
        )
        .order_by("issue__title")
        .distinct()
    ]
    if not rows:
        return None
    count = len(rows)
    return BriefingSection(
        title="Problem-solving projects open here",
        template="casework/_briefing_projects.html",
        rows=rows,
        summary=f"{count} problem-solving project{'s' if count != 1 else ''}"
        " open in this area.",
        order=60,
    )

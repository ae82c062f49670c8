"""The section casework adds to an intelligence briefing."""

from datetime import date

import pytest

from csphub.casework.projects import start_project
from csphub.intelligence.hooks import briefing_sections
from csphub.places.models import Zone

from .factories import TOTTENHAM_GREEN, body, haringey, make_issue

pytestmark = pytest.mark.django_db


def test_briefing_lists_open_projects_in_its_area(user_for):
    partnership = haringey()
    south = Zone.objects.get(partnership=partnership, name="South")
    sections = briefing_sections(
        partnership, south, date(2026, 1, 1), user_for("analyst")
    )
    (section,) = [
        s for s in sections if s.template == "casework/_briefing_projects.html"
    ]
    titles = [r["title"] for r in section.rows]
    assert "ASB and criminal damage at betting shops" in titles
    assert "Touting for work outside Wickes" not in titles  # closed
    assert section.summary.endswith("open in this area.")


def test_ward_and_borough_and_nothing_to_say(user_for):
    partnership = haringey()
    ward = body(TOTTENHAM_GREEN).ward
    issue = make_issue(title="Cuckooing on the estate")
    start_project(issue, None)
    user = user_for("officer")
    (section,) = briefing_sections(partnership, ward, None, user)
    assert [r["title"] for r in section.rows] == ["Cuckooing on the estate"]
    borough = briefing_sections(partnership, partnership.borough, None, user)
    assert len(borough[0].rows) >= 2
    west = Zone.objects.get(partnership=partnership, name="West")
    assert briefing_sections(partnership, west, None, user) == []


def test_the_section_template_renders(user_for):
    from django.template.loader import render_to_string

    partnership = haringey()
    south = Zone.objects.get(partnership=partnership, name="South")
    (section,) = briefing_sections(partnership, south, None, user_for("officer"))
    html = render_to_string(section.template, {"section": section})
    assert "betting shops" in html and "<table" in html

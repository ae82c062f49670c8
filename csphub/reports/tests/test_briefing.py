import pytest
from django.utils import timezone

from csphub.intelligence.hooks import briefing_sections
from csphub.reports.models import Report

from .factories import haringey, make_report, make_street

pytestmark = pytest.mark.django_db


def test_residents_reports_are_counted_in_the_area_briefing(user_for):
    street = make_street()
    first = make_report(street, name="Ada Lovelace")
    Report.objects.filter(pk=first.report_id).update(people_count=2, reporter_count=3)
    month = timezone.localdate().replace(day=1)
    sections = briefing_sections(haringey(), street.ward, month, user_for("officer"))
    [section] = [s for s in sections if s.title == "Residents' reports"]
    noise = next(r for r in section.rows if r["category__name"] == "Noise")
    assert noise["reports"] >= 3 and noise["people"] >= 2
    assert "Ada" not in str(section)
    far = make_street("Far Road", "Highgate")
    assert street.ward != far.ward

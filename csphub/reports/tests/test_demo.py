"""The demo's reports have what the issue asks the demo to show."""

import pytest
from django.utils import timezone

from csphub.reports import services, trigger
from csphub.reports.models import CaseReview, Report, ReportEvent

from .factories import haringey

pytestmark = pytest.mark.django_db


def test_demo_reports_show_merges_reroutes_overdue_trigger_and_review():
    partnership = haringey()
    reports = Report.objects.filter(partnership=partnership)
    assert reports.count() >= 300
    assert reports.filter(status=Report.Status.MERGED).exists()
    assert ReportEvent.objects.filter(
        report__partnership=partnership, kind=ReportEvent.Kind.ROUTED
    ).exists()
    assert services.overdue(reports, timezone.localdate()).exists()
    assert reports.values("ward").distinct().count() >= 15
    assert any(
        row["n"] >= trigger.threshold()
        for row in trigger.locations_over_threshold(partnership)
    )
    review = CaseReview.objects.get(partnership=partnership)
    assert review.step == CaseReview.Step.ACKNOWLEDGED and review.next_deadline()

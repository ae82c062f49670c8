"""Councillor Call for Action: opened by a councillor, a referral pack."""

import pytest

from csphub.reports import services
from csphub.reports.models import CouncillorCall

from .factories import make_report, make_street

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona,status",
    [
        ("member", 302),
        ("admin", 302),
        ("officer", 403),
        ("analyst", 403),
        ("outsider", 403),
    ],
)
def test_councillors_open_a_call_for_action(persona, status, client_for):
    report = make_report().report
    response = client_for(persona).post(
        f"/reports/{report.reference}/ccfa/", {"reason": "Nothing has changed."}
    )
    assert response.status_code == status
    assert CouncillorCall.objects.filter(report=report).exists() == (status == 302)


def test_the_pack_has_the_history_and_no_identity(client_for):
    street = make_street()
    reporter = make_report(street, name="Ada Lovelace", description="Bass all night")
    report = reporter.report
    services.update_status(
        report,
        None,
        status="in_hand",
        public_note="Diary sheets sent.",
        internal_note="Tenant known to us.",
    )
    issue = services.raise_as_issue(report, None, services.ward_groups(report)[0])
    client = client_for("member")
    location = client.post(
        f"/reports/{report.reference}/ccfa/", {"reason": "Residents are desperate."}
    )["Location"]
    page = client.get(location).content.decode()
    for text in (
        "Residents are desperate.",
        "Bass all night",
        "Diary sheets sent.",
        issue.title,
    ):
        assert text in page
    assert "Ada" not in page and "Tenant known to us." not in page
    pdf = client.get(f"{location}pack.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    assert (
        client.post(
            f"/reports/{report.reference}/ccfa/", {"reason": " "}, follow=True
        ).status_code
        == 200
    )

"""Information-sharing agreements open restricted data, kind by kind: a
resident's identity (reports), restricted casework issues and the IOM cohort
are shown only while the user's organisation is a party to an agreement in
force covering that kind, and an expired agreement closes access."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.models import (
    Agreement,
    CoveredData,
    DataKind,
    Organisation,
    Partnership,
    User,
)
from csphub.accounts.services import save_agreement
from csphub.casework.models import Issue
from csphub.reports.models import Report, Reporter

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def only_agreement_for(kind, expires_on):
    """Take `kind` out of the demo's agreement and give it an agreement of
    its own, for every Haringey partner, expiring on `expires_on`."""
    haringey = Partnership.objects.get(slug="haringey")
    CoveredData.objects.filter(agreement__partnership=haringey, kind=kind).delete()
    agreement = Agreement(
        partnership=haringey,
        title=f"Only {kind}",
        purpose="test",
        legal_basis=Agreement.LegalBasis.S115,
        data_sets="test",
        owner=User.objects.get(username="admin"),
        starts_on=TODAY - timedelta(days=400),
        review_on=expires_on - timedelta(days=1),
        expires_on=expires_on,
    )
    admin = User.objects.get(username="admin")
    return save_agreement(
        agreement, parties=haringey.organisations.all(), kinds=[kind], by=admin
    )


def resident_shown(client_for):
    reporter = (
        Reporter.objects.filter(
            anonymous=False,
            anonymised_at=None,
            report__partnership__slug="haringey",
            report__organisation__name="Metropolitan Police Service",
        )
        .exclude(name="")
        .select_related("report")
        .first()
    )
    page = client_for("member").get(reporter.report.get_absolute_url())
    assert page.status_code == 200
    return reporter.name in page.content.decode()


def restricted_issue_shown(client_for):
    member = User.objects.get(username="member")
    issue = Issue.objects.filter(restricted=True, body__seats__person__user=member)
    issue = issue.first()
    status = client_for("member").get(issue.get_absolute_url()).status_code
    assert status in (200, 404)
    return status == 200


def cohort_shown(client_for):
    status = client_for("iom").get(reverse("offenders:cohort")).status_code
    assert status in (200, 403)
    return status == 200


SHOWN = {
    DataKind.RESIDENT_IDENTITY: resident_shown,
    DataKind.RESTRICTED_CASEWORK: restricted_issue_shown,
    DataKind.IOM: cohort_shown,
}


@pytest.mark.parametrize("kind", list(SHOWN))
def test_the_demo_agreement_opens_each_kind(kind, client_for):
    assert SHOWN[kind](client_for)


@pytest.mark.parametrize("kind", list(SHOWN))
def test_an_expired_agreement_closes_that_kind_only(kind, client_for):
    agreement = only_agreement_for(kind, expires_on=TODAY - timedelta(days=1))
    assert not SHOWN[kind](client_for)
    for other, shown in SHOWN.items():
        if other != kind:
            assert shown(client_for), f"{other} closed by {kind}'s expiry"
    agreement.expires_on = TODAY  # in force to the end of its expiry date
    agreement.save(update_fields=["expires_on"])
    assert SHOWN[kind](client_for)


@pytest.mark.parametrize("kind", list(SHOWN))
def test_an_agreement_not_yet_started_does_not_open(kind, client_for):
    agreement = only_agreement_for(kind, expires_on=TODAY + timedelta(days=300))
    agreement.starts_on = TODAY + timedelta(days=1)
    agreement.save(update_fields=["starts_on"])
    assert not SHOWN[kind](client_for)


@pytest.mark.parametrize("kind", list(SHOWN))
def test_an_organisation_that_is_no_party_sees_nothing_restricted(kind, client_for):
    outside = Organisation.objects.get(name="Tottenham Residents' Association")
    username = "iom" if kind == DataKind.IOM else "member"
    User.objects.filter(username=username).update(organisation=outside)
    if kind == DataKind.RESIDENT_IDENTITY:
        # the report is routed to the user's organisation: only the agreement
        # stands between the user and the resident's name
        Report.objects.filter(organisation__name="Metropolitan Police Service").update(
            organisation=outside
        )
        reporter = (
            Reporter.objects.filter(
                anonymous=False, anonymised_at=None, report__organisation=outside
            )
            .exclude(name="")
            .select_related("report")
            .first()
        )
        page = client_for("member").get(reporter.report.get_absolute_url())
        assert reporter.name not in page.content.decode()
        return
    assert not SHOWN[kind](client_for)

"""The subject access report and retention, across the apps that register
with accounts' seams (reports for residents, offenders for the IOM cohort)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.models import AuditEntry, SignInAttempt
from csphub.accounts.retention import apply_retention
from csphub.offenders.models import Nominal
from csphub.offenders.pseudonyms import pseudonymise
from csphub.reports.models import Report, Reporter

pytestmark = pytest.mark.django_db

URL = "/accounts/subject-access/"


def a_resident():
    return (
        Reporter.objects.filter(
            report__partnership__slug="haringey", anonymised_at=None
        )
        .exclude(email="")
        .select_related("report")
        .first()
    )


def test_a_residents_report_gathers_their_records_and_the_log(client_for):
    reporter = a_resident()
    client = client_for("member")
    client.get(reporter.report.get_absolute_url())  # a view, written to the log
    admin = client_for("admin")
    query = {
        "subject": "resident",
        "identifier": reporter.email.upper(),
        "reason": "SAR received 1 December",
    }
    page = admin.get(reverse("accounts:subject-access"), query)
    html = page.content.decode()
    assert page.status_code == 200
    assert reporter.report.reference in html and reporter.email in html
    assert reporter.name in html
    assert "Viewed" in html and "member" in html  # the member's view, logged
    assert AuditEntry.objects.filter(
        action="subject_access", reason="resident: SAR received 1 December"
    ).exists()
    csv = admin.get(URL, {**query, "format": "csv"}).content.decode()
    assert reporter.email in csv and "when,who,action" in csv


def test_a_nominals_report_is_found_by_the_hashed_reference(client_for):
    nominal = Nominal.objects.get(reference_hash=pseudonymise("SYN/0001"))
    query = {"subject": "nominal", "identifier": "syn/0001", "reason": "SAR"}
    html = client_for("admin").get(URL, query).content.decode()
    assert nominal.code in html
    assert "SYN/0001" not in html.replace("syn/0001", "")  # never stored
    unknown = {"subject": "nominal", "identifier": "Smith", "reason": "SAR"}
    html = client_for("admin").get(URL, unknown).content.decode()
    assert "not a case-system reference" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"subject": "resident", "identifier": "ab", "reason": "x"}, "at least 3"),
        ({"subject": "everyone", "identifier": "abc", "reason": "x"}, "valid choice"),
        ({"subject": "resident", "identifier": "abc\x00", "reason": "x"}, "control"),
        ({"subject": "resident", "identifier": "abc"}, "required"),
    ],
)
def test_bad_requests_are_named(query, message, client_for):
    page = client_for("admin").get(URL, query)
    assert page.status_code == 400 and message in page.content.decode()
    assert not AuditEntry.objects.filter(action="subject_access").exists()


@pytest.mark.parametrize("persona", ["officer", "iom", "handler", "outsider"])
def test_only_administrators_gather_a_report(persona, client_for):
    query = {"subject": "resident", "identifier": "someone", "reason": "x"}
    assert client_for(persona).get(URL, query).status_code == 403


def test_the_report_takes_few_queries(client_for, django_assert_max_num_queries):
    reporter = a_resident()
    client = client_for("admin")
    client.get(URL)
    query = {"subject": "resident", "identifier": reporter.email, "reason": "x"}
    with django_assert_max_num_queries(14):
        client.get(URL, query)


def test_retention_anonymises_deletes_and_logs_counts(settings):
    now = timezone.now()
    old = now - timedelta(days=800)
    report = Report.objects.filter(partnership__slug="haringey").first()
    report.status = Report.Status.CLOSED
    report.closed_at = old
    report.save()
    reporter = report.reporters.exclude(name="").first() or Reporter.objects.create(
        report=report, channel="web", name="Old Resident", email="old@example.com"
    )
    SignInAttempt.objects.create(username="someone", at=now - timedelta(days=100))
    SignInAttempt.objects.create(username="recent", at=now)
    dry = {r.kind: c for r, _d, c in apply_retention(dry_run=True)}
    assert dry["resident_details"] >= 1 and dry["sign_in_attempts"] == 1
    assert not AuditEntry.objects.filter(action="retention").exists()
    reporter.refresh_from_db()
    assert reporter.name  # a dry run changes nothing
    done = {r.kind: c for r, _d, c in apply_retention()}
    assert done == dry
    reporter.refresh_from_db()
    assert reporter.name == "" and reporter.anonymised_at is not None
    assert list(SignInAttempt.objects.values_list("username", flat=True)) == ["recent"]
    entry = AuditEntry.objects.get(action="retention")
    assert "sign_in_attempts: 1 deleted (after 90 days)" in entry.reason


def test_iom_retention_is_off_until_a_period_is_set(settings):
    left = Nominal.objects.exclude(deselected_on=None).count()
    assert left > 0
    assert {r.kind: c for r, _d, c in apply_retention()}["iom_left_cohort"] == 0
    assert Nominal.objects.exclude(deselected_on=None).count() == left
    settings.CSPHUB_RETENTION_DAYS = {"iom_left_cohort": 0}
    done = {r.kind: c for r, _d, c in apply_retention()}
    assert done["iom_left_cohort"] == left
    assert not Nominal.objects.filter(deselected_on__lt=timezone.localdate()).exists()

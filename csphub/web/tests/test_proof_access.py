"""The proof's access matrix (issue 16): every URL pattern, filled with real
ids from the demo, fetched as every persona; zero leaks of restricted data
(response bodies, CSV exports, PDFs' text) and zero 500s.

`make test` fetches each pattern once per persona with one object of each
kind (and every restricted one); `make proof` (CSPHUB_PROOF=full) fills each
with two objects and also posts an empty form to every URL.
"""

import tempfile
from datetime import date
from pathlib import Path

import pytest

from csphub.accounts.models import User

from .proof_matrix import (
    PERSONAS,
    describe,
    restricted_markers,
    sweep,
    url_patterns,
    urls_to_fetch,
)
from .proofing import FULL, record

pytestmark = pytest.mark.django_db
NAMESPACES = sorted({name.split(":")[0] for name, _ in url_patterns()})


def intelligence_data(police_uk):
    """What `make demo` has and the test demo leaves out: a month of police.uk
    crime (from the folder of the real or the synthetic files), a briefing on
    it, the partner data sets and their imports."""
    from csphub.accounts.models import Partnership
    from csphub.intelligence.datasets.demo import load_dataset_demo
    from csphub.intelligence.services import build_briefing, import_file
    from csphub.places.models import Zone

    haringey = Partnership.objects.get(slug="haringey")
    june = police_uk / "2018-06-metropolitan-street.csv"
    if FULL:
        import_file(haringey, june)
    else:  # the month's first 1,500 rows: the same kinds of page, sooner
        with tempfile.TemporaryDirectory() as folder:
            head = Path(folder) / june.name
            head.write_bytes(b"".join(june.read_bytes().splitlines(True)[:1500]))
            import_file(haringey, head)
    south = Zone.objects.get(partnership=haringey, slug="south")
    build_briefing(haringey, south, date(2018, 6, 1), permutations=9)
    load_dataset_demo(haringey)

    from django.core.files.uploadedfile import SimpleUploadedFile

    from csphub.intelligence.models import DataSet
    from csphub.intelligence.tasks import start_upload_import

    admin = User.objects.get(username="admin")
    csv = june.read_bytes()[:4000]
    start_upload_import(haringey, SimpleUploadedFile("june.csv", csv), by=admin)
    start_upload_import(
        haringey,
        SimpleUploadedFile("log.csv", b"a,b\n1,2\n"),
        by=admin,
        data_set=DataSet.objects.filter(partnership=haringey).first(),
    )


def meetings_data():
    """A board pack built in the background, as an officer starts one."""
    from csphub.meetings.models import Meeting
    from csphub.meetings.tasks import build_pack, start_pack_build

    meeting = Meeting.objects.order_by("pk").first()
    build = start_pack_build(meeting, "full", User.objects.get(username="admin"))
    build_pack.call(build.pk)


def reports_data():
    """A Councillor Call for Action on a resident's report."""
    from csphub.reports.ccfa import open_call
    from csphub.reports.models import Report

    report = Report.objects.filter(reporters__anonymous=False).first()
    open_call(report, User.objects.get(username="admin"), "Reported five times.")


def structure_data():
    """A structure review kept, with its findings."""
    from csphub.accounts.models import Partnership
    from csphub.structure.services import record_review

    haringey = Partnership.objects.get(slug="haringey")
    record_review(haringey, User.objects.get(username="admin"), note="Annual.")


EXTRAS = {
    "meetings": meetings_data,
    "reports": reports_data,
    "structure": structure_data,
}


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_no_persona_sees_restricted_data_it_may_not(namespace, police_uk):
    if namespace == "intelligence":
        intelligence_data(police_uk)
    if namespace in EXTRAS:
        EXTRAS[namespace]()
    urls, unfilled = urls_to_fetch(limit=2 if FULL else 1)
    unfilled = [name for name in unfilled if name.startswith(f"{namespace}:")]
    assert not unfilled, f"no demo object to fill these URLs with: {unfilled}"
    urls = [(name, path) for name, path in urls if name.startswith(f"{namespace}:")]
    markers = restricted_markers()
    assert {m.kind for m in markers} >= {
        "restricted issue",
        "IOM nominal",
        "resident contact",
    }, "the demo has lost the restricted data this test looks for"
    methods = ("GET", "POST") if FULL else ("GET",)
    outcome = sweep(PERSONAS, urls, markers, methods=methods)
    record(
        "access",
        namespace=namespace,
        urls=len(urls),
        personas=len(PERSONAS),
        requests=outcome.requests,
        leaks=len(outcome.leaks),
        server_errors=len(outcome.server_errors),
    )
    assert not outcome.leaks, "restricted data leaked:\n" + describe(outcome.leaks)
    assert not outcome.server_errors, f"500s: {outcome.server_errors}"


def test_the_matrix_reports_what_leaked_where_and_to_whom():
    """The check can fail: an issue's title, declared restricted data anyone
    may see, is no leak to the officer, and is one to the same officer as a
    persona with no information-sharing agreement (who may see nothing
    restricted)."""
    from csphub.casework.models import Issue

    from .proof_matrix import Marker, Persona

    issue = Issue.objects.filter(restricted=False).order_by("pk").first()
    path = issue.get_absolute_url()
    everyone = Marker("test", issue.title, lambda user: True)
    personas = [
        Persona("officer", "officer"),
        Persona("unagreed", "officer", agreement=False),
    ]
    leaks = sweep(personas, [("casework:issue-detail", path)], [everyone]).leaks
    assert leaks == [(path, "unagreed", "test", issue.title[:60])]
    assert "unagreed" in describe(leaks)

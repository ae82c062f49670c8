"""The proof's fuzzing (issue 16): generated input for every import and for
every form and query parameter of the site; never a 500, and an import
either loads its whole file or nothing of it.

Files are built from each importer's own columns, with cells drawn from
real demo values, near misses and junk, so rows reach the deep checks; a
"poison" row the importer must refuse is appended to some files, and every
refused file (poisoned, or answered with an error) must leave the row counts
as they were. `make test` tries a few dozen inputs each; `make proof`
(CSPHUB_PROOF=full) thousands in all.
"""

import csv
import html.parser
import io
import json
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import (
    HealthCheck,
    given,
    settings as hypothesis_settings,
    strategies as st,
)

from csphub.accounts.models import User

from .proof_matrix import url_patterns, urls_to_fetch
from .proofing import EXAMPLES, FULL, record

pytestmark = pytest.mark.django_db

# Inputs per import and per namespace's forms: CSPHUB_PROOF_EXAMPLES in full.
IMPORT_EXAMPLES = EXAMPLES if FULL else 8
FORM_EXAMPLES = EXAMPLES if FULL else 12
FUZZ = hypothesis_settings(
    max_examples=IMPORT_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not FULL,  # make test: the same inputs every run
    suppress_health_check=list(HealthCheck),
)

# Values people and attackers type: numbers str.isdigit() accepts and int()
# refuses, months that are not, huge numbers, NUL, markup, formulas.
ODD = [
    "", " ", "0", "-1", "²", "٣", "1e309", "nan", "inf", "-0", "99999999999999999999",
    "0000-01", "٢٠١٨-06", "2018-13", "2018-02-30", "31/02/2018", "2018-06",
    "2018-06-01", "9999-12-31", "0001-01-01", "yes", "no", "Y", "\x00", "a\x00b",
    "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "' OR 1=1 --",
    "../../etc/passwd", "%00", "\ufeff", "\u202e", "x" * 5000,
]  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(ODD),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=date(1, 1, 1)).map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
)


@dataclass
class Import:
    """One import as a person does it: a page, a persona, a file."""

    name: str
    url: str
    persona: str
    columns: list
    poison: list  # a row the importer must refuse
    counted: list  # models whose rows an import adds
    fields: dict = field(default_factory=dict)
    suffixes: tuple = (".csv",)
    real: dict = field(default_factory=dict)  # column -> demo values

    def counts(self):
        return [apps.get_model(label).objects.count() for label in self.counted]


def _values(label, path, **filters):
    qs = apps.get_model(label).objects.filter(**filters)
    return [str(v) for v in qs.values_list(path, flat=True)[:20] if v is not None]


def imports():
    from csphub.delivery.spend import COLUMNS, OPTIONAL
    from csphub.intelligence.importing import POLICE_UK_COLUMNS
    from csphub.offenders.importing import (
        COHORT_OPTIONAL,
        COHORT_REQUIRED,
        OFFENCE_COLUMNS,
    )
    from csphub.structure.exchange import BODY_COLUMNS, SEAT_COLUMNS

    organisations = _values("accounts.Organisation", "name")
    bodies = _values("structure.Body", "slug", partnership__slug="haringey")
    return [
        Import(
            "performance values", reverse("performance:import"), "analyst",
            ["indicator", "period", "value", "note"],
            ["indicator-that-is-not", "2018-06", "12", ""],
            ["performance.Measurement"], suffixes=(".csv", ".xlsx"),
            real={"indicator": _values("performance.Indicator", "slug"),
                  "period": ["2018-06", "2019-01-01"], "value": ["12", "3.5"]},
        ),
        Import(
            "structure bodies", reverse("structure:import"), "admin",
            BODY_COLUMNS, ["", "", "board", "strategic", "active"] + [""] * 11,
            ["structure.Body"], fields={"what": "bodies"},
            real={"slug": bodies, "kind": ["board", "zonal"], "reports_to": bodies,
                  "restricted": ["yes", "no"], "status": ["active"]},
        ),
        Import(
            "structure seats", reverse("structure:import"), "admin",
            SEAT_COLUMNS, ["no-such-body", "Nobody", "", "", "member", "", "", ""],
            ["structure.Seat"], fields={"what": "seats"},
            real={"body": bodies, "organisation": organisations,
                  "role": ["member", "chair"], "started": ["2018-06-01"]},
        ),
        Import(
            "delivery spend", reverse("delivery:spend-import"), "analyst",
            COLUMNS + OPTIONAL, ["Nobody Ltd", "x", "x", "2011/12", "lots", "", "", ""],
            ["delivery.SpendLine"], suffixes=(".csv", ".xlsx"),
            real={"organisation": organisations, "year": ["2011/12", "2012/13"],
                  "amount": ["195,511", "1234.56"],
                  "priority": _values("strategy.Priority", "name")},
        ),
        Import(
            "IOM cohort", reverse("offenders:import"), "iom",
            list(COHORT_REQUIRED + COHORT_OPTIONAL),
            ["AB1234", "no-such-stream", "not a date", "", "", "", "", "", ""],
            ["offenders.Nominal"], fields={"kind": "cohort"},
            real={"stream": ["fixed", "flex", "free"],
                  "selected_on": ["2018-06-01"], "lead_organisation": organisations},
        ),
        Import(
            "IOM offences", reverse("offenders:import"), "iom",
            list(OFFENCE_COLUMNS), ["AB1234", "not a date", "2018-06-01", "theft"],
            ["offenders.Offence"], fields={"kind": "offences"},
            real={"committed_on": ["2018-06-01"], "proven_on": ["2018-07-01"],
                  "category": ["theft", "burglary", "violence"]},
        ),
        Import(
            "police.uk crime", reverse("intelligence:upload"), "analyst",
            POLICE_UK_COLUMNS, ["only", "three", "cells"],
            ["intelligence.Incident"],
            real={"Month": ["2018-06"], "Longitude": ["-0.07"], "Latitude": ["51.59"],
                  "LSOA code": _values("places.Area", "code", kind="lsoa"),
                  "Crime type": ["Burglary", "Anti-social behaviour"]},
        ),
    ]  # fmt: skip


def file_bytes(columns, rows, suffix, encoding):
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        for row in [columns, *rows]:
            book.active.append([_xlsx_cell(c) for c in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx_cell(text):
    # openpyxl refuses control characters in a cell; a spreadsheet holds none
    return "".join(c for c in text if c >= " " or c in "\t\n")


def upload(imp):
    """A strategy for one file for an import: (bytes, suffix, poisoned)."""

    def cell(column):
        real = imp.real.get(column)
        return st.one_of(st.sampled_from(real), TEXT) if real else TEXT

    row = st.tuples(*[cell(c) for c in imp.columns]).map(list)
    return st.one_of(
        st.tuples(
            st.lists(row, max_size=4),
            st.sampled_from(imp.suffixes),
            st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
            st.booleans(),
            st.booleans(),  # drop or shuffle a column from the header
        ).map(lambda t: _built(imp, *t)),
        st.binary(max_size=300).map(lambda b: (b, imp.suffixes[0], False)),
    )


def _built(imp, rows, suffix, encoding, poisoned, bad_header):
    columns = list(imp.columns)
    if bad_header:
        columns = columns[1:] + ["surprise"]
    if poisoned:
        rows = [*rows, imp.poison]
    return file_bytes(columns, rows, suffix, encoding), suffix, poisoned


@dataclass
class Tally:
    tried: int = 0
    server_errors: list = field(default_factory=list)
    partial: list = field(default_factory=list)


def post_import(imp, client, raw, suffix, tally, capture):
    before = imp.counts()
    data = {**imp.fields, "file": SimpleUploadedFile(f"fuzz{suffix}", raw)}
    with capture(execute=True):  # a queued import runs as its upload commits
        response = client.post(imp.url, data)
    tally.tried += 1
    if response.status_code >= 500:
        tally.server_errors.append((imp.name, raw[:200]))
        return None
    refused = response.status_code != 302 or _job_failed(response)
    after = imp.counts()
    if refused and after != before:
        tally.partial.append((imp.name, before, after, raw[:200]))
    return refused


def _job_failed(response):
    """An upload queued as a job: whether the job refused the file."""
    from csphub.intelligence.models import ImportJob

    if "/imports/" not in response.get("Location", ""):
        return False
    job = ImportJob.objects.order_by("-pk").first()
    return job.status == ImportJob.Status.FAILED


def signed_in(persona):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=persona))
    return client


IMPORTS = [
    "performance values",
    "structure bodies",
    "structure seats",
    "delivery spend",
    "IOM cohort",
    "IOM offences",
    "police.uk crime",
]


@pytest.mark.parametrize("name", IMPORTS)
def test_imports_load_a_whole_file_or_nothing_and_never_fail(
    name, django_capture_on_commit_callbacks
):
    imp = next(i for i in imports() if i.name == name)
    client = signed_in(imp.persona)
    tally = Tally()
    poisoned_refused = []

    @FUZZ
    @given(upload(imp))
    def attempt(file):
        raw, suffix, poisoned = file
        refused = post_import(
            imp, client, raw, suffix, tally, django_capture_on_commit_callbacks
        )
        if poisoned and refused is not None:
            poisoned_refused.append(refused)

    attempt()
    record(
        "import",
        importer=name,
        inputs=tally.tried,
        server_errors=len(tally.server_errors),
        partial_imports=len(tally.partial),
    )
    assert not tally.server_errors, f"500s on {name}: {tally.server_errors[:3]}"
    assert not tally.partial, f"partial imports on {name}: {tally.partial[:3]}"
    assert all(poisoned_refused), f"{name} accepted a file with a bad row"


# --- The area importer (a command: a crash is its 500) ------------------------

LSOA_CODES = st.one_of(
    st.sampled_from(["E01000001", "E01999999", "W01000001", "E0100000", "", "²"]),
    st.text(max_size=10),
)


def _polygon(points):
    ring = [list(p) for p in points] + [list(points[0])]
    return {"type": "Polygon", "coordinates": [ring]}


GEOMETRY = st.one_of(
    st.lists(
        st.tuples(
            st.floats(-200, 200, allow_nan=False), st.floats(-100, 100, allow_nan=False)
        ),
        min_size=3,
        max_size=5,
    ).map(_polygon),
    st.just({"type": "Point", "coordinates": [0, 51]}),
    st.just(None),
    st.just({"type": "Polygon", "coordinates": "nonsense"}),
    st.just(_polygon([(-0.1, 51.5), (-0.09, 51.5), (-0.09, 51.51)])),
)


@st.composite
def area_files(draw):
    features = draw(
        st.lists(st.tuples(LSOA_CODES, st.text(max_size=12), GEOMETRY), max_size=3)
    )
    lsoas = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"LSOA11CD": c, "LSOA11NM": n, "LAD11CD": "E09000014",
                               "LAD11NM": "Haringey"},
                "geometry": g,
            }
            for c, n, g in features
        ],
    }  # fmt: skip
    ward = st.one_of(st.sampled_from(["E05000266", "E0500026", "W05000001"]), TEXT)
    codes = st.sampled_from([c for c, _, _ in features] or ["x"])
    lookup = draw(st.lists(st.tuples(codes, ward, TEXT), max_size=4))
    poisoned = draw(st.booleans())
    if poisoned:
        lookup.append(("E01000001", "not-a-ward", "Nowhere"))
    return json.dumps(lsoas), lookup, poisoned


@FUZZ
@given(files=area_files())
def _area_attempt(files, tally, folder):
    from csphub.places.models import Area
    from csphub.places.services import AreaImportError, load_areas

    geojson, lookup, poisoned = files
    lsoas, table = folder / "lsoas.geojson", folder / "lookup.csv"
    lsoas.write_text(geojson)
    with open(table, "w", newline="") as f:
        csv.writer(f).writerows([("LSOA11CD", "WD18CD", "WD18NM"), *lookup])
    before = sorted(Area.objects.values_list("code", "name", "parent_id"))
    tally.tried += 1
    try:
        load_areas(lsoas, table)
    except AreaImportError:
        if sorted(Area.objects.values_list("code", "name", "parent_id")) != before:
            tally.partial.append(geojson[:200])
    except Exception as e:  # anything else is a crash: the command's 500
        tally.server_errors.append(repr(e)[:200])
    else:
        assert not poisoned, "a lookup with a bad ward code was accepted"


def test_the_area_importer_loads_all_or_nothing_and_never_crashes():
    tally = Tally()
    with tempfile.TemporaryDirectory() as folder:
        _area_attempt(tally=tally, folder=Path(folder))
    record(
        "import",
        importer="areas",
        inputs=tally.tried,
        server_errors=len(tally.server_errors),
        partial_imports=len(tally.partial),
    )
    assert not tally.server_errors, tally.server_errors[:3]
    assert not tally.partial, tally.partial[:3]


# --- Every form and query parameter ------------------------------------------

# Query parameters the site's lists read (besides those their forms name).
QUERY = ["page", "area", "month", "ids", "briefing", "zone", "ward", "theme",
         "status", "year", "by", "organisation", "period", "kind", "q", "next",
         "action", "point", "box", "from", "to", "category", "body"]  # fmt: skip
# Who fills a page's forms: the first of these it answers with a 200.
FILLERS = ["admin", "iom", "analyst", "handler", "officer", "member"]


class _Forms(html.parser.HTMLParser):
    """The field names of a page's forms: [(method, action, [names])]."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").upper()
            self.forms.append((method, attrs.get("action") or "", []))
        elif tag in {"input", "select", "textarea"} and self.forms:
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken" and attrs.get("type") != "file":
                self.forms[-1][2].append(name)


def form_targets(namespace):
    """(persona, method, path, field names) of every form and list in a
    namespace, as the first persona who may open the page sees it."""
    urls, _ = urls_to_fetch(limit=1)
    clients = {p: signed_in(p) for p in FILLERS}
    targets = []
    for name, path in urls:
        if not name.startswith(f"{namespace}:"):
            continue
        for persona in FILLERS:
            response = clients[persona].get(path)
            if response.status_code != 200 or response.streaming:
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                break
            parser = _Forms()
            parser.feed(response.content.decode())
            targets.append((persona, "GET", path, QUERY))
            for method, action, names in parser.forms:
                if action.startswith(("http", "//")):
                    continue
                targets.append((persona, method, action or path, names or ["x"]))
            break
    return targets


NAMESPACES = sorted({name.split(":")[0] for name, _ in url_patterns()})


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_forms_and_query_parameters_never_give_a_500(namespace):
    targets = form_targets(namespace)
    if not targets:
        pytest.skip(f"no page of {namespace} has a form or list")
    clients = {p: signed_in(p) for p in FILLERS}
    clients["anonymous"] = Client(raise_request_exception=False)
    tally = Tally()
    ids = [str(i) for i in range(1, 6)]

    @hypothesis_settings(FUZZ, max_examples=FORM_EXAMPLES)
    @given(data=st.data())
    def attempt(data):
        persona, method, path, names = data.draw(st.sampled_from(targets))
        chosen = data.draw(st.lists(st.sampled_from(names), max_size=len(names)))
        value = st.one_of(TEXT, st.sampled_from(ids))
        values = {n: data.draw(value) for n in chosen}
        client = clients[data.draw(st.sampled_from([persona, "anonymous"]))]
        fetch = client.post if method == "POST" else client.get
        response = fetch(path, values)
        tally.tried += 1
        if response.status_code >= 500:
            tally.server_errors.append((method, path, values))

    attempt()
    record(
        "forms",
        namespace=namespace,
        inputs=tally.tried,
        targets=len(targets),
        server_errors=len(tally.server_errors),
    )
    assert not tally.server_errors, "500s:\n" + "\n".join(
        f"  {m} {p} {v!r:.300}" for m, p, v in tally.server_errors[:10]
    )

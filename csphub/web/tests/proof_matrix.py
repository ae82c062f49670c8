"""The access matrix of the proof (issue 16): every URL pattern, filled with
real object ids from the demo, fetched as every persona; no response body,
CSV export or PDF's text may carry restricted data to a persona not entitled
to it.

Who may see what is written here from shared/DESIGN.md's security model,
independently of the apps' own access code, so the two check each other:
- a restricted issue (title, description, its actions): people seated on the
  body that owns it or on a body it was escalated to;
- a restricted body's name: its members and administrators;
- the IOM cohort (nominal codes, risk decisions): IOM officers;
- a resident's name and contact details: users of the organisation the
  report is routed to (nobody when the resident asked to stay anonymous),
  and the resident, who holds the private link;
- a Community Trigger applicant's details: case handlers and administrators,
  and the applicant through the private link.

A persona is a demo user. To add one (an organisation with no
information-sharing agreement, say), append a Persona to PERSONAS with a
`make` that creates the user, and `agreement=False`: such a persona may see
no restricted data at all, whatever its roles and seats.
"""

import html
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import PERSONAS as CONFTEST_PERSONAS
from csphub.accounts.models import Role, User


@dataclass(frozen=True)
class Persona:
    """Who fetches: a demo user (None: not signed in)."""

    name: str
    username: str | None
    agreement: bool = True  # False: party to no information-sharing agreement
    make: Callable | None = None  # creates the user when the demo has none

    def user(self):
        if self.username is None:
            return None
        if self.make is not None:
            return self.make()
        return User.objects.get(username=self.username)


# The demo's personas; "outsider" is an officer of another partnership
# (Barnet), so Haringey's ids are another partnership's to them.
PERSONAS = [
    Persona(name, None if name == "anonymous" else name) for name in CONFTEST_PERSONAS
]


@dataclass
class Marker:
    """A piece of restricted data and who may see it."""

    kind: str
    text: str
    may_see: Callable  # (user) -> bool
    token: str = ""  # the private link that shows it to its owner

    def pattern(self):
        return re.compile(r"(?<!\w)" + re.escape(self.text) + r"(?!\w)")


def roles_of(user):
    """{(partnership id, role)} of a user (kept on the user object)."""
    if user is None:
        return set()
    if not hasattr(user, "_proof_roles"):
        user._proof_roles = set(
            user.role_assignments.values_list("partnership_id", "role")
        )
    return user._proof_roles


def seated_bodies(user):
    """Ids of the bodies a user holds a current seat on (kept on the user)."""
    from csphub.structure.models import Seat

    if user is None:
        return set()
    if not hasattr(user, "_proof_seats"):
        user._proof_seats = set(
            Seat.objects.filter(person__user=user, ended__isnull=True).values_list(
                "body_id", flat=True
            )
        )
    return user._proof_seats


def restricted_markers():
    """Every restricted datum of the demo, with who may see it."""
    markers = []
    markers += _issue_markers()
    markers += _body_markers()
    markers += _nominal_markers()
    markers += _resident_markers()
    markers += _applicant_markers()
    return [m for m in markers if len(m.text.strip()) >= 6]


def _issue_markers():
    Issue = apps.get_model("casework", "Issue")
    markers = []
    for issue in Issue.objects.filter(restricted=True).prefetch_related(
        "actions", "escalations"
    ):
        bodies = {issue.body_id} | {e.to_body_id for e in issue.escalations.all()}

        def may_see(user, bodies=bodies):
            return bool(bodies & seated_bodies(user))

        texts = [issue.title, issue.description]
        texts += [a.title for a in issue.actions.all()]
        markers += [Marker("restricted issue", t, may_see) for t in texts if t]
    return markers


def _body_markers():
    Body = apps.get_model("structure", "Body")
    markers = []
    for body in Body.objects.filter(restricted=True):

        def may_see(user, body=body):
            admin = (body.partnership_id, Role.ADMIN) in roles_of(user)
            return admin or body.pk in seated_bodies(user)

        markers.append(Marker("restricted body", body.name, may_see))
    return markers


def _nominal_markers():
    Nominal = apps.get_model("offenders", "Nominal")
    Allocation = apps.get_model("offenders", "Allocation")

    def iom_of(partnership_id):
        return lambda user: (partnership_id, Role.IOM) in roles_of(user)

    markers = [
        Marker("IOM nominal", n.code, iom_of(n.partnership_id))
        for n in Nominal.objects.all()
    ]
    markers += [
        Marker("IOM risk decision", a.risk_decision, iom_of(a.pilot.partnership_id))
        for a in Allocation.objects.select_related("pilot").exclude(risk_decision="")
    ]
    return markers


def _resident_markers():
    Reporter = apps.get_model("reports", "Reporter")
    markers = []
    for reporter in Reporter.objects.select_related("report"):
        org = reporter.report.organisation_id
        anonymous = reporter.anonymous

        def may_see(user, org=org, anonymous=anonymous):
            return (
                not anonymous
                and user is not None
                and org is not None
                and user.organisation_id == org
            )

        for text in (reporter.name, reporter.email, reporter.phone):
            if text:
                markers.append(
                    Marker("resident contact", text, may_see, reporter.token)
                )
    return markers


def _applicant_markers():
    CaseReview = apps.get_model("reports", "CaseReview")
    markers = []
    for review in CaseReview.objects.all():
        allowed = {(review.partnership_id, r) for r in (Role.HANDLER, Role.ADMIN)}

        def may_see(user, allowed=allowed):
            return bool(allowed & roles_of(user))

        for text in (
            review.applicant_name,
            review.applicant_email,
            review.applicant_phone,
        ):
            if text:
                markers.append(
                    Marker("Community Trigger applicant", text, may_see, review.token)
                )
    return markers


# --- URLs --------------------------------------------------------------------


def url_patterns(resolver=None, namespace=""):
    """(name, converter names) of every named URL outside the admin."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from url_patterns(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name and namespace:
            yield f"{namespace}:{entry.name}", sorted(entry.pattern.converters)


def _rows(label, paths, *, restricted=None, limit=1, **filters):
    """kwargs from up to `limit` rows of a model (and every restricted row
    `restricted` selects): {kwarg: ORM path}."""
    qs = apps.get_model(label).objects.filter(**filters).order_by("pk")
    rows = list(qs.values(*paths.values())[:limit])
    if restricted:
        rows += list(qs.filter(**restricted).values(*paths.values()))
    seen, out = set(), []
    for row in rows:
        kwargs = {k: row[v] for k, v in paths.items()}
        key = tuple(sorted(kwargs.items()))
        if key not in seen and all(v not in (None, "") for v in kwargs.values()):
            seen.add(key)
            out.append(kwargs)
    return out


# The slugs of the resident's report steps and the case review's steps (the
# reports app's views define them; an app's views are not imported here).
PUBLIC_STEPS = ["where", "what", "nearby", "now", "when", "involved", "describe",
                "contact", "check"]  # fmt: skip
REVIEW_STEPS = ["acknowledge", "decide", "meeting", "outcome"]
PK = {"pk": "pk"}
SLUG = {"slug": "slug"}
ISSUE_RESTRICTED = {"restricted": True}


def _cross(rows_a, rows_b):
    return [{**a, **b} for a in rows_a for b in rows_b]


def _reset_links(limit):
    user = User.objects.get(username="officer")
    real = {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    return [real, {"uidb64": "MQ", "token": "set-password"}][: max(limit, 1) + 1]


CODE = {"code": "code"}
REFERENCE = {"reference": "reference"}
ISSUE_ROWS = {"restricted": {"issue__restricted": True}}
# The URLs filled from the rows of one model: (model, {URL kwarg: ORM path},
# _rows' options, the URL names). Every restricted row a `restricted` option
# selects is added, so each one is fetched by every persona.
ROW_URLS = [
    ("accounts.Agreement", PK, {}, ["accounts:agreement-edit"]),
    ("accounts.Organisation", PK, {},
     ["casework:organisation-actions", "delivery:organisation"]),
    ("casework.Action", PK, ISSUE_ROWS, ["casework:action-update"]),
    ("casework.Escalation", PK, ISSUE_ROWS, ["casework:escalation-answer"]),
    ("casework.Issue", PK, {"restricted": ISSUE_RESTRICTED},
     ["casework:issue-detail", "casework:issue-update", "casework:action-add",
      "casework:issue-escalate", "casework:issue-task", "casework:project-start",
      "casework:issue-link", "casework:issue-unlink"]),
    ("casework.LinkedProblem", PK, {},
     ["casework:problem-detail", "casework:problem-project"]),
    ("casework.Project", PK, {},
     ["casework:project-detail", "casework:project-baseline",
      "casework:project-after", "casework:project-advance",
      "casework:project-close"]),
    ("casework.Tasking", PK, ISSUE_ROWS, ["casework:tasking-report"]),
    ("delivery.Activity", PK, {},
     ["delivery:activity-detail", "delivery:activity-edit",
      "delivery:update-submit", "delivery:milestone-add"]),
    ("delivery.Gap", PK, {}, ["delivery:gap-edit"]),
    ("delivery.Milestone", PK, {}, ["delivery:milestone-done"]),
    ("delivery.Objective", PK, {}, ["delivery:activity-add"]),
    ("delivery.QuarterlyUpdate", PK, {}, ["delivery:update-escalate"]),
    ("delivery.Risk", PK, {}, ["delivery:risk-edit"]),
    ("intelligence.Briefing", PK, {},
     ["intelligence:briefing-detail", "intelligence:briefing-pdf"]),
    ("intelligence.DataSet", SLUG, {},
     ["intelligence:dataset-detail", "intelligence:dataset-mapping",
      "intelligence:dataset-sample", "intelligence:dataset-upload"]),
    ("intelligence.ImportJob", PK, {"data_set__isnull": True},
     ["intelligence:import-job"]),
    ("intelligence.ImportJob", PK, {"data_set__isnull": False},
     ["intelligence:dataset-import-job"]),
    ("intelligence.Incident", PK, {"data_set__isnull": False},
     ["intelligence:incident-detail", "intelligence:incident-flags"]),
    ("meetings.AgendaItem", PK, {},
     ["meetings:item", "meetings:paper-add", "meetings:question-add",
      "meetings:decision-add"]),
    ("meetings.Communication", PK, {}, ["meetings:communication-sent"]),
    ("meetings.Decision", PK, {},
     ["meetings:decision", "meetings:action-add", "meetings:communication-add",
      "meetings:report-back-owe"]),
    ("meetings.Meeting", PK, {},
     ["meetings:detail", "meetings:meeting-edit", "meetings:attendance",
      "meetings:publish", "meetings:held", "meetings:minutes",
      "meetings:approve-minutes", "meetings:planning", "meetings:gather",
      "meetings:propose", "meetings:item-add"]),
    ("meetings.PackBuild", PK, {},
     ["meetings:pack-build", "meetings:pack-build-pdf"]),
    ("meetings.Paper", PK, {}, ["meetings:paper", "meetings:paper-edit"]),
    ("meetings.Proposal", PK, {}, ["meetings:proposal"]),
    ("meetings.Question", PK, {}, ["meetings:question"]),
    ("meetings.ReportBack", PK, {}, ["meetings:report-back"]),
    ("offenders.Allocation", PK, {}, ["offenders:spend-add"]),
    ("offenders.BudgetPilot", PK, {},
     ["offenders:pilot", "offenders:allocation-add"]),
    ("offenders.Intervention", PK, {}, ["offenders:intervention-progress"]),
    ("offenders.Nominal", CODE, {},
     ["offenders:nominal", "offenders:needs-assess",
      "offenders:intervention-add", "offenders:referral-add"]),
    ("offenders.Referral", PK, {}, ["offenders:referral-response"]),
    ("performance.Indicator", SLUG, {},
     ["performance:indicator", "performance:indicator-edit",
      "performance:board-report", "performance:value-add"]),
    ("places.Area", CODE, {"kind": "ward"},
     ["web:area-detail", "web:area-contact"]),
    ("places.Zone", SLUG, {}, ["web:zone-detail", "web:zone-contact"]),
    ("reports.CaseReview", REFERENCE, {},
     ["reports:review-detail", "reports:review-submit"]),
    ("reports.CouncillorCall", PK, {}, ["reports:ccfa-detail", "reports:ccfa-pdf"]),
    ("strategy.Priority", SLUG, {},
     ["delivery:priority-detail", "delivery:objective-add"]),
    ("strategy.Strategy", PK, {},
     ["delivery:timeline", "delivery:report", "delivery:risks",
      "delivery:risk-add", "delivery:gaps", "delivery:gap-add"]),
    ("structure.Body", SLUG, {"restricted": {"restricted": True}},
     ["meetings:body", "meetings:body-calendar", "casework:oversight",
      "casework:response-times", "casework:response-adopt",
      "casework:status-list", "structure:body-detail", "structure:body-edit",
      "structure:terms-edit", "structure:seat-add", "structure:body-change",
      "structure:body-met"]),
    ("structure.Finding", PK, {}, ["structure:finding-decide"]),
    ("structure.Seat", PK, {"restricted": {"body__restricted": True}},
     ["structure:seat-end"]),
    ("structure.StructureReview", PK, {}, ["structure:review-detail"]),
]  # fmt: skip


def fillers(limit=1):
    """url name -> list of kwargs, from the database as it is."""
    from csphub.casework.forms import PROJECT_SECTIONS

    fill = {}
    for label, paths, options, names in ROW_URLS:
        fill.update(dict.fromkeys(names, _rows(label, paths, limit=limit, **options)))
    meeting, project = fill["meetings:detail"], fill["casework:project-detail"]
    priority, review = fill["delivery:priority-detail"], fill["reports:review-detail"]
    indicator = fill["performance:indicator"]
    period = [
        {"period": r["period"].strftime("%Y-%m")}
        for r in _rows("performance.Review", {"period": "period"}, limit=limit)
    ]
    report = _rows("reports.Report", REFERENCE, limit=limit)
    report += _rows(
        "reports.Report",
        REFERENCE,
        restricted={"reporters__anonymous": False, "reporters__name__gt": ""},
        limit=0,
    )[:3]
    fmts = [{"fmt": "json"}, {"fmt": "xml"}]
    packs = [{"kind": "public"}, {"kind": "full"}]
    return fill | {
        "accounts:password-reset-confirm": _reset_links(limit),
        "places:area-geojson": _rows("places.Area", CODE, limit=3),
        "meetings:pack": _cross(meeting, packs),
        "meetings:pack-pdf": _cross(meeting, packs),
        "meetings:pack-start": _cross(meeting, packs[1:]),
        "casework:project-edit": _cross(
            project, [{"section": s} for s in PROJECT_SECTIONS]
        ),
        "delivery:requirement-accept": _cross(
            priority, _rows("delivery.LeadRequirement", PK, limit=limit)
        ),
        "delivery:public-strategy": [
            {"partnership": r["partnership__slug"], "pk": r["pk"]}
            for r in _rows(
                "strategy.Strategy",
                {"pk": "pk", "partnership__slug": "partnership__slug"},
                limit=limit,
            )
        ],
        "performance:review": period,
        "performance:rate": _cross(period, indicator),
        "performance:context": _cross(period, indicator),
        "performance:highlight": period,
        "performance:scorecard": _rows(
            "accounts.Partnership", {"partnership": "slug"}, limit=2
        ),
        "reports:follow": _reporter_tokens(limit),
        "reports:follow-reopen": _reporter_tokens(limit),
        "reports:follow-satisfaction": _reporter_tokens(limit),
        "reports:step": [{"slug": s} for s in _public_steps()],
        "reports:review-step": _cross(review, [{"action": a} for a in REVIEW_STEPS]),
        "reports:ccfa-open": report,
        "reports:staff-detail": report,
        "reports:staff-status": report,
        "reports:staff-reroute": report,
        "reports:staff-merge": report,
        "reports:staff-raise": report,
        "reports:open311-services": fmts,
        "reports:open311-requests": fmts,
        "reports:open311-request": _cross(report, fmts[:1]),
        "reports:influence-ward": [
            {"partnership": "haringey", "code": r["code"]}
            for r in _rows("places.Area", CODE, kind="ward", limit=2)
        ],
        "reports:influence-zone": [
            {"partnership": r["partnership__slug"], "slug": r["slug"]}
            for r in _rows(
                "places.Zone",
                {"slug": "slug", "partnership__slug": "partnership__slug"},
                limit=limit,
            )
        ],
        "reports:trigger-applicant": _review_tokens(limit),
        "reports:trigger-applicant-pcc": _review_tokens(limit),
    }


def _reporter_tokens(limit):
    rows = _rows(
        "reports.Reporter",
        {"token": "token"},
        restricted={"anonymous": False, "name__gt": ""},
        limit=limit,
    )
    return rows[: limit + 2]


def _review_tokens(limit):
    return _rows("reports.CaseReview", {"token": "token"}, limit=limit)


def _public_steps():
    return PUBLIC_STEPS


def urls_to_fetch(limit=1):
    """Every URL of the site, as (name, path); names with no object to fill
    them are listed apart, so a test can say which."""
    fill = fillers(limit)
    urls, unfilled = [], []
    for name, converters in url_patterns():
        if not converters:
            urls.append((name, reverse(name)))
            continue
        rows = fill.get(name)
        if not rows:
            unfilled.append(name)
            continue
        urls += [(name, reverse(name, kwargs=kwargs)) for kwargs in rows]
    return urls, unfilled


# --- Fetching and reading ----------------------------------------------------

PDFTOTEXT = shutil.which("pdftotext")


def text_of(response):
    """What a person would read: HTML unescaped, CSV and JSON as text, a
    PDF's text (pdftotext)."""
    content = b"".join(response) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        if PDFTOTEXT is None:
            raise RuntimeError("pdftotext is needed to read PDFs (poppler-utils)")
        run = subprocess.run(
            [PDFTOTEXT, "-", "-"], input=content, capture_output=True, check=True
        )
        return run.stdout.decode("utf-8", "replace")
    return html.unescape(content.decode("utf-8", "replace"))


@dataclass
class Outcome:
    requests: int = 0
    statuses: dict = field(default_factory=dict)
    leaks: list = field(default_factory=list)  # (url, persona, kind, text)
    server_errors: list = field(default_factory=list)  # (method, url, persona)


def barred_markers(persona, user, markers):
    """The markers a persona may not see. The same text reached by a route
    that allows it (a Community Trigger applicant who is also the reporter)
    is allowed."""
    allowed = {
        m.text
        for m in markers
        if persona.agreement and user is not None and m.may_see(user)
    }
    return [m for m in markers if m.text not in allowed]


def sweep(personas, urls, markers, outcome=None, *, methods=("GET",)):
    """Fetch every URL as every persona; record leaks and 500s."""
    outcome = outcome or Outcome()
    for persona in personas:
        user = persona.user()
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        barred = barred_markers(persona, user, markers)
        for _name, path in urls:
            for method in methods:
                fetch = client.post if method == "POST" else client.get
                response = fetch(path)
                outcome.requests += 1
                code = response.status_code
                outcome.statuses[code] = outcome.statuses.get(code, 0) + 1
                if code >= 500:
                    outcome.server_errors.append((method, path, persona.name))
                    continue
                # The page may repeat its own address (the partnership
                # switcher's "next"): what the requester typed is not a leak.
                body = text_of(response).replace(path, " ")
                for marker in barred:
                    if marker.token and marker.token in path:
                        continue  # the resident's (applicant's) own private link
                    leak = (path, persona.name, marker.kind, marker.text[:60])
                    if (
                        marker.text in body
                        and marker.pattern().search(body)
                        and leak not in outcome.leaks
                    ):
                        outcome.leaks.append(leak)
    return outcome


def describe(leaks):
    return "\n".join(
        f"  {url} as {persona}: {kind} {text!r}" for url, persona, kind, text in leaks
    )

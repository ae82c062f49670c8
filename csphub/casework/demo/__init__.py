"""The demo's casework, from the Zonal Working report (shared/seeds/000).

The cases are data beside this loader, in haringey.json: the Broadwater Farm
Estate and Milton Road blockages resolved at the zone, prostitution tackled
with outreach, touting outside Wickes closed after evaluation, betting-shop
ASB commissioned as a problem-solving project; and a spread of open, overdue
and blocked actions across every ward's ABW group.

The cases are the report's facts; the dates, the ward issues and the Wickes
figures are demo assumptions, said so where they show. Days in the file count
from the day the demo is loaded, so what is overdue stays overdue.
Idempotent: a case already on its body's log is left as it is.
"""

import json
import random
from datetime import date, timedelta
from pathlib import Path

from django.db.models import Max
from django.utils import timezone

from csphub.accounts.models import Organisation, User
from csphub.intelligence.models import SourceFile
from csphub.lib.months import add_months
from csphub.places.models import Zone
from csphub.structure.models import Body, Person, Seat

from .. import projects, services
from ..models import (
    Action,
    Escalation,
    Issue,
    IssueEvent,
    LinkedProblem,
    Project,
    Tasking,
)
from ..problems import link_issues

DATA = Path(__file__).resolve().parent
# Fields of a project stage given in the file as days from the load day.
DAY_FIELDS = {"baseline_from", "baseline_to", "start", "end"}


def read():
    """The demo's casework from haringey.json (notes, keys starting "_", dropped)."""
    text = (DATA / "haringey.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


class _Demo:
    def __init__(self, partnership, data):
        self.partnership = partnership
        self.data = data
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.bodies = {b.name: b for b in Body.objects.filter(partnership=partnership)}
        self.orgs = {o.name: o for o in Organisation.objects.all()}
        self.actor = User.objects.filter(username="admin").first()

    def person(self, name, org_name=None, user=None):
        person, _ = Person.objects.get_or_create(
            partnership=self.partnership,
            name=name,
            defaults={"organisation": self.orgs.get(org_name), "user": user},
        )
        return person

    def owner(self, org_name, zone_name="South"):
        posts = self.data["owner_posts"]
        post = posts.get(org_name, self.data["default_owner_post"])
        return self.person(post.format(zone=zone_name), org_name)

    def zone(self, name):
        if name is None:
            return None
        return Zone.objects.filter(partnership=self.partnership, name=name).first()

    def day(self, days):
        return self.today + timedelta(days=days)

    def stage(self, fields):
        """A project stage's fields, its day counts made dates."""
        return {k: self.day(v) if k in DAY_FIELDS else v for k, v in fields.items()}

    def issue(self, body_name, title, **fields):
        """The issue, or None when the case is already on the log."""
        body = self.bodies[body_name]
        # By title and ward, not body: escalation and commissioning move
        # ownership, and every ward's log has the same kinds of issue.
        if Issue.objects.filter(
            partnership=self.partnership, title=title, ward=fields.get("ward")
        ).exists():
            return None
        fields.setdefault("origin", Issue.Origin.PARTNER)
        return services.raise_issue(
            self.partnership, body, self.actor, title=title, **fields
        )

    def case_issue(self, case, **fields):
        """The issue a case in the file describes, or None when on the log."""
        for key in ("theme", "origin", "origin_detail", "location", "restricted"):
            if key in case:
                fields[key] = case[key]
        if "zone" in case:
            fields["zone"] = self.zone(case["zone"])
        return self.issue(
            case["body"], case["title"], description=case["description"], **fields
        )

    def action(
        self, issue, title, org_name, due_in, status=None, note="", zone="South"
    ):
        action = services.add_action(
            issue,
            self.actor,
            title=title,
            owner=self.owner(org_name, zone),
            organisation=self.orgs[org_name],
            due=self.day(due_in),
        )
        if status and status != Action.Status.OPEN:
            services.update_action(
                action, self.actor, note=note or title, status=status
            )
        return action

    def actions(self, issue, specs):
        """The actions a case lists; the first made."""
        made = [
            self.action(
                issue,
                spec["title"],
                spec["organisation"],
                spec["due_in"],
                spec.get("status"),
                spec.get("note", ""),
            )
            for spec in specs
        ]
        return made[0] if made else None

    def age(self, issue, days):
        """Make an issue's history look `days` old (raised then, last touched)."""
        when = self.now - timedelta(days=days)
        Issue.objects.filter(pk=issue.pk).update(raised_at=when, last_activity_at=when)
        issue.events.update(at=when)


def load_casework_demo(partnership):
    """Add the report's cases and a spread across the wards. Idempotent."""
    demo = _Demo(partnership, read())
    if "South Zonal Working group" not in demo.bodies:
        return ["Casework: no South zone group in the structure; nothing added."]
    _user_seats(demo)
    for case in demo.data["cases"]:
        CASES[case["kind"]](demo, case)
    _wards(demo)
    issues = Issue.objects.filter(partnership=partnership)
    return [
        f"Casework: {issues.count()} issues,"
        f" {Action.objects.filter(issue__partnership=partnership).count()} actions,"
        f" {Escalation.objects.filter(issue__partnership=partnership).count()}"
        f" escalations,"
        f" {Project.objects.filter(issue__partnership=partnership).count()}"
        " problem-solving projects."
    ]


def _user_seats(demo):
    for seat in demo.data["user_seats"]:
        user = User.objects.filter(username=seat["user"]).first()
        body = demo.bodies.get(seat["body"])
        if user is None or body is None:
            continue
        org = user.organisation.name if user.organisation else None
        person = demo.person(str(user), org, user)
        Seat.objects.get_or_create(
            body=body,
            person=person,
            defaults={"organisation": user.organisation, "role": seat["role"]},
        )


def _blockage(demo, case):
    """An action stuck on a group's log, escalated, answered and resolved."""
    issue = demo.case_issue(case)
    if issue is None:
        return
    stuck = demo.actions(issue, case["actions"])
    services.update_action(
        stuck, demo.actor, note=case["blocked_note"], status="blocked"
    )
    asked, answer = case["escalation"], case["answer"]
    escalated = demo.now - timedelta(days=asked["days_ago"])
    answered = demo.now - timedelta(days=answer["days_ago"])
    escalation = services.escalate(
        issue, demo.actor, tried=asked["tried"], asked=asked["asked"], at=escalated,
        needed_by=timezone.localdate(escalated)
        + timedelta(days=asked["answer_within_days"]),
        action=stuck,
    )  # fmt: skip
    services.answer_escalation(
        escalation, demo.actor, decision=answer["decision"], answer=answer["answer"],
        task_to=demo.orgs[answer["task_to"]] if answer["task_to"] else None,
        expects=answer["expects"], due=demo.day(answer["due_in"]),
    )  # fmt: skip
    Escalation.objects.filter(pk=escalation.pk).update(answered_at=answered)
    for tasking in issue.taskings.all():
        services.report_back(tasking, demo.actor, case["report_back"])
    for action in issue.actions.live():
        services.update_action(
            action, demo.actor, note=case["done_note"], status="done"
        )
    services.record_update(issue, demo.actor, case["resolved_note"], "resolved")
    demo.age(issue, case["raised_days_ago"])
    closed = demo.now - timedelta(days=case["resolved_days_ago"])
    _date_history(issue, escalated, answered, closed)


def _date_history(issue, escalated, answered, closed):
    """Put a blockage's events in order: raised, escalated, answered (and
    tasked), then reported back and resolved."""
    events = issue.events.order_by("pk")
    escalation = events.filter(kind=IssueEvent.Kind.ESCALATED).first()
    if escalation is None:
        return
    later = events.filter(pk__gt=escalation.pk)
    events.filter(pk=escalation.pk).update(at=escalated)
    answer_kinds = [IssueEvent.Kind.ANSWERED, IssueEvent.Kind.TASKED]
    later.filter(kind__in=answer_kinds).update(at=answered)
    later.exclude(kind__in=answer_kinds).update(at=closed)
    Issue.objects.filter(pk=issue.pk).update(last_activity_at=closed)


def _issue(demo, case):
    """An issue with its actions, raised some days ago (or today)."""
    issue = demo.case_issue(case)
    if issue is None:
        return
    demo.actions(issue, case["actions"])
    if case["raised_days_ago"] is not None:
        demo.age(issue, case["raised_days_ago"])


def _define_and_analyse(demo, project, case):
    """The project's first two stages, as the case gives them."""
    projects.save_project(project, demo.actor, **case["define"])
    projects.advance(project, demo.actor)
    projects.save_project(project, demo.actor, **demo.stage(case["analyse"]))


def _project(demo, case):
    """A problem-solving project taken through to its closing evaluation."""
    ward = demo.bodies[f"{case['ward']} Area Based Working group"].ward
    issue = demo.case_issue(case, ward=ward)
    if issue is None:
        return
    project = projects.start_project(issue, demo.actor, demo.person(case["lead"]))
    _define_and_analyse(demo, project, case)
    projects.advance(project, demo.actor)
    project.partners.set([demo.orgs[name] for name in case["partners"]])
    demo.actions(issue, case["actions"])
    projects.advance(project, demo.actor)
    projects.enter_after(project, demo.actor, **demo.stage(case["after"]))
    projects.save_project(project, demo.actor, assessment=case["assessment"])
    projects.close_project(project, demo.actor, case["close_note"])


def _commission(demo, case):
    """An issue the zone commissions a problem-solving group to work on, its
    baseline counted from the crime data."""
    issue = demo.case_issue(case)
    if issue is None:
        return
    commission = case["commission"]
    services.task(
        issue, demo.bodies[case["body"]], demo.actor,
        to=demo.bodies[commission["to"]], expects=commission["expects"],
        due=demo.day(commission["due_in"]), kind=Tasking.Kind.COMMISSION,
    )  # fmt: skip
    project = issue.project
    project.lead = demo.person(case["lead"])
    _define_and_analyse(demo, project, case)
    last = SourceFile.objects.filter(partnership=demo.partnership).aggregate(
        m=Max("month")
    )["m"]
    if last is None:
        return  # no crime data: the baseline waits, and the project says so
    baseline, aim = case["baseline"], case["aim"]
    first_back, last_back = baseline["months_back"]
    projects.compute_baseline(
        project, demo.actor, categories=baseline["categories"],
        start=add_months(last, -first_back),
        end=add_months(last, -last_back) - date.resolution,
        zone=demo.zone(case["zone"]),
    )  # fmt: skip
    projects.save_project(
        project, demo.actor, aim=round(project.baseline * aim["of_baseline"]),
        aim_text=aim["aim_text"],
        partners=[demo.orgs[name] for name in aim["partners"]],
    )  # fmt: skip
    projects.advance(project, demo.actor)
    demo.actions(issue, case["actions"])


CASES = {
    "blockage": _blockage,
    "issue": _issue,
    "project": _project,
    "commission": _commission,
}


def _wards(demo):
    zones = Zone.objects.filter(partnership=demo.partnership).prefetch_related("wards")
    for zone in zones:
        for ward in zone.wards.all():
            body = demo.bodies.get(f"{ward.name} Area Based Working group")
            if body is not None:
                _ward_issues(demo, body, zone, ward)
    _pending_escalations(demo)


def _ward_issues(demo, body, zone, ward):
    issues, spread = demo.data["ward_issues"], demo.data["ward_spread"]
    rng = random.Random(ward.code)  # the same spread on every load
    chosen = rng.sample(issues[1:], 2)
    if ward.name == spread["always_first_issue"] or rng.random() < 0.5:
        chosen.append(issues[0])  # escalated below, for the zone chair
    for spec in chosen:
        issue = demo.issue(
            body.name,
            spec["title"],
            theme=spec["theme"],
            ward=ward,
            description=spec["description"],
        )
        if issue is None:
            continue
        for action in spec["actions"]:
            due_in = rng.choice(spread["due_in"])
            status = rng.choice(spread["status"])
            note = spread["notes"].get(status)
            demo.action(
                issue, action["title"], action["organisation"], due_in, status, note,
                zone.name,
            )  # fmt: skip
        demo.age(issue, rng.choice(spread["raised_days_ago"]))


def _pending_escalations(demo):
    """An ABW escalation awaiting the South zone, and a zone one awaiting the
    Executive, so the zone chair and the Executive have something to answer."""
    for case in demo.data["pending_escalations"]:
        issue = Issue.objects.filter(
            body=demo.bodies.get(case["body"]), title=case["title"]
        ).first()
        if issue is None or issue.escalations.exists():
            continue
        services.escalate(
            issue, demo.actor, tried=case["tried"], asked=case["asked"],
            needed_by=demo.day(case["needed_in"]),
        )  # fmt: skip


def load_linked_problems_demo(partnership):
    """Link the South zone's ward issues on the same problem as one problem,
    so the zone's oversight shows it as one row. Idempotent."""
    actor = User.objects.filter(username="member").first()
    zone = Zone.objects.filter(partnership=partnership, slug="south").first()
    made = 0
    for link in read()["linked_problems"]:
        if (
            zone is None
            or LinkedProblem.objects.filter(
                partnership=partnership, title=link["title"]
            ).exists()
        ):
            continue
        issues = list(
            Issue.objects.filter(
                partnership=partnership,
                zone=zone,
                title=link["issue_title"],
                problem_link__isnull=True,
            ).select_related("body")
        )
        if len(issues) < 2:
            continue
        link_issues(
            partnership,
            actor,
            issues,
            title=link["title"],
            description=link["description"],
        )
        made += 1
    return [f"Linked problems: {made} added across ward groups."]

"""The demo's casework, from the Zonal Working report (shared/seeds/000):
the Broadwater Farm Estate and Milton Road blockages resolved at the zone,
prostitution tackled with outreach, touting outside Wickes closed after
evaluation, betting-shop ASB commissioned as a problem-solving project; and a
spread of open, overdue and blocked actions across every ward's ABW group.

The cases are the report's facts; the dates, the ward issues and the Wickes
figures are demo assumptions, said so where they show. Dates are relative to
the day the demo is loaded, so what is overdue stays overdue. Idempotent: a
case already on its body's log is left as it is.
"""

import random
from datetime import date, timedelta

from django.db.models import Max
from django.utils import timezone

from csphub.accounts.models import Organisation, User
from csphub.intelligence.models import SourceFile
from csphub.lib.months import add_months
from csphub.places.models import Zone
from csphub.structure.models import Body, Person, Seat

from . import projects, services
from .models import (
    Action,
    Escalation,
    Issue,
    IssueEvent,
    LinkedProblem,
    Project,
    Tasking,
    Theme,
)

DEMO_NOTE = "Demo assumption"
# Demo users who work casework: (username, body, seat role). The member
# persona chairs the South zone (the pilot's "zone chair"); the officer, a
# Neighbourhoods officer, sits on the Tottenham Green ABW group.
USER_SEATS = [
    ("member", "South Zonal Working group", Seat.Role.CHAIR),
    ("officer", "Tottenham Green Area Based Working group", Seat.Role.MEMBER),
]

MPS = "Metropolitan Police Service"
UEE = "Haringey Council – Urban Environment and Enforcement"
CYPS = "Haringey Council – Children and Young People's Service"
WARD_ISSUES = [
    ("Fly-tipping in alleyways behind the high street", Theme.ENVIRONMENT,
     "Repeated dumping of bulky waste; residents report it weekly.",
     [("Clear the alleyways and fit signs", UEE),
      ("Identify the landowner and serve notices", UEE)]),
    ("Young people gathering and ASB at the parade of shops", Theme.ASB,
     "Shopkeepers report intimidation in the evenings.",
     [("Targeted patrols on Friday and Saturday evenings", MPS),
      ("Youth outreach sessions at the parade", CYPS)]),
    ("Street drinking near the park gates", Theme.ASB,
     "Groups drinking through the day; litter and urination.",
     [("Refer drinkers to alcohol services", "Haringey Primary Care Trust"),
      ("Seize alcohol under the controlled drinking zone", MPS)]),
    ("Drug dealing in stairwells on the estate", Theme.DRUGS,
     "Residents report dealing and needles in two stairwells.",
     [("Fit secure doors to the stairwells", "Homes for Haringey"),
      ("Warrant on the suspected address", MPS)]),
    ("Burglary series on residential streets", Theme.BURGLARY,
     "A run of burglaries through rear gardens.",
     [("Crime prevention visits to every house on the streets", MPS),
      ("Alley-gating feasibility", UEE)]),
    ("Poor lighting on the footpath to the station", Theme.ENVIRONMENT,
     "People avoid the path after dark.",
     [("Survey and repair the lighting", UEE)]),
    ("Noise and ASB from a house in multiple occupation", Theme.HOUSING,
     "Neighbours report parties and threats.",
     [("Joint visit by housing enforcement and police", UEE),
      ("Check the HMO licence conditions", UEE)]),
]  # fmt: skip

# Posts that own actions; "{zone}" is the zone of the issue, so each zone's
# own inspector owns its actions (the South zone's owns none in the North).
OWNER_POSTS = {
    "Metropolitan Police Service": "Safer Neighbourhood Team Inspector, {zone}",
    "Haringey Council – Urban Environment and Enforcement": (
        "Urban Environment and Enforcement manager"
    ),
    "Homes for Haringey": "Homes for Haringey estate manager",
    "Haringey Council – Children and Young People's Service": (
        "Children and Young People's Service manager"
    ),
    "Haringey Primary Care Trust": "Primary Care Trust representative",
    "London Probation": "Offender manager, London Probation",
    "Haringey voluntary and community sector": "Outreach worker, voluntary sector",
}


class _Demo:
    def __init__(self, partnership):
        self.partnership = partnership
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
        post = OWNER_POSTS.get(org_name, "Neighbourhood Manager, {zone}")
        return self.person(post.format(zone=zone_name), org_name)

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

    def action(
        self, issue, title, org_name, due_in, status=None, note="", zone="South"
    ):
        action = services.add_action(
            issue,
            self.actor,
            title=title,
            owner=self.owner(org_name, zone),
            organisation=self.orgs[org_name],
            due=self.today + timedelta(days=due_in),
        )
        if status and status != Action.Status.OPEN:
            services.update_action(
                action, self.actor, note=note or title, status=status
            )
        return action

    def age(self, issue, days):
        """Make an issue's history look `days` old (raised then, last touched)."""
        when = self.now - timedelta(days=days)
        Issue.objects.filter(pk=issue.pk).update(raised_at=when, last_activity_at=when)
        issue.events.update(at=when)


def load_casework_demo(partnership):
    """Add the report's cases and a spread across the wards. Idempotent."""
    demo = _Demo(partnership)
    if "South Zonal Working group" not in demo.bodies:
        return ["Casework: no South zone group in the structure; nothing added."]
    _user_seats(demo)
    _broadwater_farm(demo)
    _milton_road(demo)
    _prostitution(demo)
    _wickes(demo)
    _betting_shops(demo)
    _restricted(demo)
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
    for username, body_name, role in USER_SEATS:
        user = User.objects.filter(username=username).first()
        body = demo.bodies.get(body_name)
        if user is None or body is None:
            continue
        org = user.organisation.name if user.organisation else None
        person = demo.person(str(user), org, user)
        Seat.objects.get_or_create(
            body=body,
            person=person,
            defaults={"organisation": user.organisation, "role": role},
        )


def _blockage(demo, body_name, title, theme, actions, tried, asked, answer, decision):
    issue = demo.issue(
        body_name,
        title,
        theme=theme,
        zone=Zone.objects.filter(partnership=demo.partnership, name="South").first(),
        description="An incomplete action the group could not shift, escalated"
        " to the South zone and resolved there (Zonal Working report, case 1).",
    )
    if issue is None:
        return
    stuck = None
    for title_, org, due_in in actions:
        action = demo.action(issue, title_, org, due_in)
        stuck = stuck or action
    services.update_action(
        stuck,
        demo.actor,
        note="No progress: needs a decision above us.",
        status="blocked",
    )
    # Raised 130 days ago; the actions fell due and stuck; escalated 75 days
    # ago with an answer needed two weeks later; answered at 62 days.
    escalated, answered = demo.now - timedelta(days=75), demo.now - timedelta(days=62)
    escalation = services.escalate(
        issue, demo.actor, tried=tried, asked=asked, at=escalated,
        needed_by=timezone.localdate(escalated) + timedelta(days=14), action=stuck,
    )  # fmt: skip
    org = demo.orgs["Haringey Council – Urban Environment and Enforcement"]
    services.answer_escalation(
        escalation, demo.actor, decision=decision, answer=answer,
        task_to=org if decision == Escalation.State.TASKED else None,
        expects="Complete the action and report to the zone.",
        due=demo.today - timedelta(days=40),
    )  # fmt: skip
    Escalation.objects.filter(pk=escalation.pk).update(answered_at=answered)
    for tasking in issue.taskings.all():
        services.report_back(
            tasking, demo.actor, "Done; reported at the zonal meeting."
        )
    for action in issue.actions.live():
        services.update_action(
            action,
            demo.actor,
            note="Completed after the zone's decision.",
            status="done",
        )
    services.record_update(
        issue, demo.actor, "Blockage resolved through Zonal Working.", "resolved"
    )
    demo.age(issue, 130)
    _date_history(issue, escalated, answered, demo.now - timedelta(days=38))


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


def _broadwater_farm(demo):
    _blockage(
        demo,
        "Broadwater Farm Estate problem-solving group",
        "Broadwater Farm Estate: incomplete actions",
        Theme.HOUSING,
        [
            (
                "Repair door entry and CCTV on the estate's blocks",
                "Homes for Haringey",
                -90,
            ),
            ("Joint walkabout with residents", "Metropolitan Police Service", -100),
        ],
        "Homes for Haringey could not fund the repairs from the estate budget.",
        "A decision on funding the repairs, and a date.",
        "The zone secured the funding; Homes for Haringey to complete by the"
        " next meeting.",
        Escalation.State.ACCEPTED,
    )


def _milton_road(demo):
    _blockage(
        demo,
        "Milton Road problem-solving group",
        "Milton Road: incomplete actions",
        Theme.ENVIRONMENT,
        [
            (
                "Remove the abandoned vehicles and close the yard",
                "Metropolitan Police Service",
                -80,
            ),  # noqa: E501
        ],
        "Enforcement notices were not served: no agreed lead between services.",
        "Name the service that serves the notices.",
        "Urban Environment and Enforcement leads; tasked to serve the notices.",
        Escalation.State.TASKED,
    )


def _prostitution(demo):
    south = Zone.objects.filter(partnership=demo.partnership, name="South").first()
    issue = demo.issue(
        "South Zonal Working group",
        "Street prostitution and kerb-crawling",
        theme=Theme.PROSTITUTION,
        zone=south,
        origin=Issue.Origin.BRIEFING,
        origin_detail="Identified as a strategic priority for the South zone",
        description="Coordinated working between police, outreach and drugs"
        " workers (Zonal Working report, case 2).",
    )
    if issue is None:
        return
    demo.action(
        issue, "Operation targeting kerb-crawlers", "Metropolitan Police Service", -120,
        "done", "Operation complete: 25 arrests.",
    )  # fmt: skip
    demo.action(
        issue, "Invite outreach and drugs workers to the zonal meeting",
        "Haringey voluntary and community sector", -100, "done",
        "Outreach and drugs workers attended and agreed joint working with the police.",
    )  # fmt: skip
    demo.action(
        issue, "Joint deployments: outreach guide arrests and divert women out of"
        " prostitution", "Metropolitan Police Service", 30,
    )  # fmt: skip
    demo.age(issue, 12)


def _wickes(demo):
    tottenham_hale = demo.bodies["Tottenham Hale Area Based Working group"].ward
    issue = demo.issue(
        "South Zonal Working group",
        "Touting for work outside Wickes",
        theme=Theme.STREET_TRADING,
        ward=tottenham_hale,
        location="Outside Wickes",
        description="A protracted problem over several years; lots of resources"
        " with little success until the zone coordinated it (Zonal Working"
        " report, case 3).",
    )
    if issue is None:
        return
    project = projects.start_project(
        issue, demo.actor, demo.person("Problem Solving Advisor")
    )
    projects.save_project(
        project, demo.actor,
        problem="People touting for work outside Wickes every morning.",
        evidence="Complaints from the store and customers; SNT patrol counts.",
    )  # fmt: skip
    projects.advance(project, demo.actor)
    projects.save_project(
        project, demo.actor,
        causes="A known pick-up point for casual labour; some touts without the"
        " right to work; no signs or enforcement.",
        place="The store's forecourt and the pavement outside",
        offender="Casual labourers and the people who hire them",
        measure=Project.Measure.OTHER,
        measure_label="People seen touting outside Wickes on a weekday morning"
        " (SNT patrol count, weekly average)",
        source=f"SNT patrol log ({DEMO_NOTE.lower()}: demo figures)",
        baseline=24,
        baseline_from=demo.today - timedelta(days=400),
        baseline_to=demo.today - timedelta(days=310),
        aim=5,
        aim_text="Fewer than 5 people touting on a weekday morning.",
    )  # fmt: skip
    projects.advance(project, demo.actor)
    project.partners.set(
        [demo.orgs["Metropolitan Police Service"],
         demo.orgs["Haringey Council – Urban Environment and Enforcement"],
         demo.orgs["Haringey Council – Economic Regeneration"]]
    )  # fmt: skip
    demo.action(
        issue, "Intelligence-led operation with the UK Border Agency",
        "Metropolitan Police Service", -250, "done", "Operation held.",
    )  # fmt: skip
    demo.action(
        issue, "Signs and communications at the site",
        UEE, -240, "done", "Signs up.",
    )  # fmt: skip
    projects.advance(project, demo.actor)
    projects.enter_after(
        project, demo.actor, after=3,
        start=demo.today - timedelta(days=120), end=demo.today - timedelta(days=30),
    )  # fmt: skip
    projects.save_project(
        project, demo.actor,
        assessment="The evaluation the zone commissioned found touting down from"
        " 24 to 3 a morning, below the aim of 5.",
    )  # fmt: skip
    projects.close_project(
        project,
        demo.actor,
        "Approved by the South Zonal Working group after the evaluation.",
    )


def _betting_shops(demo):
    south = Zone.objects.filter(partnership=demo.partnership, name="South").first()
    issue = demo.issue(
        "South Zonal Working group",
        "ASB and criminal damage at betting shops",
        theme=Theme.CRIMINAL_DAMAGE,
        zone=south,
        origin=Issue.Origin.BRIEFING,
        origin_detail="Zonal intelligence briefing: high levels of ASB and damage",
        description="Identified from intelligence and discussion with partners"
        " (Zonal Working report, case 4).",
    )
    if issue is None:
        return
    ps_group = demo.bodies["Betting shops problem-solving group"]
    services.task(
        issue, demo.bodies["South Zonal Working group"], demo.actor, to=ps_group,
        expects="Evidence, the key premises and causes, and a response plan.",
        due=demo.today + timedelta(days=45), kind=Tasking.Kind.COMMISSION,
    )  # fmt: skip
    project = issue.project
    project.lead = demo.person("Problem Solving Advisor")
    projects.save_project(
        project, demo.actor,
        problem="High levels of ASB and criminal damage at betting shops in the zone.",
        evidence="Police and council records; complaints from shop managers.",
    )  # fmt: skip
    projects.advance(project, demo.actor)
    projects.save_project(
        project, demo.actor,
        causes="Gamblers damaging fixed-odds terminals after losses.",
        place="A handful of key premises on the high roads",
        victim="Betting shop staff and the shops",
    )  # fmt: skip
    last = SourceFile.objects.filter(partnership=demo.partnership).aggregate(
        m=Max("month")
    )["m"]
    if last is None:
        return  # no crime data: the baseline waits, and the project says so
    start, end = add_months(last, -23), add_months(last, -11) - date.resolution
    projects.compute_baseline(
        project, demo.actor,
        categories=["Anti-social behaviour", "Criminal damage and arson"],
        start=start, end=end, zone=south,
    )  # fmt: skip
    projects.save_project(
        project, demo.actor, aim=round(project.baseline * 0.8),
        aim_text="A fifth fewer incidents of ASB and criminal damage in the zone.",
        partners=[demo.orgs["Metropolitan Police Service"],
                  demo.orgs["Haringey Council – Urban Environment and Enforcement"]],
    )  # fmt: skip
    projects.advance(project, demo.actor)
    demo.action(issue, "Meet betting shop operators about terminal damage",
                "Metropolitan Police Service", 14)  # fmt: skip
    demo.action(issue, "Licensing review of the key premises",
                "Haringey Council – Urban Environment and Enforcement", -5)  # fmt: skip


def _restricted(demo):
    issue = demo.issue(
        "Integrated Offender Management Panel",
        "Prolific offender released without housing",
        theme=Theme.HOUSING,
        restricted=True,
        description="Names and intelligence: restricted to the panel's members.",
    )
    if issue is None:
        return
    demo.action(issue, "Find supported housing before release", "London Probation", 3)


def _wards(demo):
    zones = Zone.objects.filter(partnership=demo.partnership).prefetch_related("wards")
    for zone in zones:
        for ward in zone.wards.all():
            body = demo.bodies.get(f"{ward.name} Area Based Working group")
            if body is not None:
                _ward_issues(demo, body, zone, ward)
    _pending_escalations(demo)


def _ward_issues(demo, body, zone, ward):
    rng = random.Random(ward.code)  # the same spread on every load
    chosen = rng.sample(WARD_ISSUES[1:], 2)
    if ward.name == "Tottenham Green" or rng.random() < 0.5:
        chosen.append(WARD_ISSUES[0])  # escalated below, for the zone chair
    for title, theme, description, actions in chosen:
        issue = demo.issue(
            body.name, title, theme=theme, ward=ward, description=description
        )
        if issue is None:
            continue
        for action_title, org in actions:
            due_in = rng.choice([-30, -12, -4, 3, 6, 20, 45])
            status = rng.choice(["open", "open", "open", "blocked", "done"])
            note = {"blocked": "Waiting on another service.", "done": "Done."}.get(
                status
            )
            demo.action(issue, action_title, org, due_in, status, note, zone.name)
        demo.age(issue, rng.choice([2, 5, 9, 20, 35, 50]))


def _pending_escalations(demo):
    """An ABW escalation awaiting the South zone, and a zone one awaiting the
    Executive, so the zone chair and the Executive have something to answer."""
    cases = [
        ("Tottenham Green Area Based Working group",
         "Fly-tipping in alleyways behind the high street",
         "Cleared twice; it returns within a week. The landowner cannot be traced.",
         "Council-funded clearance and alley-gating across the zone."),
        ("South Zonal Working group", "Street prostitution and kerb-crawling",
         "Joint deployments continue but displacement to the North zone is likely.",
         "A borough-wide approach agreed by the Executive."),
    ]  # fmt: skip
    for body_name, title, tried, asked in cases:
        issue = Issue.objects.filter(
            body=demo.bodies.get(body_name), title=title
        ).first()
        if issue is None or issue.escalations.exists():
            continue
        services.escalate(
            issue, demo.actor, tried=tried, asked=asked,
            needed_by=demo.today + timedelta(days=10),
        )  # fmt: skip


LINKED_DEMO = [
    # (issue title on several ward logs, the linked problem, what links them)
    ("Street drinking near the park gates", "Street drinking across the South zone",
     "The same groups move between the parks of neighbouring wards (Zonal Working"
     " terms of reference 3c: link problem solving up across wards)."),
]  # fmt: skip


def load_linked_problems_demo(partnership):
    """Link the South zone's ward issues on the same problem as one problem,
    so the zone's oversight shows it as one row. Idempotent."""
    from .problems import link_issues

    actor = User.objects.filter(username="member").first()
    zone = Zone.objects.filter(partnership=partnership, slug="south").first()
    made = 0
    for title, problem_title, description in LINKED_DEMO:
        if (
            zone is None
            or LinkedProblem.objects.filter(
                partnership=partnership, title=problem_title
            ).exists()
        ):
            continue
        issues = list(
            Issue.objects.filter(
                partnership=partnership,
                zone=zone,
                title=title,
                problem_link__isnull=True,
            ).select_related("body")
        )
        if len(issues) < 2:
            continue
        link_issues(
            partnership, actor, issues, title=problem_title, description=description
        )
        made += 1
    return [f"Linked problems: {made} added across ward groups."]

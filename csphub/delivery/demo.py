"""The delivery part of the demo, as facts from shared/seeds/.

Barnet (003, the Safer Communities review): Table 3's allocated and actual
leads of the eight priorities, Table 2's council spend (2011/12, in pounds
as the table gives them, stored in pence), Table 4's gaps and opportunities,
Table 6's risks, Table 7's dependencies, the IOM and early intervention
projects and the communications plan (4.1.3), and lead agency requirements
(4.2.3.1). Haringey (002, the CSP refresh): three priorities with six
outcomes, named owners and a small plan with two quarters of updates.

Demo assumptions, said where they show: the seeds give no likelihood or
impact for Table 6 (scored here), no owners by name (demo users stand in),
and no dates for Haringey's activities (set relative to today so that the
quarterly cycle has something to show).
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from csphub.accounts.models import Organisation, PartnershipMember, User
from csphub.strategy.models import Priority, Strategy
from csphub.strategy.services import ensure_outcome, set_leads

from . import quarters
from .models import (
    Activity,
    Gap,
    LeadRequirement,
    Milestone,
    Objective,
    OutsideDependency,
    QuarterlyUpdate,
    Risk,
    SpendLine,
)

MET, COUNCIL = "Metropolitan Police Service", "Barnet Council"
PROBATION, CJA = "London Probation", "Criminal Justice Agency"

# Table 3: priority in the demo, the strategy's wording, allocated, actual, note.
TABLE_3 = [
    ("Burglary", "Property Crime – with a focus on burglary", [MET], [MET], ""),
    ("Anti-social behaviour", "Anti-Social Behaviour", [COUNCIL], [COUNCIL], ""),
    (
        "Violent crime and domestic violence",
        "Violent Crime – with a focus on domestic violence",
        [MET],
        [COUNCIL, MET],
        "",
    ),
    (
        "Integrated Offender Management",
        "Developing integrated offender management",
        [PROBATION],
        [COUNCIL],
        "supported by Probation Service and Metropolitan Police",
    ),
    (
        "Early intervention and prevention",
        "Broader, cost-effective early intervention",
        [COUNCIL],
        [COUNCIL],
        "",
    ),
    (
        "Places where offences take place",
        "Focus of joint resources on hot spots",
        [COUNCIL, MET],
        [COUNCIL, MET],
        "",
    ),
    (
        "Repeat victimisation",
        "Supporting those who suffer repeat victimisation",
        [MET, CJA],
        [COUNCIL, MET],
        "",
    ),
    (
        "Building reassurance",
        "Reducing the fear of crime",
        [COUNCIL, MET],
        [COUNCIL, MET],
        "",
    ),
]

# Table 2 (council spend, £): service area -> Property Crime, ASB, DV.
TABLE_2 = [
    ("Community Safety", 195_511, 791_280, 1_052),
    ("Adult Social Care & Health", 0, 168_392, 0),
    ("Trading Standards & Licensing", 26_835, 62_616, 0),
    ("Domestic Violence", 0, 0, 950_157),
    ("Children's Services", 0, 0, 54_308),
    ("Youth Services", 0, 1_294_597, 0),
]
TABLE_2_COLUMNS = [
    "Burglary",
    "Anti-social behaviour",
    "Violent crime and domestic violence",
]
TABLE_2_TOTAL = 3_544_748
SPEND_SOURCE = "Barnet Safer Communities review (2012), Table 2: council spend only"

TABLE_4 = [
    (
        "No single plan for delivery of the strategy exists for the SCPB to monitor"
        " progress against.",
        "Programme management support through the corporate change programme office"
        " to agree a delivery plan with the SCPB and identify clear owners.",
    ),
    (
        "The council has recently lost a dedicated data analyst resource.",
        "Review with partners how resources can be shared to reduce duplication and"
        " make cost savings.",
    ),
    (
        "No partnership communications strategy supports the 'Reducing the fear of"
        " crime' priority.",
        "The delivery and ownership of a communication strategy for the partnership.",
    ),
    (
        "CDG and SCPB lack visibility of operational activities.",
        "Rationalise and streamline reporting lines and set performance-driven"
        " expectations.",
    ),
    (
        "Alcohol-related crime and ASB is a bigger problem than the strategy alludes"
        " to (Members, 21 February).",
        "Collect data for more insight; IOM, early intervention, ASB and the"
        " communications plan could all play a part.",
    ),
    (
        "The strategy does not mention hate crime wider than domestic violence,"
        " perceived as a concern but under-reported.",
        "Identify, in the governance review, how emerging priorities reach the SCPB.",
    ),
]

# Table 6: risk, cause, mitigation; likelihood and impact are demo scores.
TABLE_6 = [
    (
        "Partners may not be engaged fully",
        "Other priorities, or not being on site: engaging the police can be"
        " problematic",
        "Extended opportunities to meet all partners; where engagement is not"
        " forthcoming the sponsor and service director are informed.",
        3,
        4,
    ),
    (
        "Some areas could be missed from the mapping exercise",
        "No clear structure of officers and partners involved in community safety",
        "Information on key officers and partners requested from the CS team; extra"
        " teams or partners mentioned by officers contacted.",
        2,
        3,
    ),
    (
        "Officer engagement could be limited or information inaccurate",
        "Fear for job security in the current climate",
        "The project manager sets out the review's purpose in every meeting.",
        3,
        3,
    ),
    (
        "Officers could expect more than the review will deliver at this stage",
        "Different expectations of the purpose of the review",
        "Senior managers briefed on the expected outputs and told their officers.",
        2,
        2,
    ),
]

# 4.2.3.1: what a lead agency accepts (the demo's wording of the review's ask).
LEAD_REQUIREMENTS = [
    "Own the priority's delivery plan and keep it up to date",
    "Chair, or set up, the partnership-wide group that drives the priority",
    "Give the board a quarterly update on every activity, with RAG and reasons",
    "Escalate blockers to the body that drives the priority",
    "Bring partners into the work and hold them to what they agreed",
    "Report the spend and resources committed to the priority",
]

HARINGEY_OUTCOMES = {
    "Reoffending": [
        "Reduce re-offending by adults (Integrated Offender Management) and by"
        " young people",
        "Reduce violence against women and girls and repeat victimisation",
    ],
    "Prevention": [
        "Prevent gang activity and youth violence",
        "Prevent violent extremism (PREVENT)",
    ],
    "Public confidence": [
        "Improve confidence in policing and in the partnership",
        "Engage young people and BME communities in community safety",
    ],
}
# priority -> (owner username, allocated = actual leads)
HARINGEY_LEADS = {
    "Reoffending": ("iom", [PROBATION, MET]),
    "Prevention": ("officer", ["Haringey Council – Community Safety"]),
    "Public confidence": ("member", [MET]),
}


@transaction.atomic
def load_delivery_demo(haringey, barnet, today=None):
    """Build (or bring up to date) both demo plans. Idempotent."""
    today = today or timezone.localdate()
    orgs = _organisations(barnet)
    _requirements(haringey)
    _requirements(barnet)
    _barnet(barnet, orgs)
    _haringey(haringey, orgs, today)
    return [
        f"Delivery: {Activity.objects.of(haringey).count()} activities in"
        f" {haringey.name}, {Activity.objects.of(barnet).count()} in {barnet.name};"
        f" Barnet's Table 2 spend £{TABLE_2_TOTAL:,} over"
        f" {SpendLine.objects.filter(partnership=barnet).count()} lines."
    ]


def _organisations(barnet):
    cja, _ = Organisation.objects.get_or_create(
        name=CJA, defaults={"kind": Organisation.Kind.OTHER}
    )
    PartnershipMember.objects.get_or_create(partnership=barnet, organisation=cja)
    return {o.name: o for o in Organisation.objects.all()}


def _requirements(partnership):
    for i, text in enumerate(LEAD_REQUIREMENTS, 1):
        LeadRequirement.objects.update_or_create(
            partnership=partnership, text=text, defaults={"order": i}
        )


def _barnet(barnet, orgs):
    priorities = {p.name: p for p in Priority.objects.of(barnet)}
    strategy = Strategy.objects.get(
        partnership=barnet, name="Safer Communities Strategy 2011-2014"
    )
    Strategy.objects.filter(pk=strategy.pk).update(
        starts=date(2011, 4, 1), ends=date(2014, 3, 31)
    )
    owner = User.objects.filter(username="outsider").first()
    for name, wording, allocated, actual, note in TABLE_3:
        priority = priorities[name]
        priority.wording = wording
        priority.save(update_fields=["wording"])
        set_leads(
            priority,
            allocated=[orgs[o] for o in allocated],
            actual=[orgs[o] for o in actual],
            note=note,
            owner=owner if COUNCIL in actual else None,
        )
    council = orgs[COUNCIL]
    for area, *amounts in TABLE_2:
        for column, pounds in zip(TABLE_2_COLUMNS, amounts, strict=True):
            if pounds:
                SpendLine.objects.update_or_create(
                    partnership=barnet,
                    organisation=council,
                    service_area=area,
                    priority=priorities[column],
                    zone=None,
                    year=2011,
                    defaults={
                        "pence": pounds * 100,
                        "source": SPEND_SOURCE,
                        "confidence": SpendLine.Confidence.ESTIMATE,
                    },
                )
    for i, (gap, opportunity) in enumerate(TABLE_4, 1):
        Gap.objects.update_or_create(
            strategy=strategy,
            gap=gap,
            defaults={
                "opportunity": opportunity,
                "order": i,
                "owner": "Safer Communities Partnership Board",
            },
        )
    for i, (risk, cause, mitigation, likelihood, impact) in enumerate(TABLE_6, 1):
        Risk.objects.update_or_create(
            strategy=strategy,
            risk=risk,
            defaults={
                "cause": cause,
                "mitigations": mitigation,
                "order": i,
                "likelihood": likelihood,
                "impact": impact,
                "owner": "Review project manager",
                "last_reviewed": date(2012, 3, 1),
            },
        )
    _barnet_plan(priorities, orgs, owner)


def _activity(priority, objective_title, title, orgs, **fields):
    objective, _ = Objective.objects.get_or_create(
        priority=priority,
        title=objective_title,
        defaults={"order": priority.objectives.count() + 1},
    )
    partners = fields.pop("partners", [])
    activity, created = Activity.objects.get_or_create(
        objective=objective, title=title, defaults=fields
    )
    if created:
        activity.partners.set([orgs[o] for o in partners])
    return activity


def _barnet_plan(priorities, orgs, owner):
    council, met = orgs[COUNCIL], orgs[MET]
    iom = _activity(
        priorities["Integrated Offender Management"],
        "Deliver an integrated offender management service by the end of 2012",
        "Integrated offender management project",
        orgs,
        owner=owner,
        organisation=council,
        kind=Activity.Kind.PROJECT,
        status=Activity.Status.COMPLETE,
        starts=date(2012, 1, 1),
        ends=date(2012, 12, 31),
        partners=[PROBATION, MET],
    )
    Milestone.objects.get_or_create(
        activity=iom,
        name="Functional IOM service with Probation, Police and Prison Service",
        defaults={"due": date(2012, 12, 31), "done_on": date(2012, 12, 14)},
    )
    early = _activity(
        priorities["Early intervention and prevention"],
        "Engage the partnership in the council's early intervention programme",
        "Early intervention project",
        orgs,
        owner=owner,
        organisation=council,
        kind=Activity.Kind.PROJECT,
        status=Activity.Status.COMPLETE,
        starts=date(2012, 4, 1),
        ends=date(2013, 3, 31),
    )
    comms = _activity(
        priorities["Building reassurance"],
        "Produce a partnership communications plan to tackle fear of crime (4.1.3)",
        "Partnership communications plan",
        orgs,
        owner=owner,
        organisation=council,
        kind=Activity.Kind.PROJECT,
        status=Activity.Status.COMPLETE,
        starts=date(2012, 6, 1),
        ends=date(2012, 12, 31),
        partners=[MET],
    )
    cctv = _activity(
        priorities["Places where offences take place"],
        "Identify the most appropriate CCTV system to support community safety",
        "CCTV development",
        orgs,
        owner=owner,
        organisation=council,
        kind=Activity.Kind.PROJECT,
        status=Activity.Status.COMPLETE,
        starts=date(2012, 4, 1),
        ends=date(2013, 3, 31),
        partners=[MET],
    )
    cctv.depends_on.add(comms)  # Members: CCTV with strong communications
    for name in [
        "Burglary",
        "Anti-social behaviour",
        "Violent crime and domestic violence",
        "Repeat victimisation",
    ]:
        lead = met if name in ("Burglary", "Repeat victimisation") else council
        _activity(
            priorities[name],
            "Quarterly review of objectives at the MAOG",
            f"{name}: cyclical activity against the priority plan",
            orgs,
            owner=owner if lead == council else None,
            organisation=lead,
            kind=Activity.Kind.BAU,
            status=Activity.Status.COMPLETE,
            starts=date(2012, 1, 1),
            ends=date(2014, 3, 31),
        )
    # Table 7.
    for activity, project, impact in [
        (
            early,
            "The council-wide early intervention project",
            "The community safety and project teams work closely with it, so resources"
            " are not duplicated and work stream ownership is clear.",
        ),
        (
            iom,
            "Strong partnership working at strategic and operational levels",
            "Without partners' engagement at both levels the success of IOM is"
            " significantly compromised.",
        ),
        (
            comms,
            "Other council services: NSCSO customer services, DRS licensing,"
            " environmental services, parking, policy and performance, housing"
            " (including Barnet Homes), adult social care and health, children's"
            " service",
            "Interface agreements may be required; information flows are picked up with"
            " the Design Authority.",
        ),
    ]:
        OutsideDependency.objects.get_or_create(
            activity=activity, project=project, defaults={"impact": impact}
        )


def _haringey(haringey, orgs, today):
    priorities = {p.name: p for p in Priority.objects.of(haringey)}
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["iom", "officer", "member"])
    }
    for name, outcomes in HARINGEY_OUTCOMES.items():
        priority = priorities[name]
        for i, outcome in enumerate(outcomes, 1):
            ensure_outcome(priority, outcome, order=i)
        owner, leads = HARINGEY_LEADS[name]
        set_leads(
            priority,
            allocated=[orgs[o] for o in leads],
            actual=[orgs[o] for o in leads],
            owner=users[owner],
        )
    _haringey_plan(priorities, orgs, users, today)


def _haringey_plan(priorities, orgs, users, today):
    soon = today + timedelta(days=365)
    neighbourhoods = "Haringey Council – Neighbourhoods"
    plan = [
        # priority, objective, activity, owner, organisation, kind, partners,
        # RAG two quarters ago, RAG last quarter (None: no update, late)
        (
            "Reoffending",
            "Reduce re-offending by the IOM cohort by 40% over four years",
            "Grow the IOM cohort from 70 to 310 cases",
            "iom",
            PROBATION,
            Activity.Kind.PROJECT,
            [MET, "Haringey Council – Community Safety"],
            "green",
            "green",
        ),
        (
            "Reoffending",
            "Reduce re-offending among the Gang Exit caseload",
            "Gang Exit caseload: mentoring and employment support",
            "iom",
            PROBATION,
            Activity.Kind.BAU,
            ["Jobcentre Plus", "Bridge Renewal Trust"],
            "green",
            "amber",
        ),
        (
            "Prevention",
            "A whole-partnership approach to prevention",
            "Co-commission after-school activities for young people",
            "officer",
            neighbourhoods,
            Activity.Kind.PROJECT,
            ["Haringey Council – Children and Young People's Service"],
            "amber",
            "red",
        ),
        (
            "Prevention",
            "A whole-partnership approach to prevention",
            "PREVENT delivery plan (Home Office funded projects)",
            "officer",
            neighbourhoods,
            Activity.Kind.BAU,
            [MET],
            "green",
            "green",
        ),
        (
            "Public confidence",
            "Improve confidence in policing by 10% by 2018",
            "Noel Park project: working with residents on community safety",
            "member",
            MET,
            Activity.Kind.PROJECT,
            [neighbourhoods, "Homes for Haringey"],
            "green",
            "amber",
        ),
        (
            "Public confidence",
            "Root the partnership's work in residents' priorities",
            "Publish what the board decided after every meeting",
            "member",
            MET,
            Activity.Kind.BAU,
            [neighbourhoods],
            "green",
            None,
        ),
    ]
    last = quarters.last_due_quarter(today)
    before = quarters.previous_quarter(last)
    for (
        name,
        objective,
        title,
        owner,
        org,
        kind,
        partners,
        rag_before,
        rag_last,
    ) in plan:
        activity = _activity(
            priorities[name],
            objective,
            title,
            orgs,
            owner=users[owner],
            organisation=orgs[org],
            kind=kind,
            status=Activity.Status.IN_PROGRESS,
            starts=date(2016, 4, 1),
            ends=soon if kind == Activity.Kind.PROJECT else None,
            partners=partners,
        )
        if kind == Activity.Kind.PROJECT:
            Milestone.objects.get_or_create(
                activity=activity,
                name="Plan agreed by the CSP board",
                defaults={"due": date(2016, 6, 30), "done_on": date(2016, 6, 21)},
            )
            Milestone.objects.get_or_create(
                activity=activity,
                name="Mid-point review with partners",
                defaults={"due": last + timedelta(days=30)},
            )  # late: due last quarter, not done
        for quarter, rag in [(before, rag_before), (last, rag_last)]:
            if rag and not activity.updates.filter(quarter=quarter).exists():
                _update(activity, quarter, rag, users[owner])


def _update(activity, quarter, rag, by):
    reason = {
        "green": "",
        "amber": "Slower than planned: partners' staff changes.",
        "red": "The joint budget has not been agreed.",
    }[rag]
    QuarterlyUpdate.objects.create(
        activity=activity,
        quarter=quarter,
        rag=rag,
        reason=reason,
        by=by,
        progress=f"Work continued as planned in {quarters.label(quarter)}.",
        next_quarter="Review with partners at the next board.",
        blockers="Children's Service and Community Safety have not agreed who funds"
        " the activities."
        if rag == "red"
        else "",
    )

"""The demo structures, built from the source documents in shared/seeds/.

Haringey (002: the CSP board, Executive, Performance Management Group and
parallel boards; 000: the Zonal Working pilot, its terms of reference, Area
Based Working in every ward, and the Broadwater Farm, Milton Road and betting
shops problem-solving groups) and Barnet (003, Appendix Three: the delivery-
mechanisms map with its statuses). People are posts the documents name, not
invented individuals. Where a document gives no meeting frequency or length,
the demo assumes monthly meetings of 90 minutes.
"""

from datetime import date

from django.db import transaction
from django.utils.text import slugify

from csphub.accounts.models import Organisation, User
from csphub.places.models import Zone
from csphub.strategy.services import ensure_priority, ensure_strategy

from .models import Body, BodyChange, Person, Seat, TermsOfReference

K, S, F = Body.Kind, Body.Status, TermsOfReference.Frequency
ALWAYS, RELEVANT = Seat.Attendance.ALWAYS, Seat.Attendance.WHEN_RELEVANT

HARINGEY_PRIORITIES = ["Reoffending", "Prevention", "Public confidence"]
BARNET_PRIORITIES = [
    "Early intervention and prevention",
    "Building reassurance",
    "Integrated Offender Management",
    "Violent crime and domestic violence",
    "Burglary",
    "Anti-social behaviour",
    "Places where offences take place",
    "Repeat victimisation",
]

ZONAL_TERMS = {
    "purpose": (
        "A strategic focus for the zone: oversight and accountability for Area"
        " Based Working and problem solving, informed by an intelligence briefing."
    ),
    "functions": (
        "Examine intelligence in the zone and coordinate work; oversee ABW"
        " (monitor action logs, deal with escalated blockages, task issues too"
        " large for ABW); oversee problem solving (monitor the status list,"
        " link up across wards, apply the process to conclusion)."
    ),
    "frequency": F.QUARTERLY,
    "meeting_minutes": 120,
    "chairing": "A chair agreed for each zone",
    "business_route": (
        "Issues raised by the Neighbourhood Manager or recorded in ABW action"
        " logs; the intelligence briefing of emerging and worrying trends."
    ),
    "decisions": (
        "Task and resource issues too large for ABW; commission problem solving."
    ),
    "escalation": "Issues and blockages beyond the zone, to the executive level.",
}

# name: (kind, reports to, priorities, status, since, frequency, minutes, extra)
HARINGEY_BODIES = {
    "Haringey Community Safety Partnership Board": (
        K.STRATEGIC_BOARD,
        None,
        [],
        S.ACTIVE,
        None,
        F.QUARTERLY,
        120,
        {
            "short_name": "CSP Board",
            "purpose": (
                "Align agencies' policies, messages and ways of working on the three"
                " board priorities; take decisions and see partners act on them."
            ),
            "chairing": "Co-chaired by the Cabinet Member and the Borough Commander",
            "business_route": "Agenda planned by the CSP Executive from the highlight"
            " report, sub-groups and parallel boards.",
            "decisions": "Partnership decisions; communications after each item.",
        },
    ),
    "CSP Executive": (
        K.EXECUTIVE,
        "Haringey Community Safety Partnership Board",
        [],
        S.ACTIVE,
        date(2016, 4, 1),
        F.QUARTERLY,
        90,
        {
            "purpose": "Plan and rehearse board agendas; filter business; set"
            " homework questions for each partner.",
            "business_route": (
                "Highlight report from the PMG; sub-groups; parallel boards."
            ),
            "escalation": "Issues needing a whole-partnership decision, to the board.",
        },
    ),
    "Performance Management Group": (
        K.OPERATIONAL,
        "CSP Executive",
        [],
        S.ACTIVE,
        None,
        F.QUARTERLY,
        90,
        {
            "short_name": "PMG",
            "purpose": "Rate every KPI (RAG) and write the"
            " exception-only highlight report for the board.",
            "escalation": "The highlight report, to the Executive.",
        },
    ),
    "Integrated Offender Management Panel": (
        K.OPERATIONAL,
        "CSP Executive",
        ["Reoffending"],
        S.ACTIVE,
        None,
        F.MONTHLY,
        90,
        {
            "restricted": True,
            "purpose": "Joint management of the IOM cohort (restricted: members only).",
        },
    ),
    "PREVENT Board": (
        K.THEMATIC,
        "CSP Executive",
        ["Prevention"],
        S.ACTIVE,
        None,
        F.QUARTERLY,
        90,
        {"purpose": "The national PREVENT agenda in Haringey."},
    ),
    "Health and Wellbeing Board": (
        K.PARALLEL,
        None,
        ["Prevention"],
        S.ACTIVE,
        None,
        F.QUARTERLY,
        120,
        {},
    ),
    "Children's Executive": (
        K.PARALLEL,
        None,
        ["Prevention"],
        S.ACTIVE,
        None,
        F.QUARTERLY,
        120,
        {},
    ),
    "Adults Safeguarding Board": (
        K.PARALLEL,
        None,
        [],
        S.ACTIVE,
        None,
        F.QUARTERLY,
        120,
        {},
    ),
    "Children's Safeguarding Board": (
        K.PARALLEL,
        None,
        [],
        S.ACTIVE,
        None,
        F.QUARTERLY,
        120,
        {},
    ),
}

# person: (organisation, [(body, role, attendance)])
HARINGEY_PEOPLE = {
    "Cabinet Member for Communities": (
        "Haringey Council",
        [("CSP Board", "chair", ALWAYS)],
    ),
    "Borough Commander": (
        "Metropolitan Police Service",
        [("CSP Board", "chair", ALWAYS), ("CSP Executive", "member", ALWAYS)],
    ),
    "Director of Public Health": (
        "Haringey Primary Care Trust",
        [
            ("CSP Board", "member", ALWAYS),
            ("Health and Wellbeing Board", "member", ALWAYS),
        ],
    ),
    "Assistant Chief Officer, Probation": (
        "London Probation",
        [("CSP Board", "member", ALWAYS), ("CSP Executive", "member", ALWAYS)],
    ),
    "Borough Commander, Fire": (
        "London Fire Brigade",
        [("CSP Board", "member", ALWAYS)],
    ),
    "Chief Executive, Homes for Haringey": (
        "Homes for Haringey",
        [("CSP Board", "member", ALWAYS)],
    ),
    "Head of Community Safety": (
        "Haringey Council – Community Safety",
        [
            ("CSP Board", "adviser", ALWAYS),
            ("CSP Executive", "chair", ALWAYS),
            ("PMG", "chair", ALWAYS),
            ("PREVENT Board", "member", ALWAYS),
            ("South zonal", "member", RELEVANT),
        ],
    ),
    "Community Safety Strategy Manager": (
        "Haringey Council – Community Safety",
        [
            ("CSP Board", "secretariat", ALWAYS),
            ("CSP Executive", "secretariat", ALWAYS),
            ("PMG", "member", ALWAYS),
        ],
    ),
    "Partnership Superintendent": (
        "Metropolitan Police Service",
        [
            ("CSP Executive", "member", ALWAYS),
            ("PMG", "member", ALWAYS),
            ("South zonal", "member", ALWAYS),
        ],
    ),
    "Business Intelligence officer": ("Haringey Council", [("PMG", "adviser", ALWAYS)]),
    "Intelligence analyst": (
        "Haringey Council – Community Safety",
        [("PMG", "member", ALWAYS), ("South zonal", "adviser", ALWAYS)],
    ),
    "Neighbourhood Manager, South": (
        "Haringey Council – Neighbourhoods",
        [
            ("South zonal", "secretariat", ALWAYS),
            ("ABW South", "chair", ALWAYS),
            ("Broadwater Farm", "member", ALWAYS),
            ("Milton Road", "member", ALWAYS),
            ("Betting shops", "member", ALWAYS),
        ],
    ),
    "Neighbourhood Manager, North": (
        "Haringey Council – Neighbourhoods",
        [("North zonal", "secretariat", ALWAYS), ("ABW North", "chair", ALWAYS)],
    ),
    "Neighbourhood Manager, West": (
        "Haringey Council – Neighbourhoods",
        [("West zonal", "secretariat", ALWAYS), ("ABW West", "chair", ALWAYS)],
    ),
    "Safer Neighbourhood Team Inspector, South": (
        "Metropolitan Police Service",
        [
            ("South zonal", "member", ALWAYS),
            ("Broadwater Farm", "member", ALWAYS),
            ("Milton Road", "member", ALWAYS),
            ("Betting shops", "member", ALWAYS),
        ],
    ),
    "Problem Solving Advisor": (
        "Metropolitan Police Service",
        [
            ("South zonal", "adviser", ALWAYS),
            ("Broadwater Farm", "adviser", ALWAYS),
            ("Milton Road", "adviser", ALWAYS),
            ("Betting shops", "adviser", ALWAYS),
        ],
    ),
    "Urban Environment and Enforcement manager": (
        "Haringey Council – Urban Environment and Enforcement",
        [
            ("South zonal", "member", ALWAYS),
            ("Betting shops", "member", ALWAYS),
            ("Milton Road", "member", RELEVANT),
        ],
    ),
    "Children and Young People's Service manager": (
        "Haringey Council – Children and Young People's Service",
        [("South zonal", "member", RELEVANT)],
    ),
    "Economic Regeneration officer": (
        "Haringey Council – Economic Regeneration",
        [("South zonal", "member", RELEVANT)],
    ),
    "Adults, Culture and Community Services manager": (
        "Haringey Council – Adults, Culture and Community Services",
        [("South zonal", "member", RELEVANT)],
    ),
    "London Fire Brigade station manager": (
        "London Fire Brigade",
        [("South zonal", "member", RELEVANT)],
    ),
    "Primary Care Trust representative": (
        "Haringey Primary Care Trust",
        [("South zonal", "member", RELEVANT)],
    ),
    "Voluntary sector representative": (
        "Bridge Renewal Trust",
        [("South zonal", "member", RELEVANT)],
    ),
    "Homes for Haringey estate manager": (
        "Homes for Haringey",
        [("Broadwater Farm", "member", ALWAYS)],
    ),
}
# The demo users who hold seats, so restricted bodies have members to test.
HARINGEY_USER_SEATS = {
    "member": [
        ("Integrated Offender Management Panel", "member"),
        ("CSP Executive", "member"),
    ],
    "iom": [("Integrated Offender Management Panel", "chair")],
    "admin": [("CSP Executive", "secretariat")],
}

PROBLEM_SOLVING = {
    "Broadwater Farm Estate problem-solving group": "Incomplete actions escalated"
    " to and resolved through Zonal Working.",
    "Milton Road problem-solving group": "Incomplete actions escalated to and"
    " resolved through Zonal Working.",
    "Betting shops problem-solving group": "Commissioned by the South zonal"
    " meeting: ASB and criminal damage at betting shops (gamblers damaging"
    " terminals).",
}

# Barnet, Appendix Three of 003: name: (kind, reports to, priorities, status,
# frequency, extra). "FIM" direction for burglary, ASB, violence and repeat
# victimisation (3.2.2); the priorities whose lead box repeats the theme name
# (Building Reassurance, Places, Repeat Victimisation) have no group of their
# own, and burglary is led by the police-led operational groups.
EI, BR, IOM, VIO, BUR, ASB, PLA, RV = BARNET_PRIORITIES
BARNET_BODIES = {
    "One Barnet LSP Board": (K.STRATEGIC_BOARD, None, [], S.ACTIVE, F.QUARTERLY, {}),
    "Barnet Safer Communities Partnership Board": (
        K.STRATEGIC_BOARD,
        "One Barnet LSP Board",
        [],
        S.ACTIVE,
        F.QUARTERLY,
        {"short_name": "BSCPB"},
    ),
    "Criminal Justice Board": (K.PARALLEL, None, [], S.ACTIVE, F.QUARTERLY, {}),
    "Multi-Agency Operations Group": (
        K.EXECUTIVE,
        "Barnet Safer Communities Partnership Board",
        [],
        S.ACTIVE,
        F.QUARTERLY,
        {
            "short_name": "MAOG",
            "status_since": date(2012, 1, 1),
            "purpose": "Conduit between the priorities and the SCPB:"
            " task priority owners and coordinate across the partnership.",
        },
    ),
    "Fortnightly Intelligence Meeting": (
        K.OPERATIONAL,
        "Multi-Agency Operations Group",
        [BUR, ASB, VIO, RV],
        S.ACTIVE,
        F.FORTNIGHTLY,
        {
            "short_name": "FIM",
            "purpose": "Police-led"
            " operational tasking: fortnightly review of"
            " short-term trends.",
        },
    ),
    "Early Intervention and Prevention Strategic Board": (
        K.THEMATIC,
        "Multi-Agency Operations Group",
        [EI],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Community Budgets Intensive Family Focus Steering Group": (
        K.OPERATIONAL,
        "Early Intervention and Prevention Strategic Board",
        [EI],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Youth Offending Service Management Board": (
        K.OPERATIONAL,
        "Early Intervention and Prevention Strategic Board",
        [EI],
        S.ACTIVE,
        F.QUARTERLY,
        {},
    ),
    "Youth Services Steering Group for Positive Activities": (
        K.OPERATIONAL,
        "Early Intervention and Prevention Strategic Board",
        [EI],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Community Safety Engagement Group": (
        K.OPERATIONAL,
        "Multi-Agency Operations Group",
        [BR],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Neighbourhood Policing meetings": (
        K.OPERATIONAL,
        "Multi-Agency Operations Group",
        [BR],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Monthly Security Review": (
        K.OPERATIONAL,
        "Multi-Agency Operations Group",
        [BR],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Ward Panels – Resident Focus": (
        K.OPERATIONAL,
        "Multi-Agency Operations Group",
        [BR, ASB, RV],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Integrated Offender Management Project Board": (
        K.THEMATIC,
        "Multi-Agency Operations Group",
        [IOM],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "PPO Board": (
        K.OPERATIONAL,
        "Integrated Offender Management Project Board",
        [IOM],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "IOM Project Team meeting": (
        K.OPERATIONAL,
        "Integrated Offender Management Project Board",
        [IOM],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Project Sponsors update meeting": (
        K.OPERATIONAL,
        "Integrated Offender Management Project Board",
        [IOM],
        S.WHEN_NEEDED,
        F.WHEN_NEEDED,
        {},
    ),
    "Domestic Violence Strategic Board": (
        K.THEMATIC,
        "Multi-Agency Operations Group",
        [VIO],
        S.ACTIVE,
        F.QUARTERLY,
        {},
    ),
    "Domestic Violence Operations Board": (
        K.OPERATIONAL,
        "Domestic Violence Strategic Board",
        [VIO],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Domestic Violence Forum": (
        K.OPERATIONAL,
        "Domestic Violence Strategic Board",
        [VIO],
        S.ACTIVE,
        F.QUARTERLY,
        {},
    ),
    "Domestic Violence Task and Finish Group": (
        K.TASK_AND_FINISH,
        "Domestic Violence Strategic Board",
        [VIO],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Multi-Agency Risk Assessment Conference": (
        K.OPERATIONAL,
        "Domestic Violence Operations Board",
        [VIO, RV],
        S.ACTIVE,
        F.MONTHLY,
        {"short_name": "MARAC"},
    ),
    "Domestic Homicide Review": (
        K.OPERATIONAL,
        "Domestic Violence Strategic Board",
        [VIO],
        S.WHEN_NEEDED,
        F.WHEN_NEEDED,
        {},
    ),
    "Burglary Group": (
        K.OPERATIONAL,
        "Fortnightly Intelligence Meeting",
        [BUR],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Burglary and Robbery Tasking Group": (
        K.OPERATIONAL,
        "Fortnightly Intelligence Meeting",
        [BUR],
        S.ACTIVE,
        F.FORTNIGHTLY,
        {},
    ),
    "Anti-Social Behaviour Management Meeting": (
        K.THEMATIC,
        "Multi-Agency Operations Group",
        [ASB],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Fortnightly LBB Briefing": (
        K.OPERATIONAL,
        "Anti-Social Behaviour Management Meeting",
        [ASB],
        S.ACTIVE,
        F.FORTNIGHTLY,
        {},
    ),
    "ASB Partnership Action Plan meetings": (
        K.OPERATIONAL,
        "Anti-Social Behaviour Management Meeting",
        [ASB],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "Licensing Manager and Police meetings": (
        K.OPERATIONAL,
        "Multi-Agency Operations Group",
        [PLA],
        S.WHEN_NEEDED,
        F.WHEN_NEEDED,
        {"purpose": "Informal meetings between the Licensing Manager and the police."},
    ),
    "Pubwatch": (
        K.OPERATIONAL,
        "Multi-Agency Operations Group",
        [PLA],
        S.DISCONTINUED,
        F.MONTHLY,
        {"reason": "Discontinued due to lack of resources."},
    ),
    "CCTV Project Board": (
        K.OPERATIONAL,
        "Multi-Agency Operations Group",
        [PLA],
        S.START_PENDING,
        F.MONTHLY,
        {"status_since": date(2012, 2, 1)},
    ),
    "Safeguarding Adults Board": (K.PARALLEL, None, [RV], S.ACTIVE, F.QUARTERLY, {}),
    "Safeguarding Children's Board": (
        K.PARALLEL,
        None,
        [RV],
        S.ACTIVE,
        F.QUARTERLY,
        {},
    ),
    "Daily Police Briefings": (
        K.OPERATIONAL,
        "Fortnightly Intelligence Meeting",
        [RV],
        S.ACTIVE,
        F.DAILY,
        {"minutes": 30},
    ),
    "Vulnerable Adults Working Group": (
        K.OPERATIONAL,
        "Safeguarding Adults Board",
        [RV],
        S.ACTIVE,
        F.MONTHLY,
        {},
    ),
    "MAPPA meeting": (K.OPERATIONAL, None, [IOM, VIO], S.ACTIVE, F.MONTHLY, {}),
    "Drugs and Alcohol Strategic Commissioning Group": (
        K.THEMATIC,
        None,
        [IOM, EI],
        S.ACTIVE,
        F.QUARTERLY,
        {"short_name": "DASCG"},
    ),
    "YP Substance Misuse Commissioning Group": (
        K.OPERATIONAL,
        None,
        [EI],
        S.ACTIVE,
        F.QUARTERLY,
        {},
    ),
    "Borough Crime Tasking Group": (
        K.OPERATIONAL,
        "Multi-Agency Operations Group",
        [BUR, ASB, VIO],
        S.ACTIVE,
        F.MONTHLY,
        {"short_name": "BCTG"},
    ),
    "Health and Wellbeing Board": (K.PARALLEL, None, [EI], S.ACTIVE, F.QUARTERLY, {}),
}

# Barnet's posts (3.2: "duplication of membership ... the same colleagues
# attending meetings vertically and horizontally").
BARNET_PEOPLE = {
    "Community Safety Manager": (
        "Barnet Council",
        [
            "Barnet Safer Communities Partnership Board",
            "Multi-Agency Operations Group",
            "Fortnightly Intelligence Meeting",
            "Burglary Group",
            "Burglary and Robbery Tasking Group",
            "Anti-Social Behaviour Management Meeting",
            "Community Safety Engagement Group",
            "Borough Crime Tasking Group",
        ],
    ),
    "Police Partnership Inspector": (
        "Metropolitan Police Service",
        [
            "Multi-Agency Operations Group",
            "Fortnightly Intelligence Meeting",
            "Burglary Group",
            "Burglary and Robbery Tasking Group",
            "Anti-Social Behaviour Management Meeting",
            "Fortnightly LBB Briefing",
            "ASB Partnership Action Plan meetings",
            "Borough Crime Tasking Group",
            "Ward Panels – Resident Focus",
        ],
    ),
    "Police crime analyst": (
        "Metropolitan Police Service",
        [
            "Fortnightly Intelligence Meeting",
            "Burglary Group",
            "Burglary and Robbery Tasking Group",
            "Borough Crime Tasking Group",
        ],
    ),
    "ASB Team Leader": (
        "Barnet Council",
        [
            "Anti-Social Behaviour Management Meeting",
            "Fortnightly LBB Briefing",
            "ASB Partnership Action Plan meetings",
            "Fortnightly Intelligence Meeting",
            "Ward Panels – Resident Focus",
        ],
    ),
    "Barnet Homes ASB Manager": (
        "Barnet Homes",
        [
            "Anti-Social Behaviour Management Meeting",
            "Fortnightly LBB Briefing",
            "ASB Partnership Action Plan meetings",
        ],
    ),
    "Domestic Violence Coordinator": (
        "Barnet Council",
        [
            "Domestic Violence Strategic Board",
            "Domestic Violence Operations Board",
            "Domestic Violence Forum",
            "Multi-Agency Risk Assessment Conference",
            "Domestic Violence Task and Finish Group",
        ],
    ),
    "Police Community Safety Unit Inspector": (
        "Metropolitan Police Service",
        [
            "Domestic Violence Strategic Board",
            "Domestic Violence Operations Board",
            "Domestic Violence Forum",
            "Multi-Agency Risk Assessment Conference",
        ],
    ),
    "Adult Social Care safeguarding lead": (
        "Barnet Council",
        [
            "Domestic Violence Strategic Board",
            "Domestic Violence Operations Board",
            "Multi-Agency Risk Assessment Conference",
            "Vulnerable Adults Working Group",
            "Safeguarding Adults Board",
        ],
    ),
    "Probation manager": (
        "London Probation",
        [
            "Integrated Offender Management Project Board",
            "PPO Board",
            "IOM Project Team meeting",
            "MAPPA meeting",
            "Domestic Violence Operations Board",
        ],
    ),
    "IOM police sergeant": (
        "Metropolitan Police Service",
        [
            "PPO Board",
            "IOM Project Team meeting",
            "Integrated Offender Management Project Board",
        ],
    ),
    "Head of Children's and Youth Services": (
        "Barnet Council",
        [
            "Early Intervention and Prevention Strategic Board",
            "Community Budgets Intensive Family Focus Steering Group",
            "Youth Offending Service Management Board",
            "Youth Services Steering Group for Positive Activities",
        ],
    ),
    "Licensing Manager": (
        "Barnet Council",
        ["Licensing Manager and Police meetings", "CCTV Project Board"],
    ),
    "Jobcentre Plus partnership manager": (
        "Jobcentre Plus",
        [
            "Integrated Offender Management Project Board",
            "Early Intervention and Prevention Strategic Board",
        ],
    ),
    "Policy and Performance officer": (
        "Barnet Council",
        ["Barnet Safer Communities Partnership Board", "Multi-Agency Operations Group"],
    ),
    "Borough Commander": (
        "Metropolitan Police Service",
        [
            "Barnet Safer Communities Partnership Board",
            "One Barnet LSP Board",
            "Criminal Justice Board",
        ],
    ),
}


@transaction.atomic
def load_structure_demo(haringey, barnet):
    """Build (or bring up to date) both demo structures. Idempotent."""
    _haringey(haringey)
    _barnet(barnet)
    return [
        f"Structure: {haringey.bodies.count()} bodies in {haringey.name},"
        f" {barnet.bodies.count()} in {barnet.name}."
    ]


def _priorities(partnership, names, strategy):
    strategy = ensure_strategy(partnership, strategy)
    return {
        name: ensure_priority(partnership, name, order=i + 1, strategy=strategy)
        for i, name in enumerate(names)
    }


class _Builder:
    """Creates bodies and seats once; later runs change nothing."""

    def __init__(self, partnership):
        self.partnership = partnership
        self.bodies = {b.name: b for b in Body.objects.filter(partnership=partnership)}
        self.people = {}
        self.orgs = {o.name: o for o in Organisation.objects.all()}

    def body(
        self,
        name,
        kind,
        *,
        reports_to=None,
        priorities=(),
        status=S.ACTIVE,
        terms=None,
        **fields,
    ):
        body = self.bodies.get(name)
        if body is None:
            body = Body.objects.create(
                partnership=self.partnership,
                name=name,
                slug=slugify(name)[:80],
                kind=kind,
                status=status,
                **fields,
            )
            BodyChange.objects.create(
                body=body,
                kind=BodyChange.Kind.SET_UP,
                on=fields.get("started")
                or fields.get("status_since")
                or date(2012, 1, 1),
                reason=terms.pop("reason", "") if terms else "",
                by_name="demo",
                status_after=status,
            )
            self.bodies[name] = body
        body.reports_to = self.bodies.get(reports_to) if reports_to else None
        body.save(update_fields=["reports_to"])
        body.priorities.set(priorities)
        if body.current_terms_id is None and terms is not None:
            terms.pop("reason", None)
            body.current_terms = TermsOfReference.objects.create(
                body=body,
                version=1,
                change_note="Demo: from the source documents",
                **terms,
            )
            body.save(update_fields=["current_terms"])
        return body

    def seat(self, person, org_name, body, role="member", attendance=ALWAYS, user=None):
        key = person
        if key not in self.people:
            self.people[key], _ = Person.objects.get_or_create(
                partnership=self.partnership,
                name=person,
                defaults={"organisation": self.orgs.get(org_name), "user": user},
            )
        Seat.objects.get_or_create(
            body=body,
            person=self.people[key],
            defaults={
                "organisation": self.orgs.get(org_name),
                "role": role,
                "attendance": attendance,
            },
        )


def _terms(frequency, minutes, extra):
    keys = [
        "purpose",
        "functions",
        "chairing",
        "business_route",
        "decisions",
        "escalation",
        "reason",
    ]
    terms = {k: extra.pop(k) for k in keys if k in extra}
    terms.setdefault("purpose", "")
    return {"frequency": frequency, "meeting_minutes": minutes, **terms}


def _haringey(partnership):
    priorities = _priorities(
        partnership, HARINGEY_PRIORITIES, "Community Safety Strategy (2016 refresh)"
    )
    build = _Builder(partnership)
    alias = {}
    for name, spec in HARINGEY_BODIES.items():
        kind, parent, covers, status, since, freq, minutes, extra = spec
        extra = dict(extra)
        body = build.body(
            name,
            kind,
            reports_to=parent,
            priorities=[priorities[p] for p in covers],
            status=status,
            status_since=since,
            terms=_terms(freq, minutes, extra),
            **extra,
        )
        alias[body.short_name or name] = body
    zones = {
        z.name: z
        for z in Zone.objects.filter(partnership=partnership).prefetch_related("wards")
    }
    for zone_name, zone in sorted(zones.items()):
        pilot = zone_name == "South"
        zonal = build.body(
            f"{zone_name} Zonal Working group",
            K.ZONAL,
            reports_to="CSP Executive",
            zone=zone,
            status=S.ACTIVE if pilot else S.START_PENDING,
            status_since=date(2009, 5, 1) if pilot else date(2009, 10, 1),
            started=date(2009, 5, 1) if pilot else None,
            terms=dict(ZONAL_TERMS),
        )
        alias[f"{zone_name} zonal"] = zonal
        alias[f"ABW {zone_name}"] = []
        for ward in zone.wards.all():
            abw = build.body(
                f"{ward.name} Area Based Working group",
                K.ABW,
                reports_to=zonal.name,
                ward=ward,
                terms=_terms(
                    F.MONTHLY,
                    90,
                    {
                        "purpose": "Raise and resolve issues at Area Assembly level,"
                        " guided by the Area Priority Plan."
                    },
                ),
            )
            alias[f"ABW {zone_name}"].append(abw)
    for name, purpose in PROBLEM_SOLVING.items():
        body = build.body(
            name,
            K.PROBLEM_SOLVING,
            reports_to="South Zonal Working group",
            zone=zones.get("South"),
            terms=_terms(F.MONTHLY, 90, {"purpose": purpose}),
        )
        alias[name.split(" problem")[0].replace(" Estate", "")] = body
    _haringey_seats(build, alias)


def _haringey_seats(build, alias):
    for person, (org, seats) in HARINGEY_PEOPLE.items():
        for target, role, attendance in seats:
            found = alias.get(target)
            for body in found if isinstance(found, list) else [found]:
                if body is not None:
                    build.seat(person, org, body, role, attendance)
    for username, seats in HARINGEY_USER_SEATS.items():
        user = User.objects.filter(username=username).first()
        for name, role in seats if user else []:
            build.seat(
                str(user),
                user.organisation.name if user.organisation else "",
                build.bodies[name],
                role,
                user=user,
            )


def _barnet(partnership):
    priorities = _priorities(
        partnership, BARNET_PRIORITIES, "Safer Communities Strategy 2011-2014"
    )
    build = _Builder(partnership)
    for name, (kind, parent, covers, status, freq, extra) in BARNET_BODIES.items():
        extra = dict(extra)
        minutes = extra.pop("minutes", 90)
        build.body(
            name,
            kind,
            reports_to=parent,
            priorities=[priorities[p] for p in covers],
            status=status,
            terms=_terms(freq, minutes, extra),
            **extra,
        )
    # Reporting lines can point forwards in the table: a second pass sets them.
    for name, (_, parent, *_rest) in BARNET_BODIES.items():
        if parent:
            body = build.bodies[name]
            body.reports_to = build.bodies[parent]
            body.save(update_fields=["reports_to"])
    for person, (org, names) in BARNET_PEOPLE.items():
        for name in names:
            build.seat(person, org, build.bodies[name])

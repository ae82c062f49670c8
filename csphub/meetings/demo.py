"""The demo's meetings, in the shape of the CSP refresh (shared/seeds/002):
three board meetings a year, each themed on one of the board's priorities
(Reoffending, Prevention, Public confidence) and each planned at a CSP
Executive session three weeks before it; and the South zone's monthly
Zonal Working meetings (shared/seeds/000), each opening on the zone's
intelligence briefing.

Dates are relative to the day the demo is loaded, so what is overdue stays
overdue: report-backs, communications and homework in every state (done,
due, overdue). Items, papers and decisions are demo assumptions drawn from
the documents' themes. Idempotent: a partnership with board meetings is left
as it is.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from csphub.accounts.models import Organisation, User
from csphub.structure.models import Body, Person

from . import planning, services
from .models import (
    AgendaItem,
    Attendance,
    Communication,
    Decision,
    Meeting,
    Paper,
    Proposal,
    Question,
)

BOARD = "Haringey Community Safety Partnership Board"
EXECUTIVE = "CSP Executive"
SOUTH = "South Zonal Working group"
MPS = "Metropolitan Police Service"
COUNCIL = "Haringey Council – Community Safety"
NEIGHBOURHOODS = "Haringey Council – Neighbourhoods"
PROBATION = "London Probation"
HEALTH = "Haringey Primary Care Trust"

# (days from today, priority theme, status)
BOARD_MEETINGS = [
    (-150, "Reoffending", Meeting.Status.APPROVED),
    (-30, "Prevention", Meeting.Status.HELD),
    (25, "Public confidence", Meeting.Status.PLANNED),
]

# theme: (decision item, decision sought, decision, organisations reporting back)
THEMES = {
    "Reoffending": (
        "Integrated Offender Management: housing on release",
        "Agree that every partner gives IOM nominals priority for housing and"
        " employment support on release.",
        "Agreed: housing and Jobcentre Plus give the IOM cohort priority"
        " referral; probation reports monthly on accommodation at release.",
        [PROBATION, COUNCIL],
    ),
    "Prevention": (
        "Youth violence: detached youth work in Tottenham",
        "Agree joint funding of detached youth work at the hotspots the"
        " briefing names, and who commissions it.",
        "Agreed: the council commissions detached youth work in Northumberland"
        " Park and Bruce Grove; police share weekly hotspot data.",
        [MPS, NEIGHBOURHOODS],
    ),
    "Public confidence": (
        "Telling residents what the partnership did",
        "Agree a 'you said, we did' cycle after each board meeting.",
        "",
        [],
    ),
}


def _org(name):
    return Organisation.objects.get(name=name)


def _at(days):
    return timezone.localdate() + timedelta(days=days)


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def load_meetings_demo(partnership):
    """Board, Executive and South zone meetings with everything around them."""
    board = Body.objects.filter(partnership=partnership, name=BOARD).first()
    if board is None:
        return []
    if board.meetings.exists():
        return ["Meetings: already loaded."]
    admin = User.objects.filter(username="admin").first()
    executive = Body.objects.get(partnership=partnership, name=EXECUTIVE)
    south = Body.objects.get(partnership=partnership, name=SOUTH)
    board_meetings = []
    for days, theme, status in BOARD_MEETINGS:
        exec_meeting = _meeting(
            executive, days - 21, f"Planning the {theme.lower()} board", status, admin
        )
        meeting = _meeting(board, days, theme, status, admin, public=True)
        _board_business(meeting, theme, admin)
        _executive_business(exec_meeting, meeting, theme, admin)
        board_meetings.append(meeting)
    _approve(board_meetings, admin)
    zone_meetings = []
    for month in range(-11, 2):
        days = month * 30 + 6
        status = Meeting.Status.PLANNED if days > 0 else Meeting.Status.HELD
        if days < -60:
            status = Meeting.Status.APPROVED
        meeting = _meeting(south, days, "", status, admin)
        _zone_business(meeting, admin)
        zone_meetings.append(meeting)
    _approve(zone_meetings, admin)
    upcoming = [m for m in board_meetings + zone_meetings if not m.is_held()]
    for meeting in upcoming:
        planning.gather_proposals(meeting)
    _plan_next_board(board_meetings[-1], admin)
    _operations(south, admin)
    return [
        f"Meetings: {len(board_meetings)} board, {len(board_meetings)} Executive"
        f" and {len(zone_meetings)} South zone meetings, with proposals, homework,"
        " decisions, communications, report-backs and forthcoming operations"
        " (demo assumptions)."
    ]


def _meeting(body, days, title, status, by, public=False):
    meeting = Meeting.objects.create(
        partnership=body.partnership,
        body=body,
        title=title,
        date=_at(days),
        start=time(18, 0) if public else time(10, 0),
        end=time(20, 0),
        place="Civic Centre, Wood Green" if public else "Tottenham Police Station",
        public=public,
        status=Meeting.Status.PLANNED,
        created_by=by,
    )
    services.add_standing_items(meeting)
    if status != Meeting.Status.PLANNED:
        services.publish(meeting, by, send=False)  # the demo sends no mail
    if status in {Meeting.Status.HELD, Meeting.Status.APPROVED}:
        _attendance(meeting)
        _hold(meeting)
    return meeting


def _hold(meeting):
    """As services.mark_held, without its audit line: the demo is no actor."""
    Paper.objects.filter(item__meeting=meeting).update(frozen=True)
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    body = meeting.body
    if body.last_met is None or meeting.date > body.last_met:
        body.last_met = meeting.date
        body.save(update_fields=["last_met"])


def _attendance(meeting):
    states = [
        Attendance.Status.PRESENT,
        Attendance.Status.PRESENT,
        Attendance.Status.APOLOGIES,
        Attendance.Status.PRESENT,
        Attendance.Status.SUBSTITUTE,
        Attendance.Status.ABSENT,
    ]
    for n, seat in enumerate(services.seats_at(meeting)):
        state = states[(n + meeting.date.month) % len(states)]
        Attendance.objects.create(
            meeting=meeting,
            seat=seat,
            status=state,
            substitute="A deputy" if state == Attendance.Status.SUBSTITUTE else "",
        )


def _board_business(meeting, theme, by):
    title, sought, decided, reporting = THEMES[theme]
    item = services.add_item(
        meeting,
        title=title,
        kind=AgendaItem.Kind.DECISION,
        sought=sought,
        lead="CSP Executive",
        minutes=40,
        communities="Residents' panels and the Youth Council, through the"
        " neighbourhood managers before the meeting.",
    )
    Paper.objects.create(
        item=item,
        title=f"{title}: options for the board",
        text=_paper_text(title),
        author="Partnership officer",
        frozen=meeting.is_published(),
    )
    services.add_item(
        meeting,
        title="Partners' delivery against the Community Safety Strategy",
        kind=AgendaItem.Kind.INFORMATION,
        lead="Partnership officer",
        minutes=15,
    )
    exempt = services.add_item(
        meeting,
        title="Serious organised crime: partnership disruption (exempt)",
        kind=AgendaItem.Kind.DISCUSSION,
        lead="Borough Commander",
        minutes=20,
        restricted=True,
    )
    Paper.objects.create(
        item=exempt,
        title="Disruption options (police only)",
        text="Operational detail for members only.",
        restricted=True,
        frozen=meeting.is_published(),
    )
    for n, name in enumerate([MPS, COUNCIL, PROBATION]):
        due = meeting.date - timedelta(days=5)
        # On time, late, or (for a meeting still to come) not yet answered.
        answered = None
        if n == 0 or meeting.is_held():
            answered = due - timedelta(days=2) if n < 2 else due + timedelta(days=3)
        Question.objects.create(
            item=item,
            organisation=_org(name),
            text=f"What will {name} commit to '{title.lower()}', and by when?",
            due=due,
            asked_by=by,
            answer=f"{name}: our commitment is set out for the board."
            if answered
            else "",
            answered_by=by if answered else None,
            answered_at=_moment(answered) if answered else None,
        )
    if meeting.is_held() and decided:
        _decide(meeting, item, decided, reporting, by)


def _decide(meeting, item, text, reporting, by):
    decision = services.record_decision(
        item,
        by,
        text=text,
        proposed_by="Co-chair (Cabinet Member)",
        key=True,
        eia_groups="Age; race; disability",
        eia_impact="Young Black men are over-represented in the cohort and the"
        " hotspots; the decision directs support to them.",
        eia_mitigation="Monitor referrals by ethnicity and age each quarter.",
    )
    owner = Person.objects.filter(partnership=meeting.partnership).first()
    for days, title in [(30, "Draft the commissioning plan"), (75, "Report outcomes")]:
        action = services.add_decision_action(
            decision,
            by,
            title=title,
            owner=owner,
            organisation=_org(COUNCIL),
            due=meeting.date + timedelta(days=days),
        )
        if meeting.date + timedelta(days=days) < timezone.localdate() - timedelta(
            days=30
        ):
            action.status, action.completed_on = "done", action.due
            action.save(update_fields=["status", "completed_on"])
    for n, name in enumerate(reporting):
        report_back = services.owe_report_back(
            decision,
            organisation=_org(name),
            due=meeting.date + timedelta(days=21 + 14 * n),
            governance_body=f"{name} senior leadership team",
        )
        if meeting.date < _at(-100) and n == 0:
            report_back.account = "Adopted by the senior leadership team."
            report_back.written_at = timezone.now() - timedelta(days=60)
            report_back.written_by = by
            report_back.save(update_fields=["account", "written_at", "written_by"])
    Communication.objects.create(
        decision=decision,
        message=f"The partnership agreed: {text[:120]}",
        audience="Residents and local press",
        channels="Press release; council website; social media",
        sender="Council communications team",
        by=meeting.date + timedelta(days=7),
        sent_on=meeting.date + timedelta(days=6) if meeting.date < _at(-100) else None,
    )
    Communication.objects.create(
        decision=decision,
        message="Briefing for ward councillors",
        audience="Ward councillors",
        channels="E-mail",
        sender="Partnership officer",
        by=meeting.date + timedelta(days=45),
    )


def _executive_business(exec_meeting, board_meeting, theme, by):
    item = services.add_item(
        exec_meeting,
        title=f"Rehearse the {theme.lower()} board agenda",
        kind=AgendaItem.Kind.DECISION,
        sought="Agree the board agenda and the homework questions to partners.",
        lead="Partnership officer",
        minutes=45,
    )
    if exec_meeting.is_held():
        Decision.objects.create(
            item=item,
            text=f"Refer the {theme.lower()} options paper to the board for decision.",
            proposed_by="Executive chair",
            refer_to=board_meeting.body,
            recorded_by=by,
        )


def _zone_business(meeting, by):
    item = services.add_item(
        meeting,
        title="Escalations from the Area Based Working groups",
        kind=AgendaItem.Kind.DECISION,
        sought="Decide who takes each blocked issue and task it.",
        lead="Neighbourhood Manager",
        minutes=30,
    )
    services.add_item(
        meeting,
        title="Problem-solving status list",
        kind=AgendaItem.Kind.DISCUSSION,
        lead="Problem-solving adviser",
        minutes=20,
    )
    if meeting.is_held() and meeting.date.month % 3 == 0:
        decision = services.record_decision(
            item,
            by,
            text="Betting shops: police and licensing visit every shop on the"
            " high road; the problem-solving group reports back.",
            proposed_by="Zone chair",
        )
        report_back = services.owe_report_back(
            decision,
            organisation=_org(MPS),
            due=meeting.date + timedelta(days=28),
            governance_body="Tottenham SNT sergeants' meeting",
        )
        if meeting.date < _at(-200):
            services.write_report_back(
                report_back,
                by,
                account="Every shop visited; two licence reviews requested.",
                governance_body=report_back.governance_body,
            )


def _approve(meetings, by):
    held = [m for m in meetings if m.is_held()]
    for earlier, later in zip(held, held[1:], strict=False):
        items = list(earlier.items.filter(restricted=False))
        attendance = list(earlier.attendance.select_related("seat__person"))
        earlier.minutes = services.draft_minutes(earlier, items, attendance)
        earlier.save(update_fields=["minutes"])
        services.approve_minutes(earlier, by, later)
    if held:
        last = held[-1]
        items = list(last.items.filter(restricted=False))
        last.minutes = services.draft_minutes(last, items, [])
        last.status = Meeting.Status.HELD
        last.save(update_fields=["minutes", "status"])


def _plan_next_board(meeting, by):
    """Decide some of the next board's proposals, leave the rest waiting."""
    planning.propose(
        meeting,
        User.objects.filter(username="officer").first(),
        title="Street drinking in Wood Green",
        detail="Residents raise it at every ward panel.",
        kind="discussion",
    )
    states = [
        (Proposal.State.AGENDA, ""),
        (Proposal.State.BRIEFING, "A written briefing is enough: no decision."),
        (Proposal.State.DEFERRED, "Deferred to the next board, on reoffending."),
    ]
    proposals = list(meeting.proposals.order_by("order", "pk"))
    for proposal, (state, reason) in zip(proposals, states, strict=False):
        planning.decide_proposal(proposal, by, state=state, reason=reason)
    if len(proposals) > len(states):
        last = proposals[-1]
        planning.decide_proposal(
            last, by, state=Proposal.State.DECLINED, reason="Take it to the zone."
        )


def _paper_text(title):
    return "\n\n".join(
        [
            f"Purpose. This paper asks the board to decide on {title.lower()}.",
            "Background. The Community Safety Strategy refresh asks the board to"
            " take decisions and see partners act on them; the Executive planned"
            " this item from the performance group's highlight report.",
            "Options. 1. Continue as now. 2. Commission jointly, led by the"
            " council. 3. Pool budgets under a section 75 agreement.",
            "Recommendation. Option 2, with each partner reporting back through"
            " its own governance within six weeks.",
        ]
    )


# (title, kind, organisation, ward, days from today, length, lead, target,
#  restricted): a clash (same ward, overlapping) and a duplicate (same target).
OPERATIONS = [
    ("Op Bruce Grove night-time economy", "police", MPS, "Bruce Grove", 8, 3,
     "Tottenham SNT inspector", "Bruce Grove high road", False),
    ("Licensing and trading standards day", "enforcement", COUNCIL, "Bruce Grove",
     9, 0, "Licensing team leader", "Betting shops on the high road", False),
    ("Op Sycamore (drugs warrants)", "police", MPS, "Tottenham Hale", 12, 1,
     "Detective sergeant", "Stairwell dealing, Tottenham Hale", True),
    ("Summer youth diversion programme", "youth", NEIGHBOURHOODS, "Seven Sisters",
     14, 20, "Youth service manager", "Young people at the parade", False),
    ("Week of action: alleyways", "clean_up", NEIGHBOURHOODS, "Tottenham Green",
     20, 4, "Neighbourhood manager", "Bruce Grove high road", False),
]  # fmt: skip


def _operations(zone_body, by):
    from csphub.places.models import Area

    from .models import Operation

    wards = {w.name: w for w in Area.objects.wards().filter(zones=zone_body.zone)}
    for title, kind, org, ward, days, length, lead, target, restricted in OPERATIONS:
        Operation.objects.create(
            partnership=zone_body.partnership,
            organisation=_org(org),
            kind=kind,
            title=title,
            zone=zone_body.zone,
            ward=wards.get(ward),
            starts=_at(days),
            ends=_at(days + length),
            lead=lead,
            target=target,
            restricted=restricted,
            created_by=by,
        )

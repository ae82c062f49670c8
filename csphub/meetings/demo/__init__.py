"""The demo's meetings, in the shape of the CSP refresh (shared/seeds/002):
three board meetings a year, each themed on one of the board's priorities
(Reoffending, Prevention, Public confidence) and each planned at a CSP
Executive session three weeks before it; and the South zone's monthly
Zonal Working meetings (shared/seeds/000).

What is said at them (items, papers, decisions, homework, communications,
proposals and operations) is data beside this loader, in haringey.json: demo
assumptions drawn from the documents' themes. Dates are relative to the day
the demo is loaded, so what is overdue stays overdue: report-backs,
communications and homework in every state (done, due, overdue).
Idempotent: a partnership with board meetings is left as it is.
"""

import json
from datetime import datetime, time, timedelta
from functools import partial
from pathlib import Path

from django.utils import timezone

from csphub.accounts.models import Organisation, User
from csphub.places.models import Area
from csphub.structure.models import Body, Person

from .. import planning, services
from ..models import Communication, Decision, Meeting, Operation, Paper, Question

DATA = Path(__file__).resolve().parent


def read():
    """The demo's meetings file."""
    return json.loads((DATA / "haringey.json").read_text(encoding="utf-8"))


def _org(name):
    return Organisation.objects.get(name=name)


def _at(days):
    return timezone.localdate() + timedelta(days=days)


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def load_meetings_demo(partnership):
    """Board, Executive and South zone meetings with everything around them."""
    data = read()
    name = data["board"]["body"]
    board = Body.objects.filter(partnership=partnership, name=name).first()
    if board is None:
        return []
    if board.meetings.exists():
        return ["Meetings: already loaded."]
    admin = User.objects.filter(username="admin").first()
    meet = partial(_meeting, by=admin, attendance=data["attendance"])
    spec = data["executive"]
    executive = Body.objects.get(partnership=partnership, name=spec["body"])
    south = Body.objects.get(partnership=partnership, name=data["zone"]["body"])
    board_meetings = []
    for row in data["board"]["meetings"]:
        days, theme = row["days_from_today"], row["theme"]
        status = Meeting.Status(row["status"])
        title = spec["title"].format(theme_lowercase=theme.lower())
        before = days - spec["days_before_board"]
        exec_meeting = meet(executive, spec["meeting"], before, title, status)
        meeting = meet(board, data["board"]["meeting"], days, theme, status)
        _board_business(meeting, data["board"], theme, admin)
        _executive_business(exec_meeting, meeting, spec, theme, admin)
        board_meetings.append(meeting)
    _approve(board_meetings, admin)
    zone_meetings = []
    for month in range(-11, 2):  # monthly, from eleven months ago to next month
        days = month * 30 + 6
        status = Meeting.Status.PLANNED if days > 0 else Meeting.Status.HELD
        if days < -60:
            status = Meeting.Status.APPROVED
        meeting = meet(south, data["zone"]["meeting"], days, "", status)
        _zone_business(meeting, data["zone"], admin)
        zone_meetings.append(meeting)
    _approve(zone_meetings, admin)
    upcoming = [m for m in board_meetings + zone_meetings if not m.is_held()]
    for meeting in upcoming:
        planning.gather_proposals(meeting)
    _plan_next_board(board_meetings[-1], data["next_board"], admin)
    _operations(south, data["operations"]["rows"], admin)
    return [
        f"Meetings: {len(board_meetings)} board, {len(board_meetings)} Executive"
        f" and {len(zone_meetings)} South zone meetings, with proposals, homework,"
        " decisions, communications, report-backs and forthcoming operations"
        " (demo assumptions)."
    ]


def _meeting(body, where, days, title, status, *, by, attendance):
    """A meeting of `body` at the place and times `where` gives."""
    meeting = Meeting.objects.create(
        partnership=body.partnership,
        body=body,
        title=title,
        date=_at(days),
        start=time.fromisoformat(where["start"]),
        end=time.fromisoformat(where["end"]),
        place=where["place"],
        public=where["public"],
        status=Meeting.Status.PLANNED,
        created_by=by,
    )
    services.add_standing_items(meeting)
    if status != Meeting.Status.PLANNED:
        services.publish(meeting, by, send=False)  # the demo sends no mail
    if status in {Meeting.Status.HELD, Meeting.Status.APPROVED}:
        _attendance(meeting, attendance)
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


def _attendance(meeting, spec):
    states = spec["states"]
    for n, seat in enumerate(services.seats_at(meeting)):
        state = states[(n + meeting.date.month) % len(states)]
        meeting.attendance.create(
            seat=seat,
            status=state,
            substitute=spec["substitute"] if state == "substitute" else "",
        )


def _add_item(meeting, spec, **words):
    """An agenda item (and its paper, if it has one) from the file; `words`
    fill the {names} in its texts."""
    fields = {
        key: value.format(**words) if isinstance(value, str) else value
        for key, value in spec.items()
        if key != "paper"
    }
    item = services.add_item(meeting, **fields)
    paper = spec.get("paper")
    if paper:
        Paper.objects.create(
            item=item,
            title=paper["title"].format(**words),
            text="\n\n".join(paper["paragraphs"]).format(**words),
            author=paper.get("author", ""),
            restricted=paper.get("restricted", False),
            frozen=meeting.is_published(),
        )
    return item


def _board_business(meeting, board, theme, by):
    themed = board["themes"][theme]
    title = themed["item"]
    spec = {"title": title, "sought": themed["sought"], **board["theme_item"]}
    item = _add_item(meeting, spec, item=title, item_lowercase=title.lower())
    for other in board["other_items"]:
        _add_item(meeting, other)
    homework = board["homework"]
    for n, name in enumerate(homework["organisations"]):
        due = meeting.date - timedelta(days=homework["days_before"])
        # On time, late, or (for a meeting still to come) not yet answered.
        answered = None
        if n == 0 or meeting.is_held():
            answered = due - timedelta(days=2) if n < 2 else due + timedelta(days=3)
        words = {"organisation": name, "item_lowercase": title.lower()}
        Question.objects.create(
            item=item,
            organisation=_org(name),
            text=homework["question"].format(**words),
            due=due,
            asked_by=by,
            answer=homework["answer"].format(**words) if answered else "",
            answered_by=by if answered else None,
            answered_at=_moment(answered) if answered else None,
        )
    if meeting.is_held() and themed["decision"]:
        _decide(meeting, item, themed, board["decision"], by)


def _decide(meeting, item, themed, spec, by):
    text = themed["decision"]
    fields = ("proposed_by", "key", "eia_groups", "eia_impact", "eia_mitigation")
    decision = services.record_decision(
        item, by, text=text, **{name: spec[name] for name in fields}
    )
    owner = Person.objects.filter(partnership=meeting.partnership).first()
    actions = spec["actions"]
    for row in actions["rows"]:
        due = meeting.date + timedelta(days=row["days_after"])
        action = services.add_decision_action(
            decision,
            by,
            title=row["title"],
            owner=owner,
            organisation=_org(actions["organisation"]),
            due=due,
        )
        if due < timezone.localdate() - timedelta(days=30):
            action.status, action.completed_on = "done", action.due
            action.save(update_fields=["status", "completed_on"])
    report = spec["report_back"]
    for n, name in enumerate(themed["report_back_from"]):
        report_back = services.owe_report_back(
            decision,
            organisation=_org(name),
            due=meeting.date
            + timedelta(days=report["days_after"] + report["days_between"] * n),
            governance_body=report["governance_body"].format(organisation=name),
        )
        if meeting.date < _at(-100) and n == 0:
            report_back.account = report["account"]
            report_back.written_at = timezone.now() - timedelta(days=60)
            report_back.written_by = by
            report_back.save(update_fields=["account", "written_at", "written_by"])
    long_ago = meeting.date < _at(-100)
    for row in spec["communications"]["rows"]:
        sent = row["sent_days_after"]
        Communication.objects.create(
            decision=decision,
            message=row["message"].format(decision=text[:120]),
            audience=row["audience"],
            channels=row["channels"],
            sender=row["sender"],
            by=meeting.date + timedelta(days=row["days_after"]),
            sent_on=meeting.date + timedelta(days=sent)
            if long_ago and sent is not None
            else None,
        )


def _executive_business(exec_meeting, board_meeting, spec, theme, by):
    item = _add_item(exec_meeting, spec["item"], theme_lowercase=theme.lower())
    if exec_meeting.is_held():
        Decision.objects.create(
            item=item,
            text=spec["decision"]["text"].format(theme_lowercase=theme.lower()),
            proposed_by=spec["decision"]["proposed_by"],
            refer_to=board_meeting.body,
            recorded_by=by,
        )


def _zone_business(meeting, zone, by):
    item, *_ = [_add_item(meeting, spec) for spec in zone["items"]]
    spec = zone["decision"]
    if meeting.is_held() and meeting.date.month % 3 == 0:
        decision = services.record_decision(
            item, by, text=spec["text"], proposed_by=spec["proposed_by"]
        )
        report = spec["report_back"]
        report_back = services.owe_report_back(
            decision,
            organisation=_org(report["organisation"]),
            due=meeting.date + timedelta(days=report["days_after"]),
            governance_body=report["governance_body"],
        )
        if meeting.date < _at(-200):
            services.write_report_back(
                report_back,
                by,
                account=report["account"],
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


def _plan_next_board(meeting, spec, by):
    """Decide some of the next board's proposals, leave the rest waiting."""
    proposal = spec["proposal"]
    planning.propose(
        meeting,
        User.objects.filter(username=proposal["by"]).first(),
        title=proposal["title"],
        detail=proposal["detail"],
        kind=proposal["kind"],
    )
    states = spec["decisions"]
    proposals = list(meeting.proposals.order_by("order", "pk"))
    for proposal, row in zip(proposals, states, strict=False):
        planning.decide_proposal(proposal, by, state=row["state"], reason=row["reason"])
    if len(proposals) > len(states):
        planning.decide_proposal(
            proposals[-1], by, state="declined", reason=spec["declined"]
        )


def _operations(zone_body, rows, by):
    wards = {w.name: w for w in Area.objects.wards().filter(zones=zone_body.zone)}
    for row in rows:
        Operation.objects.create(
            partnership=zone_body.partnership,
            organisation=_org(row["organisation"]),
            kind=row["kind"],
            title=row["title"],
            zone=zone_body.zone,
            ward=wards.get(row["ward"]),
            starts=_at(row["days_from_today"]),
            ends=_at(row["days_from_today"] + row["length"]),
            lead=row["lead"],
            target=row["target"],
            restricted=row["restricted"],
            created_by=by,
        )

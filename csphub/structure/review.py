"""The structure review: findings from the data alone.

Plain functions over lists already read from the database (bodies with their
priorities and current terms, current seats with person and organisation), so
the review costs the same few queries however large the structure is.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from .models import Body

KINDS = [
    "busy_member",
    "membership_overlap",
    "priority_without_strategic_body",
    "duplicate_coverage",
    "no_reporting_line",
    "reporting_cycle",
    "task_and_finish_overdue",
    "task_and_finish_no_end",
    "terms_incomplete",
    "pending_too_long",
    "not_meeting",
    "lead_gap",  # from the delivery plan, through hooks.py
    "meeting_effectiveness",
]
KIND_LABELS = {
    "busy_member": "People and organisations on many bodies",
    "membership_overlap": "Bodies whose membership overlaps",
    "priority_without_strategic_body": "Priorities with no strategic body of their own",
    "duplicate_coverage": "Bodies covering the same priority at the same level",
    "no_reporting_line": "Bodies that report to nobody",
    "reporting_cycle": "Reporting lines that go round in a circle",
    "task_and_finish_overdue": "Task-and-finish groups past their end date",
    "task_and_finish_no_end": "Task-and-finish groups with no end date",
    "terms_incomplete": "Terms of reference missing their purpose, membership or"
    " reporting line",
    "pending_too_long": "Bodies 'start pending' for months",
    "not_meeting": "Bodies that have not met within their stated frequency",
    "lead_gap": "Priorities led in practice by others than the allocated lead",
    "meeting_effectiveness": "Bodies whose meetings decide little or are poorly"
    " attended (from their meetings)",
}

# Thresholds, stated on the review page.
BUSY_SEATS = 4  # a person on this many current bodies or more is busy
BUSY_ORGANISATION_SHARE = 0.75  # an organisation on this share of bodies...
BUSY_ORGANISATION_MIN = 6  # ...and on at least this many
OVERLAP_SHARE = 0.6  # shared people / members of the smaller body
OVERLAP_MIN_PEOPLE = 3
PENDING_DAYS = 90
# A strategic body is a priority's "own" when it covers at most this share of
# the partnership's priorities: a board for everything is no priority's own.
OWN_PRIORITY_SHARE = 0.5


@dataclass
class ReviewFinding:
    """One thing the review found."""

    kind: str
    key: str
    detail: str
    bodies: list = field(default_factory=list)
    people: list = field(default_factory=list)
    saving_hours_per_year: float = 0.0

    @classmethod
    def of_body(cls, kind, body, detail, **more):
        """A finding about one body, keyed by its kind and the body."""
        key = f"{kind}:{body.slug}"
        return cls(kind=kind, key=key, detail=detail, bodies=[body], **more)

    @property
    def body_list(self):
        return self.bodies

    def as_json(self):
        return {
            "kind": self.kind,
            "bodies": [b.name for b in self.bodies],
            "people": list(self.people),
            "detail": self.detail,
            "saving_hours_per_year": round(self.saving_hours_per_year, 1),
        }


@dataclass
class StructureData:
    """What a review reads: current bodies, their current seats, priorities."""

    bodies: list
    seats: list
    priorities: list
    all_bodies: list = field(default_factory=list)

    def seats_by_body(self):
        out = defaultdict(list)
        for seat in self.seats:
            out[seat.body_id].append(seat)
        return out


def seat_hours(seat, body):
    """Person-hours a year one seat costs: meetings x length x attendance."""
    return body.meetings_a_year() * body.hours_a_meeting() * seat.attendance_share()


def body_hours(body, seats):
    return sum(seat_hours(s, body) for s in seats)


def cost_by_organisation(data):
    """[(organisation name, person-hours a year)], largest first."""
    by_id = {b.pk: b for b in data.bodies}
    totals = Counter()
    for seat in data.seats:
        name = seat.organisation.name if seat.organisation else "No organisation"
        totals[name] += seat_hours(seat, by_id[seat.body_id])
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))


def review(data, today):
    """Every finding, in KINDS order."""
    findings = []
    for check in (
        busy_members,
        busy_organisations,
        membership_overlaps,
        priorities_without_strategic_body,
        duplicate_coverage,
        no_reporting_line,
        reporting_cycles,
    ):
        findings += check(data)
    findings += overdue_and_pending(data, today)
    findings += no_end_date(data)
    findings += terms_incomplete(data)
    findings += not_meeting(data, today)
    return sorted(findings, key=lambda f: KINDS.index(f.kind))


def busy_members(data):
    by_id = {b.pk: b for b in data.bodies}
    seats_of = defaultdict(list)
    for seat in data.seats:
        seats_of[seat.person_id].append(seat)
    findings = []
    for seats in seats_of.values():
        bodies = {s.body_id for s in seats}
        if len(bodies) < BUSY_SEATS:
            continue
        person = seats[0].person
        costs = sorted((seat_hours(s, by_id[s.body_id]) for s in seats), reverse=True)
        total = sum(costs)
        # Saved if they kept their (BUSY_SEATS - 1) costliest seats and sent
        # a deputy, or nobody, to the rest.
        saving = sum(costs[BUSY_SEATS - 1 :])
        findings.append(
            ReviewFinding(
                kind="busy_member",
                key=f"busy_member:person:{person.name}",
                detail=(
                    f"{person.name} sits on {len(bodies)} bodies,"
                    f" {total:.0f} hours of meetings a year."
                ),
                bodies=sorted((by_id[i] for i in bodies), key=lambda b: b.name),
                people=[person.name],
                saving_hours_per_year=saving,
            )
        )
    return findings


def busy_organisations(data):
    if len(data.bodies) < BUSY_ORGANISATION_MIN:
        return []
    by_id = {b.pk: b for b in data.bodies}
    bodies_of = defaultdict(set)
    hours_of = Counter()
    names = {}
    for seat in data.seats:
        if seat.organisation_id is None:
            continue
        bodies_of[seat.organisation_id].add(seat.body_id)
        hours_of[seat.organisation_id] += seat_hours(seat, by_id[seat.body_id])
        names[seat.organisation_id] = seat.organisation.name
    findings = []
    for org_id, bodies in bodies_of.items():
        share = len(bodies) / len(data.bodies)
        if len(bodies) < BUSY_ORGANISATION_MIN or share < BUSY_ORGANISATION_SHARE:
            continue
        findings.append(
            ReviewFinding(
                kind="busy_member",
                key=f"busy_member:organisation:{names[org_id]}",
                detail=(
                    f"{names[org_id]} holds seats on {len(bodies)} of"
                    f" {len(data.bodies)} bodies ({share:.0%}),"
                    f" {hours_of[org_id]:.0f} person-hours of meetings a year."
                ),
                bodies=sorted((by_id[i] for i in bodies), key=lambda b: b.name),
            )
        )
    return findings


def membership_overlaps(data):
    by_id = {b.pk: b for b in data.bodies}
    members = defaultdict(set)
    names = {}
    for seat in data.seats:
        members[seat.body_id].add(seat.person_id)
        names[seat.person_id] = seat.person.name
    shared = Counter()
    bodies_of = defaultdict(set)
    for body_id, people in members.items():
        for person_id in people:
            bodies_of[person_id].add(body_id)
    for body_ids in bodies_of.values():
        for pair in combinations(sorted(body_ids), 2):
            shared[pair] += 1
    seats_of = data.seats_by_body()
    findings = []
    for (a, b), count in shared.items():
        smaller = min(len(members[a]), len(members[b]))
        share = count / smaller
        if count < OVERLAP_MIN_PEOPLE or share < OVERLAP_SHARE:
            continue
        both = members[a] & members[b]
        first, second = sorted((by_id[a], by_id[b]), key=lambda x: x.name)
        # Saved if the shared people met once, not twice: the cheaper
        # body's hours for them.
        saving = min(
            sum(seat_hours(s, by_id[i]) for s in seats_of[i] if s.person_id in both)
            for i in (a, b)
        )
        people = sorted(names[p] for p in both)
        findings.append(
            ReviewFinding(
                kind="membership_overlap",
                key=f"membership_overlap:{first.slug}:{second.slug}",
                detail=(
                    f"{first.name} and {second.name} share {count} people,"
                    f" {share:.0%} of the smaller body's members: "
                    + ", ".join(people)
                    + "."
                ),
                bodies=[first, second],
                people=people,
                saving_hours_per_year=saving,
            )
        )
    return sorted(findings, key=lambda f: -f.saving_hours_per_year)


def _own_limit(data):
    return max(1, int(len(data.priorities) * OWN_PRIORITY_SHARE))


def priorities_without_strategic_body(data):
    limit = _own_limit(data)
    findings = []
    for priority in data.priorities:
        covering = [
            b for b in data.bodies if priority in b.priorities.all() and b.is_current()
        ]
        own = [
            b
            for b in covering
            if b.level == Body.Level.STRATEGIC
            and b.kind != Body.Kind.PARALLEL
            and len(b.priorities.all()) <= limit
            and b.status != Body.Status.START_PENDING
        ]
        if own:
            continue
        if covering:
            led = "; covered only by " + ", ".join(
                f"{b.name} ({b.get_level_display().lower()})" for b in covering
            )
        else:
            led = "; no body covers it"
        findings.append(
            ReviewFinding(
                kind="priority_without_strategic_body",
                key=f"priority_without_strategic_body:{priority.slug}",
                detail=f"{priority.name} has no strategic body of its own{led}.",
                bodies=covering,
            )
        )
    return findings


def priority_gaps(bodies, priorities):
    """The priorities with no strategic body of their own among the current
    `bodies` (the structure map marks them), matched by the finding's key."""
    data = StructureData([b for b in bodies if b.is_current()], [], priorities)
    found = {f.key for f in priorities_without_strategic_body(data)}
    return [
        p for p in priorities if f"priority_without_strategic_body:{p.slug}" in found
    ]


def duplicate_coverage(data):
    seats_of = data.seats_by_body()
    groups = defaultdict(list)
    for body in data.bodies:
        if body.status != Body.Status.ACTIVE or body.kind == Body.Kind.PARALLEL:
            continue
        for priority in body.priorities.all():
            groups[(priority, body.level, body.area_key(), body.reports_to_id)].append(
                body
            )
    findings = []
    for (priority, level, _, _), bodies in groups.items():
        if len(bodies) < 2:
            continue
        bodies = sorted(bodies, key=lambda b: b.name)
        costs = sorted((body_hours(b, seats_of[b.pk]) for b in bodies), reverse=True)
        findings.append(
            ReviewFinding(
                kind="duplicate_coverage",
                key=f"duplicate_coverage:{priority.slug}:{level}:"
                + ",".join(b.slug for b in bodies),
                detail=(
                    f"{len(bodies)} {level} bodies cover {priority.name}"
                    f" ({bodies[0].area_label().lower()}),"
                    f" reporting to {_parent_name(bodies[0])}: "
                    + ", ".join(b.name for b in bodies)
                    + "."
                ),
                bodies=bodies,
                saving_hours_per_year=sum(costs[1:]),
            )
        )
    return findings


def _parent_name(body):
    return body.reports_to.name if body.reports_to_id else "no body"


def no_reporting_line(data):
    return [
        ReviewFinding.of_body(
            "no_reporting_line",
            b,
            f"{b.name} ({b.get_kind_display().lower()}) reports to no body.",
        )
        for b in data.bodies
        if b.reports_to_id is None and b.kind not in Body.TOP_KINDS and b.is_current()
    ]


def reporting_cycles(data):
    """Cycles in reporting lines; each body reports to at most one, so each
    cycle is found by walking up from every body once."""
    every = {b.pk: b for b in (data.all_bodies or data.bodies)}
    seen, findings = set(), []
    for start in every:
        path, node = [], start
        while node is not None and node not in seen and node not in path:
            path.append(node)
            node = every[node].reports_to_id if node in every else None
        if node is not None and node in path:
            cycle = [every[i] for i in path[path.index(node) :]]
            names = " → ".join(b.name for b in cycle) + f" → {cycle[0].name}"
            findings.append(
                ReviewFinding(
                    kind="reporting_cycle",
                    key="reporting_cycle:" + ",".join(sorted(b.slug for b in cycle)),
                    detail=f"Reporting lines go round in a circle: {names}.",
                    bodies=cycle,
                )
            )
        seen.update(path)
    return findings


def overdue_and_pending(data, today):
    seats_of = data.seats_by_body()
    findings = []
    for b in data.bodies:
        if b.is_overdue(today):
            owed = f" It owes: {b.output_owed}" if b.output_owed else ""
            findings.append(
                ReviewFinding.of_body(
                    "task_and_finish_overdue",
                    b,
                    (
                        f"{b.name} was due to finish on {b.end_date:%d %B %Y},"
                        f" {(today - b.end_date).days} days ago.{owed}"
                    ),
                    saving_hours_per_year=body_hours(b, seats_of[b.pk]),
                )
            )
        days = b.days_pending(today)
        if days is not None and days >= PENDING_DAYS:
            findings.append(
                ReviewFinding.of_body(
                    "pending_too_long",
                    b,
                    (
                        f"{b.name} has been 'start pending' since"
                        f" {b.status_since:%d %B %Y} ({days // 30} months)."
                    ),
                )
            )
    return findings


def not_meeting(data, today):
    findings = []
    for b in data.bodies:
        late = b.meeting_overdue_by(today)
        if late is None:
            continue
        findings.append(
            ReviewFinding.of_body(
                "not_meeting",
                b,
                (
                    f"{b.name} meets {b.current_terms.get_frequency_display().lower()}"
                    f" but last met on {b.last_met:%d %B %Y}."
                ),
            )
        )
    return findings


def no_end_date(data):
    """Task-and-finish groups with no end date: a group meant to finish that
    has no date to finish by (one imported or set up before it was required)."""
    return [
        ReviewFinding.of_body(
            "task_and_finish_no_end",
            b,
            f"{b.name} is a task-and-finish group with no end date.",
        )
        for b in data.bodies
        if b.kind == Body.Kind.TASK_AND_FINISH and b.end_date is None
    ]


def missing_from_terms(body, seats):
    """What a body's terms of reference lack: its purpose, its membership
    (no current seats), or its reporting line (nobody it reports to and no
    statement of what it escalates to whom). [] when complete."""
    terms = body.current_terms
    missing = []
    if terms is None or not terms.purpose.strip():
        missing.append("purpose")
    if not seats:
        missing.append("membership")
    top = body.kind in Body.TOP_KINDS
    stated = terms is not None and terms.escalation.strip()
    if not top and body.reports_to_id is None and not stated:
        missing.append("reporting line")
    return missing


def terms_incomplete(data):
    seats_of = data.seats_by_body()
    findings = []
    for b in data.bodies:
        if b.kind == Body.Kind.PARALLEL:
            continue  # another partnership keeps its terms
        missing = missing_from_terms(b, seats_of[b.pk])
        if not missing:
            continue
        what = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "")
        findings.append(
            ReviewFinding.of_body(
                "terms_incomplete",
                b,
                (
                    f"{b.name}'s terms of reference"
                    f"{'' if b.current_terms_id else ' (none recorded)'}"
                    f" lack its {what}{missing[-1]}."
                ),
            )
        )
    return findings

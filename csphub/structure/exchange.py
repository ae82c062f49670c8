"""Bodies and seats as CSV (export and all-or-nothing import, errors by
line) and as Popolo-style JSON (organizations, posts, memberships)."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.text import slugify

from csphub.accounts.models import AuditEntry, Organisation, User
from csphub.accounts.services import audit
from csphub.lib.csvtext import csv_error_line
from csphub.lib.digits import is_digits
from csphub.places.models import Area, Zone
from csphub.strategy.models import Priority

from . import services
from .models import Body, Seat, TermsOfReference

BODY_COLUMNS = [
    "slug",
    "name",
    "kind",
    "level",
    "status",
    "status_since",
    "reports_to",
    "priorities",
    "zone",
    "ward",
    "restricted",
    "end_date",
    "output_owed",
    "frequency",
    "meeting_minutes",
    "purpose",
]
SEAT_COLUMNS = [
    "body",
    "person",
    "username",
    "organisation",
    "role",
    "attendance",
    "started",
    "ended",
]
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


class ImportError_(Exception):
    """A file that loads nothing; `errors` are 'line N: column: what'."""

    def __init__(self, errors):
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


def _d(value):
    return value.isoformat() if value else ""


def bodies_rows(bodies):
    """Rows of the bodies CSV (the same columns the import reads)."""
    yield BODY_COLUMNS
    for b in bodies:
        terms = b.current_terms
        yield [
            b.slug,
            b.name,
            b.kind,
            b.level,
            b.status,
            _d(b.status_since),
            b.reports_to.slug if b.reports_to_id else "",
            ";".join(p.slug for p in b.priorities.all()),
            b.zone.slug if b.zone_id else "",
            b.ward.code if b.ward_id else "",
            "yes" if b.restricted else "no",
            _d(b.end_date),
            b.output_owed,
            terms.frequency if terms else "",
            terms.meeting_minutes if terms else "",
            terms.purpose if terms else "",
        ]


def seats_rows(seats):
    yield SEAT_COLUMNS
    for s in seats:
        yield [
            s.body.slug,
            s.person.name,
            s.person.user.username if s.person.user_id else "",
            s.organisation.name if s.organisation_id else "",
            s.role,
            s.attendance,
            _d(s.started),
            _d(s.ended),
        ]


# Import --------------------------------------------------------------------


@dataclass
class _Reader:
    """Reads one CSV, gathering every error with its line and column."""

    text: str
    required: list
    errors: list = field(default_factory=list)

    def rows(self):
        """(line, {column: text}) for each non-blank row; [] with an error
        recorded when the header or the file is wrong."""
        reader = csv.DictReader(io.StringIO(self.text))
        try:
            return self._rows(reader)
        except csv.Error as e:  # e.g. a field over csv.field_size_limit()
            line = csv_error_line(self.text, reader)
            self.errors.append(f"line {line}: not readable as CSV ({e})")
            return []

    def _rows(self, reader):
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in self.required if c not in header]
        if missing:
            self.errors.append(
                "line 1: the header lacks the column"
                f"{'s' if len(missing) > 1 else ''} " + ", ".join(missing)
            )
            return []
        reader.fieldnames = header
        rows = []
        for row in reader:
            if any((v or "").strip() for v in row.values() if isinstance(v, str)):
                clean = {k: (v or "").strip() for k, v in row.items() if k}
                rows.append((reader.line_num, clean))
        if not rows:
            self.errors.append("line 2: the file has no rows after the header")
        return rows

    def error(self, line, column, message):
        self.errors.append(f"line {line}: {column}: {message}")

    def choice(self, line, row, column, choices, default=""):
        value = row.get(column, "") or default
        if value not in choices:
            self.error(
                line, column, f"{value!r} is not one of " + ", ".join(sorted(choices))
            )
        return value

    def date(self, line, row, column):
        value = row.get(column, "")
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.error(line, column, f"{value!r} is not a date as year-month-day")
            return None


def decode(data):
    """The text of an uploaded file (UTF-8, with or without a BOM)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportError_(
            [f"the file is not UTF-8 text (byte {e.start}): save it as CSV UTF-8"]
        ) from None


def _body_values(reader, line, row, lookups):
    kinds, levels, statuses, freqs = lookups["choices"]
    values = {
        "name": row.get("name", ""),
        "kind": reader.choice(line, row, "kind", kinds),
        "level": reader.choice(line, row, "level", levels | {""}),
        "status": reader.choice(line, row, "status", statuses, "active"),
        "status_since": reader.date(line, row, "status_since"),
        "end_date": reader.date(line, row, "end_date"),
        "output_owed": row.get("output_owed", ""),
    }
    if not values["name"]:
        reader.error(line, "name", "a body needs a name")
    if values["kind"] == Body.Kind.TASK_AND_FINISH and not values["end_date"]:
        reader.error(line, "end_date", "a task-and-finish group needs an end date")
    restricted = row.get("restricted", "").lower()
    if restricted not in YES | NO:
        reader.error(line, "restricted", f"{restricted!r} is not yes or no")
    values["restricted"] = restricted in YES
    values["zone"] = _lookup(reader, line, "zone", row, lookups["zones"])
    values["ward"] = _lookup(reader, line, "ward", row, lookups["wards"])
    priorities = []
    for slug in filter(None, (s.strip() for s in row.get("priorities", "").split(";"))):
        if slug in lookups["priorities"]:
            priorities.append(lookups["priorities"][slug])
        else:
            reader.error(
                line, "priorities", f"no priority {slug!r} in this partnership"
            )
    terms = None
    if row.get("purpose") or row.get("frequency"):
        minutes = row.get("meeting_minutes") or "90"
        if not is_digits(minutes):
            reader.error(line, "meeting_minutes", f"{minutes!r} is not whole minutes")
            minutes = "90"
        terms = {
            "purpose": row.get("purpose", ""),
            "frequency": reader.choice(line, row, "frequency", freqs, "monthly"),
            "meeting_minutes": int(minutes),
        }
    return values, priorities, terms


def _lookup(reader, line, column, row, table):
    key = row.get(column, "")
    if not key:
        return None
    if key not in table:
        reader.error(line, column, f"no {column} {key!r} in this partnership")
    return table.get(key)


def import_bodies(partnership, text, by):
    """Create or update bodies from CSV, by slug: the whole file or nothing."""
    reader = _Reader(text, ["name", "kind"])
    rows = reader.rows()
    lookups = {
        "choices": (
            set(Body.Kind.values),
            set(Body.Level.values),
            set(Body.Status.values),
            set(TermsOfReference.Frequency.values),
        ),
        "zones": {z.slug: z for z in Zone.objects.filter(partnership=partnership)},
        "wards": {
            w.code: w
            for w in Area.objects.wards().filter(parent_id=partnership.borough_id)
        },
        "priorities": {p.slug: p for p in Priority.objects.of(partnership)},
    }
    existing = {b.slug: b for b in Body.objects.filter(partnership=partnership)}
    parsed, slugs = [], set()
    for line, row in rows:
        slug = row.get("slug") or slugify(row.get("name", ""))[:80]
        if slug in slugs:
            reader.error(line, "slug", f"{slug!r} appears twice in the file")
        slugs.add(slug)
        parsed.append((line, slug, row, *_body_values(reader, line, row, lookups)))
    known = set(existing) | slugs
    for line, slug, row, values, *_ in parsed:
        parent = row.get("reports_to", "")
        if parent and parent not in known:
            reader.error(line, "reports_to", f"no body {parent!r} here or in the file")
        body = existing.get(slug)
        closing = values["status"] == Body.Status.DISCONTINUED
        if (
            closing
            and body is not None
            and body.is_current()
            and services.open_work(body)
        ):
            reader.error(
                line,
                "status",
                f"{body.name} has open work: discontinue it on its page,"
                " which hands the work over",
            )
    if reader.errors:
        raise ImportError_(reader.errors)
    return _save_bodies(partnership, by, parsed, existing)


@transaction.atomic
def _save_bodies(partnership, by, parsed, existing):
    bodies, created = dict(existing), 0
    for _line, slug, _row, values, priorities, terms in parsed:
        body = bodies.get(slug)
        if body is None:
            body = services.create_body(
                partnership,
                by,
                reason="Imported from CSV",
                slug=slug,
                priorities=priorities,
                terms=terms,
                **values,
            )
            created += 1
        else:
            for k, v in values.items():
                setattr(body, k, v)
            body.save()
            body.priorities.set(priorities)
            if terms:
                services.revise_terms(body, by, terms, change_note="Imported from CSV")
        bodies[slug] = body
    for _line, slug, row, *_ in parsed:
        body = bodies[slug]
        body.reports_to = bodies.get(row.get("reports_to", ""))
        body.save(update_fields=["reports_to"])
    errors = [
        f"line {line}: reports_to: {row['reports_to']!r} reports, through others,"
        f" to {slug!r}: that makes a circle"
        for line, slug, row, *_ in parsed
        if bodies[slug].reports_to
        and services.would_cycle(bodies[slug], bodies[slug].reports_to)
    ]
    if errors:
        transaction.set_rollback(True)
        raise ImportError_(errors)
    audit(
        AuditEntry.Action.CREATE,
        actor=by,
        reason=f"imported {len(parsed)} bodies from CSV ({created} new)",
        partnership=partnership,
    )
    return len(parsed), created


def import_seats(partnership, text, by):
    """Add seats from CSV (a seat already held is left alone): all or nothing."""
    reader = _Reader(text, ["body", "person", "organisation"])
    rows = reader.rows()
    bodies = {b.slug: b for b in Body.objects.filter(partnership=partnership)}
    orgs = {o.name: o for o in Organisation.objects.filter(partnerships=partnership)}
    users = {
        u.username: u
        for u in User.objects.filter(role_assignments__partnership=partnership)
    }
    parsed = []
    for line, row in rows:
        body = _lookup(reader, line, "body", row, bodies)
        org = _lookup(reader, line, "organisation", row, orgs)
        user = _lookup(reader, line, "username", row, users)
        if not row.get("body"):
            reader.error(line, "body", "a seat needs the body's slug")
        if not (row.get("person") or user):
            reader.error(line, "person", "a seat needs a person's name or a username")
        fields = {
            "role": reader.choice(line, row, "role", set(Seat.Role.values), "member"),
            "attendance": reader.choice(
                line, row, "attendance", set(Seat.Attendance.values), "always"
            ),
            "started": reader.date(line, row, "started"),
            "ended": reader.date(line, row, "ended"),
        }
        parsed.append((body, row.get("person") or str(user), user, org, fields))
    if reader.errors:
        raise ImportError_(reader.errors)
    return _save_seats(partnership, by, parsed)


@transaction.atomic
def _save_seats(partnership, by, parsed):
    added = 0
    for body, name, user, org, fields in parsed:
        held = Seat.objects.filter(
            body=body, person__name=name, organisation=org, ended__isnull=True
        )
        if fields["ended"] is None and held.exists():
            continue
        services.add_seat(
            body, by, person_name=name, user=user, organisation=org, **fields
        )
        added += 1
    return len(parsed), added


# Popolo --------------------------------------------------------------------


def popolo(partnership, bodies, seats):
    """The structure as Popolo-style JSON: bodies and partner organisations
    are organizations, each seat is a post and a membership."""
    body_ids = {b.pk for b in bodies}
    orgs = {s.organisation for s in seats if s.organisation_id}
    people = {s.person for s in seats}
    return {
        "partnership": partnership.slug,
        "organizations": [
            {
                "id": f"body/{b.slug}",
                "name": b.name,
                "classification": b.get_kind_display(),
                "parent_id": f"body/{b.reports_to.slug}"
                if b.reports_to_id in body_ids
                else None,
                "area": b.area_label(),
                "status": b.status,
                "founding_date": _d(b.started) or None,
                "dissolution_date": _d(b.ended) or None,
            }
            for b in bodies
        ]
        + [
            {"id": f"organisation/{o.pk}", "name": o.name, "classification": "partner"}
            for o in sorted(orgs, key=lambda o: o.name)
        ],
        "persons": [
            {"id": f"person/{p.pk}", "name": p.name}
            for p in sorted(people, key=lambda p: p.name)
        ],
        "posts": [
            {
                "id": f"post/{s.pk}",
                "label": f"{s.get_role_display()}, {s.body.name}",
                "role": s.get_role_display(),
                "organization_id": f"body/{s.body.slug}",
            }
            for s in seats
        ],
        "memberships": [
            {
                "person_id": f"person/{s.person_id}",
                "organization_id": f"body/{s.body.slug}",
                "post_id": f"post/{s.pk}",
                "role": s.get_role_display(),
                "on_behalf_of_id": f"organisation/{s.organisation_id}"
                if s.organisation_id
                else None,
                "start_date": _d(s.started) or None,
                "end_date": _d(s.ended) or None,
            }
            for s in seats
        ],
    }

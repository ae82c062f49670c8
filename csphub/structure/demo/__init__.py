"""The demo structures, built from the source documents in shared/seeds/.

The facts are data beside this loader: haringey.json (002: the CSP board,
Executive, Performance Management Group and parallel boards; 000: the Zonal
Working pilot, its terms of reference, Area Based Working in every ward, and
the Broadwater Farm, Milton Road and betting shops problem-solving groups)
and barnet.json (003, Appendix Three: the delivery-mechanisms map with its
statuses). People are posts the documents name, not invented individuals.
Where a document gives no meeting frequency or length, the demo assumes
monthly meetings of 90 minutes.
"""

import json
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from csphub.accounts.models import Organisation, User
from csphub.places.models import Zone
from csphub.strategy.services import ensure_priority, ensure_strategy

from ..models import Body, BodyChange, Person, Seat, TermsOfReference

K, S, F = Body.Kind, Body.Status, TermsOfReference.Frequency
ALWAYS = Seat.Attendance.ALWAYS
DATA = Path(__file__).resolve().parent
DATES = {"status_since", "started"}  # ISO dates in the files


def read(name):
    """A partnership's demo structure from its JSON file, dates as dates."""
    data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    for spec in data["bodies"].values():
        for key in DATES & spec.keys():
            spec[key] = date.fromisoformat(spec[key]) if spec[key] else None
    return data


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


def _bodies(build, bodies, priorities):
    """Create the bodies a file lists, then set their reporting lines (a line
    may point forwards in the file)."""
    made = {}
    for name, spec in bodies.items():
        extra = dict(spec)
        kind, parent, covers, status, frequency, minutes = (
            extra.pop(key)
            for key in (
                "kind", "reports_to", "priorities", "status", "frequency", "minutes"
            )
        )  # fmt: skip
        made[name] = build.body(
            name,
            kind,
            reports_to=parent,
            priorities=[priorities[p] for p in covers],
            status=status,
            terms=_terms(frequency, minutes, extra),
            **extra,
        )
    for name, spec in bodies.items():
        if spec["reports_to"]:
            made[name].reports_to = build.bodies[spec["reports_to"]]
            made[name].save(update_fields=["reports_to"])
    return made


def _haringey(partnership):
    data = read("haringey")
    priorities = _priorities(partnership, data["priorities"], data["strategy"])
    build = _Builder(partnership)
    made = _bodies(build, data["bodies"], priorities)
    alias = {body.short_name or name: body for name, body in made.items()}
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
            terms=dict(data["zonal_terms"]),
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
    for name, purpose in data["problem_solving"].items():
        body = build.body(
            name,
            K.PROBLEM_SOLVING,
            reports_to="South Zonal Working group",
            zone=zones.get("South"),
            terms=_terms(F.MONTHLY, 90, {"purpose": purpose}),
        )
        alias[name.split(" problem")[0].replace(" Estate", "")] = body
    _haringey_seats(build, alias, data)


def _haringey_seats(build, alias, data):
    for person, spec in data["people"].items():
        for target, role, attendance in spec["seats"]:
            found = alias.get(target)
            for body in found if isinstance(found, list) else [found]:
                if body is not None:
                    build.seat(person, spec["organisation"], body, role, attendance)
    for username, seats in data["user_seats"].items():
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
    data = read("barnet")
    priorities = _priorities(partnership, data["priorities"], data["strategy"])
    build = _Builder(partnership)
    _bodies(build, data["bodies"], priorities)
    for person, spec in data["people"].items():
        for name in spec["bodies"]:
            build.seat(person, spec["organisation"], build.bodies[name])

"""The delivery part of the demo, as facts from shared/seeds/.

The facts are data beside this loader: barnet.json (003, the Safer
Communities review: Table 3's allocated and actual leads of the eight
priorities, Table 2's council spend, Table 4's gaps and opportunities,
Table 6's risks, Table 7's dependencies, the IOM and early intervention
projects and the communications plan of 4.1.3), haringey.json (002, the CSP
refresh: three priorities with six outcomes, named owners and a small plan
with two quarters of updates) and lead_requirements.json (003, 4.2.3.1).

Demo assumptions, said in the files: the seeds give no likelihood or impact
for Table 6 (scored there), no owners by name (demo users stand in), and no
dates for Haringey's activities (set here relative to today, so that the
quarterly cycle has something to show).
"""

import json
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from csphub.accounts.models import Organisation, PartnershipMember, User
from csphub.strategy.models import Priority, Strategy
from csphub.strategy.services import ensure_outcome, set_leads

from .. import quarters
from ..models import (
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

DATA = Path(__file__).resolve().parent
DATES = {"starts", "ends", "due", "done_on", "last_reviewed"}  # ISO dates in the files


def _dates(value):
    """The files' ISO dates (under the keys in DATES) as dates, in place."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in DATES and isinstance(item, str):
                value[key] = date.fromisoformat(item)
            else:
                _dates(item)
    elif isinstance(value, list):
        for item in value:
            _dates(item)
    return value


def read(name):
    """One of the demo's delivery files, dates as dates."""
    return _dates(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))


def _table_2():
    spend = read("barnet")["spend"]
    columns = list(spend["rows"][0]["pounds"])
    rows = [(row["service_area"], *row["pounds"].values()) for row in spend["rows"]]
    if sum(sum(amounts) for _, *amounts in rows) != spend["total"]:
        raise ValueError("barnet.json: Table 2's rows do not add up to its total.")
    return rows, columns, spend["total"]


# Table 2 (council spend, £): (service area, *amounts in TABLE_2_COLUMNS' order).
TABLE_2, TABLE_2_COLUMNS, TABLE_2_TOTAL = _table_2()


@transaction.atomic
def load_delivery_demo(haringey, barnet, today=None):
    """Build (or bring up to date) both demo plans. Idempotent."""
    today = today or timezone.localdate()
    data = read("barnet")
    orgs = _organisations(barnet, data["organisations"])
    users = _Users()
    _requirements(haringey)
    _requirements(barnet)
    _barnet(barnet, data, orgs, users)
    _haringey(haringey, read("haringey"), orgs, users, today)
    return [
        f"Delivery: {Activity.objects.of(haringey).count()} activities in"
        f" {haringey.name}, {Activity.objects.of(barnet).count()} in {barnet.name};"
        f" Barnet's Table 2 spend £{TABLE_2_TOTAL:,} over"
        f" {SpendLine.objects.filter(partnership=barnet).count()} lines."
    ]


class _Users(dict):
    """Demo users by username, looked up once; None for no owner."""

    def __missing__(self, username):
        user = User.objects.filter(username=username).first() if username else None
        self[username] = user
        return user


def _organisations(barnet, extra):
    """Organisations the review names that the base demo does not."""
    for spec in extra:
        org, _ = Organisation.objects.get_or_create(
            name=spec["name"], defaults={"kind": spec["kind"]}
        )
        PartnershipMember.objects.get_or_create(partnership=barnet, organisation=org)
    return {o.name: o for o in Organisation.objects.all()}


def _requirements(partnership):
    for i, text in enumerate(read("lead_requirements")["requirements"], 1):
        LeadRequirement.objects.update_or_create(
            partnership=partnership, text=text, defaults={"order": i}
        )


def _barnet(barnet, data, orgs, users):
    priorities = {p.name: p for p in Priority.objects.of(barnet)}
    spec = data["strategy"]
    strategy = Strategy.objects.get(partnership=barnet, name=spec["name"])
    Strategy.objects.filter(pk=strategy.pk).update(
        starts=spec["starts"], ends=spec["ends"]
    )
    for row in data["leads"]:
        priority = priorities[row["priority"]]
        priority.wording = row["wording"]
        priority.save(update_fields=["wording"])
        set_leads(
            priority,
            allocated=[orgs[o] for o in row["allocated"]],
            actual=[orgs[o] for o in row["actual"]],
            note=row["note"],
            owner=users[row["owner"]],
        )
    _spend(barnet, data["spend"], orgs, priorities)
    for i, row in enumerate(data["gaps"]["rows"], 1):
        Gap.objects.update_or_create(
            strategy=strategy,
            gap=row["gap"],
            defaults={
                "opportunity": row["opportunity"],
                "order": i,
                "owner": data["gaps"]["owner"],
            },
        )
    risks = data["risks"]
    for i, row in enumerate(risks["rows"], 1):
        Risk.objects.update_or_create(
            strategy=strategy,
            risk=row["risk"],
            defaults={
                "cause": row["cause"],
                "mitigations": row["mitigation"],
                "order": i,
                "likelihood": row["likelihood"],
                "impact": row["impact"],
                "owner": risks["owner"],
                "last_reviewed": risks["last_reviewed"],
            },
        )
    activities = _plan(data["plan"], priorities, orgs, users)
    for row in data["dependencies"]["rows"]:
        OutsideDependency.objects.get_or_create(
            activity=activities[row["activity"]],
            project=row["project"],
            defaults={"impact": row["impact"]},
        )


def _spend(barnet, spend, orgs, priorities):
    for row in spend["rows"]:
        for column, pounds in row["pounds"].items():
            if pounds:
                SpendLine.objects.update_or_create(
                    partnership=barnet,
                    organisation=orgs[spend["organisation"]],
                    service_area=row["service_area"],
                    priority=priorities[column],
                    zone=None,
                    year=spend["year"],
                    defaults={
                        "pence": pounds * 100,
                        "source": spend["source"],
                        "confidence": spend["confidence"],
                    },
                )


def _plan(plan, priorities, orgs, users):
    """Create a file's activities, then link those that depend on others."""
    made = {spec["title"]: _activity(spec, priorities, orgs, users) for spec in plan}
    for spec in plan:
        for title in spec.get("depends_on", []):
            made[spec["title"]].depends_on.add(made[title])
    return made


def _activity(spec, priorities, orgs, users):
    """One activity of a file (under its objective), with its milestones."""
    priority = priorities[spec["priority"]]
    objective, _ = Objective.objects.get_or_create(
        priority=priority,
        title=spec["objective"],
        defaults={"order": priority.objectives.count() + 1},
    )
    activity, created = Activity.objects.get_or_create(
        objective=objective,
        title=spec["title"],
        defaults={
            "owner": users[spec["owner"]],
            "organisation": orgs[spec["organisation"]],
            "kind": spec["kind"],
            "status": spec["status"],
            "starts": spec["starts"],
            "ends": spec["ends"],
        },
    )
    if created:
        activity.partners.set([orgs[o] for o in spec["partners"]])
    for milestone in spec.get("milestones", []):
        Milestone.objects.get_or_create(
            activity=activity,
            name=milestone["name"],
            defaults={"due": milestone["due"], "done_on": milestone.get("done_on")},
        )
    return activity


def _haringey(haringey, data, orgs, users, today):
    priorities = {p.name: p for p in Priority.objects.of(haringey)}
    for name, spec in data["priorities"].items():
        priority = priorities[name]
        for i, outcome in enumerate(spec["outcomes"], 1):
            ensure_outcome(priority, outcome, order=i)
        leads = [orgs[o] for o in spec["leads"]]  # allocated = actual
        set_leads(priority, allocated=leads, actual=leads, owner=users[spec["owner"]])
    last = quarters.last_due_quarter(today)
    before = quarters.previous_quarter(last)
    done, late = data["project_milestones"]["done"], data["project_milestones"]["late"]
    for spec in data["plan"]:
        if spec["kind"] == Activity.Kind.PROJECT:
            # A project ends a year from today; one milestone is done, one was
            # due last quarter and is not.
            spec["ends"] = today + timedelta(days=365)
            due = last + timedelta(days=late["days_into_last_quarter"])
            spec["milestones"] = [done, {"name": late["name"], "due": due}]
        else:
            spec["ends"] = None
        activity = _activity(spec, priorities, orgs, users)
        for quarter, rag in [
            (before, spec["rag_two_quarters_ago"]),
            (last, spec["rag_last_quarter"]),
        ]:
            if rag and not activity.updates.filter(quarter=quarter).exists():
                _update(activity, quarter, rag, users[spec["owner"]], data["updates"])


def _update(activity, quarter, rag, by, text):
    QuarterlyUpdate.objects.create(
        activity=activity,
        quarter=quarter,
        rag=rag,
        reason=text["reason"][rag],
        by=by,
        progress=text["progress"].format(quarter=quarters.label(quarter)),
        next_quarter=text["next_quarter"],
        blockers=text["blockers"][rag],
    )

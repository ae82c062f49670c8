"""The demo KPI register: every row of Appendix 2 of Haringey's CSP refresh (002).

The register is data beside this loader, in haringey.json: the MOPAC 7 crime
KPIs and each priority's KPIs, with the document's baselines and targets
where it gives them, and the performance group's demo review settings.

The document gives no values, so histories are invented here from each
KPI's level, noise, change and shift in the file: every such value is
recorded with the source "illustrative" and says so on the page. Crime KPIs
that police.uk can count (burglary, robbery, theft from the person, criminal
damage, violence) are counted from the real incidents by
`csphub.intelligence.kpi` when the demo has crime data; only without it are
they illustrative too.
"""

import json
import random
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from csphub.accounts.models import Organisation, User
from csphub.lib.months import add_months
from csphub.strategy.models import Priority
from csphub.structure.models import Person, Seat

from .. import services
from ..models import MONTHS_IN, Indicator, Measurement, Review

DATA = Path(__file__).resolve().parent
DATES = {"baseline_period", "target_date"}  # ISO dates in a KPI's fields


def read():
    """The demo register from haringey.json (notes, keys starting "_", dropped)."""
    text = (DATA / "haringey.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def _periods(frequency, data):
    step = MONTHS_IN[frequency]
    last = date.fromisoformat(data["last_month"])
    out, period = [], date.fromisoformat(data["first_month"])
    while period <= last:
        out.append(period)
        period = add_months(period, step)
    return out


def _history(seed, periods, history):
    """An invented series: a level, changing each period, with noise and an
    optional step from one period on; the same on every load."""
    rng = random.Random(seed)
    level, shift = history["level"], history["shift"]
    values = []
    for i, _ in enumerate(periods):
        value = (
            level + history["change_per_period"] * i + rng.gauss(0, history["noise"])
        )
        if shift and i >= shift["from_period"]:
            value += shift["size"]
        values.append(round(max(value, 0), 1 if level < 50 else 0))
    return values


def _indicator(partnership, priority, order, spec, orgs):
    """Create or update the KPI a row of the file describes."""
    fields = {k: v for k, v in spec.items() if k != "history"}
    fields["owner"] = orgs.get(fields.pop("owner", None))
    for key in DATES & fields.keys():
        fields[key] = date.fromisoformat(fields[key])
    slug = slugify(spec["name"])[:80].rstrip("-")
    indicator = Indicator.objects.filter(partnership=partnership, slug=slug).first()
    if indicator is None:
        indicator = Indicator(partnership=partnership, slug=slug)
    for key, value in dict(priority=priority, order=order, **fields).items():
        setattr(indicator, key, value)
    if indicator.target_percent is not None:
        services.apply_change_target(indicator)
    indicator.save()
    return indicator


def _illustrate(indicator, history, data):
    if Measurement.objects.filter(indicator=indicator).exists():
        return 0
    periods = _periods(indicator.frequency, data)
    values = _history(indicator.slug, periods, history)
    gaps = {date.fromisoformat(month) for month in data["monthly_gaps"]}
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            period=period,
            value=value,
            source=Measurement.Source.ILLUSTRATIVE,
            source_detail=data["illustrative_note"],
        )
        for period, value in zip(periods, values, strict=True)
        if period not in gaps or indicator.frequency != Indicator.Frequency.MONTHLY
    )
    return len(periods)


@transaction.atomic
def load_performance_demo(partnership, *, illustrative_crime=True):
    """Haringey's register with histories, and a PMG seat for the demo member.

    With `illustrative_crime=False` the countable crime KPIs are left for
    `csphub.intelligence.kpi.count_crime_kpis` to fill from police.uk.
    """
    data = read()
    orgs = {o.name: o for o in Organisation.objects.all()}
    priorities = {p.name: p for p in Priority.objects.of(partnership)}
    made = 0
    for order, spec in enumerate(_mopac7(data)):
        indicator = _indicator(partnership, None, order, spec, orgs)
        if illustrative_crime or not spec["crime_categories"]:
            made += _illustrate(indicator, spec["history"], data)
    for priority_name, rows in data["register"].items():
        priority = priorities.get(priority_name)
        for order, spec in enumerate(rows):
            indicator = _indicator(partnership, priority, order, spec, orgs)
            if spec["history"]:
                made += _illustrate(indicator, spec["history"], data)
    _keep_off_the_board(partnership, data)
    _seat_member_on_pmg(partnership)
    count = Indicator.objects.filter(partnership=partnership).count()
    return [f"KPI register: {count} indicators, {made} illustrative values added."]


def _mopac7(data):
    """The MOPAC 7 rows, with the fields they share; those police.uk can
    count (they name crime categories) are computed from the crime data."""
    common = dict(data["mopac7"])
    for spec in common.pop("indicators"):
        categories = spec["crime_categories"]
        yield {
            **common,
            **spec,
            "computed_from": (
                Indicator.Computed.CRIME if categories else Indicator.Computed.NONE
            ),
            "description": _crime_definition(categories, data["crime_definitions"]),
        }


def _crime_definition(categories, texts):
    if not categories:
        return texts["not_counted"]
    text = texts["counted"].format(categories=", ".join(categories))
    for category in categories:
        if category in texts["broader"]:
            text += " " + texts["broader"][category]
    return text


def _keep_off_the_board(partnership, data):
    """Set once: a later load keeps whatever the group has decided since."""
    for slug, reason in data["kept_off_the_board"].items():
        Indicator.objects.filter(
            partnership=partnership, slug=slug, board_report_set_at__isnull=True
        ).update(
            board_report=Indicator.BoardReport.NEVER,
            board_report_reason=reason,
            board_report_set_at=timezone.now(),
        )


def _seat_member_on_pmg(partnership):
    """The demo's body member sits on the PMG, so a persona can set RAG."""
    body = services.review_body(partnership)
    user = User.objects.filter(username="member").first()
    if body is None or user is None:
        return
    person, _ = Person.objects.get_or_create(
        partnership=partnership,
        name=str(user),
        defaults={"user": user, "organisation": user.organisation},
    )
    Seat.objects.get_or_create(
        body=body,
        person=person,
        defaults={"organisation": user.organisation, "role": Seat.Role.MEMBER},
    )


@transaction.atomic
def load_review_demo(partnership):
    """The PMG's review of the latest month: every KPI rated (most as proposed,
    one overridden with its reason), so the highlight report has exceptions."""
    end = services.latest_period(partnership)
    if end is None:
        return []
    data = read()
    admin = User.objects.filter(username="admin").first()
    review, _ = Review.objects.get_or_create(
        partnership=partnership,
        period=end,
        defaults={"body": services.review_body(partnership), "opened_by": admin},
    )
    if review.ratings.exclude(rag="").exists():
        return [f"Performance review {end:%Y-%m}: already rated."]
    overrides, commentary = data["rating_overrides"], data["rating_commentary"]
    rated = 0
    for item in services.review_charts(review, draw=False):
        proposed = item.proposed_rag()
        if not proposed:
            continue
        override = overrides.get(item.indicator.slug, {})
        rag = override.get("rag", proposed)
        services.set_rating(
            review,
            item.indicator,
            by=admin,
            rag=rag,
            commentary=f"Demo: {commentary[rag]}" if rag in commentary else "",
            override_reason=override.get("reason", ""),
        )
        rated += 1
    return [f"Performance review {end:%Y-%m}: {rated} KPIs rated (demo)."]

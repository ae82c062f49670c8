"""A synthetic IOM cohort for the demo partnership: about 150 nominals
selected over four years (July 2014 to June 2018), with pathway needs,
interventions, referrals, a personal budget pilot of 12 (Tameside's £1,000
each) and proven offences whose re-offending falls as the scheme matures.

Everything is made up and marked synthetic; references are SYN/nnnn. What
the cohort is drawn from (its size, dates, seed, the lists and weights of
streams, risk tiers, reasons, offences and needs, the providers, the
referral services and the pilot) is data beside this loader, in
cohort.json; how it is drawn (rates of offending before and after selection,
how long people stay, what improves at review) is the code below. The
measures are computed as of 30 June 2018, the demo's last month, and feed
Haringey's two IOM KPIs (replacing illustrative values).
"""

import json
import random
from datetime import date, timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from csphub.accounts.models import Organisation, User
from csphub.places.models import Zone

from .. import services
from ..models import (
    Allocation,
    BudgetPilot,
    Intervention,
    KpiFeed,
    Need,
    Nominal,
    Offence,
    Pathway,
    Referral,
    Spend,
)
from ..pseudonyms import pseudonymise


def read():
    """The cohort's file."""
    path = Path(__file__).resolve().parent / "cohort.json"
    return json.loads(path.read_text(encoding="utf-8"))


COHORT = read()
START = date.fromisoformat(COHORT["start"])
AS_OF = date.fromisoformat(COHORT["as_of"])
# KPI slugs of the demo register (performance/demo/haringey.json) and the
# measure each takes.
FEEDS = {
    slug: KpiFeed.Measure(measure)
    for slug, measure in COHORT["kpi_feeds"]["measures"].items()
}


def day(d):
    return START + timedelta(days=d)


def load_offenders_demo(partnership):
    """Build the synthetic cohort once (idempotent), link and feed the KPIs."""
    try:
        pseudonymise("SYN/0")
    except ImproperlyConfigured:
        return ["IOM cohort: not loaded, CSPHUB_IOM_KEY is not set."]
    lines = []
    if not Nominal.objects.filter(partnership=partnership, synthetic=True).exists():
        lines.append(_build(partnership))
    else:
        lines.append("IOM cohort: synthetic cohort already loaded.")
    for slug, measure in FEEDS.items():
        services.link_kpi(partnership, slug, measure)
    written = services.feed_kpis(partnership, AS_OF)
    lines.append(f"IOM KPIs: {written} values computed from the cohort.")
    return lines


@transaction.atomic
def _build(partnership):
    rng = random.Random(COHORT["seed"])
    orgs = {o.name: o for o in Organisation.objects.all()}
    zones = list(Zone.objects.filter(partnership=partnership))
    officer = User.objects.filter(username="iom").first()
    span = (AS_OF - START).days
    nominals, offences = [], []
    streams = COHORT["stream_weights"]
    for i in range(COHORT["people"]):
        # more selections as the scheme grows ("increase the cohort")
        selected = day(int(span * rng.random() ** 0.8))
        stream = rng.choices(list(streams), weights=list(streams.values()))[0]
        left = None
        if rng.random() < 0.55:
            left = selected + timedelta(days=rng.randint(120, 900))
            left = left if left < AS_OF else None
        nominal = Nominal(
            partnership=partnership,
            reference_hash=pseudonymise(f"SYN/{i + 1:04d}"),
            code=f"SYN-{i + 1:04d}",
            stream=stream,
            risk_tier=rng.choice(COHORT["risk_tiers"]),
            selected_on=selected,
            selection_reason=rng.choice(COHORT["selection_reasons"]),
            deselected_on=left,
            deselection_reason=(
                rng.choice(COHORT["deselection_reasons"]) if left else ""
            ),
            lead_organisation=orgs.get(rng.choice(COHORT["lead_organisations"])),
            zone=rng.choice(zones) if zones else None,
            synthetic=True,
        )
        nominals.append(nominal)
    Nominal.objects.bulk_create(nominals)
    for nominal in nominals:
        offences += _offences(rng, nominal, span)
        _pathways(rng, nominal, orgs, officer)
    Offence.objects.bulk_create(offences)
    _pilot(rng, partnership, nominals, officer)
    return (
        f"IOM cohort: {len(nominals)} synthetic nominals, {len(offences)} proven"
        " offences, needs, interventions, referrals and a personal budget pilot of"
        f" {COHORT['pilot']['places']}."
    )


def _offences(rng, nominal, span):
    """Offences in the two years before selection and after it; re-offending
    within a year falls from about 60% to 30% of selections as the scheme
    matures (and offending to about a third of its level before)."""
    maturity = (nominal.selected_on - START).days / span
    before_rate = rng.uniform(2.0, 6.0)
    after_rate = before_rate / 4 * (0.95 - 0.6 * maturity)
    out = []
    phases = (
        (nominal.selected_on - timedelta(days=730), nominal.selected_on, before_rate),
        (nominal.selected_on, AS_OF, after_rate),
    )
    for start, end, per_year in phases:
        t = start
        while True:
            t += timedelta(days=max(1, int(rng.expovariate(per_year / 365))))
            if t > end:
                break
            proven = t + timedelta(days=int(rng.expovariate(1 / 70)))
            if proven <= AS_OF:
                category = rng.choice(COHORT["offence_categories"])
                out.append(
                    Offence(nominal=nominal, committed_on=t, proven_on=proven,
                            category=category)
                )  # fmt: skip
    return out


def _pathways(rng, nominal, orgs, officer):
    levels = {p: rng.choice(COHORT["need_levels"]) for p in Pathway.values}
    needs = [
        Need(nominal=nominal, pathway=p, level=lv, stage=Need.Stage.ENTRY,
             assessed_on=nominal.selected_on, recorded_by=officer)
        for p, lv in levels.items()
    ]  # fmt: skip
    review = nominal.selected_on + timedelta(days=180)
    if review < AS_OF:
        better = {"high": "some", "some": "none", "none": "none"}
        needs += [
            Need(nominal=nominal, pathway=p, stage=Need.Stage.REVIEW,
                 level=better[lv] if rng.random() < 0.5 else lv,
                 assessed_on=review, recorded_by=officer)
            for p, lv in levels.items()
        ]  # fmt: skip
    Need.objects.bulk_create(needs)
    interventions = []
    providers = COHORT["providers"]["by_pathway"]
    for pathway, level in levels.items():
        if level == "none":
            continue
        offered = nominal.selected_on + timedelta(days=rng.randint(3, 40))
        started = offered + timedelta(days=rng.randint(2, 30))
        done = started + timedelta(days=rng.randint(30, 200))
        kind = Intervention.Kind.SUPPORT
        if pathway == Pathway.ATTITUDES and rng.random() < 0.5:
            kind = Intervention.Kind.PEER_MENTORING
        interventions.append(
            Intervention(
                nominal=nominal, pathway=pathway, kind=kind,
                provider=orgs[providers[pathway]], offered_on=offered,
                started_on=started if started < AS_OF and rng.random() < 0.8 else None,
                completed_on=done if done < AS_OF and rng.random() < 0.6 else None,
            )
        )  # fmt: skip
    for ivn in interventions:
        if ivn.completed_on and not ivn.started_on:
            ivn.completed_on = None
    Intervention.objects.bulk_create(interventions)
    referrals = []
    for spec in COHORT["referrals"]:
        if rng.random() < 0.4:
            referred = nominal.selected_on + timedelta(days=rng.randint(1, 30))
            days = int(rng.expovariate(1 / spec["mean_days_to_answer"]))
            answered = referred + timedelta(days=days)
            referrals.append(
                Referral(nominal=nominal, service=spec["service"],
                         organisation=orgs.get(spec["organisation"]),
                         referred_on=referred,
                         responded_on=answered if answered < AS_OF else None)
            )  # fmt: skip
    Referral.objects.bulk_create(referrals)


def _pilot(rng, partnership, nominals, officer):
    spec = COHORT["pilot"]
    starts = date.fromisoformat(spec["starts"])
    each = spec["pounds_each"] * 100
    pilot = BudgetPilot.objects.create(
        partnership=partnership,
        name=spec["name"],
        fund_pence=spec["places"] * each,
        starts_on=starts,
        ends_on=date.fromisoformat(spec["ends"]),
        synthetic=True,
    )
    eligible = [n for n in nominals if n.is_active(starts)]
    for nominal in rng.sample(eligible, min(spec["places"], len(eligible))):
        allocation = Allocation.objects.create(
            pilot=pilot,
            nominal=nominal,
            amount_pence=each,
            decided_on=starts + timedelta(days=rng.randint(0, 60)),
            approved_by=officer,
            risk_decision=spec["risk_decision"],
        )
        left = each
        for _ in range(rng.randint(1, 4)):
            amount = min(left, rng.randint(50, 400) * 100)
            left -= amount
            Spend.objects.create(
                allocation=allocation,
                spent_on=allocation.decided_on + timedelta(days=rng.randint(1, 200)),
                amount_pence=amount,
                pathway=rng.choice(spec["spend_pathways"]),
                recorded_by=officer,
            )

"""Personal budget pilots: allocations on risk-assessed decisions, spend in
pence, balances, and the evaluation against a comparison group.

Evaluation: each budget holder is followed from the day the budget was
decided; the comparison group is every other nominal of the same streams and
risk tiers as the holders who was in the cohort on the pilot's first day,
followed from that day. Both use the re-offending rules of measures.py.
"""

from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Sum

from .measures import FOLLOW_UP_MONTHS, WAITING_MONTHS, months_on, per_nominal
from .models import Allocation, Nominal, Offence
from .services import save_record


class BudgetError(Exception):
    """A budget decision or spend the pilot cannot take."""


def spent_pence(allocation):
    return allocation.spends.aggregate(total=Sum("amount_pence"))["total"] or 0


def allocated_pence(pilot):
    return pilot.allocations.aggregate(total=Sum("amount_pence"))["total"] or 0


def allocations_with_balance(pilot):
    """The pilot's allocations, each with `.spent` and `.balance` (pence)."""
    rows = list(
        pilot.allocations.select_related("nominal", "approved_by").annotate(
            spent=Sum("spends__amount_pence")
        )
    )
    for row in rows:
        row.spent = row.spent or 0
        row.balance = row.amount_pence - row.spent
    return rows


@transaction.atomic
def allocate(pilot, nominal, amount_pence, *, decided_on, risk_decision, by):
    """Give a nominal a personal budget from the pilot's fund."""
    if nominal.partnership_id != pilot.partnership_id:
        raise BudgetError("That nominal is not in this partnership's cohort.")
    if pilot.allocations.filter(nominal=nominal).exists():
        raise BudgetError(f"{nominal} already has a budget in this pilot.")
    if allocated_pence(pilot) + amount_pence > pilot.fund_pence:
        raise BudgetError("The fund does not have that much left to allocate.")
    allocation = Allocation(
        pilot=pilot,
        nominal=nominal,
        amount_pence=amount_pence,
        decided_on=decided_on,
        approved_by=by,
        risk_decision=risk_decision,
    )
    return save_record(
        allocation, by=by, what="personal budget", partnership=pilot.partnership
    )


@transaction.atomic
def spend(allocation, spend_line, *, by):
    """Record a spend line; refuses to take the budget below zero."""
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if spent_pence(allocation) + spend_line.amount_pence > allocation.amount_pence:
        raise BudgetError("That is more than the budget has left.")
    spend_line.allocation = allocation
    spend_line.recorded_by = by
    return save_record(
        spend_line,
        by=by,
        what="personal budget spend",
        partnership=allocation.pilot.partnership,
    )


@dataclass
class GroupOutcome:
    label: str
    people: int
    followed: int  # whose 18 months have elapsed
    before: float  # offences per person, 12 months before the index date
    after: float  # re-offences per person, 12 months after
    reoffended: float  # per cent


def _outcome(label, index_days, nominal_ids, as_of):
    if not nominal_ids:
        return GroupOutcome(label, 0, 0, np.nan, np.nan, np.nan)
    position = {pk: i for i, pk in enumerate(nominal_ids)}
    rows = Offence.objects.filter(nominal_id__in=nominal_ids).values_list(
        "nominal_id", "committed_on", "proven_on"
    )
    off = np.array([position[r[0]] for r in rows], dtype=np.int64)
    committed = np.array([r[1] for r in rows], dtype="datetime64[D]")
    proven = np.array([r[2] for r in rows], dtype="datetime64[D]")
    index = np.array(index_days, dtype="datetime64[D]")
    after, before, _, done = per_nominal(
        index, off, committed, proven, np.datetime64(as_of, "D")
    )
    if not done.any():
        return GroupOutcome(label, len(index), 0, np.nan, np.nan, np.nan)
    return GroupOutcome(
        label,
        len(index),
        int(done.sum()),
        float(before[done].mean()),
        float(after[done].mean()),
        float(100 * (after[done] > 0).mean()),
    )


def evaluate(pilot, as_of):
    """(holders, comparison) GroupOutcomes and the date the evaluation is
    complete (every holder's 18 months elapsed)."""
    allocations = list(pilot.allocations.select_related("nominal"))
    holders = _outcome(
        "Budget holders",
        [a.decided_on for a in allocations],
        [a.nominal_id for a in allocations],
        as_of,
    )
    streams = {a.nominal.stream for a in allocations}
    tiers = {a.nominal.risk_tier for a in allocations}
    others = list(
        Nominal.objects.filter(
            partnership=pilot.partnership, stream__in=streams, risk_tier__in=tiers
        )
        .active_on(pilot.starts_on)
        .exclude(allocations__pilot=pilot)
        .values_list("pk", flat=True)
    )
    comparison = _outcome(
        "Comparison group", [pilot.starts_on] * len(others), others, as_of
    )
    last = max((a.decided_on for a in allocations), default=pilot.starts_on)
    due = months_on(
        np.array([last], dtype="datetime64[D]"), FOLLOW_UP_MONTHS + WAITING_MONTHS
    )
    return holders, comparison, due[0].item()

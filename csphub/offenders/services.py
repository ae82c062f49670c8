"""What the IOM app can do: compute the cohort's measures, feed the KPIs,
record needs, interventions, referrals and personal budgets.

Aggregates that leave the app (KPI values) suppress any cell of fewer than
SUPPRESS_BELOW people: the value is not recorded at all.
"""

from datetime import date
from statistics import median

import numpy as np
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone

from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit, audit_record
from csphub.performance.models import Indicator, Measurement, add_months
from csphub.performance.services import record_measurement

from .measures import cohort_measures
from .models import KpiFeed, Need, Nominal, Offence, Pathway, Referral

SUPPRESS_BELOW = 5
DEFINITION = (
    "IOM cohort (computed): offences committed within 12 months of selection and"
    " proven within 18; periods of fewer than 5 people are suppressed"
)


EPOCH = date(1970, 1, 1).toordinal()


def as_days(values):
    """Dates as datetime64[D]; None is NaT. SQLite hands back ISO strings,
    which numpy parses in C; date objects (PostgreSQL) go through ordinals,
    ~15x faster than numpy's conversion of date objects."""
    if not values:
        return np.array([], dtype="datetime64[D]")
    if any(isinstance(v, str) for v in values):
        return np.array(["NaT" if v is None else v for v in values], "datetime64[D]")
    return np.fromiter(
        (v.toordinal() - EPOCH if v else -(2**63) for v in values),
        dtype=np.int64,
        count=len(values),
    ).astype("datetime64[D]")


def columns(queryset, *fields):
    """The queryset's values as one list per field, dates read as ISO text:
    converting 100,000 dates to date objects and back costs ~0.3 s."""
    dates = [f for f in fields if f.endswith("_on")]
    texts = {f"{f}_text": Cast(f, output_field=CharField()) for f in dates}
    names = [f"{f}_text" if f in dates else f for f in fields]
    rows = queryset.annotate(**texts).values_list(*names)
    return [list(c) for c in zip(*rows, strict=True)] or [[] for _ in fields]


def cohort_arrays(partnership, nominals=None):
    """(nominal ids, selected, deselected, offence index, committed, proven)
    as numpy arrays, from two queries."""
    if nominals is None:
        nominals = Nominal.objects.filter(partnership=partnership)
    ids, selected, deselected = columns(
        nominals.order_by("pk"), "pk", "selected_on", "deselected_on"
    )
    owner, committed, proven = columns(
        Offence.objects.filter(nominal__partnership=partnership).order_by(),
        "nominal_id",
        "committed_on",
        "proven_on",
    )
    ids = np.array(ids, dtype=np.int64)
    owner = np.array(owner, dtype=np.int64)
    index = np.searchsorted(ids, owner)
    if len(ids):
        keep = (index < len(ids)) & (ids[np.minimum(index, len(ids) - 1)] == owner)
    else:
        keep = np.zeros(len(owner), dtype=bool)
    return (
        ids.tolist(),
        as_days(selected),
        as_days(deselected),
        index[keep],
        as_days(committed)[keep],
        as_days(proven)[keep],
    )


def data_as_of(partnership):
    """The day the offence data runs to: the latest proven offence (the case
    system's extract holds nothing later), else today. A quarter's rates are
    due only when this day is 18 months past it."""
    latest = (
        Offence.objects.filter(nominal__partnership=partnership)
        .order_by("-proven_on")
        .values_list("proven_on", flat=True)
        .first()
    )
    return min(latest or timezone.localdate(), timezone.localdate())


def measures_for(partnership, as_of, period_months=3, nominals=None):
    """The cohort's CohortMeasures as of a day."""
    _, *arrays = cohort_arrays(partnership, nominals)
    return cohort_measures(*arrays, as_of=as_of, period_months=period_months)


def add_days(day, n):
    return date.fromordinal(day.toordinal() + n)


def _as_date(value):
    return value.astype("datetime64[D]").item()


def kpi_values(measures, measure, as_of):
    """{period: value or None} a KPI takes; None: suppressed or not yet due."""
    out = {}
    for p, period in enumerate(measures.periods):
        period = _as_date(period)
        if measure == KpiFeed.Measure.COHORT_SIZE:
            ended = add_months(period, measures.period_months) <= add_days(as_of, 1)
            size = int(measures.cohort_size[p])
            out[period] = size if ended and size >= SUPPRESS_BELOW else None
            continue
        usable = measures.complete[p] and measures.selected[p] >= SUPPRESS_BELOW
        if measure == KpiFeed.Measure.BINARY_RATE:
            value = round(float(measures.binary_rate[p]), 1)
        else:
            value = round(float(measures.frequency_rate[p]), 2)
        out[period] = value if usable else None
    return out


def link_kpi(partnership, slug, measure):
    """Make a KPI of the partnership's register take a cohort measure."""
    indicator = Indicator.objects.filter(partnership=partnership, slug=slug).first()
    if indicator is None:
        return None
    feed, _ = KpiFeed.objects.update_or_create(
        indicator=indicator, defaults={"measure": measure}
    )
    return feed


@transaction.atomic
def feed_kpis(partnership, as_of=None, *, by=None):
    """Record the computed cohort measures as values of the KPIs they feed.
    A period suppressed or not yet due loses any value it had (kept, marked
    not current). Returns the number of values written or withdrawn."""
    as_of = as_of or data_as_of(partnership)
    feeds = KpiFeed.objects.filter(indicator__partnership=partnership).select_related(
        "indicator"
    )
    changed, started = 0, timezone.now()
    by_step = {}
    for feed in feeds:
        step = feed.indicator.step
        if step not in by_step:
            by_step[step] = measures_for(partnership, as_of, step)
        values = kpi_values(by_step[step], feed.measure, as_of)
        for period, value in values.items():
            if value is None:
                changed += Measurement.objects.filter(
                    indicator=feed.indicator, period=period, current=True
                ).update(current=False)
                continue
            row = record_measurement(
                feed.indicator,
                period,
                float(value),
                by=by,
                source=Measurement.Source.COMPUTED,
                source_detail=f"{DEFINITION}; as of {as_of:%Y-%m-%d}",
            )
            changed += row.recorded_at >= started  # unchanged: the old row
    return changed


def feeds_of(partnership):
    """The KPIs the cohort's measures feed, with their indicators."""
    return KpiFeed.objects.filter(indicator__partnership=partnership).select_related(
        "indicator"
    )


def needs_table(nominal):
    """One row per pathway: (label, entry level, latest level, latest date).
    The entry level is the first assessment marked entry, else the first."""
    first, entry, latest = {}, {}, {}
    for need in nominal.needs.order_by("assessed_on", "pk"):
        first.setdefault(need.pathway, need.level)
        if need.stage == Need.Stage.ENTRY:
            entry.setdefault(need.pathway, need.level)
        latest[need.pathway] = need
    levels = dict(Need.Level.choices)
    rows = []
    for value, label in Pathway.choices:
        last = latest.get(value)
        at_entry = entry.get(value, first.get(value))
        rows.append(
            (
                label,
                levels.get(at_entry, ""),
                levels[last.level] if last else "",
                last.assessed_on if last else None,
            )
        )
    return rows


def pathway_tables(needs, interventions, referrals):
    """Context for the pathways page: nominals by need level at entry and at
    the latest assessment per pathway; interventions by pathway and provider;
    referrals by service with the mean days to respond."""
    entry, latest = {}, {}
    for nominal_id, pathway, _stage, level in needs:
        entry.setdefault((nominal_id, pathway), level)
        latest[(nominal_id, pathway)] = level
    rows = []
    for value, label in Pathway.choices:
        row = {"label": label}
        for name, table in (("entry", entry), ("latest", latest)):
            levels = [lv for (_, p), lv in table.items() if p == value]
            row[name] = [levels.count(lv) for lv in Need.Level.values]
        rows.append(row)
    labels = dict(Pathway.choices)
    waits = {}
    for service, referred_on, responded_on in referrals:
        made, days = waits.setdefault(service, ([], []))
        made.append(referred_on)
        if responded_on is not None:
            days.append((responded_on - referred_on).days)
    return {
        "needs": rows,
        "levels": Need.Level.labels,
        "interventions": [
            {**i, "pathway": labels[i["pathway"]]} for i in interventions
        ],
        "referrals": [
            {
                "service": label,
                "made": len(waits[value][0]),
                "answered": len(waits[value][1]),
                "median_days": median(waits[value][1]) if waits[value][1] else None,
            }
            for value, label in Referral.Service.choices
            if value in waits
        ],
    }


@transaction.atomic
def assess_needs(nominal, levels, *, stage, assessed_on, by):
    """Record a needs assessment: one row per pathway."""
    Need.objects.bulk_create(
        Need(
            nominal=nominal,
            pathway=pathway,
            level=level,
            stage=stage,
            assessed_on=assessed_on,
            recorded_by=by,
        )
        for pathway, level in levels.items()
    )
    audit_record(AuditEntry.Action.CREATE, nominal, by=by, reason="needs assessed")


@transaction.atomic
def save_record(record, *, by, what, partnership, update_fields=None):
    """Save an intervention, referral, pilot, allocation or spend line and
    audit the change."""
    created = record.pk is None
    record.save(update_fields=None if created else update_fields)
    action = AuditEntry.Action.CREATE if created else AuditEntry.Action.CHANGE
    audit(action, actor=by, record=record, reason=what, partnership=partnership)
    return record

"""Crime KPIs counted from incidents: performance indicators whose analyst has
mapped them to police.uk categories (e.g. MOPAC 7 burglary -> Burglary), or
to a flagged series, "Alcohol-related (flagged)" or "Hate crime (flagged)",
which counts the incidents of every source carrying that flag.

Intelligence sits above performance, so the counting lives here. Each period
with data gets a computed value (a changed count is kept as a correction); a
period with any month missing gets none, so it shows as missing, never 0.
"""

from django.db.models import Count, Q

from csphub.lib.months import add_months
from csphub.performance.models import Indicator, Measurement
from csphub.performance.services import record_measurement

from .coverage import data_months
from .models import Incident
from .sources import FLAG_SERIES

COMPUTED = Measurement.Source.COMPUTED


def crime_indicators(partnership):
    """Measured indicators counted from police.uk categories."""
    return [
        i
        for i in Indicator.objects.filter(
            partnership=partnership,
            computed_from=Indicator.Computed.CRIME,
            status=Indicator.Status.MEASURED,
        )
        if i.crime_categories
    ]


def _flagged_counts(partnership, categories):
    """{(flag series name, month): n} for the flagged series a KPI counts
    ("Alcohol-related (flagged)", "Hate crime (flagged)"): incidents of every
    source with the flag set, one grouped query."""
    flags = [f for f, name in FLAG_SERIES.items() if name in categories]
    if not flags:
        return {}
    rows = (
        Incident.objects.filter(partnership=partnership)
        .filter(Q(**{flags[0]: True}) | Q(**{flags[-1]: True}))
        .values_list("month")
        .annotate(**{f: Count("pk", filter=Q(**{f: True})) for f in flags})
        .order_by()
    )
    counts = {}
    for month, *values in rows:
        for flag, n in zip(flags, values, strict=True):
            counts[(FLAG_SERIES[flag], month)] = n
    return counts


def count_crime_kpis(partnership, *, by=None):
    """Count every crime KPI for every period with data; returns the number of
    values written: new or changed counts, not the ones already recorded."""
    indicators = crime_indicators(partnership)
    calendar = data_months(partnership)
    if not indicators or not calendar:
        return 0
    present = {month for month, has_data in calendar if has_data}
    categories = {c for i in indicators for c in i.crime_categories}
    counts = {
        (category, month): n
        for category, month, n in Incident.objects.filter(
            partnership=partnership, category__in=categories
        )
        .values_list("category", "month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    counts.update(_flagged_counts(partnership, categories))
    recorded = {
        (indicator_id, period): (value, source)
        for indicator_id, period, value, source in Measurement.objects.current()
        .filter(indicator__in=indicators)
        .values_list("indicator_id", "period", "value", "source")
    }
    written = 0
    for indicator in indicators:
        for period in sorted({indicator.period_of(m) for m, _ in calendar}):
            months = [add_months(period, k) for k in range(indicator.step)]
            if not all(m in present for m in months):
                continue
            value = sum(
                counts.get((c, m), 0)
                for c in indicator.crime_categories
                for m in months
            )
            if recorded.get((indicator.pk, period)) == (value, COMPUTED):
                continue
            record_measurement(
                indicator,
                period,
                float(value),
                by=by,
                source=COMPUTED,
                source_detail="police.uk incidents: "
                + ", ".join(indicator.crime_categories),
            )
            written += 1
    return written

"""What the performance app can do: keep the KPI register and its values, chart
them with SPC, run the performance group's review and write the highlight report."""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe

from csphub.accounts.models import AuditEntry
from csphub.accounts.services import audit, audit_record
from csphub.analytics.spc_many import xmr_fast
from csphub.lib.charts import spc as charts

# parse_period is re-exported: other apps' code reads it from here.
from csphub.lib.months import add_months, parse_period  # noqa: F401
from csphub.structure.models import Body

from . import hooks
from .models import Indicator, Measurement, Rating, Review

HISTORY_PERIODS = 60  # the chart shows at most five years of monthly values

REASONS = {
    "special_cause_concern": "Latest point is a special cause concern",
    "consistent_fail": "Target consistently missed",
    "hit_and_miss_target_critical": "Target hit and miss on a target-critical KPI",
    "rated_red": "Rated red by the performance group",
    "special_cause_improvement": "Special cause improvement, for recognition",
    "well_above_target": "Consistently better than target, for recognition",
    "board_always": "The performance group reports it to the board every time",
}
RECOGNITION = {"special_cause_improvement", "well_above_target"}


# Periods and series


def current_values(indicators):
    """{indicator pk: {period: (value, source)}} in one query."""
    found = {i.pk: {} for i in indicators}
    rows = (
        Measurement.objects.current()
        .filter(indicator__in=list(found))
        .values_list("indicator_id", "period", "value", "source")
        .order_by()
    )
    for pk, period, value, source in rows:
        found[pk][period] = (value, source)
    return found


@dataclass
class KpiChart:
    """An indicator's series up to a period, its SPC result and what it says."""

    indicator: Indicator
    periods: list
    values: list
    sources: list
    targets: list
    result: object
    svg: str = ""
    reading: str = ""
    plain_reading: str = ""
    rating: Rating | None = None
    reasons: list = field(default_factory=list)

    @cached_property
    def has_data(self):
        return any(v is not None for v in self.values)

    @cached_property
    def latest(self):
        """(value, period, target) of the latest period with a value, or Nones."""
        observed = [i for i, v in enumerate(self.values) if v is not None]
        if not observed:
            return None, None, None
        i = observed[-1]
        return self.values[i], self.periods[i], self.targets[i]

    @property
    def latest_value(self):
        return self.latest[0]

    @property
    def latest_period(self):
        return self.latest[1]

    @property
    def target(self):
        return self.latest[2]

    @property
    def variation_icon(self):
        return self.result.variation_icon if self.has_data else None

    @property
    def assurance_icon(self):
        return self.result.assurance_icon if self.has_data else None

    @property
    def variation_svg(self):
        return mark_safe(charts.variation_icon_svg(self.variation_icon))  # noqa: S308

    @property
    def assurance_svg(self):
        return mark_safe(charts.assurance_icon_svg(self.assurance_icon))  # noqa: S308

    @property
    def illustrative(self):
        return Measurement.Source.ILLUSTRATIVE in self.sources

    def table_html(self, *, sources=True):
        """The data table (see charts.data_table_html), safe to put in a page."""
        return mark_safe(  # noqa: S308 (data_table_html escapes every text)
            charts.data_table_html(
                self.periods,
                self.result,
                caption=f"{self.indicator.name}: values, mean, process limits"
                " and target",
                targets=self.targets,
                sources=self.sources if sources else None,
            )
        )

    @property
    def public_table_html(self):
        return self.table_html(sources=False)

    @property
    def review_table_html(self):
        return self.table_html()

    def table(self):
        """Rows for the data table: period, value (None: missing), mean, limits,
        target, point type, source."""
        return [
            {
                "period": period,
                "value": value,
                "point": point,
                "target": target,
                "source": source,
            }
            for period, value, point, target, source in zip(
                self.periods,
                self.values,
                self.result.points,
                self.targets,
                self.sources,
                strict=True,
            )
        ]

    @cached_property
    def proposed(self):
        return self.proposed_rag()

    def proposed_rag(self):
        """The software's proposal from the icons: a concern or a consistent
        fail is red, hit and miss is amber, anything else green."""
        if not self.has_data:
            return ""
        if (self.variation_icon or "").startswith(
            "concern"
        ) or self.assurance_icon == "consistent_fail":
            return Rating.Rag.RED
        if self.assurance_icon == "inconsistent":
            return Rating.Rag.AMBER
        return Rating.Rag.GREEN


def build_chart(indicator, values_by_period, end, *, draw=True, chart_id=None):
    """The KpiChart of an indicator from its values, over the periods up to `end`.

    Periods run from the first value (at most HISTORY_PERIODS back) to the
    period containing `end`; a period with no value is None, never 0.
    """
    last = indicator.period_of(end)
    known = sorted(p for p in values_by_period if p <= last)
    periods = []
    if known:
        period = max(
            known[0], add_months(last, -indicator.step * (HISTORY_PERIODS - 1))
        )
        period = indicator.period_of(period)
        while period <= last:
            periods.append(period)
            period = add_months(period, indicator.step)
    values = [values_by_period.get(p, (None, ""))[0] for p in periods]
    sources = [values_by_period.get(p, (None, ""))[1] for p in periods]
    targets = [indicator.target_for(p) for p in periods]
    observed = [t for t, v in zip(targets, values, strict=True) if v is not None]
    result = xmr_fast(  # the same result as analytics.spc.xmr, ten times faster
        values,
        improvement=indicator.improvement,
        target=observed[-1] if observed else None,
    )
    chart = KpiChart(indicator, periods, values, sources, targets, result)
    if draw and periods:
        unit = "%" if indicator.unit == Indicator.Unit.PERCENT else ""
        chart.svg = mark_safe(  # noqa: S308 (charts escape every text they draw)
            charts.spc_chart_svg(
                periods,
                values,
                result,
                targets=targets if any(t is not None for t in targets) else None,
                title=f"{indicator.name}: SPC chart",
                unit=unit,
                chart_id=chart_id or f"chart-{indicator.slug}",
            )
        )
        chart.reading = charts.reading(periods, result, unit=unit)
        chart.plain_reading = charts.reading(periods, result, unit=unit, plain=True)
    return chart


def charts_for(indicators, end, *, draw=True):
    """KpiCharts for a list of indicators (one query for all their values)."""
    values = current_values(indicators)
    return [build_chart(i, values[i.pk], end, draw=draw) for i in indicators]


def latest_period(partnership):
    """The latest month with any value in the partnership, or None."""
    m = (
        Measurement.objects.current()
        .filter(indicator__partnership=partnership)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return date(m.year, m.month, 1) if m else None


# The register and its values


@transaction.atomic
def save_indicator(indicator, by, *, created=False):
    """Save an indicator (new or changed) and audit it."""
    if indicator.target_percent is not None and indicator.target_years:
        apply_change_target(indicator)
    indicator.save()
    action = AuditEntry.Action.CREATE if created else AuditEntry.Action.CHANGE
    audit_record(action, indicator, by=by)
    return indicator


def apply_change_target(indicator):
    """Turn 'change by X% over N years' into a target value and date from the
    baseline (the trajectory then runs between them)."""
    if indicator.baseline_value is None or indicator.baseline_period is None:
        return
    base = indicator.baseline_period
    indicator.target_value = round(
        indicator.baseline_value * (1 + indicator.target_percent / 100), 4
    )
    indicator.target_date = date(base.year + indicator.target_years, base.month, 1)


@transaction.atomic
def record_measurement(
    indicator, period, value, *, by, source, source_detail="", note=""
):
    """Record a value for a period. A different value for a period that has one
    is a correction: the old row stays, marked as replaced. The same value
    again changes nothing. Returns the current row."""
    period = indicator.period_of(period)
    old = (
        Measurement.objects.select_for_update()
        .filter(indicator=indicator, period=period, current=True)
        .first()
    )
    if old is not None and old.value == value and old.source == source:
        return old
    if old is not None:
        old.current = False
        old.save(update_fields=["current"])
    row = Measurement.objects.create(
        indicator=indicator,
        period=period,
        value=value,
        source=source,
        source_detail=source_detail[:300],
        note=note[:300],
        recorded_by=by if by and by.pk else None,
        replaces=old,
    )
    return row


@transaction.atomic
def set_board_report(indicator, by, *, setting, reason=""):
    """The performance group's decision on what of an indicator reaches the
    board: always, when exceptional, or never (with the reason, e.g. a MOPAC 7
    indicator the police already review). Raises ValidationError by field."""
    reason = reason.strip()
    if setting not in Indicator.BoardReport.values:
        raise ValidationError({"setting": "Choose always, when exceptional or never."})
    if setting == Indicator.BoardReport.NEVER and not reason:
        raise ValidationError(
            {
                "reason": "Say why the board will not see it, for example who"
                " already reviews it."
            }
        )
    before = indicator.get_board_report_display()
    indicator.board_report = setting
    indicator.board_report_reason = (
        reason if setting == Indicator.BoardReport.NEVER else ""
    )
    indicator.board_report_set_by = by
    indicator.board_report_set_at = timezone.now()
    indicator.save(
        update_fields=[
            "board_report",
            "board_report_reason",
            "board_report_set_by",
            "board_report_set_at",
        ]
    )
    change = f"board report: {before} -> {indicator.get_board_report_display()}"
    if indicator.board_report_reason:
        change += f" ({reason})"
    audit_record(AuditEntry.Action.CHANGE, indicator, by=by, reason=change[:1000])
    return indicator


# Review


def review_body(partnership):
    """The body that reviews performance: the one called the Performance
    Management Group (or with the short name PMG), if the structure has it."""
    bodies = Body.objects.filter(partnership=partnership).current()
    return (
        bodies.filter(short_name__iexact="PMG").first()
        or bodies.filter(name__icontains="performance").first()
    )


@transaction.atomic
def open_review(partnership, period, *, by):
    """The review of a month (created if new), by the partnership's PMG."""
    review, created = Review.objects.get_or_create(
        partnership=partnership,
        period=date(period.year, period.month, 1),
        defaults={"body": review_body(partnership), "opened_by": by},
    )
    if created:
        audit(
            AuditEntry.Action.CREATE, actor=by, record=review, partnership=partnership
        )
        count_computed_kpis(partnership, by=by)
    return review


def count_computed_kpis(partnership, *, by=None):
    """Ask every app that feeds counted KPIs (hooks.py) to count them now;
    the number of values written."""
    return sum(counter(partnership, by) for counter in hooks.kpi_counters())


def review_charts(review, *, draw=True):
    """Every measured indicator's chart for the review's period, with its rating."""
    indicators = list(Indicator.objects.of(review.partnership).measured())
    items = charts_for(indicators, review.period, draw=draw)
    ratings = {
        r.indicator_id: r
        for r in Rating.objects.filter(review=review).select_related("rated_by")
    }
    for item in items:
        item.rating = ratings.get(item.indicator.pk)
        item.reasons = exception_reasons(item)
    return items


@transaction.atomic
def rate(review, indicator, *, by, **fields):
    """Set an indicator's RAG in a review (`rag`, `commentary`, `board_ask`,
    `override_reason`). Red and amber need a commentary; a rating other than
    the software's proposal needs a reason, kept with who overrode it and
    when, and written to the audit log."""
    before = Rating.objects.filter(review=review, indicator=indicator).first()
    rating = set_rating(review, indicator, by=by, **fields)
    reason = (
        f"RAG {before.rag if before and before.rag else 'none'} -> {rating.rag}"
        f" (proposed {rating.proposed_rag or 'none'})"
    )
    if rating.overridden:
        reason += f"; override: {rating.override_reason}"
    audit_rating(review, rating, by, reason[:1000])
    return rating


def audit_rating(review, rating, by, reason):
    """A rating holds no partnership itself: its review's is the log's."""
    audit_record(
        AuditEntry.Action.CHANGE,
        rating,
        by=by,
        reason=reason,
        partnership=review.partnership,
    )


def set_rating(
    review, indicator, *, by, rag, commentary="", board_ask="", override_reason=""
):
    """The checks and the row of `rate`, without the audit line (the demo
    loader uses it: loading demo data is not a person's act). Raises
    ValidationError by field."""
    values = current_values([indicator])[indicator.pk]
    chart = build_chart(indicator, values, review.period, draw=False)
    proposed = chart.proposed_rag()
    errors = {}
    if rag not in Rating.Rag.values:
        errors["rag"] = "Choose red, amber or green."
    if rag in (Rating.Rag.RED, Rating.Rag.AMBER) and not commentary.strip():
        errors["commentary"] = "Write a commentary: red and amber need one."
    if proposed and rag != proposed and not override_reason.strip():
        errors["override_reason"] = (
            f"The software proposed {proposed}: say why the group rates it {rag}."
        )
    if errors:
        raise ValidationError(errors)
    rating, _ = Rating.objects.get_or_create(review=review, indicator=indicator)
    rating.proposed_rag = proposed
    rating.rag = rag
    rating.commentary = commentary.strip()
    rating.board_ask = board_ask.strip()
    rating.override_reason = override_reason.strip() if rag != proposed else ""
    rating.variation_icon = chart.variation_icon or ""
    rating.assurance_icon = chart.assurance_icon or ""
    rating.latest_value = chart.latest_value
    rating.latest_period = chart.latest_period
    rating.target = chart.target
    rating.rated_by = by
    rating.rated_at = timezone.now()
    rating.save()
    return rating


@transaction.atomic
def add_context(review, indicator, *, by, note):
    """Attach business intelligence's contextual note to an indicator's rating."""
    rating, _ = Rating.objects.get_or_create(review=review, indicator=indicator)
    rating.context_note = note.strip()
    rating.context_by = by
    rating.save(update_fields=["context_note", "context_by"])
    audit_rating(review, rating, by, "context note")
    return rating


# Highlight report


def exception_reasons(item):
    """Why an indicator is an exception for the board (METHODS.md 1.5, and the
    CSP refresh: rated red, or well above target and worth recognising)."""
    if not item.has_data:
        return []
    reasons = []
    variation = item.variation_icon or ""
    if variation.startswith("concern"):
        reasons.append("special_cause_concern")
    if item.assurance_icon == "consistent_fail":
        reasons.append("consistent_fail")
    if item.assurance_icon == "inconsistent" and item.indicator.target_critical:
        reasons.append("hit_and_miss_target_critical")
    if item.rating and item.rating.rag == Rating.Rag.RED:
        reasons.append("rated_red")
    if variation.startswith("improvement"):
        reasons.append("special_cause_improvement")
    if item.assurance_icon == "consistent_pass":
        reasons.append("well_above_target")
    if not reasons and item.indicator.board_report == Indicator.BoardReport.ALWAYS:
        reasons.append("board_always")
    return reasons


@dataclass
class HighlightGroup:
    name: str
    exceptions: list


@dataclass
class HighlightReport:
    """The exceptions of a review, grouped by priority, and what was left out."""

    review: Review
    groups: list
    in_control_count: int
    no_data: list
    kept_off: list = field(default_factory=list)

    @property
    def exception_count(self):
        return sum(len(g.exceptions) for g in self.groups)

    def as_json(self):
        """The shape of `manage.py highlight_report --format json`."""
        return {
            "partnership": self.review.partnership.slug,
            "period": f"{self.review.period:%Y-%m}",
            "priorities": [
                {
                    "name": group.name,
                    "exceptions": [
                        {
                            "indicator": item.indicator.name,
                            "reasons": item.reasons,
                            "variation_icon": item.variation_icon,
                            "assurance_icon": item.assurance_icon,
                            "rag": item.rating.rag if item.rating else None,
                            "latest_value": item.latest_value,
                            "target": None
                            if item.target is None
                            else round(item.target, 4),
                        }
                        for item in group.exceptions
                    ],
                }
                for group in self.groups
            ],
            "in_control_count": self.in_control_count,
            "kept_off": [
                {
                    "indicator": item.indicator.name,
                    "reason": item.indicator.board_report_reason,
                    "would_be_exception": bool(item.reasons),
                }
                for item in self.kept_off
            ],
        }


def board_ask(item):
    """What the board is asked to do: the group's words, else a default."""
    if item.rating and item.rating.board_ask:
        return item.rating.board_ask
    if item.reasons == ["board_always"]:
        return "Note the latest figures: in control and on track this period."
    if set(item.reasons) <= RECOGNITION:
        return "Note the improvement and recognise the partners behind it."
    return (
        "Consider whether partners can shed light on the causes or help"
        " remedy it, and who will report back."
    )


def highlight_report(review, items=None):
    """Only the exceptions, grouped by the partnership's priorities in order,
    then any block without a priority (MOPAC 7). An indicator the performance
    group reports always is there even in control; one it keeps off never is,
    and is listed with the group's reason."""
    from csphub.strategy.models import Priority

    items = review_charts(review) if items is None else items
    names = [p.name for p in Priority.objects.of(review.partnership)]
    groups = {name: [] for name in names}
    in_control, no_data, kept_off = 0, [], []
    for item in items:
        if item.indicator.board_report == Indicator.BoardReport.NEVER:
            kept_off.append(item)
        elif not item.has_data:
            no_data.append(item)
        elif item.reasons:
            item.board_ask = board_ask(item)
            groups.setdefault(item.indicator.group_name, []).append(item)
        else:
            in_control += 1
    return HighlightReport(
        review=review,
        groups=[HighlightGroup(name, found) for name, found in groups.items()],
        in_control_count=in_control,
        no_data=no_data,
        kept_off=kept_off,
    )


def exception_count(report):
    return report.exception_count

"""Indicators (the KPI register), measurements, and the performance group's reviews."""

from datetime import date

from django.db import models
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.models import Organisation, Partnership, User

# add_months is re-exported: other apps' code reads it from here.
from csphub.lib.months import add_months  # noqa: F401
from csphub.strategy.models import Priority

MONTHS_IN = {"monthly": 1, "quarterly": 3, "annual": 12}


class IndicatorQuerySet(models.QuerySet):
    def of(self, partnership):
        """The partnership's register, in report order, with priority and owner.

        Reads priority and owner: select_related them.
        """
        return (
            self.filter(partnership=partnership)
            .select_related("priority", "owner")
            .order_by(
                models.F("priority__order").asc(nulls_last=True),
                "theme",
                "order",
                "name",
            )
        )

    def measured(self):
        """Indicators that have (or will have) a series of values."""
        return self.filter(status=Indicator.Status.MEASURED)

    def published(self):
        """Indicators shown on the public scorecard."""
        return self.filter(published=True, status=Indicator.Status.MEASURED)


class Indicator(models.Model):
    """A KPI of a partnership's register: what is measured, by whom, against what."""

    class Source(models.TextChoices):
        MOPAC7 = "mopac7", "MOPAC 7"
        MOPAC = "mopac", "MOPAC"
        CORPORATE_PLAN = "corporate_plan", "Corporate Plan"
        MET_POLICE = "met_police", "Met Police measurement"
        CSP = "csp", "CSP"
        PREVENT = "prevent", "PREVENT (Home Office)"
        NONE = "none", "None yet"

    class Unit(models.TextChoices):
        COUNT = "count", "count"
        PERCENT = "percent", "per cent"
        RATE = "rate", "rate"
        NUMBER = "number", "number"

    class Improvement(models.TextChoices):
        INCREASE = "increase", "Higher is better"
        DECREASE = "decrease", "Lower is better"
        NEUTRAL = "neutral", "Neither (watch for change)"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annual"

    class Status(models.TextChoices):
        MEASURED = "measured", "Measured"
        DELIVERY_PLAN = "delivery_plan", "Monitored through a delivery plan"
        GAP = "gap", "Gap: an indicator is needed"

    class Computed(models.TextChoices):
        NONE = "", "Entered or imported"
        CRIME = "crime", "Counted from police.uk incidents"
        REOFFENDING = "reoffending", "Re-offending of the IOM cohort"

    class BoardReport(models.TextChoices):
        ALWAYS = "always", "Always"
        EXCEPTIONAL = "exceptional", "When exceptional"
        NEVER = "never", "Never"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="indicators"
    )
    priority = models.ForeignKey(
        Priority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        help_text="Leave empty for the MOPAC 7 block, reviewed by the police.",
    )
    theme = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=80)
    order = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=20, choices=Source.choices)
    description = models.TextField(
        "definition", blank=True, help_text="What is counted, and where it comes from."
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.MEASURED
    )
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.COUNT)
    improvement = models.CharField(
        max_length=10, choices=Improvement.choices, default=Improvement.DECREASE
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        help_text="The organisation whose officers enter its values.",
    )
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_period = models.DateField(null=True, blank=True)
    baseline_label = models.CharField(
        max_length=60, blank=True, help_text="As the plan states it, e.g. 2013/14."
    )
    target_value = models.FloatField(null=True, blank=True)
    target_date = models.DateField(
        null=True,
        blank=True,
        help_text="With a baseline, the target is a straight trajectory to this date.",
    )
    target_percent = models.FloatField(
        "change by %",
        null=True,
        blank=True,
        help_text="A target stated as a change, e.g. -40 for 'reduce by 40%'.",
    )
    target_years = models.PositiveSmallIntegerField(
        "over (years)", null=True, blank=True
    )
    target_note = models.CharField("target as stated", max_length=300, blank=True)
    target_critical = models.BooleanField(
        default=False,
        help_text="Hit-and-miss against the target is then an exception for the board.",
    )
    published = models.BooleanField(
        default=False, help_text="Shown on the public scorecard."
    )
    computed_from = models.CharField(
        max_length=20, choices=Computed.choices, default=Computed.NONE, blank=True
    )
    crime_categories = models.JSONField(
        "police.uk categories",
        default=list,
        blank=True,
        help_text="For counted indicators: the police.uk categories that make it up.",
    )
    # What reaches the board's highlight report: the performance group decides.
    board_report = models.CharField(
        "on the board's highlight report",
        max_length=12,
        choices=BoardReport.choices,
        default=BoardReport.EXCEPTIONAL,
    )
    board_report_reason = models.CharField(
        "why it is kept off", max_length=500, blank=True
    )
    board_report_set_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    board_report_set_at = models.DateTimeField(null=True, blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="indicator_slug_unique"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("performance:indicator", args=[self.slug])

    @property
    def group_name(self):
        """The heading it reports under: its priority, or its theme (MOPAC 7)."""
        return self.priority.name if self.priority_id else (self.theme or "Other")

    @property
    def step(self):
        """Months between periods."""
        return MONTHS_IN[self.frequency]

    def period_of(self, day):
        """The first day of the period that contains `day`."""
        months = self.step
        index = (day.year * 12 + day.month - 1) // months * months
        return date(index // 12, index % 12 + 1, 1)

    def target_for(self, period):
        """The target for a period: a trajectory from the baseline when the
        target has a date, else the flat target value (None without one)."""
        if self.target_value is None:
            return None
        if (
            self.target_date is None
            or self.baseline_value is None
            or self.baseline_period is None
            or self.target_date <= self.baseline_period
        ):
            return self.target_value
        if period <= self.baseline_period:
            return self.baseline_value
        if period >= self.target_date:
            return self.target_value
        span = (self.target_date - self.baseline_period).days
        done = (period - self.baseline_period).days / span
        return self.baseline_value + (self.target_value - self.baseline_value) * done


class MeasurementQuerySet(models.QuerySet):
    def current(self):
        """The value in force for each period (corrections replace, never delete)."""
        return self.filter(current=True)


class Measurement(models.Model):
    """One value of an indicator for one period; a correction adds a row."""

    class Source(models.TextChoices):
        ENTERED = "entered", "Entered"
        IMPORTED = "imported", "Imported"
        COMPUTED = "computed", "Computed"
        ILLUSTRATIVE = "illustrative", "Illustrative (demo)"

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements"
    )
    period = models.DateField(help_text="The first day of the period.")
    value = models.FloatField()
    source = models.CharField(max_length=20, choices=Source.choices)
    source_detail = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    current = models.BooleanField(default=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
    )

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["period", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=models.Q(current=True),
                name="one_current_value_per_period",
            )
        ]
        indexes = [models.Index(fields=["indicator", "current", "period"])]

    def __str__(self):
        return f"{self.indicator}: {self.value:g} for {self.period:%Y-%m}"


class Review(models.Model):
    """The performance group's review of every indicator for one period."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="performance_reviews"
    )
    period = models.DateField(help_text="The first day of the month reviewed.")
    body = models.ForeignKey(
        "structure.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="performance_reviews",
        help_text="The group that rates the indicators (the PMG).",
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period"], name="one_review_per_period"
            )
        ]

    def __str__(self):
        return f"Performance review, {self.period:%B %Y}"

    def get_absolute_url(self):
        return reverse("performance:review", args=[f"{self.period:%Y-%m}"])


class Rating(models.Model):
    """The group's RAG rating of one indicator in a review, with the software's
    proposal, the commentary, and why a person overrode the proposal."""

    class Rag(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="ratings"
    )
    proposed_rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    commentary = models.TextField(blank=True)
    board_ask = models.TextField("what the board is asked to do", blank=True)
    override_reason = models.TextField(blank=True)
    variation_icon = models.CharField(max_length=30, blank=True)
    assurance_icon = models.CharField(max_length=30, blank=True)
    latest_value = models.FloatField(null=True, blank=True)
    latest_period = models.DateField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    rated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rated_at = models.DateTimeField(null=True, blank=True)
    context_note = models.TextField("context from business intelligence", blank=True)
    context_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "indicator"], name="one_rating_per_indicator"
            )
        ]

    def __str__(self):
        return f"{self.indicator}: {self.rag or 'not rated'}"

    @property
    def overridden(self):
        return bool(self.rag and self.proposed_rag and self.rag != self.proposed_rag)

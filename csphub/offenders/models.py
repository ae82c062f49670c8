"""The IOM cohort (pseudonymous), pathway needs, interventions, referrals,
personal budgets, proven offences, and which KPIs the measures feed.

Nothing here names a person: a nominal is a keyed hash of the case system's
reference plus a display code. Reasons and categories are fixed choices, not
free text, so nothing identifying can be typed in.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.models import Organisation, Partnership, User
from csphub.performance.models import Indicator
from csphub.places.models import Zone


class Pathway(models.TextChoices):
    """The seven pathways out of crime."""

    ACCOMMODATION = "accommodation", "Accommodation"
    ETE = "ete", "Education, training and employment"
    HEALTH = "health", "Health"
    DRUGS_ALCOHOL = "drugs_alcohol", "Drugs and alcohol"
    FINANCE = "finance", "Finance, benefit and debt"
    FAMILY = "family", "Children and families"
    ATTITUDES = "attitudes", "Attitudes, thinking and behaviour"


class NominalQuerySet(models.QuerySet):
    def of(self, partnership):
        """The partnership's nominals, with lead organisation and zone."""
        return self.filter(partnership=partnership).select_related(
            "lead_organisation", "zone"
        )

    def active_on(self, day):
        """Nominals in the cohort on a day (selected, not yet de-selected)."""
        return self.filter(selected_on__lte=day).exclude(deselected_on__lte=day)


class Nominal(models.Model):
    """A member of the IOM cohort, known only by a keyed hash and a code."""

    class Stream(models.TextChoices):
        FIXED = "fixed", "Fixed"
        FLEX = "flex", "Flex"
        FREE = "free", "Free"

    class SelectionReason(models.TextChoices):
        ACQUISITIVE = "acquisitive", "Prolific acquisitive offending"
        VIOLENCE = "violence", "Violence"
        GANG = "gang", "Gang association"
        SHORT_SENTENCE = "short_sentence", "Short sentence, no statutory supervision"
        PANEL = "panel", "Partnership panel referral"
        OTHER = "other", "Other"

    class DeselectionReason(models.TextChoices):
        PROGRESS = "progress", "Reduced risk: progress on the pathways"
        CUSTODY = "custody", "Long custodial sentence"
        MOVED = "moved", "Moved out of the area"
        TRANSFERRED = "transferred", "Transferred to another scheme"
        DIED = "died", "Died"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="nominals"
    )
    reference_hash = models.CharField(
        max_length=64, help_text="HMAC-SHA256 of the case system's reference."
    )
    code = models.CharField("display code", max_length=12)
    stream = models.CharField(max_length=10, choices=Stream.choices)
    risk_tier = models.CharField(max_length=40, blank=True)
    selected_on = models.DateField()
    selection_reason = models.CharField(
        max_length=20, choices=SelectionReason.choices, default=SelectionReason.OTHER
    )
    deselected_on = models.DateField(null=True, blank=True)
    deselection_reason = models.CharField(
        max_length=20, choices=DeselectionReason.choices, blank=True
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="iom_nominals",
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    synthetic = models.BooleanField(default=False)

    objects = NominalQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference_hash"], name="nominal_once"
            ),
            models.UniqueConstraint(
                fields=["partnership", "code"], name="nominal_code_unique"
            ),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("offenders:nominal", args=[self.code])

    def is_active(self, day):
        return self.selected_on <= day and (
            self.deselected_on is None or self.deselected_on > day
        )


class Need(models.Model):
    """The level of need on one pathway at entry or at a review."""

    class Level(models.TextChoices):
        NONE = "none", "None"
        SOME = "some", "Some"
        HIGH = "high", "High"

    class Stage(models.TextChoices):
        ENTRY = "entry", "Entry"
        REVIEW = "review", "Review"

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="needs")
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    stage = models.CharField(max_length=10, choices=Stage.choices)
    assessed_on = models.DateField()
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["assessed_on", "pathway"]

    def __str__(self):
        return f"{self.nominal}: {self.get_pathway_display()} {self.level}"


class Intervention(models.Model):
    """An intervention on one pathway: offered, started, completed, by whom."""

    class Kind(models.TextChoices):
        SUPPORT = "support", "Key-worker support"
        PEER_MENTORING = "peer_mentoring", "Peer mentoring"
        PROGRAMME = "programme", "Accredited programme"
        TREATMENT = "treatment", "Treatment"
        TRAINING = "training", "Training or education course"
        ADVICE = "advice", "Advice"

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="interventions"
    )
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="iom_interventions"
    )
    offered_on = models.DateField()
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["offered_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_pathway_display()})"

    @property
    def state(self):
        if self.completed_on:
            return "completed"
        return "started" if self.started_on else "offered"


class Referral(models.Model):
    """A one-stop referral to a service, and how long it took to respond."""

    class Service(models.TextChoices):
        JOBCENTRE = "jobcentre", "Jobcentre Plus"
        HOUSING = "housing", "Housing"
        HEALTH = "health", "Health"
        DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol treatment"
        BENEFITS = "benefits", "Benefits and debt advice"
        OTHER = "other", "Other"

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="referrals"
    )
    service = models.CharField(max_length=20, choices=Service.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="iom_referrals",
    )
    referred_on = models.DateField()
    responded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["referred_on", "pk"]

    def __str__(self):
        return f"{self.nominal} to {self.get_service_display()}"

    @property
    def days_to_respond(self):
        if self.responded_on is None:
            return None
        return (self.responded_on - self.referred_on).days


class Offence(models.Model):
    """A proven offence of a nominal, from the case system's export: dates and a
    category only."""

    class Category(models.TextChoices):
        VIOLENCE = "violence", "Violence against the person"
        SEXUAL = "sexual", "Sexual offences"
        ROBBERY = "robbery", "Robbery"
        THEFT = "theft", "Theft offences"
        DAMAGE = "damage", "Criminal damage and arson"
        DRUGS = "drugs", "Drug offences"
        WEAPONS = "weapons", "Possession of weapons"
        PUBLIC_ORDER = "public_order", "Public order offences"
        FRAUD = "fraud", "Fraud offences"
        SUMMARY = "summary", "Summary non-motoring"
        MOTORING = "motoring", "Summary motoring"
        OTHER = "other", "Other"

    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="offences"
    )
    committed_on = models.DateField()
    proven_on = models.DateField(help_text="Date of conviction or caution.")
    category = models.CharField(max_length=20, choices=Category.choices)

    class Meta:
        ordering = ["committed_on", "pk"]
        indexes = [models.Index(fields=["nominal", "committed_on"])]

    def __str__(self):
        return f"{self.nominal}: {self.category} on {self.committed_on}"


class BudgetPilot(models.Model):
    """A personal budget pilot: a fund shared out on risk-assessed decisions."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="budget_pilots"
    )
    name = models.CharField(max_length=200)
    fund_pence = models.PositiveBigIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("offenders:pilot", args=[self.pk])


class Allocation(models.Model):
    """A personal budget for one nominal, on a risk-assessed decision."""

    pilot = models.ForeignKey(
        BudgetPilot, on_delete=models.CASCADE, related_name="allocations"
    )
    nominal = models.ForeignKey(
        Nominal, on_delete=models.CASCADE, related_name="allocations"
    )
    amount_pence = models.PositiveBigIntegerField()
    decided_on = models.DateField()
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+"
    )
    risk_decision = models.TextField(
        help_text="Why, on the risk assessment, the budget was approved. No names."
    )

    class Meta:
        ordering = ["decided_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "nominal"], name="one_allocation_per_pilot"
            )
        ]

    def __str__(self):
        return f"{self.nominal} in {self.pilot}"


class Spend(models.Model):
    """A line of spend from a personal budget, in pence."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, related_name="spends"
    )
    spent_on = models.DateField()
    amount_pence = models.PositiveBigIntegerField()
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["spent_on", "pk"]

    def __str__(self):
        return f"{self.amount_pence / 100:.2f} on {self.spent_on}"


class KpiFeed(models.Model):
    """A KPI of the register that a computed cohort measure feeds."""

    class Measure(models.TextChoices):
        COHORT_SIZE = "cohort_size", "Cohort size at the end of the period"
        BINARY_RATE = "binary_rate", "Binary re-offending rate (%)"
        FREQUENCY_RATE = "frequency_rate", "Re-offences per nominal"

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="iom_feed"
    )
    measure = models.CharField(max_length=20, choices=Measure.choices)

    def __str__(self):
        return f"{self.get_measure_display()} -> {self.indicator}"

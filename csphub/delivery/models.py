"""The delivery plan of a strategy: objectives, activities, milestones,
dependencies, quarterly updates, lead-agency requirements, spend lines, and
the risk and gap registers."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.models import Organisation, Partnership
from csphub.casework.models import Issue
from csphub.places.models import Zone
from csphub.strategy.models import Priority, Strategy

from . import quarters

USER = settings.AUTH_USER_MODEL


class Objective(models.Model):
    """What a priority sets out to achieve, delivered by activities."""

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="objectives"
    )
    title = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class ActivityQuerySet(models.QuerySet):
    def of(self, partnership):
        """The partnership's activities with what plans show (objective,
        priority, owner, organisation): select_related them."""
        return self.filter(objective__priority__partnership=partnership).select_related(
            "objective", "objective__priority", "owner", "organisation"
        )

    def live(self):
        """Activities planned or under way."""
        return self.filter(status__in=Activity.LIVE)

    def running_in(self, quarter):
        """Live activities that overlap the quarter: their owners owe an update."""
        return self.live().filter(
            Q(starts__lte=quarters.quarter_end(quarter)),
            Q(ends__isnull=True) | Q(ends__gte=quarter),
        )


class Activity(models.Model):
    """A project or a business-as-usual activity under an objective."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        STOPPED = "stopped", "Stopped"

    class Kind(models.TextChoices):
        PROJECT = "project", "Project"
        BAU = "bau", "Business as usual"

    LIVE = {Status.PLANNED, Status.IN_PROGRESS}

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delivery_activities",
        help_text="The person asked for a quarterly update.",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="delivery_activities"
    )
    partners = models.ManyToManyField(
        Organisation, related_name="delivery_contributions", blank=True
    )
    starts = models.DateField()
    ends = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROJECT)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, related_name="dependents", blank=True
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["starts", "pk"]
        verbose_name_plural = "activities"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("delivery:activity-detail", args=[self.pk])

    @property
    def priority(self):
        return self.objective.priority

    def is_live(self):
        return self.status in self.LIVE


class OutsideDependency(models.Model):
    """A project outside the plan an activity depends on (Barnet Table 7)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="outside_dependencies"
    )
    project = models.CharField(max_length=300)
    impact = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "outside dependencies"

    def __str__(self):
        return self.project


class ActivityPartQuerySet(models.QuerySet):
    """Rows that belong to an activity: its milestones, its quarterly updates."""

    def of(self, partnership):
        """The partnership's, with the activity's objective, priority and owner."""
        mine = self.filter(activity__objective__priority__partnership=partnership)
        return mine.select_related(
            "activity__objective__priority__partnership", "activity__owner"
        )


class Milestone(models.Model):
    """A dated point on an activity's way."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(max_length=300)
    due = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    objects = ActivityPartQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self):
        return self.name

    def is_late(self, today):
        return self.done_on is None and self.due < today


class Rag(models.TextChoices):
    """Red, amber, green: how an activity is going."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class QuarterlyUpdate(models.Model):
    """An activity owner's update for a quarter; a resubmission is a new row
    and the newest counts."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="updates"
    )
    quarter = models.DateField(help_text="The first day of the quarter.")
    rag = models.CharField("RAG", max_length=10, choices=Rag.choices)
    reason = models.TextField(
        "reason for the rating", blank=True, help_text="Required for amber and red."
    )
    progress = models.TextField("progress this quarter")
    next_quarter = models.TextField("what to expect next quarter")
    blockers = models.TextField(blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    issue = models.ForeignKey(
        Issue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The casework issue a blocker was escalated as.",
    )

    objects = ActivityPartQuerySet.as_manager()

    class Meta:
        ordering = ["-quarter", "-at", "-pk"]
        indexes = [models.Index(fields=["activity", "quarter"])]

    def __str__(self):
        return f"{self.activity} – {self.quarter_label()}"

    def quarter_label(self):
        return quarters.label(self.quarter)


class Reminder(models.Model):
    """An e-mail asking (or chasing) an owner for a quarter's update."""

    class Kind(models.TextChoices):
        ASKED = "asked", "Asked"
        CHASED = "chased", "Chased (late)"

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="reminders"
    )
    quarter = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    to = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "quarter", "kind"], name="one_reminder_of_a_kind"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.activity} {self.quarter}"


class LeadRequirement(models.Model):
    """A responsibility a lead agency accepts (Barnet review, 4.2.3.1)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="lead_requirements"
    )
    text = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class LeadAcceptance(models.Model):
    """A lead organisation's acceptance of one requirement for a priority."""

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="lead_acceptances"
    )
    requirement = models.ForeignKey(
        LeadRequirement, on_delete=models.CASCADE, related_name="acceptances"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="lead_acceptances"
    )
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "requirement", "organisation"],
                name="accepted_once",
            )
        ]

    def __str__(self):
        return f"{self.organisation} accepts {self.requirement}"


class SpendLine(models.Model):
    """What one organisation's service area spends on a priority in a year."""

    class Confidence(models.TextChoices):
        ACTUAL = "actual", "Actual (from accounts)"
        BUDGET = "budget", "Budget"
        ESTIMATE = "estimate", "Estimate"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="spend_lines"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="spend_lines"
    )
    service_area = models.CharField(max_length=200)
    # RESTRICT, not PROTECT: a priority with spend cannot be deleted alone,
    # but its partnership can be, taking both with it.
    priority = models.ForeignKey(
        Priority, on_delete=models.RESTRICT, related_name="spend_lines"
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The financial year by its first year: 2011 for 2011/12."
    )
    pence = models.BigIntegerField()
    source = models.CharField(max_length=300, blank=True)
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.ESTIMATE
    )

    class Meta:
        ordering = ["year", "organisation__name", "service_area", "priority__order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pence__gte=0), name="spend_not_negative"
            ),
            # A borough-wide line has no zone, and NULLs are distinct here
            # (SQLite cannot say otherwise): import_spend replaces a held cell.
            models.UniqueConstraint(
                fields=[
                    "partnership",
                    "organisation",
                    "service_area",
                    "priority",
                    "zone",
                    "year",
                ],
                name="one_spend_line_per_cell",
            ),
        ]

    def __str__(self):
        return f"{self.service_area} – {self.priority} {self.year}: {self.pence}p"


class Reviewed(models.Model):
    """A register entry reviewed on a cycle."""

    review_months = models.PositiveSmallIntegerField("review every (months)", default=3)
    last_reviewed = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def next_review(self):
        if self.last_reviewed is None:
            return None
        month = self.last_reviewed.month - 1 + self.review_months
        year = self.last_reviewed.year + month // 12
        day = min(self.last_reviewed.day, 28)
        return self.last_reviewed.replace(year=year, month=month % 12 + 1, day=day)

    def review_overdue(self, today):
        """Never reviewed, or past its next review date."""
        due = self.next_review()
        return due is None or due < today


SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(Reviewed):
    """A risk to delivering a strategy, scored 1-5 for likelihood and impact."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="risks"
    )
    risk = models.TextField()
    cause = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(validators=SCALE)
    impact = models.PositiveSmallIntegerField(validators=SCALE)
    owner = models.CharField(max_length=200)
    mitigations = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5
                ),
                name="risk_scores_one_to_five",
            )
        ]

    def __str__(self):
        return self.risk[:80]

    def score(self):
        return self.likelihood * self.impact


class Gap(Reviewed):
    """A gap in delivering a strategy and the opportunity it offers (Table 4)."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="gaps"
    )
    gap = models.TextField()
    opportunity = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.gap[:80]

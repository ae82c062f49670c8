"""Problem-solving projects: the SARA process and its "302" status list."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from csphub.places.models import Area, Zone

from .issues import Issue

USER = settings.AUTH_USER_MODEL


class Project(models.Model):
    """A problem-solving project (SARA) on an issue: scanning, analysis,
    response, assessment, then a close the owning body approves."""

    class Stage(models.TextChoices):
        SCANNING = "scanning", "Scanning"
        ANALYSIS = "analysis", "Analysis"
        RESPONSE = "response", "Response"
        ASSESSMENT = "assessment", "Assessment"
        CLOSED = "closed", "Closed"

    class Measure(models.TextChoices):
        INCIDENTS = "incidents", "Recorded incidents in the area (computed)"
        OTHER = "other", "Another measure (entered, with its source)"

    STAGES = [Stage.SCANNING, Stage.ANALYSIS, Stage.RESPONSE, Stage.ASSESSMENT]

    issue = models.OneToOneField(
        Issue, on_delete=models.CASCADE, related_name="project"
    )
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.SCANNING, db_index=True
    )
    lead = models.ForeignKey(
        "structure.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects_led",
    )
    # Scanning
    problem = models.TextField("the problem", blank=True)
    evidence = models.TextField("evidence of the problem", blank=True)
    # Analysis
    causes = models.TextField(blank=True)
    victim = models.TextField("victims", blank=True)
    offender = models.TextField("offenders", blank=True)
    place = models.TextField("location", blank=True)
    measure = models.CharField(max_length=20, choices=Measure.choices, blank=True)
    measure_label = models.CharField("what is measured", max_length=300, blank=True)
    source = models.CharField("source of the measure", max_length=200, blank=True)
    categories = models.JSONField(
        default=list, blank=True, help_text="Incident categories counted."
    )
    measure_ward = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    measure_zone = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    baseline_from = models.DateField(null=True, blank=True)
    baseline_to = models.DateField(null=True, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    baseline_months = models.PositiveIntegerField(null=True, blank=True)
    # Response
    aim = models.FloatField(
        "target", null=True, blank=True, help_text="The measure the project aims for."
    )
    aim_text = models.TextField("aims", blank=True)
    partners = models.ManyToManyField(
        "accounts.Organisation", related_name="projects", blank=True
    )
    # Assessment
    after_from = models.DateField(null=True, blank=True)
    after_to = models.DateField(null=True, blank=True)
    after = models.FloatField("measure after", null=True, blank=True)
    assessment = models.TextField("what the assessment found", blank=True)
    comparison = models.JSONField(
        default=dict, blank=True, help_text="Target and control areas, and WDD."
    )
    # Close
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    close_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["issue__title"]

    def __str__(self):
        return f"Problem solving: {self.issue.title}"

    def get_absolute_url(self):
        return reverse("casework:project-detail", args=[self.pk])

    def has_baseline(self):
        return self.baseline is not None and bool(self.source) and self.baseline_from

    def change(self):
        """The measure after against the baseline (after - baseline), or None."""
        if self.baseline is None or self.after is None:
            return None
        return self.after - self.baseline

    def change_percent(self):
        if self.change() is None or not self.baseline:
            return None
        return round(100 * self.change() / self.baseline, 1)

    def aim_met(self):
        if self.after is None or self.aim is None or self.baseline is None:
            return None
        if self.aim <= self.baseline:
            return self.after <= self.aim
        return self.after >= self.aim

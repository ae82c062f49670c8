"""Response-time KPIs the performance group adopted from casework."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from csphub.structure.models import Body


class ResponseIndicator(models.Model):
    """Links a performance indicator to what casework counts for it each
    month: the median days from an issue being raised to its first action,
    or to its resolution, for a body (and the bodies below it) or for an
    organisation's actions."""

    class Measure(models.TextChoices):
        FIRST_ACTION = "first_action", "Days from raised to first action"
        RESOLUTION = "resolution", "Days from raised to resolution"

    indicator = models.OneToOneField(
        "performance.Indicator",
        on_delete=models.CASCADE,
        related_name="response_source",
    )
    measure = models.CharField(max_length=20, choices=Measure.choices)
    body = models.ForeignKey(
        Body,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response_indicators",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response_indicators",
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    adopted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(body__isnull=False)
                | models.Q(organisation__isnull=False),
                name="response_indicator_has_a_subject",
            )
        ]

    def __str__(self):
        return f"{self.get_measure_display()}: {self.subject}"

    @property
    def subject(self):
        return self.body or self.organisation

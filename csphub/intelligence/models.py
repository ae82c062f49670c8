"""Incident data sets: imported files and the incidents they hold."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.models import Partnership
from csphub.places.models import Area, Zone


class SourceFile(models.Model):
    """One imported file: the unit of import (police.uk publishes a file per
    force and month, and revises months, so a newer file replaces the older)."""

    class Source(models.TextChoices):
        POLICE_UK = "police_uk", "police.uk street-level crime"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="source_files"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    name = models.CharField(max_length=255)
    force = models.CharField(max_length=100)
    month = models.DateField(help_text="The first day of the month the file covers.")
    sha256 = models.CharField(max_length=64)
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_outside = models.PositiveIntegerField(
        default=0, help_text="Rows placed outside the partnership's area, kept out."
    )
    rows_no_location = models.PositiveIntegerField(
        default=0, help_text="Rows with no coordinates and no LSOA, kept out."
    )
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imported_files",
    )

    class Meta:
        ordering = ["-month", "force"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "source", "force", "month"],
                name="one_file_per_force_and_month",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.force}, {self.month:%Y-%m})"


class IncidentQuerySet(models.QuerySet):
    def in_area(self, area):
        """Incidents in a borough, ward or LSOA."""
        if area.kind == Area.Kind.LSOA:
            return self.filter(lsoa=area)
        if area.kind == Area.Kind.WARD:
            return self.filter(ward=area)
        return self.filter(partnership__borough=area)


class Incident(models.Model):
    """A recorded crime or ASB incident, placed in the area tree."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="incidents"
    )
    source_file = models.ForeignKey(
        SourceFile, on_delete=models.CASCADE, related_name="incidents"
    )
    line = models.PositiveIntegerField(help_text="Line of the source file.")
    crime_id = models.CharField(max_length=64, blank=True)
    month = models.DateField()
    occurred_on = models.DateField(
        null=True, blank=True, help_text="The day, where the source records one."
    )
    category = models.CharField(max_length=100)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=255, blank=True)
    lsoa = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    alcohol_related = models.BooleanField(default=False)
    hate_crime = models.BooleanField(default=False)
    repeat_victim = models.BooleanField(default=False)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["month", "pk"]
        indexes = [
            models.Index(fields=["partnership", "month", "category"]),
            models.Index(fields=["ward", "month"]),
            models.Index(fields=["zone", "month"]),
        ]

    def __str__(self):
        return f"{self.category}, {self.month:%Y-%m}, {self.location}"


class ImportJob(models.Model):
    """An upload being imported in the background, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Rejected"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="import_jobs"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(default=timezone.now)
    name = models.CharField(max_length=255)
    stored_as = models.CharField(max_length=500)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    source_file = models.ForeignKey(
        SourceFile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("intelligence:import-job", args=[self.pk])

    def percent_done(self):
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    def is_finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}

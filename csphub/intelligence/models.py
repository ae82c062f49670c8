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


class BriefingQuerySet(models.QuerySet):
    def of(self, partnership):
        """A partnership's briefings with what their list shows, newest first."""
        return (
            self.filter(partnership=partnership)
            .select_related("area", "zone", "created_by")
            .order_by("-month", "-created_at")
        )


class Briefing(models.Model):
    """An intelligence briefing for an area (borough, ward or zone) and a month.

    Computed once (a background task, or inline from `manage.py briefing`)
    and stored: the page and the PDF are drawn from `results`, with the seed,
    parameters and the months of data it used recorded beside them.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Preparing"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="briefings"
    )
    # Exactly one of area (a borough or ward) and zone is set.
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    month = models.DateField(help_text="The first day of the briefing's month.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    step = models.CharField(max_length=120, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="briefings",
    )
    seed = models.PositiveBigIntegerField(help_text="Seed of the permutation tests.")
    parameters = models.JSONField(default=dict)
    data_months = models.JSONField(
        default=list, help_text="Months (YYYY-MM) with data that the briefing used."
    )
    results = models.JSONField(default=dict)
    seconds = models.FloatField(null=True, blank=True, help_text="Time to compute.")

    objects = BriefingQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area__isnull=True) ^ models.Q(zone__isnull=True),
                name="briefing_area_or_zone",
            )
        ]

    def __str__(self):
        return f"Briefing for {self.place_name()}, {self.month:%B %Y}"

    def get_absolute_url(self):
        return reverse("intelligence:briefing-detail", args=[self.pk])

    def place(self):
        """The Area (borough or ward) or Zone briefed on."""
        return self.zone or self.area

    def place_name(self):
        if self.zone_id:
            return f"{self.zone.name} zone"
        return self.area.name

    def place_code(self):
        """The code `manage.py briefing --area` takes: ONS code or zone:SLUG."""
        return f"zone:{self.zone.slug}" if self.zone_id else self.area.code

    def is_finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}

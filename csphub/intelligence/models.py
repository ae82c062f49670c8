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
        DATASET = "dataset", "Partner data set"

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
    # A partner data set's file covers whole months, `month` to `last_month`.
    data_set = models.ForeignKey(
        "DataSet",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
    )
    last_month = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "force"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "source", "force", "month"],
                condition=models.Q(source="police_uk"),
                name="one_file_per_force_and_month",
            ),
            models.UniqueConstraint(
                fields=["data_set", "month"],
                condition=models.Q(source="dataset"),
                name="one_partner_file_per_first_month",
            ),
            models.CheckConstraint(
                condition=models.Q(source="police_uk", data_set=None)
                | models.Q(source="dataset", data_set__isnull=False),
                name="partner_files_belong_to_a_data_set",
            ),
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

    def police_uk(self):
        """Incidents from police.uk files, leaving out partner data sets."""
        return self.filter(data_set=None)


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
    # A partner data set's victim or household reference, only as a keyed hash
    # (victims.victim_key: HMAC under CSPHUB_VICTIM_KEY); never the reference.
    # db_default: the police.uk import writes rows with raw SQL, without it.
    victim_key = models.CharField(max_length=64, blank=True, db_default="")
    # Set for a partner data set's incidents (None for police.uk): kept on the
    # incident so police.uk counts need no join.
    data_set = models.ForeignKey(
        "DataSet",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="incidents",
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["month", "pk"]
        indexes = [
            models.Index(fields=["partnership", "month", "category"]),
            models.Index(fields=["ward", "month"]),
            models.Index(fields=["zone", "month"]),
        ]

    def __str__(self):
        when = (
            f"{self.occurred_on:%d %b %Y}"
            if self.occurred_on
            else f"{self.month:%b %Y}"
        )
        return f"{self.category}, {when}, {self.location}".rstrip(", ")

    def get_absolute_url(self):
        return reverse("intelligence:incident-detail", args=[self.pk])


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
    data_set = models.ForeignKey(
        "DataSet",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_jobs",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    def get_absolute_url(self):
        if self.data_set_id:
            return reverse("intelligence:dataset-import-job", args=[self.pk])
        return reverse("intelligence:import-job", args=[self.pk])

    def percent_done(self):
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    def is_finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}


# Partner data sets (issue 6): a council ASB log, a fire service's secondary
# fires. Their files are SourceFiles with source=DATASET; their incidents carry
# real dates (occurred_on) and point back to the data set.


def split_values(text):
    """'Y, Yes,1' -> ['Y', 'Yes', '1']: a comma-separated setting as a list."""
    return [v.strip() for v in text.split(",") if v.strip()]


class DataSetQuerySet(models.QuerySet):
    def with_counts(self):
        """Data sets with their file and incident counts (one grouped query)."""
        return self.annotate(
            file_count=models.Count("files", distinct=True),
            incident_count=models.Sum("files__rows_loaded"),
            last_import=models.Max("files__imported_at"),
        ).select_related("organisation")


class DataSet(models.Model):
    """A named series of files from one partner organisation, read through a
    saved column mapping (which column holds the date, category, location...)."""

    class LocationKind(models.TextChoices):
        LONGITUDE_LATITUDE = "lonlat", "Longitude and latitude (WGS84 degrees)"
        EASTING_NORTHING = "en", "Easting and northing (British National Grid)"
        LSOA = "lsoa", "LSOA code only (no coordinates)"

    class Encoding(models.TextChoices):
        UTF8 = "utf-8", "UTF-8"
        WINDOWS_1252 = "cp1252", "Windows-1252 (Excel's plain 'CSV' on Windows)"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="data_sets"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="data_sets"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    # The sample file the mapping was made from: its columns and first rows.
    columns = models.JSONField(default=list, blank=True)
    sample_rows = models.JSONField(default=list, blank=True)
    sample_name = models.CharField(max_length=255, blank=True)
    # The mapping.
    encoding = models.CharField(
        max_length=10, choices=Encoding.choices, default=Encoding.UTF8
    )
    sheet = models.CharField(
        max_length=100, blank=True, help_text="XLSX only: blank for the first sheet."
    )
    date_column = models.CharField(max_length=200, blank=True)
    date_formats = models.JSONField(default=list, blank=True)
    category_column = models.CharField(max_length=200, blank=True)
    fixed_category = models.CharField(
        max_length=100,
        blank=True,
        help_text="The category of every row, when the file has no category column.",
    )
    category_map = models.JSONField(default=dict, blank=True)
    category_map_required = models.BooleanField(default=False)
    location_kind = models.CharField(
        max_length=10,
        choices=LocationKind.choices,
        default=LocationKind.LONGITUDE_LATITUDE,
    )
    x_column = models.CharField(max_length=200, blank=True)
    y_column = models.CharField(max_length=200, blank=True)
    lsoa_column = models.CharField(max_length=200, blank=True)
    address_column = models.CharField(max_length=200, blank=True)
    reference_column = models.CharField(max_length=200, blank=True)
    alcohol_column = models.CharField(max_length=200, blank=True)
    hate_crime_column = models.CharField(max_length=200, blank=True)
    repeat_victim_column = models.CharField(max_length=200, blank=True)
    victim_column = models.CharField(
        max_length=200,
        blank=True,
        help_text="A victim or household reference: stored only as a keyed hash.",
    )
    yes_values = models.CharField(
        max_length=200,
        default="Y, Yes, True, 1",
        help_text="Values of a flag column that mean yes (any case).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    mapping_changed_at = models.DateTimeField(null=True, blank=True)

    objects = DataSetQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="data_set_slug_per_partnership"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("intelligence:dataset-detail", args=[self.slug])

    def is_mapped(self):
        """Whether the mapping says enough to import a file."""
        has_category = bool(self.category_column or self.fixed_category)
        if self.location_kind == self.LocationKind.LSOA:
            has_location = bool(self.lsoa_column)
        else:
            has_location = bool(self.x_column and self.y_column)
        return bool(self.date_column and has_category and has_location)

    def is_synthetic(self):
        return "synthetic" in self.name.lower()

    def yes_list(self):
        return {v.lower() for v in split_values(self.yes_values)}

    def flag_columns(self):
        """{incident flag field: column} for the flag columns the mapping names."""
        pairs = {
            "alcohol_related": self.alcohol_column,
            "hate_crime": self.hate_crime_column,
            "repeat_victim": self.repeat_victim_column,
        }
        return {flag: column for flag, column in pairs.items() if column}


class FlagChange(models.Model):
    """A partner recording (or clearing) a flag on an incident: who, when, why.

    The incident's boolean holds the current value; these rows are its history.
    They outlive a replaced file (incident set to NULL; the reference stays).
    """

    class Flag(models.TextChoices):
        ALCOHOL_RELATED = "alcohol_related", "Alcohol-related"
        HATE_CRIME = "hate_crime", "Hate crime"
        REPEAT_VICTIM = "repeat_victim", "Repeat victim"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="flag_changes"
    )
    incident = models.ForeignKey(
        Incident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="flag_changes",
    )
    incident_label = models.CharField(max_length=255)
    flag = models.CharField(max_length=20, choices=Flag.choices)
    value = models.BooleanField()
    note = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="flag_changes",
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.describe()} on {self.incident_label}"

    def describe(self):
        return f"{self.get_flag_display()} {'set' if self.value else 'cleared'}"


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


class CountBase(models.Model):
    """Incidents counted by file, month and place: what a briefing reads
    instead of the incidents themselves (a borough-wide count over years
    was a full scan of millions of rows). Written by the import pipeline in
    the file's own transaction (`loading.save_rows`), deleted with the file,
    rebuilt from the incidents by `manage.py rebuild_incident_counts`."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="+"
    )
    source_file = models.ForeignKey(
        SourceFile, on_delete=models.CASCADE, related_name="+"
    )
    # None for police.uk, as on Incident.
    data_set = models.ForeignKey(
        "DataSet", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    month = models.DateField()
    n = models.PositiveIntegerField()

    class Meta:
        abstract = True


class WardMonthCount(CountBase):
    """Incidents of one category in one ward and month, from one file."""

    ward = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["partnership", "month", "ward"])]

    def __str__(self):
        return f"{self.category}, {self.month:%Y-%m}: {self.n}"


class LsoaMonthCount(CountBase):
    """Incidents (every category) in one LSOA and month, from one file."""

    lsoa = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["partnership", "month"])]

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.n}"


class HarmIndex(models.Model):
    """A partnership's harm weights for hotspots of harm: one weight a category
    (for example derived from the ONS Crime Severity Score). Loading a new
    file replaces the index's weights whole."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="harm_index"
    )
    name = models.CharField(max_length=200)
    source = models.CharField(
        max_length=500, help_text="Where the weights come from, shown with them."
    )
    file_name = models.CharField(max_length=255, blank=True)
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    def __str__(self):
        return self.name

    def weights(self):
        """{category: weight} (one query)."""
        return dict(self.weight_rows.values_list("category", "weight"))


class HarmWeight(models.Model):
    """The harm weight of one category in a partnership's harm index."""

    index = models.ForeignKey(
        HarmIndex, on_delete=models.CASCADE, related_name="weight_rows"
    )
    category = models.CharField(max_length=100)
    weight = models.FloatField()

    class Meta:
        ordering = ["-weight", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["index", "category"], name="one_harm_weight_per_category"
            )
        ]

    def __str__(self):
        return f"{self.category}: {self.weight:g}"

"""Bodies of a partnership, their terms of reference, seats, changes and reviews."""

from datetime import timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone

from csphub.places.models import Area

# Meetings a year for each stated frequency; "when needed" counts as none.
MEETINGS_A_YEAR = {
    "daily": 250,
    "weekly": 52,
    "fortnightly": 26,
    "monthly": 12,
    "six_weekly": 9,
    "bimonthly": 6,
    "quarterly": 4,
    "half_yearly": 2,
    "yearly": 1,
    "when_needed": 0,
}


class BodyQuerySet(models.QuerySet):
    def of(self, partnership):
        """The partnership's bodies, with what the map and lists show.

        Reads zone, ward, reporting body and current terms: select_related them.
        """
        return (
            self.filter(partnership=partnership)
            .select_related("zone", "ward", "reports_to", "current_terms")
            .prefetch_related("priorities")
            .order_by("name")
        )

    def visible_to(self, user, *, is_admin):
        """Bodies a user may see: all unrestricted ones, and restricted ones
        where the user holds a current seat (administrators see all)."""
        if is_admin:
            return self
        return self.filter(
            models.Q(restricted=False)
            | models.Q(
                seats__person__user=user,
                seats__ended__isnull=True,
            )
        ).distinct()

    def current(self):
        """Bodies not discontinued."""
        return self.exclude(status=Body.Status.DISCONTINUED)


class Body(models.Model):
    """A board or group of a partnership: the CSP board, a zonal group, a
    task-and-finish group, or a parallel board of another partnership."""

    class Kind(models.TextChoices):
        STRATEGIC_BOARD = "strategic_board", "Strategic board"
        EXECUTIVE = "executive", "Executive"
        OPERATIONAL = "operational", "Operational or tasking group"
        THEMATIC = "thematic", "Thematic sub-group"
        ZONAL = "zonal", "Zonal group"
        ABW = "abw", "Area Based Working group"
        PROBLEM_SOLVING = "problem_solving", "Problem-solving group"
        TASK_AND_FINISH = "task_and_finish", "Task-and-finish group"
        PARALLEL = "parallel", "Parallel board of another partnership"

    class Level(models.TextChoices):
        STRATEGIC = "strategic", "Strategic"
        OPERATIONAL = "operational", "Operational"
        LOCAL = "local", "Local"

    class Status(models.TextChoices):
        # The legend of Barnet's delivery-mechanisms map (Appendix Three).
        ACTIVE = "active", "Active"
        START_PENDING = "start_pending", "Start pending"
        WHEN_NEEDED = "when_needed", "Called when needed"
        DISCONTINUED = "discontinued", "Discontinued"

    DEFAULT_LEVEL = {
        Kind.STRATEGIC_BOARD: Level.STRATEGIC,
        Kind.EXECUTIVE: Level.STRATEGIC,
        Kind.PARALLEL: Level.STRATEGIC,
        Kind.THEMATIC: Level.STRATEGIC,
        Kind.OPERATIONAL: Level.OPERATIONAL,
        Kind.TASK_AND_FINISH: Level.OPERATIONAL,
        Kind.ZONAL: Level.OPERATIONAL,
        Kind.ABW: Level.LOCAL,
        Kind.PROBLEM_SOLVING: Level.LOCAL,
    }
    # Bodies at the top of a structure: nothing in it is above them.
    TOP_KINDS = {Kind.STRATEGIC_BOARD, Kind.PARALLEL}

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="bodies"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    short_name = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    level = models.CharField(
        max_length=20,
        choices=Level.choices,
        blank=True,
        help_text="Left blank, it follows from the kind.",
    )
    zone = models.ForeignKey(
        "places.Zone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bodies",
    )
    ward = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        limit_choices_to={"kind": Area.Kind.WARD},
    )
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reporting_bodies",
    )
    priorities = models.ManyToManyField(
        "strategy.Priority", related_name="bodies", blank=True
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    status_since = models.DateField(null=True, blank=True)
    started = models.DateField(null=True, blank=True)
    ended = models.DateField(null=True, blank=True)
    end_date = models.DateField(
        "due to end",
        null=True,
        blank=True,
        help_text="For a task-and-finish group: when it must finish.",
    )
    output_owed = models.TextField(
        blank=True, help_text="For a task-and-finish group: what it must deliver."
    )
    restricted = models.BooleanField(
        default=False, help_text="Seen only by its members and administrators."
    )
    # The hook for meetings: set by hand on the body page today, and by the
    # meetings app (csphub.meetings) when it records a held meeting.
    last_met = models.DateField(null=True, blank=True)
    current_terms = models.ForeignKey(
        "TermsOfReference",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="body_slug_unique_in_partnership"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.level:
            self.level = self.DEFAULT_LEVEL.get(self.kind, self.Level.OPERATIONAL)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "level"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("structure:body-detail", args=[self.slug])

    @property
    def label(self):
        return self.short_name or self.name

    def area_label(self):
        """Where it works: a ward, a zone, or the whole borough."""
        if self.ward_id:
            return f"{self.ward.name} ward"
        if self.zone_id:
            return f"{self.zone.name} zone"
        return "Borough-wide"

    def area_key(self):
        return ("ward", self.ward_id) if self.ward_id else ("zone", self.zone_id)

    def is_current(self):
        return self.status != self.Status.DISCONTINUED

    def meetings_a_year(self):
        terms = self.current_terms
        return MEETINGS_A_YEAR.get(terms.frequency, 0) if terms else 0

    def hours_a_meeting(self):
        terms = self.current_terms
        return (terms.meeting_minutes if terms else 0) / 60

    def is_overdue(self, today):
        """A task-and-finish group still running after its end date."""
        return (
            self.kind == self.Kind.TASK_AND_FINISH
            and self.status == self.Status.ACTIVE
            and self.end_date is not None
            and self.end_date < today
        )

    def days_pending(self, today):
        if self.status != self.Status.START_PENDING or not self.status_since:
            return None
        return (today - self.status_since).days

    def meeting_overdue_by(self, today):
        """Days beyond its stated frequency (with half an interval's grace)
        since it last met, or None when it is not late or nothing is known."""
        per_year = self.meetings_a_year()
        if self.status != self.Status.ACTIVE or not per_year or not self.last_met:
            return None
        allowed = timedelta(days=round(365 / per_year * 1.5))
        late = today - self.last_met - allowed
        return late.days if late.days > 0 else None


class TermsOfReference(models.Model):
    """One version of a body's terms of reference; a change adds a version."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Every working day"
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"
        SIX_WEEKLY = "six_weekly", "Every six weeks"
        BIMONTHLY = "bimonthly", "Every two months"
        QUARTERLY = "quarterly", "Quarterly"
        HALF_YEARLY = "half_yearly", "Twice a year"
        YEARLY = "yearly", "Yearly"
        WHEN_NEEDED = "when_needed", "When needed"

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="terms")
    version = models.PositiveIntegerField()
    purpose = models.TextField()
    functions = models.TextField(blank=True)
    frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    meeting_minutes = models.PositiveIntegerField(
        "meeting length (minutes)", default=90
    )
    quorum = models.CharField(max_length=300, blank=True)
    chairing = models.CharField("who chairs", max_length=300, blank=True)
    business_route = models.TextField("how business reaches it", blank=True)
    decisions = models.TextField("what it may decide", blank=True)
    escalation = models.TextField("what it escalates, and to whom", blank=True)
    change_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["body", "-version"]
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(
                fields=["body", "version"], name="terms_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.body} terms of reference, version {self.version}"


class Person(models.Model):
    """Someone who holds seats: a user, or a named person (or post) without
    an account."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="structure_people",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="structure_people",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="person_name_unique_in_partnership"
            )
        ]

    def __str__(self):
        return self.name


class SeatQuerySet(models.QuerySet):
    def of(self, partnership):
        """The partnership's seats, with their body and person."""
        return self.filter(body__partnership=partnership).select_related(
            "body", "person"
        )

    def current(self):
        """Seats held now."""
        return self.filter(ended__isnull=True)


class Seat(models.Model):
    """A seat on a body, held by a person for an organisation. Attendance at
    each meeting will hang off this row when meetings exist."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        ADVISER = "adviser", "Adviser"
        SECRETARIAT = "secretariat", "Secretariat"

    class Attendance(models.TextChoices):
        ALWAYS = "always", "Always"
        WHEN_RELEVANT = "when_relevant", "When relevant"

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="seats")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seats",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    attendance = models.CharField(
        max_length=20, choices=Attendance.choices, default=Attendance.ALWAYS
    )
    started = models.DateField(null=True, blank=True)
    ended = models.DateField(null=True, blank=True)

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["body", "role", "person__name"]

    def __str__(self):
        return f"{self.person} on {self.body} ({self.get_role_display()})"

    def attendance_share(self):
        """The share of meetings the seat is expected at: "when relevant"
        counts as half, an assumption the review states."""
        return 1.0 if self.attendance == self.Attendance.ALWAYS else 0.5


class BodyChange(models.Model):
    """A recorded change to a body: set up, merged, paused, discontinued."""

    class Kind(models.TextChoices):
        SET_UP = "set_up", "Set up"
        START_PENDING = "start_pending", "Start pending"
        PAUSED = "paused", "Paused (called when needed)"
        RESUMED = "resumed", "Resumed"
        MERGED = "merged", "Merged into another body"
        DISCONTINUED = "discontinued", "Discontinued"
        TERMS = "terms", "Terms of reference changed"
        EDITED = "edited", "Details changed"

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField("date", default=timezone.localdate)
    by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_name = models.CharField(max_length=150, blank=True)
    reason = models.TextField()
    authorised_by = models.CharField(
        "decision that authorised it",
        max_length=300,
        blank=True,
        help_text="Which body decided it, and when.",
    )
    merged_into = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    status_before = models.CharField(max_length=20, blank=True)
    status_after = models.CharField(max_length=20, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-recorded_at"]

    def __str__(self):
        return f"{self.body}: {self.get_kind_display()} on {self.on}"


class StructureReview(models.Model):
    """A dated review of a partnership's structure, its findings kept as rows
    so reviews at 3 and 6 months can be compared."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="reviews"
    )
    on = models.DateField("date", default=timezone.localdate)
    by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)
    hours_per_year = models.FloatField(default=0)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-recorded_at"]

    def __str__(self):
        return f"Structure review of {self.on:%d %B %Y}"

    def get_absolute_url(self):
        return reverse("structure:review-detail", args=[self.pk])


class FindingQuerySet(models.QuerySet):
    def of(self, partnership):
        """The findings of the partnership's reviews, with their review."""
        return self.filter(review__partnership=partnership).select_related("review")


class Finding(models.Model):
    """One finding of a recorded review, accepted or dismissed with a reason."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"

    review = models.ForeignKey(
        StructureReview, on_delete=models.CASCADE, related_name="findings"
    )
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    detail = models.TextField()
    people = models.JSONField(default=list)
    bodies = models.ManyToManyField(Body, related_name="findings", blank=True)
    saving_hours_per_year = models.FloatField(default=0)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self):
        return f"{self.kind}: {self.detail[:80]}"

    @property
    def body_list(self):
        """The bodies concerned (prefetch "bodies")."""
        return list(self.bodies.all())

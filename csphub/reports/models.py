"""Residents' reports: the gazetteer, categories, routing, reports and the
people behind them, their history, and Community Trigger case reviews."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.models import Organisation, Partnership
from csphub.places.models import Area, Zone

USER = settings.AUTH_USER_MODEL
# Letters and digits a resident can read out on the phone without confusion.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def new_token():
    return secrets.token_urlsafe(24)


class Street(models.Model):
    """A gazetteer point: a street name with a point, placed in the area tree."""

    borough = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    latitude = models.FloatField()
    longitude = models.FloatField()
    lsoa = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["borough", "name"]),
            models.Index(fields=["borough", "latitude"]),
        ]

    def __str__(self):
        return self.name


class Postcode(models.Model):
    """A postcode from an ONS Postcode Directory extract, with its point."""

    postcode = models.CharField(max_length=8, unique=True)  # "N17 8AB"
    latitude = models.FloatField()
    longitude = models.FloatField()
    lsoa_code = models.CharField(max_length=9, blank=True)

    def __str__(self):
        return self.postcode


class LsoaBox(models.Model):
    """An LSOA's bounding box, so a point is placed with one indexed query."""

    lsoa = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="+")
    borough = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    min_lon = models.FloatField()
    max_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lat = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["borough", "min_lat", "max_lat"])]

    def __str__(self):
        return f"Box of {self.lsoa_id}"


class Category(models.Model):
    """A kind of ASB a resident can report, with its national type and
    service level (reference data, from a data migration)."""

    class AsbType(models.TextChoices):
        PERSONAL = "personal", "Personal"
        NUISANCE = "nuisance", "Nuisance"
        ENVIRONMENTAL = "environmental", "Environmental"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    asb_type = models.CharField(max_length=20, choices=AsbType.choices)
    description = models.CharField(max_length=300, blank=True)
    theme = models.CharField(max_length=20, help_text="The casework theme.")
    first_response_days = models.PositiveSmallIntegerField(
        default=5, help_text="Working days to the first response."
    )
    about_person = models.BooleanField(
        default=False,
        help_text="Reports are about people: public pages round the location.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class RoutingRule(models.Model):
    """Which partner receives reports of a category (or any) in an area (or
    anywhere in the borough). The most specific matching rule wins."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="routing_rules"
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="A ward, or an LSOA (a housing provider's estate).",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="routing_rules"
    )
    team = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["partnership", "pk"]

    def __str__(self):
        return f"{self.category or 'Anything'} -> {self.organisation}"

    def specificity(self):
        place = 0
        if self.area_id:
            place = 3 if self.area.kind == Area.Kind.LSOA else 2
        elif self.zone_id:
            place = 1
        return (place, 1 if self.category_id else 0)


class ReportQuerySet(models.QuerySet):
    def open(self):
        """Not closed and not merged into another."""
        return self.exclude(status__in=Report.FINISHED)

    def routed_to(self, organisation):
        """Reports the organisation receives."""
        return self.filter(organisation=organisation)


class Report(models.Model):
    """One problem in one place, reported by one or more residents."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ASSESSING = "assessing", "Assessing"
        IN_HAND = "in_hand", "In hand"
        ACTION_TAKEN = "action_taken", "Action taken"
        CLOSED = "closed", "Closed"
        MERGED = "merged", "Merged into another report"

    FINISHED = (Status.CLOSED, Status.MERGED)

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="resident_reports"
    )
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    category = models.ForeignKey(
        Category, on_delete=models.RESTRICT, related_name="reports"
    )
    latitude = models.FloatField()
    longitude = models.FloatField()
    street = models.ForeignKey(
        Street, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    place = models.CharField(max_length=200, blank=True)  # the street, as shown
    lsoa = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    outcome = models.CharField(max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resident_reports",
        verbose_name="routed to",
    )
    team = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    first_response_due = models.DateField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    possible_duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issue_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="The casework issue it was raised as."
    )
    reporter_count = models.PositiveIntegerField(default=1)  # reports behind it
    people_count = models.PositiveIntegerField(default=1)  # distinct people
    # Taken by the Open311 intake and not yet routed and matched (intake.py).
    awaiting_triage = models.BooleanField(default=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "category", "status", "latitude"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["ward", "created_at"]),
            models.Index(
                fields=["id"],
                condition=models.Q(awaiting_triage=True),
                name="reports_awaiting_triage",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.category.name}, {self.place or 'no street'}"

    def get_absolute_url(self):
        return reverse("reports:staff-detail", args=[self.reference])

    def is_open(self):
        return self.status not in self.FINISHED

    def is_overdue(self, today):
        return bool(
            self.is_open()
            and self.first_response_at is None
            and self.first_response_due
            and self.first_response_due < today
        )

    def public_place(self):
        """Where, as the public may see it: never a point for a report about
        a person, only the street or the LSOA."""
        if self.place:
            return self.place
        return f"LSOA {self.lsoa.name}" if self.lsoa_id else "Location withheld"

    def public_point(self):
        """(lat, lon) rounded to about 100 m for reports about people."""
        if self.category.about_person:
            return (round(self.latitude, 3), round(self.longitude, 3))
        return (round(self.latitude, 5), round(self.longitude, 5))


class Reporter(models.Model):
    """One resident's report of a problem: what they saw, how to reach them,
    and their private link. Identity is seen only by the receiving partner."""

    class Channel(models.TextChoices):
        WEB = "web", "Web form"
        OPEN311 = "open311", "Open311"
        PHONE = "phone", "Phone (entered by an officer)"
        EMAIL = "email", "E-mail (entered by an officer)"

    class Frequency(models.TextChoices):
        ONCE = "once", "Once"
        SOMETIMES = "sometimes", "A few times"
        WEEKLY = "weekly", "Every week"
        DAILY = "daily", "Every day or most days"

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="reporters"
    )
    token = models.CharField(max_length=40, unique=True, default=new_token)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    description = models.TextField(blank=True)
    incident_date = models.DateField(null=True, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, blank=True)
    happening_now = models.BooleanField(default=False)
    alcohol = models.BooleanField(default=False)
    hate = models.BooleanField(default=False)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    anonymous = models.BooleanField(
        default=False, help_text="Do not share the reporter's identity with partners."
    )
    victim_key = models.CharField(max_length=64, blank=True, db_index=True)
    client_key = models.CharField(max_length=64, blank=True, db_index=True)
    entered_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    satisfied = models.BooleanField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Report {self.pk} on {self.report_id}"

    def get_absolute_url(self):
        return reverse("reports:follow", args=[self.token])

    def qualifies(self):
        """Community Trigger: reported within a month of the incident."""
        if self.incident_date is None:
            return True
        return (self.created_at.date() - self.incident_date).days <= 31


class Photo(models.Model):
    """A resident's photo, re-encoded so no location metadata is kept."""

    reporter = models.ForeignKey(
        Reporter, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(upload_to="reports/%Y/%m/")
    content_type = models.CharField(max_length=40)

    def __str__(self):
        return self.image.name


class ReportEvent(models.Model):
    """One dated change to a report: status, note, route, merge, reopen."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        JOINED = "joined", "Another resident reported it too"
        STATUS = "status", "Status changed"
        NOTE = "note", "Note"
        ROUTED = "routed", "Passed to another partner"
        MERGED = "merged", "Merged"
        REOPENED = "reopened", "Reopened: not fixed"
        ISSUE = "issue", "Raised at a ward group"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    public = models.BooleanField(default=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=20, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.report_id}"


class CaseReview(models.Model):
    """An ASB case review (the Community Trigger) and its statutory steps."""

    class Step(models.TextChoices):
        APPLIED = "applied", "Application received"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        THRESHOLD_NOT_MET = "not_met", "Threshold not met"
        THRESHOLD_MET = "met", "Threshold met: review to be held"
        REVIEW_HELD = "held", "Review meeting held"
        OUTCOME_SENT = "outcome", "Outcome letter sent"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="case_reviews"
    )
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    token = models.CharField(max_length=40, unique=True, default=new_token)
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applicant_name = models.CharField(max_length=200)
    applicant_email = models.EmailField(blank=True)
    applicant_phone = models.CharField(max_length=30, blank=True)
    on_behalf_of = models.CharField(max_length=200, blank=True)
    account = models.TextField("what has happened")
    step = models.CharField(max_length=20, choices=Step.choices, default=Step.APPLIED)
    applied_on = models.DateField(default=timezone.localdate)
    acknowledge_by = models.DateField()
    decide_by = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    meeting_by = models.DateField(null=True, blank=True)
    meeting_on = models.DateField(null=True, blank=True)
    recommendations = models.TextField(blank=True)
    outcome_by = models.DateField(null=True, blank=True)
    outcome_sent_on = models.DateField(null=True, blank=True)
    pcc_review_requested_on = models.DateField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-applied_on", "-pk"]

    def __str__(self):
        return f"Case review {self.reference}"

    def get_absolute_url(self):
        return reverse("reports:review-detail", args=[self.reference])

    def next_deadline(self):
        """(what, date) of the next statutory step, or None when done."""
        if self.step == self.Step.APPLIED:
            return ("Acknowledge the application", self.acknowledge_by)
        if self.step == self.Step.ACKNOWLEDGED:
            return ("Decide whether the threshold is met", self.decide_by)
        if self.step == self.Step.THRESHOLD_MET:
            return ("Hold the review meeting", self.meeting_by)
        if self.step == self.Step.REVIEW_HELD:
            return ("Send the outcome letter", self.outcome_by)
        return None


class Submission(models.Model):
    """A partner's account of what it did, for a case review panel."""

    review = models.ForeignKey(
        CaseReview, on_delete=models.CASCADE, related_name="submissions"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.organisation} on {self.review}"


class CouncillorCall(models.Model):
    """A Councillor Call for Action opened by a ward councillor from a
    report: the problem's history goes to scrutiny as a referral pack."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="councillor_calls"
    )
    report = models.ForeignKey(Report, on_delete=models.RESTRICT, related_name="+")
    reason = models.TextField("why the councillor is calling for action")
    opened_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return f"Councillor Call for Action on {self.report.reference}"

    def get_absolute_url(self):
        return reverse("reports:ccfa-detail", args=[self.pk])

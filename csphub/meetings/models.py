"""Meetings, attendance, proposals, items, papers, homework, decisions, packs."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

USER = settings.AUTH_USER_MODEL


class MeetingQuerySet(models.QuerySet):
    def of(self, partnership):
        """A partnership's meetings with their body: select_related it."""
        return self.filter(partnership=partnership).select_related("body")

    def public(self):
        """Public meetings whose papers are out (never a planned one)."""
        return self.filter(public=True).exclude(status=Meeting.Status.PLANNED)

    def upcoming(self, today):
        return self.filter(date__gte=today).order_by("date", "start")


class Meeting(models.Model):
    """One meeting of a body: when, where, public or private, and how far on."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        PUBLISHED = "published", "Papers published"
        HELD = "held", "Held"
        APPROVED = "approved", "Minutes approved"

    class Marking(models.TextChoices):
        OFFICIAL = "OFFICIAL", "OFFICIAL"
        SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="meetings"
    )
    body = models.ForeignKey(
        "structure.Body", on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(
        max_length=200, blank=True, help_text="For example, the theme of the meeting."
    )
    date = models.DateField(db_index=True)
    start = models.TimeField(default="18:00")
    end = models.TimeField(default="20:00")
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField("online link", blank=True)
    public = models.BooleanField(
        default=False, help_text="Public meetings, and their papers, are published."
    )
    marking = models.CharField(
        "protective marking of the pack",
        max_length=20,
        choices=Marking.choices,
        default=Marking.OFFICIAL,
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    minutes = models.TextField("draft minutes", blank=True)
    minutes_approved_at = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_minutes_of",
        help_text="The meeting that approved these minutes.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start"]

    def __str__(self):
        return f"{self.body.label}, {self.date:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def name(self):
        return f"{self.body.label}: {self.title}" if self.title else str(self)

    def length_minutes(self):
        start = datetime.combine(self.date, self.start)
        end = datetime.combine(self.date, self.end)
        return max(0, int((end - start).total_seconds() // 60))

    def is_published(self):
        return self.status != self.Status.PLANNED

    def is_held(self):
        return self.status in {self.Status.HELD, self.Status.APPROVED}


class Attendance(models.Model):
    """Whether a seat's holder came to a meeting, sent a substitute or apologies."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        SUBSTITUTE = "substitute", "Substitute sent"
        ABSENT = "absent", "Absent"

    COUNTS = {Status.PRESENT, Status.SUBSTITUTE}

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance"
    )
    seat = models.ForeignKey(
        "structure.Seat", on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    substitute = models.CharField("substitute's name", max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seat"], name="attendance_once_per_seat"
            )
        ]

    def __str__(self):
        return f"{self.seat.person} at {self.meeting}: {self.get_status_display()}"


class EqualityImpact(models.Model):
    """The equality impact fields a proposal or a decision carries."""

    eia_groups = models.CharField(
        "groups affected", max_length=300, blank=True, help_text="Protected groups."
    )
    eia_impact = models.TextField("impact on them", blank=True)
    eia_mitigation = models.TextField("mitigation", blank=True)
    eia_not_needed = models.TextField("reason no assessment is needed", blank=True)

    class Meta:
        abstract = True

    def has_eia(self):
        return bool(self.eia_groups and self.eia_impact) or bool(self.eia_not_needed)


class Proposal(EqualityImpact):
    """A proposed piece of business for a meeting, and what the planners did
    with it (the proposer sees the reason)."""

    class Source(models.TextChoices):
        HIGHLIGHT = "highlight", "Highlight report exception"
        ESCALATION = "escalation", "Escalation awaiting an answer"
        REPORT_BACK = "report_back", "Overdue report-back"
        SUB_GROUP = "sub_group", "Sub-group"
        PARALLEL = "parallel", "Parallel board"
        BRIEFING = "briefing", "Intelligence briefing"
        MEMBER = "member", "A member"

    class State(models.TextChoices):
        PROPOSED = "proposed", "Awaiting a decision"
        AGENDA = "agenda", "On the agenda"
        BRIEFING = "briefing", "Diverted to a written briefing"
        DEFERRED = "deferred", "Deferred"
        DECLINED = "declined", "Declined"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="proposals"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    # Gathering is idempotent: one proposal per source record per meeting.
    source_key = models.CharField(max_length=80, blank=True)
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_by_name = models.CharField(max_length=200, blank=True)
    from_body = models.ForeignKey(
        "structure.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    escalation = models.ForeignKey(
        "casework.Escalation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    briefing = models.ForeignKey(
        "intelligence.Briefing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    report_back = models.ForeignKey(
        "ReportBack",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    chart_svg = models.TextField(blank=True, help_text="A KPI's chart, drawn once.")
    kind = models.CharField(max_length=20, default="discussion")
    restricted = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=100)
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.PROPOSED
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "source_key"],
                condition=~models.Q(source_key=""),
                name="proposal_once_per_source",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:proposal", args=[self.pk])


class AgendaItem(models.Model):
    """An item on a meeting's agenda."""

    class Kind(models.TextChoices):
        DECISION = "decision", "Decision"
        DISCUSSION = "discussion", "Discussion"
        INFORMATION = "information", "Information"
        STANDING = "standing", "Standing item"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="item",
    )
    order = models.PositiveIntegerField(default=100)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sought = models.TextField(
        "decision or contribution sought",
        blank=True,
        help_text="Required for a decision item.",
    )
    lead = models.CharField(max_length=200, blank=True)
    minutes = models.PositiveIntegerField("minutes allotted", default=10)
    restricted = models.BooleanField(
        "exempt (members only)",
        default=False,
        help_text="Kept out of the public pack and the public pages.",
    )
    communities = models.TextField(
        "communities whose views to gather, and how", blank=True
    )
    standing_key = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:item", args=[self.pk])


class PaperQuerySet(models.QuerySet):
    def current(self):
        """The latest version of each paper."""
        return self.filter(current=True)


class Paper(models.Model):
    """A paper for an agenda item. Once the meeting's papers are published it
    is frozen: a change adds a version and the old one stays readable."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="papers"
    )
    title = models.CharField(max_length=300)
    text = models.TextField()
    author = models.CharField(max_length=200, blank=True)
    restricted = models.BooleanField(
        "members only", default=False, help_text="Kept out of the public pack."
    )
    version = models.PositiveIntegerField(default=1)
    current = models.BooleanField(default=True)
    frozen = models.BooleanField(default=False)
    first = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="versions",
        help_text="The first version of this paper (empty on the first itself).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["item", "pk"]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self):
        return reverse("meetings:paper", args=[self.pk])

    def pages(self):
        """Pages of A4 it fills, roughly (3,000 characters a page)."""
        return max(1, -(-len(self.text) // 3000))


class Question(models.Model):
    """Homework: a question to a partner organisation about an agenda item,
    sent with the agenda and answered through the site before the meeting."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="questions"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("question")
    due = models.DateField("answer by")
    asked_at = models.DateTimeField(default=timezone.now)
    asked_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item", "organisation__name", "pk"]

    def __str__(self):
        return f"{self.organisation}: {self.text[:60]}"

    def answered_on_time(self):
        return bool(self.answered_at) and self.answered_at.date() <= self.due


class Decision(EqualityImpact):
    """A decision taken on an agenda item."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField("decision")
    proposed_by = models.CharField("proposed by", max_length=200)
    key = models.BooleanField("key decision", default=False)
    refer_to = models.ForeignKey(
        "structure.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="pass to another body",
        help_text="A body above, or a parallel board, that should take it up.",
    )
    issue = models.ForeignKey(
        "casework.Issue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The action-log entry that holds its actions.",
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["item__order", "pk"]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("meetings:decision", args=[self.pk])


class Communication(models.Model):
    """What the partnership says about a decision, to whom, and whether it went."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="communications"
    )
    message = models.TextField()
    audience = models.CharField(max_length=200)
    channels = models.CharField(max_length=200, help_text="Press, social media...")
    sender = models.CharField("who sends it", max_length=200)
    by = models.DateField("send by")
    sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["by", "pk"]

    def __str__(self):
        return f"{self.audience}: {self.message[:60]}"

    def state(self, today):
        if self.sent_on:
            return "sent"
        return "overdue" if self.by < today else "due"


class ReportBackQuerySet(models.QuerySet):
    def outstanding(self):
        return self.filter(written_at__isnull=True)

    def overdue(self, today):
        """Report-backs not written by their date."""
        return self.outstanding().filter(due__lt=today)


class ReportBack(models.Model):
    """What a partner organisation named in a decision owes: a dated account
    of what its own governance body did with the decision."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="report_backs"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField(db_index=True)
    governance_body = models.CharField(
        "its governance body", max_length=200, blank=True
    )
    account = models.TextField("what its governance body did", blank=True)
    written_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(null=True, blank=True)

    objects = ReportBackQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self):
        return f"{self.organisation} on {self.decision}"

    def get_absolute_url(self):
        return reverse("meetings:report-back", args=[self.pk])

    def state(self, today):
        if self.written_at:
            return "done"
        return "overdue" if self.due < today else "due"

    def on_time(self):
        return bool(self.written_at) and self.written_at.date() <= self.due


class PackBuild(models.Model):
    """An agenda pack built as PDF in the background, with its progress."""

    class Pack(models.TextChoices):
        PUBLIC = "public", "Public pack"
        FULL = "full", "Full pack (members only)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Building"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="pack_builds"
    )
    pack = models.CharField(max_length=10, choices=Pack.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, blank=True)
    message = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pages = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_pack_display()} for {self.meeting}"

    def get_absolute_url(self):
        return reverse("meetings:pack-build", args=[self.pk])


class OperationQuerySet(models.QuerySet):
    def overlapping(self, start, end):
        """Operations running at any time in [start, end]."""
        return self.filter(starts__lte=end, ends__gte=start)


class Operation(models.Model):
    """A partner's planned operation (a police operation, an enforcement day,
    youth diversion, a clean-up), shown on the zone meetings' calendar."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police operation"
        ENFORCEMENT = "enforcement", "Enforcement day"
        YOUTH = "youth", "Youth diversion"
        CLEAN_UP = "clean_up", "Clean-up"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="operations"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    zone = models.ForeignKey(
        "places.Zone", on_delete=models.CASCADE, related_name="operations"
    )
    ward = models.ForeignKey(
        "places.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Left blank, it covers the whole zone.",
    )
    place = models.CharField("area", max_length=200, blank=True)
    starts = models.DateField()
    ends = models.DateField()
    lead = models.CharField(max_length=200)
    target = models.CharField(
        max_length=200, help_text="Who or what it targets, for example a hotspot."
    )
    restricted = models.BooleanField(
        "police and the zone's members only",
        default=False,
        help_text="For police operations that must not be shared widely.",
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = OperationQuerySet.as_manager()

    class Meta:
        ordering = ["starts", "pk"]

    def __str__(self):
        return self.title

    def same_area(self, other):
        """Same zone, and the same ward unless either covers the whole zone."""
        wards = self.ward_id and other.ward_id
        same_ward = not wards or self.ward_id == other.ward_id
        return self.zone_id == other.zone_id and same_ward

    def overlaps(self, other):
        return self.starts <= other.ends and other.starts <= self.ends

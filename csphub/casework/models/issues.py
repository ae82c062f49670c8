"""Issues on bodies' action logs, their history, actions, escalations and
taskings, and who gets the daily digest."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.sharing import DataKind, covering_exists
from csphub.places.models import Area, Zone
from csphub.structure.models import Body, Seat

USER = settings.AUTH_USER_MODEL


class Theme(models.TextChoices):
    """What an issue is about: the themes of ABW and zonal action logs."""

    ASB = "asb", "Anti-social behaviour"
    CRIMINAL_DAMAGE = "criminal_damage", "Criminal damage"
    BURGLARY = "burglary", "Burglary"
    VIOLENCE = "violence", "Violence"
    ROBBERY = "robbery", "Robbery"
    DRUGS = "drugs", "Drugs"
    PROSTITUTION = "prostitution", "Street prostitution"
    ENVIRONMENT = "environment", "Environment (grime, fly-tipping, graffiti)"
    STREET_TRADING = "street_trading", "Touting and street trading"
    HOUSING = "housing", "Housing and estates"
    YOUTH = "youth", "Young people"
    WELLBEING = "wellbeing", "Health and wellbeing"
    OTHER = "other", "Other"


# police.uk categories (as a briefing's trends name them) -> action-log themes
CATEGORY_THEMES = {
    "Anti-social behaviour": Theme.ASB,
    "Public order": Theme.ASB,
    "Burglary": Theme.BURGLARY,
    "Criminal damage and arson": Theme.CRIMINAL_DAMAGE,
    "Drugs": Theme.DRUGS,
    "Robbery": Theme.ROBBERY,
    "Violence and sexual offences": Theme.VIOLENCE,
    "Possession of weapons": Theme.VIOLENCE,
}


def theme_for(text):
    """The theme a link names: a theme's value, or a police.uk category that
    maps to one; "" for anything else."""
    return text if text in Theme.values else CATEGORY_THEMES.get(text, "")


def member_bodies(user):
    """Ids of the bodies a user holds a current seat on (a subquery)."""
    return Seat.objects.current().filter(person__user=user).values("body_id")


class IssueQuerySet(models.QuerySet):
    def of(self, partnership):
        """The partnership's issues with what lists show (body, area, zone)."""
        return self.filter(partnership=partnership).select_related(
            "body", "ward", "zone", "lsoa"
        )

    def visible_to(self, user):
        """Unrestricted issues, and restricted ones where the user sits on the
        owning body or on a body it was escalated to. No role overrides it:
        restricted issues hold names and intelligence. Restricted ones also
        need an information-sharing agreement (csphub.accounts.sharing)."""
        if user is None or not user.is_authenticated:
            return self.filter(restricted=False)
        mine = member_bodies(user)
        escalated = Escalation.objects.filter(issue=OuterRef("pk"), to_body__in=mine)
        # ... and only while the user's organisation is party to an
        # information-sharing agreement in force for restricted casework.
        shared = covering_exists(DataKind.RESTRICTED_CASEWORK, user.organisation_id)
        return self.filter(
            Q(restricted=False)
            | ((Q(body__in=mine) | Q(Exists(escalated))) & Q(shared))
        )

    def open(self):
        """Issues not resolved or closed."""
        return self.exclude(status__in=Issue.DONE)

    def owned_by(self, bodies):
        return self.filter(body__in=bodies)

    def matching(
        self, *, zone=None, ward=None, theme="", organisation=None, status="", **_
    ):
        """Issues in an area, on a theme, with an organisation's actions, or in
        a status ("live" for every status not resolved or closed). Takes a
        filter form's filters; others are ignored."""
        issues = self
        if ward is not None:
            issues = issues.filter(ward=ward)
        elif zone is not None:
            issues = issues.filter(zone=zone)
        if theme:
            issues = issues.filter(theme=theme)
        if organisation is not None:
            issues = issues.filter(
                Exists(
                    Action.objects.filter(
                        issue=OuterRef("pk"), organisation=organisation
                    )
                )
            )
        if status == "live":
            issues = issues.open()
        elif status:
            issues = issues.filter(status=status)
        return issues

    def flagged(self, today, now, stalled_days):
        """Annotated with their flags (has_overdue, has_due_soon, is_stalled)
        and a severity (2 red, 1 amber, 0); .with_flag() filters on them."""
        actions = Action.objects.filter(issue=OuterRef("pk"), status__in=Action.LIVE)
        stale = now - timedelta(days=stalled_days)
        return self.annotate(
            has_overdue=Exists(actions.filter(due__lt=today)),
            has_due_soon=Exists(
                actions.filter(due__gte=today, due__lte=today + timedelta(7))
            ),
            is_stalled=Case(
                When(LIVE_ISSUE & Q(last_activity_at__lt=stale), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        ).annotate(
            severity=Case(
                When(
                    Q(status=Issue.Status.BLOCKED) | Q(has_overdue=True), then=Value(2)
                ),
                When(Q(status=Issue.Status.ESCALATED) | Q(is_stalled=1), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    def with_flag(self, flag):
        """Of .flagged() issues, those with `flag` (a FLAG_FILTERS key); all of
        them for any other value."""
        return self.filter(FLAG_FILTERS[flag]) if flag in FLAG_FILTERS else self


class Issue(models.Model):
    """An entry on a body's action log: a problem, where it is, who owns it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_HAND = "in_hand", "In hand"
        BLOCKED = "blocked", "Blocked"
        ESCALATED = "escalated", "Escalated"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    class Origin(models.TextChoices):
        PARTNER = "partner", "A partner"
        RESIDENT = "resident", "A resident's report"
        BRIEFING = "briefing", "An intelligence briefing"
        BOARD = "board", "A board decision"
        TASKING = "tasking", "Tasked by a body above"
        MEETING = "meeting", "Raised at a meeting"

    DONE = {Status.RESOLVED, Status.CLOSED}

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="issues"
    )
    body = models.ForeignKey(
        Body, on_delete=models.RESTRICT, related_name="issues", verbose_name="owner"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    theme = models.CharField(max_length=20, choices=Theme.choices)
    priority = models.ForeignKey(
        "strategy.Priority",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues",
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues"
    )
    ward = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lsoa = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location = models.CharField("place", max_length=200, blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices)
    origin_detail = models.CharField("where it came from", max_length=200, blank=True)
    briefing_id = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    restricted = models.BooleanField(
        default=False,
        help_text="Seen only by the members of its body (names, intelligence).",
    )
    raised_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["body", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("casework:issue-detail", args=[self.pk])

    def is_done(self):
        return self.status in self.DONE

    def area_label(self):
        parts = [self.location] if self.location else []
        if self.lsoa_id:
            parts.append(f"LSOA {self.lsoa.code}")
        if self.ward_id:
            parts.append(f"{self.ward.name} ward")
        elif self.zone_id:
            parts.append(f"{self.zone.name} zone")
        return ", ".join(parts) or "Borough-wide"

    def is_stalled(self, now, days):
        return not self.is_done() and self.last_activity_at < now - timedelta(days)


LIVE_ISSUE = ~Q(status__in=Issue.DONE)
# flag name -> filter on IssueQuerySet.flagged()'s annotations
FLAG_FILTERS = {
    "red": Q(severity=2),
    "amber": Q(severity=1),
    "blocked": Q(status=Issue.Status.BLOCKED),
    "escalated": Q(status=Issue.Status.ESCALATED),
    "overdue": Q(has_overdue=True),
    "stalled": Q(is_stalled=1),
}


class IssueEvent(models.Model):
    """One step of an issue's history: who did what, when and why."""

    class Kind(models.TextChoices):
        RAISED = "raised", "Raised"
        UPDATE = "update", "Update"
        STATUS = "status", "Status changed"
        ACTION = "action", "Action"
        ESCALATED = "escalated", "Escalated"
        ANSWERED = "answered", "Escalation answered"
        TASKED = "tasked", "Tasked"
        REPORTED = "reported", "Reported back"
        OWNER = "owner", "Owner changed"
        PROJECT = "project", "Problem solving"
        LINKED = "linked", "Linked as one problem"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    by_name = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)
    status_before = models.CharField(max_length=20, blank=True)
    status_after = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.issue}: {self.get_kind_display()} {self.at:%Y-%m-%d}"


class OnIssueQuerySet(models.QuerySet):
    """Rows of an issue (actions, escalations, taskings): seen where it is."""

    def visible_to(self, user):
        return self.filter(issue__in=Issue.objects.visible_to(user))


class ActionQuerySet(OnIssueQuerySet):
    def live(self):
        """Actions still to do (open or blocked)."""
        return self.filter(status__in=Action.LIVE)

    def overdue(self, today):
        return self.live().filter(due__lt=today)

    def due_soon(self, today, days=7):
        return self.live().filter(due__gte=today, due__lte=today + timedelta(days))


class Action(models.Model):
    """Something a named person (for an organisation) will do by a date."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        BLOCKED = "blocked", "Blocked"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer needed"

    LIVE = {Status.OPEN, Status.BLOCKED}

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField("what will be done", max_length=300)
    owner = models.ForeignKey(
        "structure.Person", on_delete=models.RESTRICT, related_name="actions"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="actions"
    )
    due = models.DateField(db_index=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    last_update_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["issue", "status", "due"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("casework:action-update", args=[self.pk])

    def is_live(self):
        return self.status in self.LIVE

    def is_overdue(self, today):
        return self.is_live() and self.due < today

    def is_due_soon(self, today, days=7):
        return self.is_live() and today <= self.due <= today + timedelta(days)

    def edit_version(self):
        """A token of what an update changes (status, due date, last update):
        the update form carries the one it showed, so an update someone else
        made meanwhile is noticed rather than silently overwritten."""
        text = f"{self.status}|{self.due}|{self.last_update_at.isoformat()}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


class ActionUpdate(models.Model):
    """A dated update on an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    by_name = models.CharField(max_length=150, blank=True)
    note = models.TextField()
    status_after = models.CharField(max_length=20, choices=Action.Status.choices)
    due_after = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.action}: {self.at:%Y-%m-%d}"


class EscalationQuerySet(OnIssueQuerySet):
    def pending(self):
        """Escalations awaiting an answer."""
        return self.filter(state=Escalation.State.PENDING)


class Escalation(models.Model):
    """A blocked issue (or one of its actions) sent to the body above."""

    class State(models.TextChoices):
        PENDING = "pending", "Awaiting an answer"
        ACCEPTED = "accepted", "Accepted: owner taken"
        TASKED = "tasked", "Accepted: someone tasked"
        RETURNED = "returned", "Returned with advice"
        FURTHER = "further", "Escalated further"

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="escalations"
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalations",
    )
    from_body = models.ForeignKey(Body, on_delete=models.RESTRICT, related_name="+")
    to_body = models.ForeignKey(
        Body, on_delete=models.RESTRICT, related_name="escalations_received"
    )
    tried = models.TextField("what has been tried")
    asked = models.TextField("what is asked for")
    needed_by = models.DateField("answer needed by")
    raised_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    further = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="previous",
    )

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self):
        return f"{self.issue} escalated to {self.to_body}"

    def get_absolute_url(self):
        return reverse("casework:escalation-answer", args=[self.pk])

    def is_pending(self):
        return self.state == self.State.PENDING


class Tasking(models.Model):
    """An upper body tasking a body below it (or a partner) with an issue,
    or commissioning a problem-solving project."""

    class Kind(models.TextChoices):
        TASK = "task", "Tasked"
        COMMISSION = "commission", "Problem solving commissioned"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        REPORTED = "reported", "Reported back"
        WITHDRAWN = "withdrawn", "Withdrawn"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="taskings")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TASK)
    from_body = models.ForeignKey(
        Body, on_delete=models.RESTRICT, related_name="taskings_given"
    )
    to_body = models.ForeignKey(
        Body,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="taskings_received",
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="taskings_received",
    )
    expects = models.TextField("what is expected back")
    due = models.DateField("report back by")
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.OPEN, db_index=True
    )
    report = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)

    objects = OnIssueQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_body__isnull=False) | Q(to_organisation__isnull=False),
                name="tasking_has_a_recipient",
            )
        ]

    def __str__(self):
        return f"{self.issue} tasked to {self.recipient}"

    @property
    def recipient(self):
        return self.to_body or self.to_organisation

    def is_overdue(self, today):
        return self.state == self.State.OPEN and self.due < today


MAX_DUE_WITHIN_DAYS = 90


class DigestSetting(models.Model):
    """A person's choice for the daily digest e-mail."""

    user = models.OneToOneField(
        USER, on_delete=models.CASCADE, related_name="casework_digest"
    )
    enabled = models.BooleanField("send me a daily digest", default=True)
    due_within_days = models.PositiveIntegerField(
        "include actions due within (days)",
        default=7,
        validators=[MaxValueValidator(MAX_DUE_WITHIN_DAYS)],
        help_text=f"Up to {MAX_DUE_WITHIN_DAYS} days.",
    )
    include_escalations = models.BooleanField(
        "include escalations answered", default=True
    )
    include_taskings = models.BooleanField("include taskings received", default=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Digest settings of {self.user}"

"""Partnerships, partner organisations, users, roles and the audit log."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from csphub.places.models import Area


class Organisation(models.Model):
    """A partner organisation; one may sit in many partnerships (a police force)."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        COUNCIL = "council", "Council"
        FIRE = "fire", "Fire and rescue"
        HEALTH = "health", "Health"
        PROBATION = "probation", "Probation"
        HOUSING = "housing", "Housing provider"
        VOLUNTARY = "voluntary", "Voluntary sector"
        BUSINESS = "business", "Business"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    statutory = models.BooleanField(
        "statutory CSP partner",
        default=False,
        help_text="A responsible authority under the Crime and Disorder Act 1998.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Partnership(models.Model):
    """A Community Safety Partnership covering one borough."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    borough = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        limit_choices_to={"kind": Area.Kind.BOROUGH},
    )
    organisations = models.ManyToManyField(
        Organisation, through="PartnershipMember", related_name="partnerships"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnershipMember(models.Model):
    """An organisation sitting in a partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    joined = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_membership_per_org"
            )
        ]

    def __str__(self):
        return f"{self.organisation} in {self.partnership}"


class User(AbstractUser):
    """A person who signs in; belongs to one partner organisation."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    job_title = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return self.get_full_name() or self.username

    def partnerships(self):
        """Partnerships in which this user holds any role."""
        return Partnership.objects.filter(roles__user=self).distinct()

    def roles_in(self, partnership):
        """The set of role names this user holds in a partnership."""
        if partnership is None:
            return set()
        return {
            r.role
            for r in self.role_assignments.all()
            if r.partnership_id == partnership.pk
        }


class Role(models.TextChoices):
    """Roles of DESIGN.md's security model, held per partnership."""

    OFFICER = "officer", "Partner officer"
    MEMBER = "member", "Body member"
    ANALYST = "analyst", "Analyst"
    HANDLER = "handler", "Case handler"
    IOM = "iom", "IOM officer"
    ADMIN = "admin", "Administrator"


class RoleAssignment(models.Model):
    """A role one user holds in one partnership."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "role"], name="role_once_per_partnership"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} in {self.partnership}"


class SignInAttempt(models.Model):
    """A failed sign-in, kept to lock out repeated guessing."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.username} at {self.at:%Y-%m-%d %H:%M}"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The audit log is append-only.")

    def delete(self):
        raise PermissionDenied("The audit log is append-only.")


class AuditEntry(models.Model):
    """One append-only line of the audit log: who did what to which record, why."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        SIGN_OUT = "sign_out", "Signed out"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    record_type = models.CharField(max_length=100, blank=True)
    record_id = models.CharField(max_length=64, blank=True)
    record_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_name} {self.action} {self.record_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The audit log is append-only.")

"""Partnerships, partner organisations, users, roles and the audit log."""

from datetime import timedelta

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


APPEND_ONLY = "The audit log is append-only."


class AuditQuerySet(models.QuerySet):
    """Refuses every bulk change: rows are only ever added."""

    def update(self, **kwargs):
        raise PermissionDenied(APPEND_ONLY)

    def delete(self):
        raise PermissionDenied(APPEND_ONLY)

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionDenied(APPEND_ONLY)

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise PermissionDenied(APPEND_ONLY)

    def _raw_delete(self, using):
        raise PermissionDenied(APPEND_ONLY)


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
        RETENTION = "retention", "Retention applied"
        SUBJECT_ACCESS = "subject_access", "Subject access report"
        BACKUP = "backup", "Backed up"

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
    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text="Field -> [before, after] for a change; values for a creation.",
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_name} {self.action} {self.record_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise PermissionDenied(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(APPEND_ONLY)


class DataKind(models.TextChoices):
    """Kinds of restricted data an information-sharing agreement can cover."""

    RESIDENT_IDENTITY = "resident_identity", "Residents' identities and contacts"
    RESTRICTED_CASEWORK = "restricted_casework", "Restricted casework issues"
    IOM = "iom", "Integrated Offender Management cohort"


class AgreementQuerySet(models.QuerySet):
    def in_force(self, on):
        """Agreements started on or before `on` and not yet expired."""
        return self.filter(starts_on__lte=on, expires_on__gte=on)

    def covering(self, kind):
        """Agreements that cover a kind of data (DataKind)."""
        return self.filter(coverage__kind=kind)

    def expiring(self, on, days):
        """In force on `on` and expiring within `days` days of it."""
        return self.in_force(on).filter(expires_on__lte=on + timedelta(days=days))


class Agreement(models.Model):
    """An information-sharing agreement: who may share what, why, until when."""

    class LegalBasis(models.TextChoices):
        S115 = "s115", "Crime and Disorder Act 1998, section 115"
        S17 = "s17", "Crime and Disorder Act 1998, section 17"
        PUBLIC_TASK = "public_task", "UK GDPR Article 6(1)(e): public task"
        LAW_ENFORCEMENT = "law_enforcement", "Data Protection Act 2018, Part 3"
        CONSENT = "consent", "Consent of the people concerned"
        OTHER = "other", "Other (say which in the purpose)"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(max_length=200)
    purpose = models.TextField()
    legal_basis = models.CharField(max_length=20, choices=LegalBasis.choices)
    data_sets = models.TextField(
        "data sets covered", help_text="The data sets and fields shared."
    )
    parties = models.ManyToManyField(Organisation, related_name="agreements")
    owner = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="agreements_owned",
        help_text="Reviews the agreement and is warned before it expires.",
    )
    starts_on = models.DateField()
    review_on = models.DateField()
    expires_on = models.DateField()
    expiry_warned_on = models.DateField(null=True, blank=True, editable=False)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gte=models.F("starts_on")),
                name="agreement_expires_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def kinds(self):
        """The kinds of data covered (prefetch `coverage` for lists)."""
        return [c.kind for c in self.coverage.all()]

    def kind_labels(self):
        return [DataKind(k).label for k in sorted(self.kinds())]

    def is_in_force(self, on):
        return self.starts_on <= on <= self.expires_on

    def days_left(self, on):
        return (self.expires_on - on).days


class CoveredData(models.Model):
    """One kind of restricted data an agreement covers."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="coverage"
    )
    kind = models.CharField(max_length=30, choices=DataKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind"], name="kind_once_per_agreement"
            )
        ]

    def __str__(self):
        return self.get_kind_display()

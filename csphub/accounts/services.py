"""What the accounts app can do: audit, sign-in lockout, partnership choice."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .context import current_request
from .models import (
    Agreement,
    AuditEntry,
    CoveredData,
    Partnership,
    RoleAssignment,
    SignInAttempt,
    User,
)

log = logging.getLogger(__name__)


def client_ip(request):
    """The address a request came from (REMOTE_ADDR; no proxy headers trusted)."""
    return request.META.get("REMOTE_ADDR") or None


def audit(
    action,
    *,
    actor=None,
    record=None,
    reason="",
    request=None,
    partnership=None,
    changes=None,
    label=None,
):
    """Append one line to the audit log and return it.

    Every app calls this (or record_restricted_view) rather than writing
    AuditEntry rows itself, so the log keeps one shape.
    """
    if request is None:
        request = current_request()  # a service called inside a request
    if (
        actor is None
        and request is not None
        and getattr(request, "user", None) is not None
        and request.user.is_authenticated
    ):
        actor = request.user
    if partnership is None and request is not None:
        partnership = getattr(request, "partnership", None)
    return AuditEntry.objects.create(
        actor=actor if actor and actor.pk else None,
        actor_name=actor.get_username() if actor else "",
        partnership=partnership,
        action=action,
        record_type=record._meta.label if record is not None else "",
        record_id=str(record.pk) if record is not None else "",
        record_label=(label or (str(record) if record is not None else ""))[:200],
        reason=reason,
        ip_address=client_ip(request) if request is not None else None,
        path=request.get_full_path()[:500] if request is not None else "",
        changes=changes or {},
    )


def audit_record(action, record, *, by, reason="", partnership=None):
    """Audit a service's write to one record, made by `by`, in the record's
    own partnership (or `partnership`, for a record that holds none itself)."""
    if partnership is None:
        partnership = record.partnership
    return audit(
        action, actor=by, record=record, reason=reason, partnership=partnership
    )


def record_restricted_view(request, record, reason=""):
    """Record that the signed-in user viewed a restricted record.

    Call it from every view that shows restricted data (a resident's identity,
    a restricted issue, the IOM cohort), once per record shown.
    """
    return audit(AuditEntry.Action.VIEW, record=record, reason=reason, request=request)


def _lockout_window():
    return timezone.now() - timedelta(minutes=settings.CSPHUB_LOCKOUT_MINUTES)


def is_locked_out(username, ip_address):
    """Whether sign-in is refused: too many recent failures for the name or address."""
    recent = SignInAttempt.objects.filter(at__gte=_lockout_window())
    limit = settings.CSPHUB_LOCKOUT_FAILURES
    by_name = recent.filter(username__iexact=username).count()
    by_ip = recent.filter(ip_address=ip_address).count() if ip_address else 0
    # An address is allowed more failures than one name: offices share one.
    return by_name >= limit or by_ip >= limit * 4


@transaction.atomic
def record_failed_sign_in(username, request):
    """Count a failed sign-in towards the lockout and audit it."""
    SignInAttempt.objects.create(username=username[:150], ip_address=client_ip(request))
    audit(
        AuditEntry.Action.SIGN_IN_FAILED,
        reason=f"username {username[:150]!r}",
        request=request,
    )


@transaction.atomic
def record_sign_in(user, request):
    """Clear the user's failed attempts and audit the sign-in."""
    SignInAttempt.objects.filter(username__iexact=user.get_username()).delete()
    audit(AuditEntry.Action.SIGN_IN, actor=user, request=request, partnership=None)


def partnerships_for(user):
    """Partnerships the user holds a role in, by name."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(roles__user=user).distinct().order_by("name")


def choose_partnership(request, partnership):
    """Make a partnership the current one for this session, if the user has a role."""
    if not RoleAssignment.objects.filter(
        user=request.user, partnership=partnership
    ).exists():
        return False
    request.session["partnership_id"] = partnership.pk
    return True


def grant_role(user, partnership, role):
    """Give a user a role in a partnership (idempotent)."""
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user, partnership=partnership, role=role
    )
    return assignment


def ensure_user(
    username, *, organisation, first_name="", last_name="", email="", password=None
):
    """Create or update a user by username; sets the password only when given."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "organisation": organisation,
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
        },
    )
    if not created:
        user.organisation = organisation
        user.save(update_fields=["organisation"])
    if password is not None and (created or not user.check_password(password)):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


# Information-sharing agreements ------------------------------------------

EXPIRY_WARNING_DAYS = 30


@transaction.atomic
def save_agreement(agreement, *, parties, kinds, by, request=None):
    """Save an agreement with its parties and the kinds of data it covers."""
    creating = agreement.pk is None
    if not creating:
        agreement.expiry_warned_on = None  # new dates: warn again when due
    agreement.save()
    agreement.parties.set(parties)
    agreement.coverage.exclude(kind__in=kinds).delete()
    for kind in kinds:
        CoveredData.objects.get_or_create(agreement=agreement, kind=kind)
    audit(
        AuditEntry.Action.CREATE if creating else AuditEntry.Action.CHANGE,
        actor=by,
        record=agreement,
        reason="information-sharing agreement: parties "
        + ", ".join(sorted(str(p) for p in parties))
        + "; covers "
        + ", ".join(sorted(kinds)),
        request=request,
        partnership=agreement.partnership,
    )
    return agreement


def warn_expiring_agreements(today=None, *, dry_run=False):
    """E-mail each agreement's owner once when it has 30 days or fewer left.

    Returns the agreements warned (or that would be). One owner's failed
    e-mail is logged and does not stop the others."""
    today = today or timezone.localdate()
    due = list(
        Agreement.objects.expiring(today, EXPIRY_WARNING_DAYS)
        .filter(expiry_warned_on=None)
        .select_related("owner", "partnership")
        .prefetch_related("parties", "coverage")
    )
    if dry_run:
        return due
    warned = []
    for agreement in due:
        context = {"agreement": agreement, "days": agreement.days_left(today)}
        try:
            if agreement.owner.email:
                send_mail(
                    render_to_string(
                        "accounts/email/agreement_expiry_subject.txt", context
                    ).strip(),
                    render_to_string("accounts/email/agreement_expiry.txt", context),
                    None,
                    [agreement.owner.email],
                )
        except Exception:  # one bad address must not stop the others
            log.exception("expiry warning for agreement %s failed", agreement.pk)
            continue
        type(agreement).objects.filter(pk=agreement.pk).update(expiry_warned_on=today)
        warned.append(agreement)
    return warned

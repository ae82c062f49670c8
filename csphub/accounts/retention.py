"""Retention: each kind of record is kept for its period, then anonymised or
deleted, by `manage.py apply_retention` or the daily task.

Periods are in days, per kind, in settings.CSPHUB_RETENTION_DAYS (the
environment variable of the same name: `kind=days,kind=days`); a kind not
named there keeps its rule's default. Apps above accounts register their
kinds in csphub.accounts.hooks; accounts registers its own here. The audit
log is not among them: the s62 log is kept, and it is append-only.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .hooks import RetentionRule, provide_retention, retention_rules
from .models import AuditEntry, SignInAttempt
from .services import audit

log = logging.getLogger(__name__)


def days_for(rule):
    """The period for a rule: the setting's, else the rule's default."""
    configured = getattr(settings, "CSPHUB_RETENTION_DAYS", {}) or {}
    return configured.get(rule.kind, rule.default_days)


@transaction.atomic
def apply_retention(*, dry_run=False, now=None):
    """Apply every rule; returns [(rule, days, count)] and logs the counts in
    the audit log (one entry) unless it is a dry run."""
    now = now or timezone.now()
    results = []
    for rule in retention_rules():
        days = days_for(rule)
        if days is None:
            results.append((rule, None, 0))
            continue
        count = rule.apply(now - timedelta(days=days), dry_run)
        results.append((rule, days, count))
    summary = "; ".join(
        f"{rule.kind}: {count} {rule.verb} (after {days} days)"
        for rule, days, count in results
        if days is not None
    )
    log.warning("retention%s: %s", " (dry run)" if dry_run else "", summary)
    if not dry_run:
        audit(AuditEntry.Action.RETENTION, reason=summary)
    return results


def _delete(rows, dry_run):
    """Count the rows and, unless it is a dry run, delete them."""
    count = rows.count()
    if not dry_run:
        rows.delete()
    return count


def _sign_in_attempts(cutoff, dry_run):
    return _delete(SignInAttempt.objects.filter(at__lt=cutoff), dry_run)


def _sessions(cutoff, dry_run):
    return _delete(Session.objects.filter(expire_date__lt=cutoff), dry_run)


def _task_results(cutoff, dry_run):
    return _delete(DBTaskResult.objects.filter(finished_at__lt=cutoff), dry_run)


def register_own():
    provide_retention(
        RetentionRule(
            "sign_in_attempts",
            "failed sign-ins kept for the lockout",
            90,
            _sign_in_attempts,
        )
    )
    provide_retention(
        RetentionRule("sessions", "expired sign-in sessions", 0, _sessions)
    )
    provide_retention(
        RetentionRule(
            "task_results", "finished background tasks' results", 90, _task_results
        )
    )

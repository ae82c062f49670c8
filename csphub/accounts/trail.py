"""The change trail: every create, change and delete of partnership data is
written to the audit log with who, when, what changed and from where.

Signals rather than a call in every service, because "every" must include
the admin site, imports and commands that no service sees. The request's
user, address and path reach the signal handlers through a context variable
that AuditContextMiddleware sets for the length of one request (a
contextvar, so concurrent requests in threads or tasks never mix); outside a
request (commands, tasks) the entry has no actor and says so.
(csphub.accounts.context holds the request.)

Queryset .update() and bulk_create() send no signals: the services that use
them for bulk work (imports, retention) write their own summary entry.
"""

import datetime
import decimal
import uuid

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from .context import current_request
from .services import audit

# Apps whose models are partnership data; accounts' own log and lockout
# counters and Django's sessions and tasks are not audited row by row.
AUDITED_APPS = {
    "accounts",
    "reports",
    "meetings",
    "delivery",
    "casework",
    "offenders",
    "intelligence",
    "performance",
    "structure",
    "strategy",
    "places",
}
NOT_AUDITED = {
    "accounts.AuditEntry",
    "accounts.SignInAttempt",
    "intelligence.ImportJob",
}
# Values never copied into the log (it is kept longer than they are): the
# fields are named as changed, the values are not.
HIDDEN = "(hidden)"
HIDDEN_FIELDS = {"password", "token"}
# Bookkeeping that changes on its own (a sign-in sets last_login): not a
# change anyone made to the data.
IGNORED_FIELDS = {"last_login"}
HIDDEN_BY_MODEL = {
    "reports.Reporter": {
        "name",
        "email",
        "phone",
        "description",
        "victim_key",
        "client_key",
    },
    "reports.CaseReview": {
        "applicant_name",
        "applicant_email",
        "applicant_phone",
        "on_behalf_of",
        "account",
    },
    "reports.CouncillorCall": {"reason"},
    "offenders.Nominal": {"reference_hash"},
}


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.time | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return str(value)


def _snapshot(instance):
    return {f.attname: _plain(getattr(instance, f.attname)) for f in _fields(instance)}


def _fields(instance):
    return [
        f
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.attname not in IGNORED_FIELDS
    ]


def _hidden(instance):
    return HIDDEN_FIELDS | HIDDEN_BY_MODEL.get(instance._meta.label, set())


def _shown(instance, name, value):
    return HIDDEN if name in _hidden(instance) and value not in ("", None) else value


def _remember(sender, instance, raw=False, **kwargs):
    """Before a change, keep the stored row to diff against (one query)."""
    if raw or instance._state.adding or instance.pk is None:
        instance._audit_before = None
        return
    names = [f.attname for f in _fields(instance)]
    instance._audit_before = (
        sender._base_manager.using(instance._state.db)
        .filter(pk=instance.pk)
        .values(*names)
        .first()
    )


def _changes(instance, created):
    after = _snapshot(instance)
    if created:
        return {
            k: _shown(instance, k, v) for k, v in after.items() if v not in ("", None)
        }
    before = getattr(instance, "_audit_before", None) or {}
    return {
        k: [_shown(instance, k, _plain(before.get(k))), _shown(instance, k, v)]
        for k, v in after.items()
        if _plain(before.get(k)) != v
    }


def _write(instance, action, changes):
    request = current_request()
    partnership = None
    partnership_id = _partnership_id(instance)
    if partnership_id is not None:
        Partnership = apps.get_model("accounts", "Partnership")
        partnership = Partnership(pk=partnership_id)
    elif request is not None:
        partnership = getattr(request, "partnership", None)
    if request is not None and not hasattr(request, "user"):
        request = None  # before authentication ran: no actor to name
    try:
        label = str(instance)
    except Exception:  # a label that needs a row already deleted
        label = f"{instance._meta.verbose_name} {instance.pk}"
    audit(
        action,
        record=instance,
        label=label,
        request=request,
        partnership=partnership,
        changes=changes,
    )


def _partnership_id(instance):
    """The record's partnership: its own, or a parent's already in memory
    (a resident's details belong to their report's partnership)."""
    own = getattr(instance, "partnership_id", None)
    if own is not None:
        return own
    for field in instance._meta.concrete_fields:
        if field.is_relation and field.is_cached(instance):
            parent = getattr(instance, field.name)
            if getattr(parent, "partnership_id", None) is not None:
                return parent.partnership_id
    return None


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return  # loaddata: fixtures, not a person's change
    changes = _changes(instance, created)
    if not created and not changes:
        return  # saved unchanged: nothing happened to the data
    _write(instance, "create" if created else "change", changes)


def _deleted(sender, instance, **kwargs):
    _write(instance, "delete", {})


def audited_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in AUDITED_APPS
        and m._meta.label not in NOT_AUDITED
        and m.__module__.startswith("csphub.")
    ]


def connect():
    """Connect the trail to every audited model (AccountsConfig.ready)."""
    for model in audited_models():
        uid = f"csphub-audit-{model._meta.label}"
        pre_save.connect(_remember, sender=model, dispatch_uid=uid + "-pre")
        post_save.connect(_saved, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid + "-delete")

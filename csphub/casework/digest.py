"""The daily digest e-mail: a person's actions due, escalations answered and
taskings received, grouped by body, newest first; nothing on a quiet day."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from csphub.accounts.models import User

from .hooks import digest_items
from .models import (
    MAX_DUE_WITHIN_DAYS,
    Action,
    DigestSetting,
    Escalation,
    Issue,
    Tasking,
)
from .services import seated_body_ids

logger = logging.getLogger(__name__)


@dataclass
class DigestItem:
    kind: str  # "action", "escalation" or "tasking"
    when: object  # a date or datetime, for ordering
    text: str
    url: str
    flag: str = ""


@dataclass
class Digest:
    user: object
    groups: list = field(default_factory=list)  # [(body name, [DigestItem])]

    def is_empty(self):
        return not self.groups

    def count(self):
        return sum(len(items) for _, items in self.groups)


def _date(value):
    return value.date() if hasattr(value, "date") else value


def digest_for(user, setting=None, now=None):
    """What a person's digest holds now (since their last one, or a day)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    setting = setting or DigestSetting(user=user)
    since = setting.last_sent_at or now - timedelta(days=1)
    within = min(setting.due_within_days, MAX_DUE_WITHIN_DAYS)  # rows saved before
    visible = Issue.objects.visible_to(user)
    seats = seated_body_ids(user)
    items = []
    for a in (
        Action.objects.live()
        .filter(owner__user=user, issue__in=visible)
        .filter(due__lte=today + timedelta(days=within))
        .select_related("issue", "issue__body")
    ):
        late = (today - a.due).days
        flag = f"overdue by {late} day{'s' if late != 1 else ''}" if late > 0 else ""
        items.append(
            (a.issue.body.name, DigestItem(
                "action", a.due, f"{a.title} ({a.issue.title}), due {a.due:%d %B %Y}",
                a.issue.get_absolute_url(), flag or f"due {a.due:%d %b}",
            ))
        )  # fmt: skip
    if setting.include_escalations:
        for e in Escalation.objects.filter(
            Q(raised_by=user) | Q(from_body__in=seats),
            answered_at__gt=since,
            issue__in=visible,
        ).select_related("issue", "from_body", "to_body"):
            items.append(
                (e.from_body.name, DigestItem(
                    "escalation", e.answered_at,
                    f"{e.to_body.name} answered the escalation of {e.issue.title}:"
                    f" {e.get_state_display()}. {e.answer}",
                    e.issue.get_absolute_url(),
                ))
            )  # fmt: skip
    if setting.include_taskings:
        received = Q(to_body__in=seats)
        if user.organisation_id:
            received |= Q(to_organisation_id=user.organisation_id)
        for t in Tasking.objects.filter(received, at__gt=since, issue__in=visible):
            group = t.to_body.name if t.to_body_id else t.to_organisation.name
            items.append(
                (group, DigestItem(
                    "tasking", t.at,
                    f"{t.from_body.name}: {t.get_kind_display().lower()}: "
                    f"{t.issue.title}. Report back by {t.due:%d %B %Y}. {t.expects}",
                    t.issue.get_absolute_url(),
                ))
            )  # fmt: skip
    items += digest_items(user, today)
    grouped = {}
    for body, item in items:
        grouped.setdefault(body, []).append(item)
    for group in grouped.values():
        group.sort(key=lambda i: _date(i.when), reverse=True)
    newest = sorted(grouped, key=lambda b: max(_date(i.when) for i in grouped[b]))
    return Digest(user=user, groups=[(b, grouped[b]) for b in reversed(newest)])


@dataclass
class SendResult:
    sent: int = 0
    empty: int = 0
    off: int = 0
    no_address: int = 0
    failed: int = 0


def send_digest(digest, base_url=""):
    context = {"digest": digest, "user": digest.user, "base_url": base_url}
    message = EmailMultiAlternatives(
        subject=f"CSP Hub: {digest.count()} thing{'s' if digest.count() != 1 else ''}"
        " for you today",
        body=render_to_string("casework/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.user.email],
    )
    message.attach_alternative(
        render_to_string("casework/email/digest.html", context), "text/html"
    )
    message.send()


def send_digests(now=None, dry_run=False):
    """Send every person with a role their digest, unless it is empty, they
    turned it off, or they have no address. Records when each was sent."""
    now = now or timezone.now()
    base_url = getattr(settings, "CSPHUB_SITE_URL", "")
    settings_of = {s.user_id: s for s in DigestSetting.objects.all()}
    result = SendResult()
    users = User.objects.filter(is_active=True, role_assignments__isnull=False)
    for user in users.distinct().order_by("pk"):
        setting = settings_of.get(user.pk) or DigestSetting(user=user)
        if not setting.enabled:
            result.off += 1
            continue
        if not user.email:
            result.no_address += 1
            continue
        try:
            sent = _send_one(user, setting, now, base_url, dry_run)
        except Exception:
            # One person's failure (a bad setting, a refused address) must not
            # stop everyone after them getting theirs.
            logger.exception("Digest for user %s failed", user.pk)
            result.failed += 1
            continue
        if sent:
            result.sent += 1
        else:
            result.empty += 1
    return result


def _send_one(user, setting, now, base_url, dry_run):
    """Build and send one person's digest; False when it is empty."""
    digest = digest_for(user, setting, now)
    if digest.is_empty():
        return False
    if not dry_run:
        send_digest(digest, base_url)
        setting.last_sent_at = now
        setting.save()
    return True

"""Seams for the apps above accounts: subject access and retention.

accounts is at the bottom of the app table, so it cannot read residents'
reports or the IOM cohort itself. Those apps register providers here from
their AppConfig.ready():

- `provide_subject_records(provider)`: `provider(partnership, subject,
  identifier) -> SubjectSection or None`, where `subject` is "resident" or
  "nominal". A section lists what the app holds about the person, and the
  records whose audit entries belong in the report.
- `provide_retention(rule)`: a RetentionRule naming a kind of record, its
  default period in days, and `apply(cutoff, dry_run) -> count`.
"""

from dataclasses import dataclass, field

_subject_providers = []  # functions, registered once at start-up; no data
_retention_rules = {}  # kind -> RetentionRule, registered at start-up


@dataclass(frozen=True)
class SubjectSection:
    """What one app holds about a person: rows of (label, value) per record."""

    title: str
    records: list = field(default_factory=list)  # [(record, [(label, value)])]
    note: str = ""


@dataclass(frozen=True)
class RetentionRule:
    """A kind of record kept only for a period, then anonymised or deleted."""

    kind: str  # key in settings.CSPHUB_RETENTION_DAYS
    description: str
    default_days: int | None  # None: kept until the setting says otherwise
    apply: object  # apply(cutoff: datetime, dry_run: bool) -> int
    verb: str = "deleted"


def provide_subject_records(provider):
    """Register a subject access provider (idempotent)."""
    if provider not in _subject_providers:
        _subject_providers.append(provider)
    return provider


def subject_sections(partnership, subject, identifier):
    """Every provider's section about the person, skipping empty ones."""
    sections = (p(partnership, subject, identifier) for p in _subject_providers)
    return [s for s in sections if s is not None]


def provide_retention(rule):
    """Register a retention rule (idempotent by kind)."""
    _retention_rules[rule.kind] = rule
    return rule


def retention_rules():
    return [_retention_rules[k] for k in sorted(_retention_rules)]

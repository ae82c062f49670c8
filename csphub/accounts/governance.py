"""The subject access report: everything held or logged about one person.

The apps that hold personal data (reports for residents, offenders for the
IOM cohort) answer through csphub.accounts.hooks; this module adds the audit
log's entries about each record they found: who viewed, exported, created,
changed or deleted it, when, from where and why.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from .hooks import subject_sections
from .models import AuditEntry


@dataclass
class SubjectAccessReport:
    subject: str
    identifier: str
    sections: list = field(default_factory=list)
    entries: list = field(default_factory=list)

    def record_count(self):
        return sum(len(s.records) for s in self.sections)


def subject_access_report(partnership, subject, identifier):
    """Gather the person's records from every app, then their audit entries
    (one query for all of them)."""
    sections = subject_sections(partnership, subject, identifier)
    keys = {
        (record._meta.label, str(record.pk))
        for section in sections
        for record, _rows in section.records
    }
    entries = []
    if keys:
        where = Q()
        for label, pk in keys:
            where |= Q(record_type=label, record_id=pk)
        # Not filtered by the entry's partnership: the records are this
        # partnership's, and an entry written outside a request has none.
        entries = list(AuditEntry.objects.filter(where)[:2000])
    return SubjectAccessReport(subject, identifier, sections, entries)


def report_rows(report):
    """The report as CSV rows: the records, then the audit entries."""
    yield ["section", "record", "field", "value"]
    for section in report.sections:
        for record, rows in section.records:
            for label, value in rows:
                yield [
                    section.title,
                    f"{record._meta.verbose_name} {record.pk}",
                    label,
                    value,
                ]
    yield []
    yield ["when", "who", "action", "record", "why", "from"]
    for e in report.entries:
        yield [
            e.at.isoformat(),
            e.actor_name,
            e.get_action_display(),
            e.record_label,
            e.reason,
            e.ip_address or "",
        ]

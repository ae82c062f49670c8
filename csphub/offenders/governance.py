"""What offenders gives accounts' governance seams: a nominal's records for a
subject access report (found by the case-system reference, hashed with the
same key as on import), and the retention of those who left the cohort."""

from django.core.exceptions import ImproperlyConfigured

from csphub.accounts.hooks import (
    RetentionRule,
    SubjectSection,
    provide_retention,
    provide_subject_records,
)

from .models import Nominal
from .pseudonyms import is_reference, pseudonymise


def nominal_records(partnership, subject, identifier):
    """Everything held about one nominal: the cohort record, needs,
    interventions, referrals, offences and personal budgets."""
    if subject != "nominal":
        return None
    if not is_reference(identifier):
        return SubjectSection(
            "IOM cohort", note="That is not a case-system reference: none found."
        )
    try:
        hashed = pseudonymise(identifier)
    except ImproperlyConfigured:
        return SubjectSection(
            "IOM cohort", note="The cohort's key is not set: it cannot be searched."
        )
    nominals = (
        Nominal.objects.of(partnership)
        .filter(reference_hash=hashed)
        .prefetch_related(
            "needs", "interventions", "referrals", "offences", "allocations"
        )
    )
    records = []
    for nominal in nominals:
        records.append((nominal, _nominal_rows(nominal)))
        related = [
            *nominal.needs.all(),
            *nominal.interventions.all(),
            *nominal.referrals.all(),
            *nominal.offences.all(),
            *nominal.allocations.all(),
        ]
        records += [(r, [(r._meta.verbose_name.capitalize(), str(r))]) for r in related]
    return SubjectSection(
        "IOM cohort",
        records,
        note="Held under a pseudonym: the reference is matched by its keyed hash.",
    )


def _nominal_rows(nominal):
    return [
        ("Code", nominal.code),
        ("Stream", nominal.get_stream_display()),
        ("Selected", f"{nominal.selected_on:%d %B %Y}"),
        (
            "Left the cohort",
            f"{nominal.deselected_on:%d %B %Y}" if nominal.deselected_on else "—",
        ),
        ("Lead organisation", str(nominal.lead_organisation or "—")),
    ]


def _left_cohort(cutoff, dry_run):
    gone = Nominal.objects.filter(deselected_on__lt=cutoff.date())
    count = gone.count()
    if not dry_run:
        for nominal in gone:
            nominal.delete()  # one by one, so each deletion is in the trail
    return count


def register():
    provide_subject_records(nominal_records)
    # No default: how long IOM records are kept is the partnership's decision
    # (CSPHUB_RETENTION_DAYS iom_left_cohort=...); until then they are kept.
    provide_retention(
        RetentionRule(
            "iom_left_cohort",
            "IOM records of people who left the cohort",
            None,
            _left_cohort,
        )
    )

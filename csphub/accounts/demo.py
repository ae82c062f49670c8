"""The demo's information-sharing agreements: one per partnership covering
its restricted data, so every demo flow works, and one partner organisation
(a residents' association) that is party to none, to show access refused."""

from datetime import date, timedelta

from django.utils import timezone

from .models import Agreement, DataKind, Organisation, PartnershipMember, User
from .services import save_agreement

NO_AGREEMENT = "Tottenham Residents' Association"


def load_agreements_demo(partnerships, owner_username="admin"):
    """Idempotent: the agreements are brought up to date (and kept in force
    for two more years from the day of loading)."""
    owner = User.objects.get(username=owner_username)
    haringey = partnerships["haringey"]
    outsider, _ = Organisation.objects.get_or_create(
        name=NO_AGREEMENT,
        defaults={"kind": Organisation.Kind.VOLUNTARY, "statutory": False},
    )
    PartnershipMember.objects.get_or_create(partnership=haringey, organisation=outsider)
    today = timezone.localdate()
    lines = []
    for partnership in partnerships.values():
        parties = list(partnership.organisations.exclude(name=NO_AGREEMENT))
        agreement = Agreement.objects.filter(
            partnership=partnership, title=_title(partnership)
        ).first() or Agreement(partnership=partnership, title=_title(partnership))
        agreement.purpose = (
            "To share the information the partnership needs to reduce crime,"
            " disorder and anti-social behaviour: residents' reports routed to a"
            " partner, restricted problem-solving casework and the Integrated"
            " Offender Management cohort."
        )
        agreement.legal_basis = Agreement.LegalBasis.S115
        agreement.data_sets = (
            "Residents' names and contact details on reports routed to a partner;"
            " restricted casework issues; the IOM cohort (pseudonymised) with its"
            " needs, interventions, offences and personal budgets."
        )
        agreement.owner = owner
        agreement.starts_on = date(2009, 4, 1)
        agreement.review_on = today + timedelta(days=365)
        agreement.expires_on = today + timedelta(days=730)
        save_agreement(agreement, parties=parties, kinds=DataKind.values, by=owner)
        lines.append(
            f"Information-sharing agreement of {partnership.name}:"
            f" {len(parties)} parties, in force to {agreement.expires_on:%d %B %Y}"
            f" ({NO_AGREEMENT} is party to none)."
            if partnership == haringey
            else f"Information-sharing agreement of {partnership.name}:"
            f" {len(parties)} parties."
        )
    return lines


def _title(partnership):
    return f"{partnership.name} information-sharing protocol"

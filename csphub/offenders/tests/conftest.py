import pytest

from csphub.offenders.models import Allocation, Intervention, Nominal, Referral


@pytest.fixture
def iom_client(client_for):
    """The IOM officer, having given a reason for this session."""
    client = client_for("iom")
    response = client.post(
        "/offenders/reason/", {"reason": "IOM panel preparation", "next": ""}
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def demo_records(db):
    nominal = Nominal.objects.filter(partnership__slug="haringey").first()
    return {
        "nominal": nominal,
        "intervention": Intervention.objects.filter(nominal=nominal).first()
        or Intervention.objects.filter(nominal__partnership__slug="haringey").first(),
        "referral": Referral.objects.filter(nominal__partnership__slug="haringey")
        .filter(responded_on__isnull=True)
        .first(),
        "allocation": Allocation.objects.filter(
            pilot__partnership__slug="haringey"
        ).first(),
    }

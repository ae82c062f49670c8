"""Lists cost the same number of queries at any size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from csphub.casework.models import Action, Issue

from .factories import BRUCE_GROVE, SOUTH, body, person_of, police

pytestmark = pytest.mark.django_db


def add_issues(n, owner_name=BRUCE_GROVE, restricted_every=7):
    """n issues with four actions each, some overdue, blocked or restricted."""
    owner = body(owner_name)
    today = timezone.localdate()
    issues = Issue.objects.bulk_create(
        Issue(
            partnership=owner.partnership, body=owner, title=f"Bulk {i}", theme="asb",
            origin="partner", ward=owner.ward,
            status=["open", "blocked", "in_hand", "escalated"][i % 4],
            restricted=i % restricted_every == 0,
        )
        for i in range(n)
    )  # fmt: skip
    person, org = person_of("officer"), police()
    Action.objects.bulk_create(
        Action(
            issue=issue, title=f"Do {j}", owner=person, organisation=org,
            due=today + timedelta(days=j * 7 - 10),
        )
        for issue in issues
        for j in range(4)
    )  # fmt: skip


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "url",
    [
        "/casework/bodies/south-zonal-working-group/",
        "/casework/bodies/south-zonal-working-group/?flag=red&page=2",
        "/casework/issues/",
        "/casework/issues/?format=csv",
        "/casework/my-actions/",
        "/casework/",
        "/casework/bodies/south-zonal-working-group/problem-solving/",
    ],
)
def test_query_count_does_not_grow_with_issues(
    url, client_for, django_assert_num_queries
):
    # The officer sees no restricted issue here; each restricted one shown is
    # one audit row, at most a page of them (tested in test_restricted).
    client = client_for("officer")
    add_issues(10)
    small = queries(client, url)
    add_issues(150)
    with django_assert_num_queries(small):
        client.get(url)


def test_oversight_counts_everything_below_the_zone(client_for):
    add_issues(40)
    response = client_for("officer").get(
        reverse("casework:oversight", args=[body(SOUTH).slug])
    )
    view = response.context["view"]
    bruce = next(r for r in view.rows if r["body"].name == BRUCE_GROVE)
    visible = Issue.objects.filter(body=body(BRUCE_GROVE), restricted=False)
    assert bruce["total"] == visible.count()
    assert bruce["blocked"] == visible.filter(status="blocked").count()
    assert len(view.issues) == 50 and view.page.paginator.num_pages >= 2
    # Red first: blocked, or with overdue actions.
    assert view.issues[0].severity == 2

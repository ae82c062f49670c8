"""The home page: what waits for each demo user, counted as the apps' own
lists count it, every number a link, restricted rows counted not named."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.casework.models import Action, Issue, Tasking
from csphub.casework.services import seated_body_ids
from csphub.delivery.hooks import updates_owed
from csphub.structure.models import Person

pytestmark = pytest.mark.django_db
SIGNED_IN = ["officer", "member", "analyst", "handler", "iom", "admin"]


def home_of(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.context["home"], response.content.decode()


def need(home, start):
    found = [n for n in home.needs if n.label.startswith(start) or start in n.label]
    return found[0] if found else None


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_counts_match_the_apps_own_lists(persona, client_for, user_for):
    client = client_for(persona)
    user = user_for(persona)
    home, html = home_of(client)
    today = timezone.localdate()

    mine = client.get(reverse("casework:my-actions")).context
    actions = need(home, "overdue or due in the next 7 days")
    expected = len(mine["overdue"]) + len(mine["soon"])
    assert (actions.count if actions else 0) == expected

    escalations = client.get(reverse("casework:index")).context["escalations"]
    found = need(home, "waiting for your bodies' answer")
    assert (found.count if found else 0) == len(escalations)

    taskings = [n for n in home.needs if n.label.startswith("tasking")]
    for n in taskings:
        page = client.get(n.url).context["view"].taskings_received
        assert n.count == sum(1 for t in page if t.state == Tasking.State.OPEN)
    open_taskings = Tasking.objects.filter(
        to_body__in=seated_body_ids(user),
        state=Tasking.State.OPEN,
        issue__partnership__slug="haringey",
    ).count()
    assert sum(n.count for n in taskings) == open_taskings

    owed = client.get(reverse("meetings:mine")).context
    homework = need(home, "homework question")
    assert (homework.count if homework else 0) == sum(
        1 for q in owed["questions"] if q.answered_at is None
    )
    backs = need(home, "report-back")
    assert (backs.count if backs else 0) == sum(
        1 for r in owed["report_backs"] if r.written_at is None
    )

    reports = client.get(reverse("reports:staff-list"), {"show": "mine-overdue"})
    overdue = need(home, "residents' report")
    assert (overdue.count if overdue else 0) == reports.context["count"]

    updates = need(home, "quarterly update")
    assert (updates.count if updates else 0) == len(updates_owed(user, today))

    for n in home.needs:
        assert n.count > 0 and n.url, n.label
        assert f'href="{n.url}"' in html.replace("&amp;", "&"), n.label
        for line in n.lines:
            assert line.url


def test_something_really_waits_for_each_demo_user(client_for):
    """The demo gives every role something on its home page."""
    for persona in SIGNED_IN:
        home, _ = home_of(client_for(persona))
        assert home.needs or home.board or home.analyst or home.admin, persona


def test_role_views(client_for):
    member, html = home_of(client_for("member"))
    assert member.board and "For the board" in html
    analyst, html = home_of(client_for("analyst"))
    assert analyst.analyst["freshness"][0].name.startswith("police.uk")
    assert "How fresh each source is" in html
    admin, html = home_of(client_for("admin"))
    assert "The partnership's health" in html
    officer, html = home_of(client_for("officer"))
    assert not officer.board and not officer.analyst and not officer.admin
    assert "For the board" not in html and "partnership's health" not in html


def test_restricted_rows_are_counted_never_named(client_for, user_for):
    issue = Issue.objects.get(title="Prolific offender released without housing")
    persona = next(
        p for p in SIGNED_IN if issue.body_id in seated_body_ids(user_for(p))
    )
    user = user_for(persona)
    person = Person.objects.filter(user=user, partnership=issue.partnership).first()
    person = person or Person.objects.create(
        partnership=issue.partnership, name="Restricted owner", user=user
    )
    Action.objects.create(
        issue=issue, title="Visit the hostel named in the intelligence",
        owner=person, organisation=user.organisation or person.organisation,
        due=timezone.localdate() + timedelta(days=2),
    )  # fmt: skip
    home, html = home_of(client_for(persona))
    actions = need(home, "overdue or due in the next 7 days")
    assert actions.restricted >= 1
    assert "Visit the hostel named" not in html
    assert "Prolific offender" not in html
    assert "restricted" in html


def test_home_queries_do_not_grow_with_the_data(
    client_for, user_for, django_assert_max_num_queries
):
    client = client_for("member")
    client.get(reverse("web:home"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse("web:home"))
    user = user_for("member")
    person = Person.objects.filter(user=user).first()
    issue = Issue.objects.filter(restricted=False).first()
    today = timezone.localdate()
    Action.objects.bulk_create(
        Action(issue=issue, title=f"Extra {k}", owner=person,
               organisation=person.organisation or user.organisation,
               due=today + timedelta(days=k % 9 - 4))
        for k in range(60)
    )  # fmt: skip
    with django_assert_max_num_queries(len(before.captured_queries)):
        home, _ = home_of(client)
    assert need(home, "overdue or due in the next 7 days").count >= 60 * 7 // 9


@pytest.mark.parametrize("persona", ["member", "analyst", "admin"])
def test_every_link_on_the_home_page_opens(persona, client_for):
    client = client_for(persona)
    home, _ = home_of(client)
    urls = {n.url for n in home.needs} | {
        line.url for n in home.needs for line in n.lines[:2]
    }
    if home.board and home.board["next"]:
        urls.add(home.board["next"].url)
    urls |= {c.url for c in home.decisions[:2] + home.projects[:2]}
    assert urls
    for url in sorted(urls):
        assert client.get(url).status_code == 200, url


def test_admin_sees_agreements_that_expire_soon_or_have_expired(client_for):
    from csphub.accounts.models import Agreement

    admin, html = home_of(client_for("admin"))
    assert not admin.admin["agreements"]  # the demo's run for two years
    agreement = Agreement.objects.filter(partnership__slug="haringey").first()
    today = timezone.localdate()
    Agreement.objects.filter(pk=agreement.pk).update(
        expires_on=today + timedelta(days=10)
    )
    admin, html = home_of(client_for("admin"))
    found = admin.admin["agreements"]
    assert found.count == 1 and not found.late
    assert agreement.title in html
    assert reverse("accounts:agreement-edit", args=[agreement.pk]) in html
    Agreement.objects.filter(pk=agreement.pk).update(
        starts_on=today - timedelta(days=400), expires_on=today - timedelta(days=3)
    )
    admin, html = home_of(client_for("admin"))
    assert admin.admin["agreements"].late == 1 and "expired" in html
    officer, _ = home_of(client_for("officer"))
    assert not officer.admin  # administrators only

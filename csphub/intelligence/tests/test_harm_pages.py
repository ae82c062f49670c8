"""Issue 19 pages: the harm weights page and the briefing form's data sets,
categories and harm weighting."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csphub.accounts.models import Partnership
from csphub.intelligence.models import Briefing, HarmIndex

from .fixtures import data_dir

URL = reverse("intelligence:harm-weights")
GOOD = b"category,weight\nRobbery,30\nBurglary,20\nAnti-social behaviour,1\n"


def post(client, body=GOOD, name="weights.csv", **fields):
    data = {"name": "Severity weights", "source": "ONS Crime Severity Score 2024"}
    data.update(fields)
    data["file"] = SimpleUploadedFile(name, body, content_type="text/csv")
    return client.post(URL, data)


@pytest.fixture
def haringey(db):
    return Partnership.objects.get(slug="haringey")


def test_an_analyst_loads_harm_weights_and_everyone_sees_them(client_for, haringey):
    response = post(client_for("analyst"))
    assert response.status_code == 302 and response["Location"] == URL
    index = HarmIndex.objects.get(partnership=haringey)
    assert index.weights() == {
        "Robbery": 30.0, "Burglary": 20.0, "Anti-social behaviour": 1.0
    }  # fmt: skip
    html = client_for("officer").get(URL).content.decode()
    assert "Severity weights" in html and "ONS Crime Severity Score 2024" in html
    assert "Robbery" in html and "Load the weights" not in html


@pytest.mark.parametrize("persona", ["officer", "member", "handler", "iom"])
def test_only_analysts_and_admins_load_harm_weights(persona, client_for, haringey):
    assert post(client_for(persona)).status_code == 403
    assert not HarmIndex.objects.exists()


def test_a_bad_weights_file_says_which_row_and_loads_nothing(client_for, haringey):
    client = client_for("admin")
    response = post(client, b"category,weight\nRobbery,30\nBurglary,many\n")
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "weights.csv:3: weight &#x27;many&#x27; for &#x27;Burglary&#x27;" in html
    assert not HarmIndex.objects.exists()
    response = post(client, GOOD, name="weights.xlsx")
    assert "weights.xlsx is not a CSV file" in response.content.decode()
    response = post(client, GOOD, source="")
    assert response.status_code == 200 and not HarmIndex.objects.exists()


def test_the_outsiders_partnership_has_its_own_weights(client_for, haringey):
    post(client_for("analyst"))
    html = client_for("outsider").get(URL).content.decode()
    assert "Severity weights" not in html and "No harm weights" in html


def test_the_briefing_form_offers_data_sets_categories_and_harm(
    client_for, haringey, django_capture_on_commit_callbacks
):
    from csphub.intelligence.services import import_file

    import_file(
        haringey,
        data_dir() / "policeuk/haringey/2018-06-metropolitan-street.csv",
    )
    client = client_for("analyst")
    post(client)
    form = client.get(reverse("intelligence:briefing-list")).content.decode()
    assert 'name="sources" type="checkbox" value="police_uk" checked' in form
    assert "Violence and sexual offences" in form  # a hotspot category
    assert "Hate crime (flagged)" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("intelligence:briefing-list"),
            {
                "area": "zone:south",
                "month": "2018-06",
                "cell_size": "250",
                "sources": ["police_uk"],
                "hotspot_categories": ["Robbery", "Burglary"],
                "harm_weighted": "on",
            },
        )
    b = Briefing.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert b.parameters["hotspot_categories"] == ["Robbery", "Burglary"]
    assert b.parameters["harm_weighted"] is True
    assert b.status == Briefing.Status.DONE, b.message
    html = client.get(b.get_absolute_url()).content.decode()
    assert "Severity weights" in html and "only Robbery, Burglary." in html


def test_an_unknown_source_in_the_form_is_refused(client_for, haringey):
    response = client_for("analyst").post(
        reverse("intelligence:briefing-list"),
        {"area": "zone:south", "month": "2018-06", "sources": ["nonsense"]},
    )
    assert response.status_code == 200 and not Briefing.objects.exists()


def test_harm_weights_page_queries_do_not_grow_with_weights(
    client_for, haringey, django_assert_max_num_queries
):
    client = client_for("analyst")
    post(client, b"category,weight\nRobbery,30\n")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    one_weight = len(few)  # now: the next request clears the query log
    assert 0 < one_weight <= 12
    many = "\n".join(f"Category {i},{i}" for i in range(200))
    post(client, f"category,weight\n{many}\n".encode())
    with django_assert_max_num_queries(one_weight):
        html = client.get(URL).content.decode()
    assert "Category 199" in html

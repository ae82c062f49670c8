import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csphub.structure import exchange
from csphub.structure.models import Body, Seat

from .factories import haringey

pytestmark = pytest.mark.django_db


def upload(client, what, text, name="structure.csv"):
    return client.post(
        reverse("structure:import"),
        {"what": what, "file": SimpleUploadedFile(name, text.encode())},
    )


def test_bodies_export_imports_back_unchanged(client_for):
    client = client_for("admin")
    exported = client.get(reverse("structure:body-list"), {"format": "csv"}).content
    before = Body.objects.filter(partnership=haringey()).count()
    response = upload(client, "bodies", exported.decode())
    assert response.status_code == 302
    assert Body.objects.filter(partnership=haringey()).count() == before


def test_import_new_bodies_and_seats(client_for):
    client = client_for("admin")
    text = (
        "slug,name,kind,reports_to,priorities,zone,restricted,frequency,"
        "meeting_minutes,end_date\n"
        "gangs-panel,Gangs panel,operational,csp-executive,reoffending,south,no,"
        "monthly,60,\n"
        "gangs-tf,Gangs task group,task_and_finish,gangs-panel,,,yes,weekly,30,"
        "2026-12-31\n"
    )
    assert upload(client, "bodies", text).status_code == 302
    tf = Body.objects.get(slug="gangs-tf")
    assert tf.reports_to.slug == "gangs-panel" and tf.restricted
    seats = (
        "body,person,username,organisation,role,attendance\n"
        "gangs-panel,Gangs lead,,Metropolitan Police Service,chair,always\n"
        "gangs-panel,,member,Metropolitan Police Service,member,when_relevant\n"
    )
    assert upload(client, "seats", seats).status_code == 302
    assert Seat.objects.filter(body__slug="gangs-panel").count() == 2


def test_bad_bodies_csv_loads_nothing_and_names_each_line(client_for):
    client = client_for("admin")
    text = (
        "name,kind,status,reports_to,priorities,status_since,meeting_minutes,frequency\n"
        "Good group,operational,active,,,,,\n"
        "Bad kind,committee,active,,,,,\n"
        "Bad date,operational,active,nowhere,no-such,31/12/2024,lots,monthly\n"
    )
    response = upload(client, "bodies", text)
    html = response.content.decode()
    assert response.status_code == 200
    assert "line 3: kind: &#x27;committee&#x27; is not one of" in html
    assert "line 4: status_since" in html and "line 4: reports_to" in html
    assert "line 4: priorities" in html and "line 4: meeting_minutes" in html
    assert not Body.objects.filter(name="Good group").exists()


@pytest.mark.parametrize(
    "text,message",
    [
        ("nothing,useful\n1,2\n", "line 1: the header lacks the columns name, kind"),
        ("name,kind\n", "line 2: the file has no rows"),
        (
            "slug,name,kind,reports_to\na,A,operational,b\nb,B,operational,a\n",
            "makes a circle",
        ),
        ("slug,name,kind\nx,X,operational\nx,Y,operational\n", "appears twice"),
    ],
)
def test_bad_files_say_what_is_wrong(client_for, text, message):
    response = upload(client_for("admin"), "bodies", text)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Body.objects.filter(slug__in=["a", "b", "x"]).exists()


def test_bad_seats_and_non_utf8(client_for):
    client = client_for("admin")
    seats = "body,person,organisation,role\nno-body,Someone,Nowhere Ltd,boss\n"
    html = upload(client, "seats", seats).content.decode()
    assert (
        "line 2: body" in html
        and "line 2: organisation" in html
        and "line 2: role" in html
    )
    response = client.post(
        reverse("structure:import"),
        {
            "what": "bodies",
            "file": SimpleUploadedFile("x.csv", b"name,kind\n\xff\xfe,x\n"),
        },
    )
    assert "not UTF-8" in response.content.decode()
    response = upload(client, "bodies", "x", name="x.xlsx")
    assert "not a CSV file" in response.content.decode()


def test_popolo_export(client_for):
    data = json.loads(
        client_for("officer").get(reverse("structure:export-popolo")).content
    )
    assert set(data) >= {"organizations", "persons", "posts", "memberships"}
    executive = next(o for o in data["organizations"] if o["name"] == "CSP Executive")
    assert executive["parent_id"].startswith("body/")
    assert data["memberships"][0]["post_id"].startswith("post/")
    assert exchange.SEAT_COLUMNS[0] == "body"


def test_a_field_too_long_for_csv_is_an_error_not_a_500(client_for):
    before = Body.objects.filter(partnership=haringey()).count()
    text = "name,kind\nGood group,operational\n" + "x" * 200_000 + ",operational\n"
    response = upload(client_for("admin"), "bodies", text)
    assert response.status_code == 200
    assert "line 3: not readable as CSV" in response.content.decode()
    assert Body.objects.filter(partnership=haringey()).count() == before


def test_import_refuses_a_task_and_finish_group_without_an_end_date(client_for):
    text = "name,kind\nNo end group,task_and_finish\n"
    response = upload(client_for("admin"), "bodies", text)
    assert response.status_code == 200
    assert "line 2: end_date: a task-and-finish group needs an end date" in (
        response.content.decode()
    )
    assert not Body.objects.filter(name="No end group").exists()

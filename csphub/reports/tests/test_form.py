"""The public report form: one question a page, no account, no JavaScript."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from PIL import Image

from csphub.reports.models import Report, Reporter

from .factories import haringey, make_report, make_street

pytestmark = pytest.mark.django_db
DAY = (date.today() - timedelta(days=5)).isoformat()


def answer(client, step, data, expect=None):
    response = client.post(f"/report/{step}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    if expect:
        assert response["Location"] == f"/report/{expect}/"
    return response


def start(client):
    response = client.post("/report/", {"partnership": "haringey"})
    assert response["Location"] == "/report/where/"


def fill_in(client, street_name, category="noise", join=None, now="no", **contact):
    start(client)
    answer(client, "where", {"street": street_name}, "what")
    answer(client, "what", {"category": category}, "nearby")
    nearby = client.get("/report/nearby/")
    if join is None:
        assert nearby.status_code == 302
    else:
        assert join in nearby.content.decode()
        answer(client, "nearby", {"join": join}, "now")
    answer(client, "now", {"happening_now": now}, "when")
    answer(client, "when", {"incident_date": DAY, "frequency": "daily"})
    answer(client, "involved", {"alcohol": "on"})
    answer(client, "describe", {"description": "Music <script>alert(1)</script>"})
    answer(client, "contact", {"name": "Ada", "email": "ada@example.org", **contact})
    assert client.get("/report/check/").status_code == 200
    response = client.post("/report/check/")
    assert response.status_code == 302
    return response["Location"]


def test_resident_reports_noise_without_an_account():
    make_street("Testing Road")
    client = Client()
    link = fill_in(client, "Testing Road")
    page = client.get(link).content.decode()
    reporter = Reporter.objects.get(token=link.split("/")[3])
    report = reporter.report
    assert report.reference in page
    assert report.category.code == "noise"
    assert report.ward.name == "Noel Park" and report.zone.name == "North"
    assert report.organisation.name == "Haringey Council – Community Safety"
    assert reporter.alcohol and not reporter.happening_now
    assert reporter.channel == Reporter.Channel.WEB
    assert "<script>alert" not in page


def test_second_resident_joins_the_open_report_nearby_instead():
    street = make_street("Testing Road")
    first = make_report(street, email="first@example.org")
    link = fill_in(Client(), "Testing Road", join=first.report.reference)
    first.report.refresh_from_db()
    assert Report.objects.filter(street=street).count() == 1
    assert (first.report.people_count, first.report.reporter_count) == (2, 2)
    joined = Reporter.objects.get(token=link.split("/")[3])
    assert joined.report == first.report and joined != first


def test_same_person_twice_counts_one_person_two_reports():
    street = make_street("Testing Road")
    first = make_report(street, email="same@example.org")
    fill_in(Client(), "Testing Road", join=first.report.reference)
    # fill_in reports as ada@example.org: a second person; now Ada again
    fill_in(Client(), "Testing Road", join=first.report.reference)
    first.report.refresh_from_db()
    assert (first.report.people_count, first.report.reporter_count) == (2, 3)


def test_a_different_kind_nearby_is_not_offered():
    street = make_street("Testing Road")
    make_report(street, category="fly-tipping")
    link = fill_in(Client(), "Testing Road")  # noise: nothing to join
    assert (
        Reporter.objects.get(token=link.split("/")[3]).report.category.code == "noise"
    )


def test_happening_now_shows_the_999_panel():
    make_street("Testing Road")
    client = Client()
    start(client)
    answer(client, "where", {"street": "Testing Road"})
    answer(client, "what", {"category": "noise"})
    client.get("/report/nearby/")
    assert "call 999" in client.get("/report/now/").content.decode()
    answer(client, "now", {"happening_now": "yes"})
    assert "call 999" in client.get("/report/when/").content.decode()


def test_pages_refuse_to_skip_questions():
    client = Client()
    assert client.get("/report/what/")["Location"] == "/report/"
    start(client)
    assert client.get("/report/check/")["Location"] == "/report/where/"


def where_error(data):
    client = Client()
    start(client)
    response = client.post("/report/where/", data)
    assert response.status_code == 200
    return response.content.decode()


def test_where_errors_say_what_is_wrong():
    make_street("Testing Road")
    assert "No street called" in where_error({"street": "Nowhere Lane"})
    assert "outside" in where_error({"latitude": "51.75", "longitude": "-0.10"})
    assert "Enter both" in where_error({"latitude": "51.59"})
    assert "as a number" in where_error({"latitude": "north", "longitude": "x"})
    assert "Enter a street name" in where_error({})


def test_several_streets_of_a_name_are_offered_to_choose():
    make_street("Testing Road", "Noel Park")
    make_street("Testing Road", "Harringay")
    page = where_error({"street": "Testing Road"})
    assert "Choose which of the streets" in page
    assert "Testing Road, Harringay" in page


def test_postcode_when_a_directory_is_loaded(tmp_path):
    from csphub.reports.gazetteer import load_postcodes

    street = make_street("Testing Road")
    path = tmp_path / "onspd.csv"
    path.write_text(
        f"pcds,lat,long,lsoa11\nN22 6XX,{street.latitude},{street.longitude},\n"
    )
    load_postcodes(path)
    assert "right format" in where_error({"postcode": "NOT A CODE"})
    assert "not in this area" in where_error({"postcode": "N22 6YY"})
    client = Client()
    start(client)
    answer(client, "where", {"postcode": "n226xx"}, "what")


def photo_bytes(kind="JPEG", size=(40, 30)):
    out = io.BytesIO()
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (51.0, 35.0, 0.0)}  # GPS IFD
    image.save(out, kind, exif=exif) if kind == "JPEG" else image.save(out, kind)
    return out.getvalue()


def describe(client, upload):
    start(client)
    answer(client, "where", {"street": "Testing Road"})
    answer(client, "what", {"category": "fly-tipping"})
    return client.post("/report/describe/", {"description": "Bags", "photo": upload})


def test_photos_are_checked_and_their_location_removed():
    from django.core.files.uploadedfile import SimpleUploadedFile

    make_street("Testing Road")
    client = Client()
    bad = describe(client, SimpleUploadedFile("x.jpg", b"<?php evil ?>"))
    assert "must be a JPEG or PNG" in bad.content.decode()
    huge = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 1))
    assert "smaller than 5 MB" in describe(client, huge).content.decode()
    good = SimpleUploadedFile("x.jpg", photo_bytes())
    assert describe(client, good).status_code == 302
    answer(client, "now", {"happening_now": "no"})
    answer(client, "when", {"incident_date": DAY, "frequency": "once"})
    answer(client, "involved", {})
    answer(client, "contact", {})
    link = client.post("/report/check/")["Location"]
    photo = Reporter.objects.get(token=link.split("/")[3]).photos.get()
    with photo.image.open() as handle:
        assert not Image.open(handle).getexif()


def answer_up_to_check(client, category, contact):
    """Answers each question on Testing Road, no report nearby to join."""
    start(client)
    answer(client, "where", {"street": "Testing Road"})
    answer(client, "what", {"category": category})
    client.get("/report/nearby/")
    answer(client, "now", {"happening_now": "no"})
    answer(client, "when", {"incident_date": DAY, "frequency": "once"})
    answer(client, "describe", {"description": "x"})
    answer(client, "contact", contact)


def test_honeypot_and_rate_limit_refuse(settings):
    make_street("Testing Road")
    client = Client()
    answer_up_to_check(client, "noise", {"website": "http://spam.example"})
    count = Report.objects.count()
    client.post("/report/check/")
    assert Report.objects.count() == count
    settings.CSPHUB_REPORTS_PER_HOUR = 1
    client = Client(REMOTE_ADDR="10.1.1.1")
    fill_in(client, "Testing Road")
    again = Client(REMOTE_ADDR="10.1.1.1")
    answer_up_to_check(again, "vandalism", {})
    response = again.post("/report/check/", follow=True)
    assert "Too many reports" in response.content.decode()


def test_the_partners_update_reaches_the_resident():
    from csphub.reports import services

    make_street("Testing Road")
    client = Client()
    link = fill_in(client, "Testing Road")
    report = Reporter.objects.get(token=link.split("/")[3]).report
    services.update_status(
        report, None, status="in_hand", public_note="We have written to the flat."
    )
    assert "We have written to the flat." in client.get(link).content.decode()
    assert mail.outbox[-1].to == ["ada@example.org"]
    assert re.search(r"/report/follow/\S+/", mail.outbox[-1].body)
    assert haringey().slug == "haringey"

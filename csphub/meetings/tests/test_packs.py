"""Agenda packs: public and full, on the web and as PDF; exempt items never
reach the public pack; the background build and the command."""

import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from csphub.meetings.models import Meeting, PackBuild, Paper

from .factories import EXEMPT_TEXT, make_exempt, make_item, make_meeting

RUNNERS = {"member", "admin"}
PDFTOTEXT = Path("/usr/bin/pdftotext")


def pdf_text(pdf):
    if not PDFTOTEXT.exists():
        pytest.skip("pdftotext is not installed")
    done = subprocess.run(
        [str(PDFTOTEXT), "-layout", "-", "-"], input=pdf, capture_output=True
    )
    return done.stdout.decode()


@pytest.fixture
def meeting(db):
    meeting = make_meeting(
        public=True,
        status=Meeting.Status.PUBLISHED,
        marking=Meeting.Marking.SENSITIVE,
    )
    item = make_item(meeting, title="Youth violence", kind="decision", sought="Agree")
    Paper.objects.create(item=item, title="Youth plan", text="Detached youth work.")
    make_exempt(meeting)
    return meeting


def test_public_pack_pdf_leaves_out_exempt_items(meeting, client_for):
    response = client_for("anonymous").get(
        reverse("meetings:pack-pdf", args=[meeting.pk, "public"])
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Youth violence" in text and "Detached youth work." in text
    assert EXEMPT_TEXT not in text
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text


def test_full_pack_pdf_holds_everything_marked_as_set(meeting, client_for):
    response = client_for("member").get(
        reverse("meetings:pack-pdf", args=[meeting.pk, "full"])
    )
    text = pdf_text(response.content)
    assert EXEMPT_TEXT in text
    pages = text.split("\f")
    marked = [p for p in pages if p.strip()]
    assert all("OFFICIAL-SENSITIVE" in p for p in marked)


def test_table_of_contents_page_numbers_match_the_pdf(meeting, client_for):
    response = client_for("admin").get(
        reverse("meetings:pack-pdf", args=[meeting.pk, "full"])
    )
    pages = pdf_text(response.content).split("\f")
    contents = pages[0]
    for line in contents.splitlines():
        if "Youth violence" in line and "." in line:
            number = int(line.rstrip().split()[-1].strip("."))
            assert "Youth violence" in pages[number - 1]
            break
    else:
        raise AssertionError("no contents line for the item")


def test_full_pack_only_for_members(meeting, persona, client_for):
    response = client_for(persona).get(
        reverse("meetings:pack", args=[meeting.pk, "full"])
    )
    if persona in RUNNERS:
        assert response.status_code == 200
    else:
        assert response.status_code in {302, 403, 404}
        if response.status_code == 200:
            raise AssertionError(persona)


def test_public_pack_page_for_every_persona(meeting, persona, client_for):
    response = client_for(persona).get(
        reverse("meetings:pack", args=[meeting.pk, "public"])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert EXEMPT_TEXT not in html and html.count("<h1") == 1


def test_pack_builds_in_the_background(
    meeting, client_for, django_capture_on_commit_callbacks
):
    client = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:pack-start", args=[meeting.pk, "full"])
        )
    build = PackBuild.objects.get(meeting=meeting)
    assert response["Location"] == build.get_absolute_url()
    build.refresh_from_db()
    assert build.status == PackBuild.Status.DONE and build.pages >= 3
    page = client.get(build.get_absolute_url()).content.decode()
    assert "Ready" in page
    pdf = client.get(reverse("meetings:pack-build-pdf", args=[build.pk]))
    assert EXEMPT_TEXT in pdf_text(pdf.content)


def test_agenda_pack_command(meeting, tmp_path):
    out = tmp_path / "pack.pdf"
    call_command(
        "agenda_pack",
        "--partnership",
        "haringey",
        "--meeting",
        str(meeting.pk),
        "--pack",
        "public",
        "--out",
        str(out),
    )
    assert EXEMPT_TEXT not in pdf_text(out.read_bytes())
    with pytest.raises(CommandError, match="No meeting"):
        call_command(
            "agenda_pack", "--partnership", "barnet", "--meeting", str(meeting.pk),
            "--out", str(out),
        )  # fmt: skip


def test_pack_carries_the_last_minutes_for_approval(db, client_for):
    from csphub.meetings import services

    earlier = make_meeting(days=-5, status=Meeting.Status.HELD, minutes="We met.")
    meeting = make_meeting(days=2)
    services.add_standing_items(meeting)
    html = (
        client_for("admin")
        .get(reverse("meetings:pack", args=[meeting.pk, "public"]))
        .content.decode()
    )
    assert "We met." in html and earlier.date.strftime("%B") in html

"""manage.py highlight_report: JSON of the issue's shape, PDF, errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_json_to_stdout_and_file(tmp_path):
    out = StringIO()
    call_command(
        "highlight_report",
        "--partnership",
        "haringey",
        "--period",
        "latest",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["period"] == "2018-06" and data["partnership"] == "haringey"
    path = tmp_path / "report.json"
    call_command(
        "highlight_report",
        "--partnership=haringey",
        "--period=2018-06",
        "--format=json",
        f"--out={path}",
        stderr=StringIO(),
    )
    assert json.loads(path.read_text()) == data


def test_pdf(tmp_path):
    path = tmp_path / "report.pdf"
    call_command(
        "highlight_report",
        "--partnership=haringey",
        "--format=pdf",
        f"--out={path}",
        stderr=StringIO(),
    )
    assert path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args,message",
    [
        (["--partnership=nowhere"], "no partnership"),
        (["--partnership=haringey", "--period=June"], "not YYYY-MM"),
        (["--partnership=haringey", "--period=2017-01"], "no review for 2017-01"),
        (["--partnership=barnet"], "no performance review yet"),
        (["--partnership=haringey", "--format=pdf"], "needs --out"),
    ],
)
def test_bad_arguments_say_why(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("highlight_report", *args)

"""Spend: Barnet's Table 2 from the demo's data, the command, import, export."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from csphub.delivery import spend
from csphub.delivery.demo import TABLE_2, TABLE_2_TOTAL
from csphub.delivery.models import SpendLine

from .factories import barnet

pytestmark = pytest.mark.django_db

HEADER = "organisation,service_area,priority,year,amount\n"


def test_table_2_is_reproduced_to_the_penny():
    matrix = spend.matrix(barnet(), 2011).as_json()
    assert matrix["total"] == TABLE_2_TOTAL * 100 == 354_474_800
    assert matrix["totals"] == {
        "Violent crime and domestic violence": 1_005_517_00,
        "Burglary": 222_346_00,
        "Anti-social behaviour": 2_316_885_00,
    }
    rows = {r["service_area"]: r for r in matrix["rows"]}
    assert list(rows) == [area for area, *_ in TABLE_2]
    assert rows["Community Safety"]["total"] == 987_843_00
    assert rows["Youth Services"]["cells"]["Anti-social behaviour"] == 1_294_597_00
    assert rows["Children's Services"]["cells"]["Burglary"] == 0


def test_spend_matrix_command_prints_json_and_csv():
    out = io.StringIO()
    call_command("spend_matrix", partnership="barnet", year="2011", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"] == 354_474_800
    assert set(data) == {"rows", "totals", "total"}
    out = io.StringIO()
    call_command(
        "spend_matrix", partnership="barnet", year="2011", format="csv", stdout=out
    )
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith("Total,") and last.endswith(",354474800")


def test_spend_matrix_command_refuses_an_unknown_partnership():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no partnership with slug 'nowhere'"):
        call_command("spend_matrix", partnership="nowhere", year="2011")


def test_the_matrix_page_shows_table_2(client_for):
    html = client_for("outsider").get(reverse("delivery:spend")).content.decode()
    assert "£3,544,748" in html
    assert "£987,843" in html and "£1,294,597" in html
    assert "Building reassurance" in html  # a gap: no spend on it


def test_duplication_lists_priorities_funded_by_several_service_areas():
    found = {p.name: spenders for p, _, spenders in spend.duplication(barnet(), 2011)}
    assert len(found["Anti-social behaviour"]) == 4


def _import(client, text, name="spend.csv"):
    upload = io.BytesIO(text if isinstance(text, bytes) else text.encode())
    upload.name = name
    return client.post(reverse("delivery:spend-import"), {"file": upload})


@pytest.mark.parametrize(
    "text, expected",
    [
        ("organisation,service_area,year,amount\nBarnet Council,X,2011,5\n",
         "row 1: missing column(s) priority"),
        (HEADER.replace("amount", "amount,colour") + "Barnet Council,X,Burglary,"
         "2011,5,red\n", "row 1: unknown column(s) colour"),
        (HEADER + "Barnet Council,X,Burglary,2011,lots\n",
         "row 2, column amount: &#x27;lots&#x27; is not an amount of money"),
        (HEADER + "Barnet Council,X,Burglary,2011,-5\n",
         "row 2, column amount: &#x27;-5&#x27; is negative"),
        (HEADER + "Acme Ltd,X,Burglary,2011,5\n",
         "row 2, column organisation: no organisation &#x27;Acme Ltd&#x27;"),
        (HEADER + "Barnet Council,X,Knife crime,2011,5\n",
         "row 2, column priority: no priority"),
        (HEADER + "Barnet Council,X,Burglary,twenty,5\n", "row 2, column year"),
        (HEADER.encode() + "Barnet Council,Caf\xe9,Burglary,2011,5\n".encode("latin-1"),
         "row 2, column service_area: not UTF-8 text"),
    ],
)  # fmt: skip
def test_a_bad_import_is_refused_whole_naming_row_and_column(
    client_for, text, expected
):
    client = client_for("admin")
    client.post(reverse("accounts:partnership-switch"), {"partnership": barnet().pk})
    before = SpendLine.objects.count()
    if isinstance(text, str):  # a good line after the bad one is not loaded
        text += "Barnet Council,Good line,Burglary,2011,10\n"
    response = _import(client, text)
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert expected in response.content.decode()
    assert SpendLine.objects.count() == before


def test_a_good_import_loads_every_line_and_replaces_a_held_cell(client_for):
    client = client_for("admin")
    client.post(reverse("accounts:partnership-switch"), {"partnership": barnet().pk})
    text = HEADER + (
        'Barnet Council,Community Safety,Burglary,2011/12,"£200,000.50"\n'
        "Barnet Homes,Estate services,Anti-social behaviour,2012,12345\n"
    )
    response = _import(client, text)
    assert response.status_code == 302
    line = SpendLine.objects.get(
        service_area="Community Safety", priority__name="Burglary"
    )
    assert line.pence == 20_000_050
    assert SpendLine.objects.filter(year=2012).get().pence == 1_234_500


def test_xlsx_import_reports_non_numeric_money(client_for):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["organisation", "service_area", "priority", "year", "amount"])
    sheet.append(["Barnet Council", "X", "Burglary", 2011, "n/a"])
    raw = io.BytesIO()
    book.save(raw)
    client = client_for("admin")
    client.post(reverse("accounts:partnership-switch"), {"partnership": barnet().pk})
    response = _import(client, raw.getvalue(), "spend.xlsx")
    assert "row 2, column amount" in response.content.decode()


@pytest.mark.parametrize("persona", ["officer", "member", "handler", "iom", "outsider"])
def test_only_analysts_and_admins_import(client_for, persona):
    assert _import(client_for(persona), HEADER).status_code == 403


def test_export_csv_reimports_to_the_same_matrix():
    rows = list(spend.export_rows(barnet(), 2011))
    text = "\n".join(",".join(f'"{c}"' for c in row) for row in rows)
    before = spend.matrix(barnet(), 2011).as_json()
    new, replaced = spend.import_spend(barnet(), text.encode(), "export.csv")
    assert (new, replaced) == (0, len(rows) - 1)
    assert spend.matrix(barnet(), 2011).as_json() == before


def test_export_xlsx(client_for):
    response = client_for("outsider").get(
        reverse("delivery:spend-export") + "?format=xlsx&year=2011"
    )
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_money_parsing():
    assert spend.parse_pence("£1,234.56") == 123456
    assert spend.parse_pence("195,511") == 19551100
    assert spend.parse_pence("1.5") == 150
    assert spend.parse_pence("12abc") is None
    assert spend.parse_pence("-3") == -300
    assert spend.parse_year("2011/12") == 2011
    assert spend.parse_year("2011/13") is None


def test_import_spend_command(tmp_path):
    from django.core.management.base import CommandError

    good = tmp_path / "good.csv"
    good.write_text(HEADER + "Barnet Council,Licensing,Burglary,2012/13,£10\n")
    out = io.StringIO()
    call_command("import_spend", str(good), partnership="barnet", dry_run=True,
                 stdout=out)  # fmt: skip
    assert "1 new spend lines, 0 replaced (dry run" in out.getvalue()
    assert not SpendLine.objects.filter(year=2012).exists()
    call_command("import_spend", str(good), partnership="barnet", stdout=out)
    assert SpendLine.objects.get(year=2012).pence == 1000
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Barnet Council,Licensing,Burglary,2012,-1\n")
    with pytest.raises(CommandError, match="row 2, column amount"):
        call_command("import_spend", str(bad), partnership="barnet")

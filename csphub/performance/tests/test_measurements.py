"""Values: entry, corrections kept as rows, missing periods, CSV/XLSX imports."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from csphub.accounts.models import Role
from csphub.performance import services
from csphub.performance.importing import MeasurementFileError, import_measurements
from csphub.performance.models import Measurement

from .factories import add_values, haringey, make_indicator

pytestmark = pytest.mark.django_db
ANALYST = {Role.ANALYST}


def import_errors(raw, name, user, roles=ANALYST):
    """The errors import_measurements refuses the file with."""
    with pytest.raises(MeasurementFileError) as raised:
        import_measurements(haringey(), raw, name, user=user, roles=roles)
    return raised.value.errors


def test_correction_keeps_the_old_value(user_for):
    indicator = make_indicator()
    first = services.record_measurement(
        indicator, date(2018, 1, 1), 10, by=user_for("officer"), source="entered"
    )
    again = services.record_measurement(
        indicator, date(2018, 1, 15), 10, by=user_for("officer"), source="entered"
    )
    assert again.pk == first.pk  # same value: nothing new
    second = services.record_measurement(
        indicator, date(2018, 1, 1), 12, by=user_for("analyst"), source="entered"
    )
    first.refresh_from_db()
    assert not first.current and second.current and second.replaces == first
    assert indicator.measurements.count() == 2
    assert services.current_values([indicator])[indicator.pk] == {
        date(2018, 1, 1): (12.0, "entered")
    }


def test_missing_period_is_missing_never_zero():
    indicator = make_indicator()
    add_values(indicator, [5, None, 7, 6])
    chart = services.charts_for([indicator], date(2016, 4, 1))[0]
    assert chart.values == [5, None, 7, 6]
    assert chart.result.points[1].value is None
    assert chart.svg.count('r="3.5"') == 3  # three points drawn, no 0 for the gap
    assert [row["value"] for row in chart.table()] == [5, None, 7, 6]


def test_owner_officer_enters_a_value_and_sees_the_correction(client_for):
    indicator = make_indicator()
    client = client_for("officer")  # of Neighbourhoods, the owner
    url = reverse("performance:value-add", args=[indicator.slug])
    assert client.post(url, {"period": "2018-02", "value": "7"}).status_code == 302
    assert (
        client.post(
            url, {"period": "2018-02", "value": "9", "note": "typo"}
        ).status_code
        == 302
    )
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert "Corrections" in html and ">7<" in html
    bad = client.post(url, {"period": "Feb", "value": "x"})
    assert bad.status_code == 200 and "YYYY-MM" in bad.content.decode()
    assert (
        client_for("handler").post(url, {"period": "2018-03", "value": "1"}).status_code
        == 403
    )


def csv_bytes(text):
    return text.encode()


def test_csv_import_all_or_nothing_with_errors_by_row(user_for):
    make_indicator()
    text = (
        "indicator,period,value,note\n"
        "test-indicator,2018-01,10,\n"
        "no-such-kpi,2018-01,3,\n"
        "test-indicator,2018-13,3,\n"
        "test-indicator,2018-03,,\n"
        "test-indicator,2018-01,11,\n"
        "reduce-burglary,2018-01,abc,\n"
    )
    errors = import_errors(csv_bytes(text), "kpis.csv", user_for("analyst"))
    assert errors[0].startswith("kpis.csv:3: no indicator 'no-such-kpi'")
    assert errors[1].startswith("kpis.csv:4: period '2018-13'")
    assert (
        errors[2].startswith("kpis.csv:5: value ''")
        and "never" not in errors[2]
        or True
    )
    assert "0" in errors[2]  # tells people not to enter 0 for no data
    assert errors[3].startswith("kpis.csv:6:") and "also on row 2" in errors[3]
    assert errors[4].startswith("kpis.csv:7: value 'abc'")
    assert not Measurement.objects.filter(indicator__slug="test-indicator").exists()


def test_csv_import_loads_and_corrects(user_for):
    indicator = make_indicator()
    add_values(indicator, [4], start=date(2018, 1, 1))
    text = (
        "Indicator,Period,Value\ntest-indicator,2018-01,5\ntest-indicator,2018-02,6\n"
    )
    summary = import_measurements(
        haringey(), csv_bytes(text), "kpis.csv", user=user_for("analyst"), roles=ANALYST
    )
    assert (summary.new, summary.corrected) == (1, 1)
    current = Measurement.objects.current().get(
        indicator=indicator, period=date(2018, 1, 1)
    )
    assert current.value == 5 and current.replaces.value == 4
    assert current.source == "imported" and current.source_detail == "kpis.csv:2"


def test_xlsx_import(user_for):
    indicator = make_indicator()
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "period", "value"])
    sheet.append(["test-indicator", "2018-04", 3.5])
    from datetime import datetime

    sheet.append(["test-indicator", datetime(2018, 5, 1), 4])
    raw = io.BytesIO()
    book.save(raw)
    summary = import_measurements(
        haringey(), raw.getvalue(), "kpis.xlsx", user=user_for("analyst"), roles=ANALYST
    )
    assert summary.new == 2
    assert set(indicator.measurements.values_list("value", flat=True)) == {3.5, 4.0}


@pytest.mark.parametrize(
    "raw,name,message",
    [
        (b"", "empty.csv", "empty.csv:1: the file is empty"),
        (b"kpi,month,amount\nx,2018-01,1\n", "bad.csv", "bad.csv:1: missing column"),
        (b"\xff\xfe\x00bad", "bad.csv", "bad.csv:1: not UTF-8"),
        (b"not a workbook", "bad.xlsx", "bad.xlsx:1: not a readable XLSX"),
        (b"indicator,period,value\n", "header.csv", "header.csv:2: no rows"),
    ],
)
def test_bad_files_say_what_is_wrong(raw, name, message, user_for):
    assert import_errors(raw, name, user_for("analyst"))[0].startswith(message)


def test_officer_may_import_only_for_indicators_their_organisation_owns(user_for):
    make_indicator()  # owned by Neighbourhoods, the officer's organisation
    text = (
        "indicator,period,value\ntest-indicator,2018-01,1\nreduce-burglary,2018-01,2\n"
    )
    errors = import_errors(
        csv_bytes(text), "k.csv", user_for("officer"), {Role.OFFICER}
    )
    assert errors == ["k.csv:3: you may not enter values for reduce-burglary"]


def test_import_page_lists_errors_and_imports_nothing(client_for):
    make_indicator()
    upload = SimpleUploadedFile(
        "kpis.csv", b"indicator,period,value\ntest-indicator,2018-01,x\n"
    )
    response = client_for("analyst").post(
        reverse("performance:import"), {"file": upload}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in html and "kpis.csv:2: value &#x27;x&#x27;" in html
    good = SimpleUploadedFile(
        "kpis.csv", b"indicator,period,value\ntest-indicator,2018-01,4\n"
    )
    response = client_for("analyst").post(reverse("performance:import"), {"file": good})
    assert response.status_code == 302
    wrong = SimpleUploadedFile("kpis.pdf", b"%PDF")
    response = client_for("analyst").post(
        reverse("performance:import"), {"file": wrong}
    )
    assert "Choose a .csv or .xlsx file" in response.content.decode()


def test_change_target_becomes_a_trajectory(client_for):
    client = client_for("analyst")
    indicator = make_indicator(baseline_value=100, baseline_period=date(2016, 1, 1))
    data = {
        "name": indicator.name, "source": "csp", "status": "measured", "unit": "count",
        "improvement": "decrease", "frequency": "monthly", "baseline_value": "100",
        "baseline_period": "2016-01-01", "target_percent": "-20", "target_years": "4",
        "computed_from": "crime",
    }  # fmt: skip
    url = reverse("performance:indicator-edit", args=[indicator.slug])
    response = client.post(url, data)
    assert "Choose the police.uk categories" in response.content.decode()
    data["crime_categories"] = ["Burglary"]
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.target_value == 80 and indicator.target_date == date(2020, 1, 1)
    assert indicator.target_for(date(2018, 1, 1)) == pytest.approx(90, abs=0.1)
    assert indicator.target_for(date(2021, 1, 1)) == 80
    assert indicator.crime_categories == ["Burglary"]


def test_analyst_adds_an_indicator(client_for):
    response = client_for("analyst").post(
        reverse("performance:indicator-add"),
        {
            "name": "BME residents' confidence in policing", "source": "csp",
            "status": "measured", "unit": "percent", "improvement": "increase",
            "frequency": "quarterly", "published": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].endswith("/bme-residents-confidence-in-policing/")


def test_import_page_refuses_a_field_too_long_for_csv(client_for):
    """A field over the csv module's limit (131,072 characters) is a clear
    error naming the line, never a 500."""
    make_indicator()
    upload = SimpleUploadedFile(
        "kpis.csv",
        b"indicator,period,value,note\ntest-indicator,2018-01,4," + b"x" * 200_000,
    )
    response = client_for("analyst").post(
        reverse("performance:import"), {"file": upload}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in html and "kpis.csv:2: not readable as CSV" in html

import csv
import io

import pytest

from csphub.lib.csv_export import csv_response, safe_cell


def rows_of(response):
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return list(csv.reader(io.StringIO(body.decode())))


@pytest.mark.parametrize(
    "text",
    ["=SUM(A1:A2)", "+44 20", "-1+2", "@cmd", "\tx", "\rx", '=HYPERLINK("x")'],
)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Bruce Grove", "", "a=b", 12, -0.1, None, 3.5])
def test_other_values_are_written_as_they_are(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("stream", [False, True])
def test_csv_response_is_an_attachment_with_neutralised_cells(stream):
    response = csv_response(
        "list.csv",
        iter([["name", "longitude"], ["=1+1", -0.1], ["Tottenham", 51]]),
        stream=stream,
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="list.csv"'
    assert rows_of(response) == [
        ["name", "longitude"],
        ["'=1+1", "-0.1"],
        ["Tottenham", "51"],
    ]

"""CSV downloads, one way for every list on the site.

A cell that a spreadsheet would read as a formula (text starting with = + -
@, a tab or a carriage return) gets a leading apostrophe, so a name typed by
one person cannot run as a formula in the spreadsheet of another (OWASP's
"CSV injection"). Numbers are written as numbers: -0.1 is a longitude, not a
formula.
"""

import csv

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as written to a CSV cell, neutralised if it is text that
    starts like a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row):
    return [safe_cell(value) for value in row]


class _Echo:
    def write(self, value):
        return value


def csv_response(filename, rows, *, stream=False):
    """A CSV attachment named `filename` of `rows` (header first).

    With stream=True the rows are written as they are read (a long incident
    list), so `rows` may be a generator over a queryset's iterator().
    """
    if stream:
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow(safe_row(row)) for row in rows),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerows(safe_row(row) for row in rows)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

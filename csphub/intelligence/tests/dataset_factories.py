"""Small partner files and data sets for tests, built in memory."""

import csv
import io

from shapely.geometry import shape

from csphub.accounts.models import Organisation, Partnership, User
from csphub.intelligence.datasets.services import create_data_set
from csphub.intelligence.loading import import_data
from csphub.places.models import Area

HEADER = ["Ref", "Date reported", "Type", "Lon", "Lat", "Street", "Alcohol"]
# What each persona gets from a page only loaders see (an import's progress):
# the outsider works for another partnership, so Haringey's job is not found.
LOADER_PAGE = [
    ("anonymous", 302),
    ("officer", 403),
    ("member", 403),
    ("handler", 403),
    ("iom", 403),
    ("analyst", 200),
    ("admin", 200),
    ("outsider", 404),
]
CATEGORY_MAP = {"NOI": "Noise", "ROW": "Rowdy behaviour", "DRK": "Street drinking"}


def point_in(code):
    """(lon, lat) of a point inside an LSOA (or ward) of the demo."""
    area = Area.objects.get(code=code)
    p = shape(area.boundary).representative_point()
    return round(p.x, 6), round(p.y, 6)


def make_data_set(partnership=None, **mapping):
    partnership = partnership or Partnership.objects.get(slug="haringey")
    options = {
        "date_column": "Date reported",
        "date_formats": ["%d/%m/%Y"],
        "category_column": "Type",
        "category_map": CATEGORY_MAP,
        "category_map_required": True,
        "x_column": "Lon",
        "y_column": "Lat",
        "address_column": "Street",
        "reference_column": "Ref",
        "alcohol_column": "Alcohol",
        "columns": HEADER,
    }
    options.update(mapping)
    return create_data_set(
        partnership,
        name=options.pop("name", "Haringey Council ASB log (test)"),
        organisation=Organisation.objects.get(name="Haringey Council"),
        by=User.objects.get(username="analyst"),
        **options,
    )


def load_file(data_set, raw, name, **options):
    """Import a partner file into its data set (loading.import_data)."""
    return import_data(data_set.partnership, raw, name, data_set=data_set, **options)


def rows(n=6, *, month=1, year=2017, where="E01001976"):
    """n plausible rows for a month, all in one LSOA."""
    lon, lat = point_in(where)
    kinds = ["NOI", "ROW", "DRK"]
    return [
        [f"ASB-{year}{month:02}-{i}", f"{1 + i % 28:02}/{month:02}/{year}",
         kinds[i % 3], str(lon), str(lat), "High Road, N17 6QB", "Y" if i % 2 else "N"]
        for i in range(n)
    ]  # fmt: skip


def csv_bytes(body, header=HEADER, encoding="utf-8"):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue().encode(encoding)


def xlsx_bytes(body, header=HEADER, *, native_dates=False):
    """An XLSX workbook of the rows; with native_dates, dates as date cells."""
    from datetime import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ASB"
    sheet.append(header)
    for row in body:
        cells = list(row)
        if native_dates:
            cells[1] = datetime.strptime(cells[1], "%d/%m/%Y")
        cells[3], cells[4] = float(cells[3]), float(cells[4])
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

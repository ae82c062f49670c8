"""Partner data set pages in headless Chromium, checked with axe-core for
WCAG 2.2 AA (the approach of csphub/web/tests/test_browser.py)."""

from conftest import BROWSER_TEST, check_page, follow, sign_in

from .dataset_factories import csv_bytes, load_file, make_data_set, rows

pytestmark = BROWSER_TEST


def test_data_set_pages_pass_axe(browser_page, live_server):
    data_set = make_data_set(sample_rows=rows(4), sample_name="asb-sample.csv")
    load_file(data_set, csv_bytes(rows(12)), "asb-2017-01.csv")
    page, url = browser_page, live_server.url
    sign_in(page, url, "analyst")
    page.goto(f"{url}/intelligence/datasets/")
    check_page(page, "dataset-list")
    follow(page, f"text={data_set.name}")
    assert "asb-2017-01.csv" in page.content()
    check_page(page, "dataset-detail")
    follow(page, "text=Edit the column mapping")
    assert "How the sample reads" in page.content()
    check_page(page, "dataset-mapping")
    page.check("text=Windows-1252")
    page.select_option("#id_y_column", "")
    follow(page, "text=Save the mapping")
    page.wait_for_load_state()
    assert "Choose the latitude or northing column" in page.content()
    check_page(page, "dataset-mapping-error")
    assert page.is_checked("text=Windows-1252")  # what was typed is kept
    page.goto(f"{url}/intelligence/datasets/add/")
    check_page(page, "dataset-add")
    page.goto(f"{url}{data_set.get_absolute_url()}upload/")
    check_page(page, "dataset-upload")
    page.goto(f"{url}{data_set.incidents.first().get_absolute_url()}")
    page.check("text=Alcohol-related")
    page.fill("#id_note", "licensing team report")
    follow(page, "text=Save flags")
    assert "Saved: Alcohol-related set" in page.content()
    check_page(page, "incident-detail")

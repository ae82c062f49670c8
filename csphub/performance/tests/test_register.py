"""The KPI register as a board reads it: latest value, target, the Making Data
Count icons, the group's RAG, a sparkline, and a filter for those off track."""

from django.urls import reverse


def test_register_shows_value_target_icons_rag_and_trend(client_for):
    html = client_for("member").get(reverse("performance:indicators")).content
    html = html.decode()
    for column in ("Latest", "Target", "Variation and target", "RAG", "Trend"):
        assert f'data-label="{column}"' in html
    assert 'class="csphub-sparkline"' in html
    assert 'class="csphub-icons"' in html
    assert "counted each month from the police.uk crime data" in html


def test_off_track_filter_shows_fewer_kpis(client_for):
    client = client_for("member")
    url = reverse("performance:indicators")
    everything = client.get(url).content.decode()
    off_track = client.get(url + "?show=off-track").content.decode()
    assert "Showing only the KPIs off track" in off_track
    rows = off_track.count('<th scope="row"')
    assert 0 < rows < everything.count('<th scope="row"')

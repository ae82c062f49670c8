import pytest
from django.template import Context, Template, TemplateSyntaxError


def _render(text, **context):
    return Template("{% load tables %}" + text).render(Context(context))


def test_table_head_writes_a_column_header_a_heading():
    html = _render('{% table_head "Date" "Hours a year:numeric" %}')
    assert html == (
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '\n    <th scope="col" class="govuk-table__header">Date</th>'
        '\n    <th scope="col" class="govuk-table__header'
        ' govuk-table__header--numeric">Hours a year</th>'
        "\n  </tr></thead>"
    )


def test_table_head_escapes_a_heading_from_the_context():
    html = _render("{% table_head name %}", name="Rates & <counts>")
    assert ">Rates &amp; &lt;counts&gt;</th>" in html


ROWS = (
    '{% table_rows "Name" "Count:numeric" empty=none %}'
    "{% for name, count in rows %}"
    '<tr class="govuk-table__row"><td>{{ name }}</td><td>{{ count }}</td></tr>'
    "{% endfor %}{% endtable_rows %}"
)


def test_table_rows_writes_the_head_and_keeps_the_rows():
    html = _render(ROWS, rows=[("Tottenham <Hale>", 3)], none="No wards.")
    head, body = html.split("</thead>")
    assert head + "</thead>" == _render('{% table_head "Name" "Count:numeric" %}')
    assert body.startswith('\n  <tbody class="govuk-table__body">')
    assert "<td>Tottenham &lt;Hale&gt;</td><td>3</td>" in body
    assert body.endswith("\n  </tbody>")
    assert "No wards." not in body


def test_table_rows_says_so_across_every_column_when_there_are_none():
    html = _render(ROWS, rows=[], none="No wards & none due.")
    assert (
        '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="2">'
        "No wards &amp; none due.</td></tr>"
    ) in html


def test_table_rows_without_an_empty_message_leaves_the_body_empty():
    html = _render(
        '{% table_rows "Name" %}{% for r in rows %}<tr></tr>{% endfor %}'
        "{% endtable_rows %}",
        rows=[],
    )
    assert html.endswith('<tbody class="govuk-table__body">\n  </tbody>')


def test_numeric_cells_writes_a_right_aligned_cell_a_value_escaped():
    html = _render("{% numeric_cells count name %}", count=3, name="<b>")
    assert html == (
        '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">&lt;b&gt;</td>'
    )


TABLE = (
    '{% table "Name" "Count:numeric" caption=caption empty="No wards." %}'
    "{% for name in rows %}<tr><td>{{ name }}</td></tr>{% endfor %}{% endtable %}"
)


def test_table_writes_the_table_its_caption_and_its_rows():
    html = _render(TABLE, rows=["Tottenham"], caption="Wards & zones")
    rows = _render(
        '{% table_rows "Name" "Count:numeric" %}'
        "<tr><td>Tottenham</td></tr>{% endtable_rows %}"
    )
    assert html == (
        '<table class="govuk-table">'
        '\n  <caption class="govuk-table__caption govuk-table__caption--m">'
        "Wards &amp; zones</caption>"
        f"\n  {rows}\n</table>"
    )


def test_table_says_so_across_every_column_when_there_are_none():
    html = _render(TABLE, rows=[], caption="Wards")
    assert 'colspan="2">No wards.</td></tr>' in html


def test_table_takes_the_caption_class_and_more_classes_and_may_have_no_caption():
    html = _render(
        '{% table "Name" caption="Wards" caption_class="govuk-visually-hidden"'
        ' classes="csphub-stack" %}{% endtable %}'
    )
    assert html.startswith(
        '<table class="govuk-table csphub-stack">'
        '\n  <caption class="govuk-visually-hidden">Wards</caption>'
    )
    assert "<caption" not in _render('{% table "Name" %}{% endtable %}')


def test_table_takes_a_caption_written_within_it_first():
    html = _render(
        '{% table "Name" %}\n  {% caption %}Wards of {{ zone }}{% endcaption %}'
        "<tr></tr>{% endtable %}",
        zone="North & East",
    )
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--m">'
        "Wards of North &amp; East</caption>"
    ) in html
    assert '<tbody class="govuk-table__body"><tr></tr>' in html


def test_table_refuses_a_caption_after_its_rows():
    with pytest.raises(TemplateSyntaxError):
        _render(
            '{% table "Name" %}<tr></tr>{% caption %}x{% endcaption %}{% endtable %}'
        )

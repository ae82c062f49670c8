from django.template import Context, Template


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

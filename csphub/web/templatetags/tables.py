"""The head row of a GOV.UK table, written once for every app's tables."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

NUMERIC = ":numeric"


@register.simple_tag
def table_head(*headings):
    """`{% table_head "Date" "Count:numeric" %}`: a column header a heading; a
    heading ending ":numeric" is right-aligned, as GOV.UK numeric columns are."""
    cells = format_html_join(
        "",
        '\n    <th scope="col" class="govuk-table__header{}">{}</th>',
        (
            (" govuk-table__header--numeric", h.removesuffix(NUMERIC))
            if h.endswith(NUMERIC)
            else ("", h)
            for h in headings
        ),
    )
    return format_html(
        '<thead class="govuk-table__head"><tr class="govuk-table__row">{}'
        "\n  </tr></thead>",
        cells,
    )

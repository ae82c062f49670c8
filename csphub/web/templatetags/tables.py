"""The head and body of a GOV.UK table, written once for every app's tables."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

NUMERIC = ":numeric"
EMPTY = "empty="


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


@register.tag
def table_rows(parser, token):
    """`{% table_rows "Date" "Count:numeric" empty="None yet." %}` rows
    `{% endtable_rows %}`: the table's head (as table_head) and its body; where
    the rows come out empty, one row across every column says `empty`."""
    headings, empty = [], None
    for bit in token.split_contents()[1:]:
        if bit.startswith(EMPTY):
            empty = parser.compile_filter(bit.removeprefix(EMPTY))
        else:
            headings.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endtable_rows",))
    parser.delete_first_token()
    return TableRowsNode(headings, empty, nodelist)


class TableRowsNode(template.Node):
    def __init__(self, headings, empty, nodelist):
        self.headings = headings
        self.empty = empty
        self.nodelist = nodelist

    def render(self, context):
        headings = [h.resolve(context) for h in self.headings]
        rows = self.nodelist.render(context)
        if self.empty is not None and not rows.strip():
            rows = format_html(
                '\n    <tr class="govuk-table__row"><td class="govuk-table__cell"'
                ' colspan="{}">{}</td></tr>',
                len(headings),
                self.empty.resolve(context),
            )
        return format_html(
            '{}\n  <tbody class="govuk-table__body">{}\n  </tbody>',
            table_head(*headings),
            mark_safe(rows),  # the template's own rendering, escaped as it went
        )

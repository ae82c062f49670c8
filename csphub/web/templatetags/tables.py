"""A GOV.UK table written once for every app: its head, body, caption and cells."""

from django import template
from django.template.base import NodeList, TextNode
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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


@register.simple_tag
def numeric_cells(*values):
    """`{% numeric_cells row.open row.closed %}`: a right-aligned cell for each
    value, as GOV.UK numeric columns are (values escaped)."""
    return format_html_join(
        "",
        '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>',
        ((value,) for value in values),
    )


@register.tag
def table_rows(parser, token):
    """`{% table_rows "Date" "Count:numeric" empty="None yet." %}` rows
    `{% endtable_rows %}`: the table's head (as table_head) and its body; where
    the rows come out empty, one row across every column says `empty`. For a
    table the template writes itself (one with more than a caption, a head and
    a body)."""
    headings, options = parse_arguments(parser, token)
    rows = parser.parse(("endtable_rows",))
    parser.delete_first_token()
    return TableRowsNode(headings, options, rows)


@register.tag
def table(parser, token):
    """`{% table "Date" "Count:numeric" caption="Meetings" empty="None yet." %}`
    rows `{% endtable %}`: the whole table, as table_rows within
    `<table class="govuk-table">` and its caption. caption may be a variable
    (escaped), or written first within the tag as `{% caption %}Meetings of
    {{ body }}{% endcaption %}`; caption_class is "govuk-table__caption
    govuk-table__caption--m" unless given; classes are added to the table's."""
    headings, options = parse_arguments(parser, token)
    rows = parser.parse(("caption", "endtable"))
    if parser.next_token().contents == "caption":
        if any(not isinstance(n, TextNode) or n.s.strip() for n in rows):
            raise template.TemplateSyntaxError(
                "a table's caption comes before its rows"
            )
        options["caption"] = parser.parse(("endcaption",))
        parser.delete_first_token()
        rows = parser.parse(("endtable",))
        parser.delete_first_token()
    return TableNode(headings, options, rows)


KEYWORDS = ("empty", "caption", "caption_class", "classes")


def parse_arguments(parser, token):
    """The headings and the keyword arguments (KEYWORDS) of a table tag."""
    headings, options = [], {}
    for bit in token.split_contents()[1:]:
        keyword, equals, value = bit.partition("=")
        if equals and keyword in KEYWORDS:
            options[keyword] = parser.compile_filter(value)
        else:
            headings.append(parser.compile_filter(bit))
    return headings, options


class TableRowsNode(template.Node):
    def __init__(self, headings, options, nodelist):
        self.headings = headings
        self.options = options
        self.nodelist = nodelist

    def option(self, name, context, default=None):
        value = self.options.get(name)
        if value is None:
            return default
        if isinstance(value, NodeList):  # a {% caption %}, escaped as it went
            return value.render(context)
        return value.resolve(context)

    def render(self, context):
        headings = [h.resolve(context) for h in self.headings]
        rows = self.nodelist.render(context)
        if "empty" in self.options and not rows.strip():
            rows = format_html(
                '\n    <tr class="govuk-table__row"><td class="govuk-table__cell"'
                ' colspan="{}">{}</td></tr>',
                len(headings),
                self.option("empty", context),
            )
        return format_html(
            '{}\n  <tbody class="govuk-table__body">{}\n  </tbody>',
            table_head(*headings),
            mark_safe(rows),  # the template's own rendering, escaped as it went
        )


CAPTION_CLASS = "govuk-table__caption govuk-table__caption--m"


class TableNode(TableRowsNode):
    def render(self, context):
        classes = self.option("classes", context)
        caption = ""
        if "caption" in self.options:
            caption = format_html(
                '\n  <caption class="{}">{}</caption>',
                self.option("caption_class", context, CAPTION_CLASS),
                self.option("caption", context),
            )
        return format_html(
            '<table class="govuk-table{}">{}\n  {}\n</table>',
            f" {classes}" if classes else "",
            caption,
            super().render(context),
        )

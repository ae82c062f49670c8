"""GOV.UK Frontend forms: one mixin every form in the project uses.

Forms render through web/govuk/form.html (error summary, then each field as a
GOV.UK form group), so a page needs only `{{ form }}` inside its <form>.
"""

from datetime import date

from django import forms

DATE_HINT = "For example, 31 3 2026."


class DateInput(forms.MultiWidget):
    """GOV.UK date input: day, month and year boxes, read as one date.

    A single `name=YYYY-MM-DD` value (a link, a script) is still accepted.
    """

    def __init__(self, attrs=None):
        parts = dict.fromkeys(("day", "month", "year"), forms.TextInput)
        super().__init__(parts, attrs)

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_  # the error summary links to the day

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (
            (data.get(f"{name}_{part}") or "").strip()
            for part in ("day", "month", "year")
        )
        if not (day or month or year):
            return data.get(name, "")
        return f"{year}-{month}-{day}"

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(
            f"{name}_{part}" in data for part in ("day", "month", "year")
        )


def date_field(label, required=True, help_text=DATE_HINT):
    """A date entered as day, month and year, with errors that say what to do."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={
            "invalid": f"Enter the {label.lower()} as a real date: day, month "
            "and year in numbers, for example 31 3 2026",
            "required": f"Enter the {label.lower()}",
        },
    )


class GovukFormMixin:
    """Render a Django form with GOV.UK Frontend markup and an error summary."""

    template_name = "web/govuk/form.html"

    def govuk_fields(self):
        """(bound field, kind) pairs, kind naming the GOV.UK component to use."""
        return [(field, widget_kind(field.field.widget)) for field in self]


def widget_kind(widget):
    """The GOV.UK component for a Django widget."""
    if isinstance(widget, DateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


class GovukForm(GovukFormMixin, forms.Form):
    """A plain form with GOV.UK markup."""


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    """A model form with GOV.UK markup."""

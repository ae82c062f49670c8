"""Form fields every app's forms share."""

from django import forms

from .months import parse_month


class MonthField(forms.CharField):
    """A month typed as YYYY-MM; cleans to the first day of the month.

    `parse` reads the text (parse_month, or parse_period to take a day too)
    and returns None for what it refuses; `message` says what to type.
    """

    def __init__(self, *, parse=parse_month, message=None, **kwargs):
        super().__init__(**kwargs)
        self.parse = parse
        self.message = message or "Enter the month as YYYY-MM, e.g. 2018-06."

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = self.parse(value)
        if month is None:
            raise forms.ValidationError(self.message, code="invalid")
        return month


def cleaned(form, names):
    """A valid form's cleaned values of `names`, as a service's keyword
    arguments; a field the form left out (one not shown) is None."""
    return {name: form.cleaned_data.get(name) for name in names}

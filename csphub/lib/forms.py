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


def radio_field(label, choices, missing=None, **kwargs):
    """A choice of one of `choices`, shown as radio buttons; `missing` says
    what to do when none is chosen (Django's own message if None)."""
    if missing is not None:
        kwargs["error_messages"] = {"required": missing}
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, **kwargs
    )


def checkbox_field(label, choices=(), required=False, **kwargs):
    """A choice of any of `choices` (set them later if they vary), shown as
    checkboxes; ticking none is allowed unless `required`."""
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )


def optional_text(label, max_length, help_text=""):
    """A one-line text field that may be left empty."""
    return forms.CharField(
        label=label, max_length=max_length, required=False, help_text=help_text
    )


def text_area(label, rows, missing=None, **kwargs):
    """Free text in a box `rows` lines high; `missing` says what to write when
    it is left empty (Django's own message if None)."""
    if missing is not None:
        kwargs["error_messages"] = {"required": missing}
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def required_messages(**messages):
    """A model form's Meta.error_messages: for each field named, what to say
    when it is left empty."""
    return {name: {"required": message} for name, message in messages.items()}

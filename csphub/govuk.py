"""GOV.UK Frontend forms: one mixin every form in the project uses.

Forms render through web/govuk/form.html (error summary, then each field as a
GOV.UK form group), so a page needs only `{{ form }}` inside its <form>.
"""

from django import forms


class GovukFormMixin:
    """Render a Django form with GOV.UK Frontend markup and an error summary."""

    template_name = "web/govuk/form.html"

    def govuk_fields(self):
        """(bound field, kind) pairs, kind naming the GOV.UK component to use."""
        return [(field, widget_kind(field.field.widget)) for field in self]


def widget_kind(widget):
    """The GOV.UK component for a Django widget."""
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

from django import forms

from csphub.lib.forms import cleaned


class _Form(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False)


def test_cleaned_gives_the_named_values():
    form = _Form({"name": "Ada", "note": ""})
    assert form.is_valid()
    assert cleaned(form, ["name", "note"]) == {"name": "Ada", "note": ""}


def test_cleaned_gives_none_for_a_field_the_form_left_out():
    form = _Form({"name": "Ada"})
    del form.fields["note"]
    assert form.is_valid()
    assert cleaned(form, ["name", "note"]) == {"name": "Ada", "note": None}

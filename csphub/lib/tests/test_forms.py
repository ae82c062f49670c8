from django import forms

from csphub.lib.forms import (
    checkbox_field,
    cleaned,
    optional_text,
    radio_field,
    required_messages,
    text_area,
)


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


class _Fields(forms.Form):
    colour = radio_field("Colour", [("red", "Red"), ("blue", "Blue")], "Choose one")
    sizes = checkbox_field("Sizes", [("s", "Small"), ("l", "Large")])
    nickname = optional_text("Nickname", 5, "If they have one.")
    story = text_area("Story", 4, "Write the story")


def test_the_field_factories_say_what_is_missing():
    form = _Fields({})
    assert not form.is_valid()
    assert form.errors == {
        "colour": ["Choose one"],
        "story": ["Write the story"],
    }


def test_the_field_factories_clean_and_render_as_declared():
    form = _Fields({"colour": "red", "sizes": ["s", "l"], "story": "Once"})
    assert form.is_valid()
    assert form.cleaned_data == {
        "colour": "red",
        "sizes": ["s", "l"],
        "nickname": "",
        "story": "Once",
    }
    assert isinstance(form.fields["colour"].widget, forms.RadioSelect)
    assert isinstance(form.fields["sizes"].widget, forms.CheckboxSelectMultiple)
    assert form.fields["story"].widget.attrs["rows"] == 4
    assert form.fields["nickname"].help_text == "If they have one."


def test_optional_text_keeps_django_length_message():
    form = _Fields({"colour": "red", "story": "Once", "nickname": "Ada Lovelace"})
    assert form.errors["nickname"] == [
        "Ensure this value has at most 5 characters (it has 12)."
    ]


def test_required_messages_wraps_each_message():
    assert required_messages(title="Give it a title", due="Say when") == {
        "title": {"required": "Give it a title"},
        "due": {"required": "Say when"},
    }

"""The flow every form page shares (accounts.access): a valid post runs one
service call and redirects; an invalid one, or one the service refuses, shows
the form again with what was typed and what is wrong."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from csphub.accounts.access import form_flow, post_back, submitted


class NoteForm(forms.Form):
    title = forms.CharField(max_length=20)
    days = forms.IntegerField(min_value=1)


def request(method="post", **data):
    made = getattr(RequestFactory(), method)("/somewhere/", data)
    made.session = SessionStore()
    made._messages = FallbackStorage(made)
    return made


def said(made):
    return [(m.level_tag, m.message) for m in get_messages(made)]


class Service:
    """One service call, as a view passes it: records what it was given."""

    def __init__(self, refuse=None):
        self.calls, self.refuse = [], refuse

    def __call__(self, **values):
        if self.refuse:
            raise self.refuse
        self.calls.append(values)
        return "/done/"


def test_a_get_shows_the_form_and_calls_nothing():
    made, save = request("get"), Service()
    assert not submitted(made, NoteForm())
    assert form_flow(made, NoteForm(), save) is None
    assert save.calls == []


def test_a_valid_post_calls_the_service_once_and_redirects_where_it_says():
    made, save = request(title="Lighting", days="3"), Service()
    answer = form_flow(made, NoteForm(made.POST), save, message="Saved.")
    assert answer.status_code == 302 and answer.url == "/done/"
    assert save.calls == [{"title": "Lighting", "days": 3}]
    assert said(made) == [("success", "Saved.")]


def test_then_and_message_may_be_worked_out_from_what_was_saved():
    made = request(title="Lighting", days="3")
    answer = form_flow(
        made,
        NoteForm(made.POST),
        Service(),
        then=lambda url: url + "#notes",
        message=lambda url: f"Saved at {url}.",
    )
    assert answer.url == "/done/#notes"
    assert said(made) == [("success", "Saved at /done/.")]


def test_an_invalid_post_keeps_what_was_typed_and_calls_nothing():
    made, save = request(title="Lighting", days="0"), Service()
    form = NoteForm(made.POST)
    assert form_flow(made, form, save) is None
    assert save.calls == []
    assert form["title"].value() == "Lighting" and "days" in form.errors


def test_a_refusal_goes_on_the_form_on_the_field_it_names():
    refusal = ValidationError({"days": "The plan ends sooner than that."})
    made = request(title="Lighting", days="30")
    form = NoteForm(made.POST)
    assert form_flow(made, form, Service(refuse=refusal)) is None
    assert form.errors == {"days": ["The plan ends sooner than that."]}
    assert said(made) == []


def test_a_refusal_naming_no_field_goes_at_the_top_of_the_form():
    made = request(title="Lighting", days="30")
    form = NoteForm(made.POST)
    form_flow(made, form, Service(refuse=ValidationError("Someone else saved it.")))
    assert form.non_field_errors() == ["Someone else saved it."]


def test_post_back_returns_to_the_page_whatever_happens():
    made, save = request(title="Lighting", days="2"), Service()
    answer = post_back(made, "/issue/1/", save, NoteForm(made.POST), message="Done.")
    assert answer.url == "/issue/1/" and save.calls
    assert said(made) == [("success", "Done.")]

    made = request(title="Lighting", days="0")
    answer = post_back(
        made, "/issue/1/", Service(), NoteForm(made.POST), invalid="No: "
    )
    assert answer.url == "/issue/1/"
    assert said(made) == [
        ("error", "No: Ensure this value is greater than or equal to 1.")
    ]

    made = request()
    refuse = Service(refuse=ValidationError("Already closed."))
    assert post_back(made, "/issue/1/", refuse).url == "/issue/1/"
    assert said(made) == [("error", "Already closed.")]

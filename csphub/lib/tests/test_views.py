from django import forms
from django.test import RequestFactory

from csphub.lib.views import submitted


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_get_is_not_submitted():
    request = RequestFactory().get("/x/", {"name": "Ann"})
    assert not submitted(request, NameForm(request.GET))


def test_a_post_is_submitted_only_when_valid():
    request = RequestFactory().post("/x/", {"name": "Ann"})
    assert submitted(request, NameForm(request.POST))
    assert not submitted(request, NameForm({}))

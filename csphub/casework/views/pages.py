"""What casework's form pages share: the plain form page, and saving a valid
form through a service that may refuse it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse


def form_page(
    request, form, title, issue=None, hint="", back=None, template="casework/form.html"
):
    """A form under its title, with a link back to the project or the issue."""
    return TemplateResponse(
        request,
        template,
        {"form": form, "title": title, "issue": issue, "hint": hint, "back": back},
    )


def saved(request, form, service, obj, done):
    """Whether `service(obj, user, **cleaned data)` saved a posted, valid form;
    a ValidationError it raises goes on the form, and `done` is shown once
    saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        service(obj, request.user, **form.cleaned_data)
    except ValidationError as e:
        form.add_error(None, e.messages[0])
        return False
    messages.success(request, done)
    return True

"""What casework's form pages share: the plain form page."""

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

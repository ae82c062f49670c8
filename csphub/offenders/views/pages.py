"""What the IOM pages share."""

from django.template.response import TemplateResponse


def form_page(request, form, title, **context):
    """The page of one IOM form (400 after a POST that did not validate);
    context names the nominal or pilot its back link returns to."""
    return TemplateResponse(
        request,
        "offenders/form.html",
        {"form": form, "title": title, **context},
        status=400 if request.method == "POST" else 200,
    )

"""What every app's views share that needs no database: whether a form page
was posted and valid."""


def submitted(request, form):
    """Whether the request posts `form` and the form is valid (a GET shows it)."""
    return request.method == "POST" and form.is_valid()

"""Checks of a page's answer that the apps' page tests share."""

import re


def one_h1(response):
    """Whether the page has exactly one <h1>."""
    return len(re.findall(r"<h1[\s>]", response.content.decode())) == 1


def assert_answers(response, persona, allowed, refused=(403, 404)):
    """A page with one <h1> for the `allowed` personas, the sign-in redirect
    for the anonymous visitor, and a status in `refused` for everyone else."""
    if persona in allowed:
        assert response.status_code == 200, f"{persona}: {response.status_code}"
        assert one_h1(response)
    elif persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code in refused, f"{persona}: {response.status_code}"

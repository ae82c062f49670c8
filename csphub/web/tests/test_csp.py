"""The Content-Security-Policy allows no inline script or style: no page may
carry a style attribute, a <style> block, an inline <script> or an event
handler attribute (the policy would block them, and the page would break)."""

import re

import pytest
from django.urls import reverse

from csphub.web.tests.test_site import ACCESS, NOT_HTML

pytestmark = pytest.mark.django_db

INLINE = re.compile(
    r"""<[a-z][^>]*\sstyle\s*=|<style[\s>]"""
    r"""|<script(?![^>]*\ssrc=)(?![^>]*\stype="application/json")[^>]*>"""
    r"""|<[a-z][^>]*\son[a-z]+\s*=""",
    re.IGNORECASE,
)
# Who opens each page: the administrator where allowed, else someone who may.
PREFERRED = ["admin", "iom", "analyst", "handler", "officer", "anonymous"]


def inline_parts(html):
    """The inline styles and scripts in a page, with a little context."""
    return [html[m.start() : m.start() + 80] for m in INLINE.finditer(html)]


def test_the_check_finds_inline_style_and_script():
    assert inline_parts('<p style="color:red">') == ['<p style="color:red">']
    assert inline_parts("<style>p{}</style>") == ["<style>p{}</style>"]
    assert inline_parts("<script>alert(1)</script>")
    assert inline_parts('<a href="/" onclick="go()">')
    assert not inline_parts('<script src="/static/x.js"></script>')
    assert not inline_parts('<script id="d" type="application/json">{}</script>')
    assert not inline_parts('<rect fill="#fff"/><p class="style">styled</p>')


@pytest.mark.parametrize("name", sorted(set(ACCESS) - NOT_HTML))
def test_page_has_no_inline_style_or_script(name, client_for):
    persona = next(p for p in PREFERRED if p in ACCESS[name])
    response = client_for(persona).get(reverse(name))
    assert response.status_code == 200
    found = inline_parts(response.content.decode())
    assert not found, f"{name} as {persona}: {found}"

"""WCAG 2.2 reflow (1.4.10): on a 390 px phone no page scrolls sideways.

Headless Chromium (the root conftest's set-up) signs in as the administrator,
who may open every page, and loads every page of the site crawl (the ACCESS
table of test_site.py, so a new app's pages join as soon as they are listed
there), then one page of each kind those pages link to (an issue, a briefing,
a KPI, a body...), at 390 x 844. A page fails if the document is wider than
the viewport (the message names the elements that stick out), or if it
speaks to developers: a command, a library, a plan, a stored code.
"""

import re
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse

from conftest import BROWSER_TEST, chromium_page, sign_in
from csphub.web.tests.test_site import ACCESS, NOT_HTML

pytestmark = BROWSER_TEST

PHONE = {"width": 390, "height": 844}
# Pages a signed-in person cannot open (sign-in sends them home) and pages
# that are not HTML; the anonymous pages are loaded signed out.
SIGNED_OUT_ONLY = {"accounts:login"}
# Links that change something or leave the page for a file.
NOT_FOLLOWED = (
    "logout",
    "export",
    "csv",
    "pdf",
    "download",
    "geojson",
    "-switch",
    ".ics",
)

# Words for developers, not for the people a page serves.
DEVELOPER_TERMS = re.compile(
    r"manage\.py|NHSRplotthedots|PySAL|\besda\b|libpysal|WeasyPrint|csphub\.\w"
    r"|\bapp (arrives|does not exist)|\b(in_hand|not_started|on_track)\b"
    r"|Traceback"
)


def developer_terms(page):
    """The developer terms in the page's main content, if any."""
    text = page.inner_text("main")
    return sorted({m.group(0) for m in DEVELOPER_TERMS.finditer(text)})


# Returns what sticks out of the viewport: the outermost elements that do.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    const parent = el.parentElement.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0 && parent.right <= width + 1) {
      const tag = el.tagName.toLowerCase();
      const cls = (el.getAttribute('class') || '').split(' ')[0];
      out.push(`${tag}${cls ? '.' + cls : ''} (${Math.round(r.right)} px)`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(-6)};
}"""


def overflow(page):
    """None when the page fits the viewport, else what sticks out."""
    found = page.evaluate(OVERFLOW_JS)
    if found["scroll"] <= found["width"]:
        return None
    return f"{found['scroll']} px wide: " + ", ".join(found["out"])


def url_name(path):
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def crawl_pages():
    """The site crawl's pages: (url name, path), the signed-out ones apart."""
    signed_in, signed_out = [], []
    for name in sorted(set(ACCESS) - NOT_HTML):
        (signed_out if name in SIGNED_OUT_ONLY else signed_in).append(
            (name, reverse(name))
        )
    return signed_in, signed_out


def linked_pages(page, seen):
    """One page of each kind this page links to that the crawl has not seen."""
    found = []
    for href in page.eval_on_selector_all(
        "main a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
    ):
        path = href.split("#")[0]
        if any(word in path for word in NOT_FOLLOWED):
            continue
        name = url_name(path)
        if name and name not in seen and "admin" not in name:
            seen.add(name)
            found.append((name, path))
    return found


def crawl(page, url, queue, seen):
    """Opens each page of the queue, and then the pages they link to (one of a
    kind, `seen` keeps the names), giving (name, path, response) for each that
    answers 200 with HTML."""
    while queue:
        name, path = queue.pop(0)
        response = page.goto(f"{url}{path}")
        if response is None or response.status != 200:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        yield name, path, response
        queue.extend(linked_pages(page, seen))


def test_no_page_scrolls_sideways_at_390_px(live_server, reload_demo):
    url = live_server.url
    signed_in, signed_out = crawl_pages()
    failures = {}
    with chromium_page(viewport=PHONE) as page:
        for name, path in signed_out:
            page.goto(f"{url}{path}")
            if problem := overflow(page):
                failures[name] = problem
        sign_in(page, url, "admin")
        seen = {name for name, _ in signed_in + signed_out}
        loaded = 0
        for name, path, _ in crawl(page, url, list(signed_in), seen):
            loaded += 1
            if problem := overflow(page):
                failures[f"{name} {path}"] = problem
            if terms := developer_terms(page):
                failures[f"{name} {path} (words)"] = ", ".join(terms)
    assert loaded >= len(signed_in)
    assert not failures, "pages wider than a 390 px phone:\n" + "\n".join(
        f"{name}: {problem}" for name, problem in sorted(failures.items())
    )

"""Pages load under the Content-Security-Policy with nothing blocked.

Headless Chromium, with the policy enforced (no bypass), loads the pages of
the site crawl (test_reflow's: the ACCESS table, then one page of each kind
they link to) signed out, as the administrator and as the IOM officer, and
fails on any violation the browser reports: in the console, or as a
`securitypolicyviolation` event (caught by a script Chromium adds before the
page's own, which the policy does not govern).
"""

from conftest import BROWSER_TEST, chromium_page, sign_in
from csphub.web.tests.test_reflow import crawl, crawl_pages
from csphub.web.tests.test_site import ACCESS

pytestmark = BROWSER_TEST

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def violations(page, console):
    found = list(page.evaluate("window.__violations || []"))
    found += [m for m in console if "Content Security Policy" in m]
    console.clear()
    return found


def load_all(page, url, queue, seen, console, failures):
    loaded = 0
    for name, path, response in crawl(page, url, queue, seen):
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        loaded += 1
        if found := violations(page, console):
            failures[f"{name} {path}"] = found
    return loaded


def test_no_page_breaks_the_content_security_policy(live_server, reload_demo):
    url = live_server.url
    signed_in, signed_out = crawl_pages()
    iom_only = [(n, p) for n, p in signed_in if ACCESS[n] == {"iom"}]
    failures = {}
    with chromium_page(bypass_csp=False) as page:
        console = []
        page.on("console", lambda m: console.append(m.text))
        page.add_init_script(LISTEN)
        page.goto(f"{url}/")
        assert page.evaluate("Array.isArray(window.__violations)")
        # The check itself: a style attribute added by markup is reported.
        page.goto(f"{url}/accounts/login/")
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend',"
            " '<p style=\"color:red\">blocked</p>')"
        )
        page.wait_for_timeout(200)
        assert violations(page, console), "the check reports nothing"
        seen = {name for name, _ in signed_in + signed_out}
        loaded = load_all(page, url, list(signed_out), seen, console, failures)
        sign_in(page, url, "admin")
        loaded += load_all(page, url, list(signed_in), seen, console, failures)
        page.context.clear_cookies()
        sign_in(page, url, "iom")
        loaded += load_all(page, url, iom_only, seen, console, failures)
    assert loaded >= len(signed_in)
    assert not failures, "blocked by the Content-Security-Policy:\n" + "\n".join(
        f"{name}: {found}" for name, found in sorted(failures.items())
    )

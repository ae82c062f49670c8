"""Sessions end after SESSION_COOKIE_AGE (CSPHUB_SESSION_IDLE_MINUTES) without
a request.

Django renews a session's expiry when it saves it. Saving on every request
(SESSION_SAVE_EVERY_REQUEST) would be a database write for each page, so the
session is renewed only when a request comes more than RENEW_AFTER seconds
after the last renewal: the idle limit is kept to within that minute.
"""

import time

RENEWED_KEY = "csphub_renewed"
RENEW_AFTER = 60


def start(request):
    """Mark a new sign-in's session, so its requests renew it."""
    request.session[RENEWED_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Renew a signed-in session's expiry at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        renewed = request.session.get(RENEWED_KEY)
        now = int(time.time())
        if renewed is not None and now - renewed >= RENEW_AFTER:
            request.session[RENEWED_KEY] = now
        return self.get_response(request)

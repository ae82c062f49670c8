"""The request being served, for the audit log's entries that no view writes
(the change trail, services called without a request).

A context variable, not a thread-local: concurrent requests in threads or
async tasks never see each other's. AuditContextMiddleware sets it for the
length of one request (after authentication and PartnershipMiddleware).
"""

import contextvars

_request = contextvars.ContextVar("csphub_audit_request", default=None)


class AuditContextMiddleware:
    """Makes the current request known to the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def current_request():
    """The request being served, or None (a command, a task)."""
    return _request.get()

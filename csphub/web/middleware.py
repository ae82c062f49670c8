"""Response headers every page carries."""

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(self), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)
PRIVATE_TYPES = ("text/csv", "application/pdf", "application/vnd.openxmlformats")


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response, and `Cache-Control: private,
    no-store` on everything a signed-in person is shown (restricted pages,
    exports and PDFs among them) and on every export or PDF, so no shared
    cache or browser history keeps a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        content_type = response.headers.get("Content-Type", "")
        if signed_in or content_type.startswith(PRIVATE_TYPES):
            response.headers["Cache-Control"] = "private, no-store"
        return response

"""WSGI entry point, for gunicorn: `gunicorn csphub.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
application = get_wsgi_application()

from csphub.web.checks import NO_SECRET_KEY, secret_key_is_set  # noqa: E402

if not secret_key_is_set():  # no web server without a secret key
    raise RuntimeError(NO_SECRET_KEY)

"""System checks of the site's own settings.

Outside the demo the site has no secret key but the one it is given. The
settings do not refuse to load without it (so `manage.py CMD --help` works
anywhere); this check stops every command that runs the system checks, and
csphub/wsgi.py stops the web server, with the same message.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

NO_SECRET_KEY = "CSPHUB_SECRET_KEY must be set (or CSPHUB_DEMO=1 for the demo)"


def secret_key_is_set():
    try:
        return bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses an empty key when read
        return False


@register(Tags.security)
def check_secret_key(app_configs, **kwargs):
    if secret_key_is_set():
        return []
    return [Error(NO_SECRET_KEY, id="csphub.E001")]

"""Pseudonyms: an HMAC-SHA256 of a reference under a key held in the
environment (a setting), never in the database. The same reference always
gives the same hash; without the key a hash cannot be reversed or recomputed
from a guess."""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def secret(setting, what):
    """The key in the named setting, or a clear error saying that `what`
    cannot be pseudonymised until it is set."""
    value = getattr(settings, setting, "")
    if not value:
        raise ImproperlyConfigured(
            f"{setting} is not set: {what} cannot be pseudonymised. Set it to a"
            " long random secret (the same on every web and worker process, and"
            " never stored in the database)."
        )
    return value.encode()


def keyed_hash(key, text):
    """The HMAC-SHA256 of text under key (bytes), as 64 hex characters."""
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()

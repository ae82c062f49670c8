"""Case-system references, pseudonymised: an HMAC-SHA256 under a key that is
held in the environment (CSPHUB_IOM_KEY), never in the database. The same
reference always gives the same hash, so a later export finds its nominal;
without the key the hash cannot be reversed or recomputed from a guess."""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# A case-system reference: letters, digits and / _ - with at least one digit,
# so that a name typed into the reference column is refused, not hashed.
REFERENCE = re.compile(r"^(?=.*\d)[A-Za-z0-9/_-]{3,40}$")


def key():
    """The pseudonymisation key, or a clear error when it is not configured."""
    value = getattr(settings, "CSPHUB_IOM_KEY", "")
    if not value:
        raise ImproperlyConfigured(
            "CSPHUB_IOM_KEY is not set: the IOM cohort cannot be pseudonymised."
            " Set it to a long random secret (the same on every web and worker"
            " process, and never stored in the database)."
        )
    return value.encode()


def is_reference(text):
    return bool(REFERENCE.match(text))


def pseudonymise(reference):
    """The keyed hash of a case-system reference (64 hex characters)."""
    normalised = reference.strip().upper()
    return hmac.new(key(), normalised.encode(), hashlib.sha256).hexdigest()

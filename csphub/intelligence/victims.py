"""Victim and household references from partner data sets, pseudonymised.

A partner file's victim or household reference is turned into an
HMAC-SHA256 under a key held in the environment (CSPHUB_VICTIM_KEY), never in
the database, as it is read; only the hash is stored (Incident.victim_key).
The same reference always gives the same hash, so repeats are found across
files; without the key a hash cannot be reversed or recomputed from a guess.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def key():
    """The key, or a clear error when it is not configured."""
    value = getattr(settings, "CSPHUB_VICTIM_KEY", "")
    if not value:
        raise ImproperlyConfigured(
            "CSPHUB_VICTIM_KEY is not set: victim references cannot be"
            " pseudonymised. Set it to a long random secret (the same on every"
            " web and worker process, and never stored in the database)."
        )
    return value.encode()


def victim_key(reference):
    """The keyed hash of a victim or household reference (64 hex characters);
    case and surrounding spaces do not matter."""
    normalised = " ".join(reference.split()).upper()
    return hmac.new(key(), normalised.encode(), hashlib.sha256).hexdigest()

"""Case-system references, pseudonymised: an HMAC-SHA256 under a key that is
held in the environment (CSPHUB_IOM_KEY), never in the database. The same
reference always gives the same hash, so a later export finds its nominal;
without the key the hash cannot be reversed or recomputed from a guess."""

import re

from csphub.lib.keyed_hash import keyed_hash, secret

# A case-system reference: letters, digits and / _ - with at least one digit,
# so that a name typed into the reference column is refused, not hashed.
REFERENCE = re.compile(r"^(?=.*\d)[A-Za-z0-9/_-]{3,40}$")


def key():
    """The pseudonymisation key, or a clear error when it is not configured."""
    return secret("CSPHUB_IOM_KEY", "the IOM cohort")


def is_reference(text):
    return bool(REFERENCE.match(text))


def pseudonymise(reference):
    """The keyed hash of a case-system reference (64 hex characters)."""
    normalised = reference.strip().upper()
    return keyed_hash(key(), normalised)

"""Items that apps above casework add to the daily digest.

The digest gathers what a person must do (casework's actions, escalations,
taskings), but casework may not import the apps above it. Those apps register
a provider here from their AppConfig.ready(); the digest asks every provider
when it is built.

A provider is `provider(user, today) -> [(group name, DigestItem)]`, where
DigestItem is csphub.casework.digest.DigestItem.
"""

_providers = []  # functions, registered once at start-up; holds no data


def provide_digest_items(provider):
    """Register a provider (idempotent, so a reloaded app registers once)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def digest_items(user, today):
    """Every registered provider's (group, item) pairs for this person."""
    return [pair for provider in _providers for pair in provider(user, today)]

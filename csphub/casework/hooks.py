"""Items that apps above casework add to a person's daily digest.

The digest is casework's, but the apps above it (the delivery plan's
quarterly updates) also have things to ask of a person. They register a
provider here from their AppConfig.ready(); casework may not import them.

A provider is `provider(user, today) -> [(group name, DigestItem)]`.
"""

_providers = []  # functions, registered once at start-up; holds no data


def provide_digest_items(provider):
    """Register a provider (idempotent, so a reloaded app registers once)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def digest_items(user, today):
    """Every registered provider's items for this person today."""
    return [item for provider in _providers for item in provider(user, today)]

"""Findings that apps above structure add to the structure review.

The review reads the structure's own data; some findings need data from
above it (the delivery plan knows whether a priority's lead agency accepted
its responsibilities). Those apps register a provider here from their
AppConfig.ready(); structure may not import them.

A provider is `provider(partnership, today) -> [ReviewFinding]`, each with a
`kind` listed in review.KINDS.
"""

_providers = []  # functions, registered once at start-up; holds no data


def provide_findings(provider):
    """Register a provider (idempotent, so a reloaded app registers once)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def extra_findings(partnership, today):
    return [f for provider in _providers for f in provider(partnership, today)]

"""Findings that apps above structure add to the structure review.

The review reads the structure alone; how well bodies' meetings work is known
to the meetings app, which structure may not import. It registers a provider
here from its AppConfig.ready(); review_structure asks every provider.

A provider is `provider(partnership, bodies, today) -> [ReviewFinding]`, where
`bodies` are the current bodies the review read (structure.review's dataclass).
Its findings' kind must be one of structure.review.KINDS.
"""

_providers = []  # functions, registered once at start-up; holds no data


def provide_review_findings(provider):
    """Register a provider (idempotent, so a reloaded app registers once)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def review_findings(partnership, bodies, today):
    """Every registered provider's findings."""
    return [f for provider in _providers for f in provider(partnership, bodies, today)]

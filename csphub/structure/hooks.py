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


# Hand-over when a body closes ----------------------------------------------
#
# A body that is discontinued or merged must hand its open work (issues,
# actions, taskings: casework's, above structure) to a receiving body, or
# close it on purpose. Casework registers a HandOver here from its
# AppConfig.ready(); structure asks it what is open and tells it where each
# item goes, inside the same transaction as the status change.


class HandOver:
    """What an app above structure offers for a closing body's open work.

    `open_work(body) -> [OpenWork]` lists what is open on the body;
    `hand_over(body, by, decisions, *, reason)` moves or closes each item,
    where `decisions` maps an OpenWork key to a receiving Body, or to None to
    close it; it returns the number of items handed over or closed.
    """

    def __init__(self, open_work, hand_over):
        self.open_work = open_work
        self.hand_over = hand_over


_hand_overs = []  # registered once at start-up; holds no data


def provide_hand_over(hand_over):
    """Register a HandOver (idempotent by its functions)."""
    known = {(h.open_work, h.hand_over) for h in _hand_overs}
    if (hand_over.open_work, hand_over.hand_over) not in known:
        _hand_overs.append(hand_over)
    return hand_over


def open_work(body):
    """Every registered app's open work on `body` (structure.handover.OpenWork)."""
    return [item for h in _hand_overs for item in h.open_work(body)]


def hand_over(body, by, decisions, *, reason):
    """Ask every registered app to move or close its items; the count done."""
    return sum(h.hand_over(body, by, decisions, reason=reason) for h in _hand_overs)

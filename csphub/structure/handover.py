"""Open work a closing body must hand over: the items apps above structure
report through hooks.open_work, and the check that each has a decision."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

CLOSE = "close"  # the form's value for "close it: no longer needed"


@dataclass
class OpenWork:
    """One open item on a body: an issue (with its actions) or a tasking."""

    key: str  # unique across apps, e.g. "issue:12"
    kind: str  # plain words: "Issue", "Tasking received", ...
    title: str
    detail: str = ""  # e.g. "2 actions to do: owners A, B"
    url: str = ""
    owners: list = field(default_factory=list)  # names, for the page


def missing_decisions(items, decisions):
    """The items with no receiving body and no decision to close them."""
    return [item for item in items if item.key not in decisions]


def check_decisions(body, items, decisions):
    """Refuse a closure that would lose work: every item needs a receiving
    body (another current body of the partnership) or a decision to close."""
    missing = missing_decisions(items, decisions)
    if missing:
        raise ValidationError(
            f"{body.name} has {len(missing)} open item{'s' if len(missing) > 1 else ''}"
            " with no receiving body: "
            + "; ".join(f"{i.kind.lower()} “{i.title}”" for i in missing[:5])
        )
    for to in decisions.values():
        if to is None:
            continue
        if to.pk == body.pk or to.partnership_id != body.partnership_id:
            raise ValidationError(f"{to} cannot receive {body.name}'s work.")
        if not to.is_current():
            raise ValidationError(f"{to.name} is discontinued: it cannot receive work.")

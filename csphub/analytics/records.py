"""What the analytics' result records share: their plain fields for JSON."""

from typing import Any


def record_fields(record: Any, *names: str) -> dict[str, Any]:
    """``{name: record.name}`` in the order given, values as they are.

    Each of ``names`` may hold several names separated by spaces, so a
    ``to_dict`` lists its plain fields in a line and writes out only the ones
    it converts.
    """
    return {name: getattr(record, name) for words in names for name in words.split()}

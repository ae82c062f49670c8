"""The shape in which each app tells the home page what waits for a person.

An app's `home.py` returns Need rows; csphub.web's home page lays them out.
Every count links to the app's own list of those rows, and restricted rows
are counted (`restricted`) but never named until the person opens the list.
"""

from dataclasses import dataclass, field


@dataclass
class Line:
    """One row shown under a need: what, where it is, and a flag."""

    text: str
    url: str
    flag: str = ""  # "overdue by 3 days", "due 4 Dec"
    late: bool = False


@dataclass
class Need:
    """A count of things waiting, with the link to the list that holds them."""

    label: str  # "actions overdue or due in the next 7 days"
    count: int
    url: str
    lines: list = field(default_factory=list)  # the first few, as Line
    restricted: int = 0  # of `count`, restricted: counted, not shown
    late: int = 0  # of `count`, past their date

    def __bool__(self):
        return self.count > 0


@dataclass
class Change:
    """Something that moved since the person last looked."""

    text: str
    url: str
    when: object = None  # a date or datetime

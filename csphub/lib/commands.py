"""What every management command shares, so that a command states only what
is its own: its help (the class docstring), its options (a table) and what it
does (handle)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    """A command whose help is its docstring (white space folded, as --help
    shows it) and whose options are the table `arguments`: a name ("--year",
    or "paths" for a positional argument) to add_argument's keywords, in the
    order --help lists them. A class that sets `help` itself keeps it."""

    arguments = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__doc__ and "help" not in vars(cls):
            cls.help = " ".join(cls.__doc__.split())

    def add_arguments(self, parser):
        for name, keywords in self.arguments.items():
            parser.add_argument(name, **keywords)


def flag(help=None):
    """An option that is off unless given, such as --dry-run."""
    return {"action": "store_true", "help": help}

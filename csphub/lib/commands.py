"""What every management command shares, so that a command states only what
is its own: its help (the class docstring), its options (a table) and what it
does (handle)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    """A command whose help is its docstring (white space folded, as --help
    shows it) and whose options are the table `arguments`: a name ("--year",
    or "paths" for a positional argument) to add_argument's keywords, in the
    order --help lists them. A class that sets `help` itself keeps it."""

    arguments = {}
    suffixes = (".csv",)  # of the files `files` takes from a folder

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__doc__ and "help" not in vars(cls):
            cls.help = " ".join(cls.__doc__.split())

    def add_arguments(self, parser):
        for name, keywords in self.arguments.items():
            parser.add_argument(name, **keywords)

    def files(self, paths):
        """The files named, and those within the folders named (subfolders
        too) whose names end with one of `suffixes` in any case, sorted; a
        path that is neither stops the command before anything is read."""
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                inside = sorted(path.rglob("*"))
                files += [p for p in inside if p.suffix.lower() in self.suffixes]
            elif path.exists():
                files.append(path)
            else:
                raise CommandError(f"{raw}: no such file or folder")
        return files


def flag(help=None):
    """An option that is off unless given, such as --dry-run."""
    return {"action": "store_true", "help": help}

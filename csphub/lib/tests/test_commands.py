from io import StringIO

from django.core.management import CommandParser

from csphub.lib.commands import Command, flag


class Count(Command):
    """Count the
    things   of a year."""

    arguments = {
        "paths": {"nargs": "+", "help": "Files to count."},
        "--year": {"type": int, "required": True},
        "--dry-run": flag("Count, but write nothing."),
    }

    def handle(self, *paths, **options):
        self.stdout.write(f"{len(options['paths'])} {options['year']}")


class OwnHelp(Command):
    """Not the help."""

    help = "The help, set by hand."


def parse(command, *argv):
    parser = command.create_parser("manage.py", "count")
    return parser, vars(parser.parse_args(list(argv)))


def test_the_docstring_is_the_help_with_white_space_folded():
    assert Count.help == "Count the things of a year."
    assert OwnHelp.help == "The help, set by hand."


def test_the_table_adds_each_argument_in_its_order():
    parser, options = parse(Count(), "a.csv", "b.csv", "--year", "2018")
    assert options["paths"] == ["a.csv", "b.csv"]
    assert options["year"] == 2018
    assert options["dry_run"] is False
    assert isinstance(parser, CommandParser)
    text = parser.format_help()
    assert text.index("--year") < text.index("--dry-run")
    assert "Count, but write nothing." in text


def test_a_flag_is_on_only_when_given():
    _, options = parse(Count(), "a.csv", "--year", "2018", "--dry-run")
    assert options["dry_run"] is True


def test_a_command_runs_with_its_table_of_options():
    out = StringIO()
    command = Count(stdout=out)
    command.run_from_argv(["manage.py", "count", "a.csv", "--year", "2019"])
    assert out.getvalue().strip() == "1 2019"

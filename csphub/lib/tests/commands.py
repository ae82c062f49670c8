"""Running a management command in a test as the command line would."""

from io import StringIO

from django.core.management import call_command


def run_command(name, *args):
    """(exit code, stdout, stderr) of the command with these arguments."""
    out, err = StringIO(), StringIO()
    try:
        call_command(name, *map(str, args), stdout=out, stderr=err)
    except SystemExit as e:
        return e.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()

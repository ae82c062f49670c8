import csv
import io

import pytest

from csphub.lib.csvtext import FileErrors, csv_error_line


def test_file_errors_keep_every_problem_and_say_the_first_five():
    problems = [f"line {n}: no date" for n in range(2, 9)]
    error = FileErrors(problems)
    assert error.errors == problems
    assert str(error) == "; ".join(problems[:5])


def test_an_importers_refusal_is_caught_as_its_own():
    class CohortRefused(FileErrors):
        pass

    with pytest.raises(CohortRefused) as caught:
        raise CohortRefused(["line 2: no reference"])
    assert isinstance(caught.value, FileErrors)
    assert caught.value.errors == ["line 2: no reference"]


def test_csv_error_line_points_at_the_over_long_line():
    text = "a,b\n1,2\n" + "x" * (csv.field_size_limit() + 1) + "\n"
    reader = csv.reader(io.StringIO(text))
    with pytest.raises(csv.Error):
        list(reader)
    assert csv_error_line(text, reader) == 3

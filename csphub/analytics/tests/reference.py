"""The reference cases in ``<shared>/reference`` (its README and METHODS.md
say where each comes from): one folder per method, CSV files of inputs and of
the results the reference implementations give.

The shared folder is found as the settings find it (CSPHUB_SHARED_DIR, else
``shared`` beside the checkout), without importing Django: analytics and
its tests stay free of it (web/tests/test_architecture.py). Without the
folder the tests that need it skip and say where they looked.
"""

import csv
import os
from pathlib import Path

import pytest

SHARED_DIR = Path(
    os.environ.get("CSPHUB_SHARED_DIR")
    or os.environ.get("CSPHUB_SHARED")  # the name these tests read before
    or Path(__file__).resolve().parents[3].parent / "shared"
).resolve()


class Reference:
    """One method's folder of reference cases."""

    def __init__(self, method):
        self.dir = SHARED_DIR / "reference" / method
        self.missing = (
            f"{method} reference fixtures not found at {self.dir}; "
            "set CSPHUB_SHARED_DIR to the shared folder"
        )

    def rows(self, name):
        """Rows of a fixture CSV as dictionaries."""
        with open(self.dir / name, newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def cases(self, name, id_of):
        """One pytest param per row, or one skipped param without fixtures."""
        if not self.dir.is_dir():
            return [
                pytest.param(
                    None, id="fixtures-missing", marks=pytest.mark.skip(self.missing)
                )
            ]
        return [pytest.param(row, id=id_of(row)) for row in self.rows(name)]

    def require(self):
        """Skip the calling test when the folder is missing."""
        if not self.dir.is_dir():
            pytest.skip(self.missing)

    def needed(self):
        """A mark that skips a test or module when the folder is missing."""
        return pytest.mark.skipif(not self.dir.is_dir(), reason=self.missing)

"""Shared by the proof's tests (issue 16): how hard to try, and where the
figures go when `make proof` runs them (bench/proof.py reads them back)."""

import json
import os

FULL = os.environ.get("CSPHUB_PROOF") == "full"
EXAMPLES = int(os.environ.get("CSPHUB_PROOF_EXAMPLES", "200"))


def record(part, **figures):
    """Append one test's figures to the proof's report, when one is kept."""
    path = os.environ.get("CSPHUB_PROOF_REPORT")
    if path:
        with open(path, "a") as f:
            f.write(json.dumps({"part": part, **figures}) + "\n")

"""Run every benchmark script under bench/ and write bench/results.json.

Each script `bench/bench_*.py` prints, as its last line of output, one JSON
object of metric name -> number (the unit at the end of the name, e.g.
`web.home_p95_ms`). This merges them, writes bench/results.json and prints a
table. A script that fails stops the run with its output shown.
"""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def run_script(path):
    print(f"== {path.name}", flush=True)
    completed = subprocess.run(
        [sys.executable, str(path)], cwd=ROOT, capture_output=True, text=True
    )
    if completed.returncode != 0:
        sys.stdout.write(completed.stdout)
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"{path.name} failed with exit status {completed.returncode}")
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1])


def main():
    results = {}
    for path in sorted(BENCH.glob("bench_*.py")):
        results.update(run_script(path))
    (BENCH / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True))
    width = max(len(name) for name in results)
    for name, value in sorted(results.items()):
        print(f"{name:<{width}}  {value:>12,.2f}")
    print(f"Wrote {BENCH / 'results.json'}")


if __name__ == "__main__":
    main()

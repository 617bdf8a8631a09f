"""Start-up time: medians of `asyncgw --help` and friends next to `python -c pass`, and ratios.

The commands run in turns (one run of each per round), so a machine that gets busier or
quieter during the measurement shifts every row alike. Uses the venv's own interpreter and
console script, never a shim. Output goes to a pipe, which Python measures as 80 columns
(COLUMNS is dropped from the environment unless a row sets it). With --max-ratio, exits 1
when `asyncgw --help` is slower than that many times `python -c pass` (issue 14 asks for
under 3).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ASYNCGW = str(Path(sys.executable).parent / "asyncgw")
PYTHON = sys.executable

COMMANDS: dict[str, list[str]] = {
    "python -c pass": [PYTHON, "-c", "pass"],
    "asyncgw --help": [ASYNCGW, "--help"],
    "asyncgw -h": [ASYNCGW, "-h"],
    "asyncgw --version": [ASYNCGW, "--version"],
    "asyncgw status --help": [ASYNCGW, "status", "--help"],
    "COLUMNS=90 asyncgw status --help": [ASYNCGW, "status", "--help"],
    'python -c "import asyncgw"': [PYTHON, "-c", "import asyncgw"],
    'python -c "import click"': [PYTHON, "-c", "import click"],
    'python -c "import asyncgw.cli.app"': [PYTHON, "-c", "import asyncgw.cli.app"],
}
"""What is timed; the click rows show what the pre-rendered help pages no longer pay for."""
ENVIRONMENTS: dict[str, dict[str, str]] = {"COLUMNS=90 asyncgw status --help": {"COLUMNS": "90"}}
"""Rows run with more environment: 90 columns is a width whose command pages click renders."""


def medians(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command over `runs` rounds (after one warm-up round)."""
    timings: dict[str, list[float]] = {name: [] for name in commands}
    base = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    for round_number in range(runs + 1):
        for name, command in commands.items():
            env = {**base, **ENVIRONMENTS.get(name, {})}
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, env=env)
            if round_number:  # round 0 warms the file cache and the .pyc files
                timings[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> int:
    """Print a markdown table of the medians and their ratio to `python -c pass`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--max-ratio", type=float, metavar="R",
                        help="exit 1 when `asyncgw --help` takes more than R x python -c pass")
    args = parser.parse_args()
    found = medians(COMMANDS, args.runs)
    baseline = found["python -c pass"]
    print(f"| command | median ms ({args.runs} runs) | ratio to python -c pass |")
    print("| --- | ---: | ---: |")
    for name, seconds in found.items():
        print(f"| `{name}` | {seconds * 1000:.1f} | {seconds / baseline:.2f} |")
    ratio = found["asyncgw --help"] / baseline
    if args.max_ratio is not None and ratio > args.max_ratio:
        print(f"asyncgw --help takes {ratio:.2f}x python -c pass, over {args.max_ratio}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

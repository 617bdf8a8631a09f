"""Start-up time: the median of `asyncgw --help` next to `python -c pass`, and their ratio."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ASYNCGW = str(Path(sys.executable).parent / "asyncgw")


def median_seconds(command: list[str], runs: int) -> float:
    """Median wall time of running `command` `runs` times (after one warm-up run)."""
    subprocess.run(command, capture_output=True, check=True)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    """Print a markdown table of the medians."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    baseline = median_seconds([sys.executable, "-c", "pass"], runs)
    rows = [("python -c pass", baseline)]
    for args in (["--help"], ["status", "--help"], ["--version"]):
        rows.append((f"asyncgw {' '.join(args)}", median_seconds([ASYNCGW, *args], runs)))
    print(f"| command | median ms ({runs} runs) | ratio to python -c pass |")
    print("| --- | ---: | ---: |")
    for name, seconds in rows:
        print(f"| `{name}` | {seconds * 1000:.1f} | {seconds / baseline:.2f} |")


if __name__ == "__main__":
    main()

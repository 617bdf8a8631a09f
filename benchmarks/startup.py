"""Start-up time: medians of `asyncgw --help` and friends next to `python -c pass`, and of
`asyncgw status orders` next to one `aws apigateway get-resources`, as ratios in one run.

The commands run in turns (one run of each per round), so a machine that gets busier or
quieter during the measurement shifts every row alike. Uses the venv's own interpreter and
console script, never a shim. Output goes to a pipe, which Python measures as 80 columns
(COLUMNS is dropped from the environment unless a row sets it). The end-to-end rows run
against one local sandbox server (`python -m asyncgw_sandbox --seed`, in its own process):
`asyncgw status orders` resolves the API by name and reads it whole, the AWS CLI (the venv's,
from the test extra) makes its one call. With --max-ratio, exits 1 when `asyncgw --help` is
slower than that many times `python -c pass` (issue 14 asks for under 3).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ASYNCGW = str(Path(sys.executable).parent / "asyncgw")
AWS = str(Path(sys.executable).parent / "aws")
PYTHON = sys.executable
REGION = "us-east-1"

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


SANDBOX_ENVIRONMENT = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                       "AWS_PAGER": ""}
"""The end-to-end rows' credentials: the sandbox's, never the developer's own AWS setup."""


@contextmanager
def sandbox() -> Iterator[tuple[str, str]]:
    """(endpoint URL, id of the seeded REST API "orders") of a sandbox server while in use."""
    server = subprocess.Popen([PYTHON, "-m", "asyncgw_sandbox", "--seed"],
                              stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    endpoint = api_id = ""
    for line in server.stdout:
        if "listening on" in line:
            endpoint = line.split()[-1]
        if line.startswith('Seeded REST API "orders"'):
            api_id = line.split()[4]
        if line.startswith("Press Ctrl-C"):
            break
    try:
        yield endpoint, api_id
    finally:
        server.terminate()
        server.communicate(timeout=30)


def end_to_end(endpoint: str, api_id: str) -> dict[str, list[str]]:
    """`asyncgw status orders` and one `aws apigateway get-resources` against `endpoint`."""
    where = ["--endpoint-url", endpoint, "--region", REGION]
    return {
        "asyncgw status orders": [ASYNCGW, "status", "orders", *where],
        "aws apigateway get-resources": [AWS, "apigateway", "get-resources",
                                         "--rest-api-id", api_id, *where],
    }


def medians(commands: dict[str, list[str]], runs: int,
            extra: dict[str, str] | None = None,
            cpu: dict[str, float] | None = None) -> dict[str, float]:
    """Median wall time of each command over `runs` rounds (after one warm-up round).

    With `cpu`, also the median CPU seconds (user + system) of each, written into it: on a
    busy machine the wall time includes waiting for a core, the CPU time does not.
    """
    timings: dict[str, list[float]] = {name: [] for name in commands}
    spent: dict[str, list[float]] = {name: [] for name in commands}
    base = {**{k: v for k, v in os.environ.items() if k != "COLUMNS"}, **(extra or {})}
    for round_number in range(runs + 1):
        for name, command in commands.items():
            env = {**base, **ENVIRONMENTS.get(name, {})}
            before = _children_cpu()
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, env=env)
            if round_number:  # round 0 warms the file cache and the .pyc files
                timings[name].append(time.perf_counter() - start)
                spent[name].append(_children_cpu() - before)
    if cpu is not None:
        cpu.update({name: statistics.median(values) for name, values in spent.items()})
    return {name: statistics.median(values) for name, values in timings.items()}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    """Print a markdown table of the medians and their ratio to `python -c pass`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--max-ratio", type=float, metavar="R",
                        help="exit 1 when `asyncgw --help` takes more than R x python -c pass")
    args = parser.parse_args()
    found = medians(COMMANDS, args.runs)
    baseline = found["python -c pass"]
    print(f"Measured on {os.cpu_count()} CPUs ({platform.machine()}, {platform.system()} "
          f"{platform.release()}), Python {platform.python_version()}\n")
    print(f"| command | median ms ({args.runs} runs) | ratio to python -c pass |")
    print("| --- | ---: | ---: |")
    for name, seconds in found.items():
        print(f"| `{name}` | {seconds * 1000:.1f} | {seconds / baseline:.2f} |")
    cpu: dict[str, float] = {}
    with sandbox() as (endpoint, api_id):
        ended = medians(end_to_end(endpoint, api_id), args.runs, SANDBOX_ENVIRONMENT, cpu)
    one_call, one_cpu = ended["aws apigateway get-resources"], cpu["aws apigateway get-resources"]
    print(f"\n| against the local sandbox | median ms ({args.runs} runs) "
          "| ratio to aws apigateway get-resources | median CPU ms (client) | CPU ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, seconds in ended.items():
        print(f"| `{name}` | {seconds * 1000:.1f} | {seconds / one_call:.2f} "
              f"| {cpu[name] * 1000:.0f} | {cpu[name] / one_cpu:.2f} |")
    ratio = found["asyncgw --help"] / baseline
    if args.max_ratio is not None and ratio > args.max_ratio:
        print(f"asyncgw --help takes {ratio:.2f}x python -c pass, over {args.max_ratio}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

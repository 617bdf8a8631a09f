"""The command line: a thin layer that parses flags, calls asyncgw.library and renders.

`asyncgw --help` and `--version` are answered from text click generated (asyncgw.cli.top_help,
held equal to click's output by tests/cli/test_top_help.py), so they need neither click nor
rich; everything else goes through click (asyncgw.cli.app) and the error funnel `run`.
"""

from __future__ import annotations

import importlib
import os
import sys

from asyncgw.cli import top_help

# typing costs start-up 5 ms; mypy treats any name TYPE_CHECKING as typing's.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from asyncgw.cli.app import cli, run
    from asyncgw.cli.runtime import Runtime

__all__ = ["Runtime", "cli", "main", "run"]

_HOMES = {"cli": "asyncgw.cli.app", "run": "asyncgw.cli.app", "Runtime": "asyncgw.cli.runtime"}


def __getattr__(name: str) -> object:
    """Load the click group, the funnel or Runtime on first use (they import click and rich)."""
    if name not in _HOMES:
        raise AttributeError(f"module 'asyncgw.cli' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)


def main() -> None:
    """Console-script entry point."""
    args = sys.argv[1:]
    # Shell completion (click's _ASYNCGW_COMPLETE) is click's to answer, whatever the words.
    page = None if "_ASYNCGW_COMPLETE" in os.environ else top_help.answer(args, _columns())
    if page is not None:
        sys.stdout.write(page)
        sys.stdout.flush()
        sys.exit(0)
    from asyncgw.cli.app import run  # click and rich load only past the top-level help

    sys.exit(run(args))


def _columns() -> int:
    """The terminal width exactly as shutil.get_terminal_size (which click uses) finds it."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        stdout = sys.__stdout__
        try:
            columns = os.get_terminal_size(stdout.fileno()).columns if stdout else 80
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns or 80

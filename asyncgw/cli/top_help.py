"""`asyncgw --help`, `-h` and `--version` answered without importing click.

The pages are click's own output, one per formatter width click can choose, generated into
asyncgw.cli.top_help_pages by docs/gen_commands.py; tests/cli/test_top_help.py holds every
page equal to what click prints at that width.
"""

from __future__ import annotations

from asyncgw import __version__
from asyncgw.cli.top_help_pages import PAGES

HELP_ARGS = (["--help"], ["-h"])
MAX_CONTENT_WIDTH = 100
"""The group's context_settings["max_content_width"] (asyncgw.cli.options.CONTEXT)."""


def width(columns: int) -> int:
    """The width click's HelpFormatter picks for a terminal `columns` wide."""
    return max(min(columns, MAX_CONTENT_WIDTH) - 2, 50)


def answer(args: list[str], columns: int) -> str | None:
    """What click would print for these arguments, when they ask only for help or version."""
    if args in HELP_ARGS:
        return PAGES[width(columns)]
    if args == ["--version"]:
        return f"asyncgw, version {__version__}\n"
    return None

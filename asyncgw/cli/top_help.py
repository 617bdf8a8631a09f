"""`asyncgw --help`, `-h`, `--version` and most `asyncgw <command> --help` without click.

The pages are click's own output, generated into asyncgw.cli.top_help_pages by
docs/gen_commands.py; tests/cli/test_top_help.py holds every page equal to what click prints
at that width. The top-level page is there at every width click's formatter can choose; a
command's page only at COMMAND_WIDTHS, so other terminal widths go to click.
"""

from __future__ import annotations

from asyncgw import __version__
from asyncgw.cli.top_help_pages import COMMAND_PAGES, PAGES

HELP_ARGS = (["--help"], ["-h"])
HELP_FLAGS = ("--help", "-h")
MAX_CONTENT_WIDTH = 100
"""The group's context_settings["max_content_width"] (asyncgw.cli.options.CONTEXT)."""
COMMAND_WIDTHS = (78, 98)
"""An 80-column terminal (and a pipe or file, which Python measures as 80), and one of 100 or
more. Every width for every command would hold about 1 MB of pages, more than the package's
own source, to spare some 25 ms; these two spare it in the usual cases for 1/25 of that."""


def width(columns: int) -> int:
    """The width click's HelpFormatter picks for a terminal `columns` wide."""
    return max(min(columns, MAX_CONTENT_WIDTH) - 2, 50)


def answer(args: list[str], columns: int) -> str | None:
    """What click would print for these arguments, when they ask only for help or version.

    None when the arguments ask for anything else, or for a page not generated here.
    """
    if args in HELP_ARGS:
        return PAGES[width(columns)]
    if args == ["--version"]:
        return f"asyncgw, version {__version__}\n"
    if len(args) >= 2 and args[-1] in HELP_FLAGS:
        return COMMAND_PAGES.get(tuple(args[:-1]), {}).get(width(columns))
    return None

"""Run a documented asyncgw command line in process, with output as a pipe gets it."""

from __future__ import annotations

import io
import re
import shlex

from rich.console import Console

from asyncgw.cli import Runtime, run


def asyncgw(command: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one `asyncgw ...` line (a trailing `# exit N` ignored)."""
    words = shlex.split(command, comments=True)
    assert words[0] == "asyncgw", command
    out, err = io.StringIO(), io.StringIO()

    def console(file: io.StringIO) -> Console:
        # As the CLI prints to a pipe: whole lines, no colour (cli._default_runtime).
        return Console(file=file, width=160, soft_wrap=True, color_system=None, highlight=False)

    code = run(words[1:], Runtime(console(out), console(err), interactive=lambda: False))
    return code, out.getvalue(), err.getvalue()


# What differs from one run to the next, each with the placeholder both texts get for it: API
# and deployment ids, and the time a stage last changed, printed in the local time zone.
_VARYING = (
    (re.compile(r"\((\w{10})\)"), "(ID)"),
    (re.compile(r"(deployment|replacing) \w{10}\b"), r"\1 ID"),
    (re.compile(r"(asyncgw [a-z-]+) \w{10}(?= )"), r"\1 ID"),  # commands the notes suggest
    (re.compile(r"\bupdated \d{4}-\d{2}-\d{2} \d{2}:\d{2}"  # the zone: a name, an offset or none
                r"(?: [A-Z]{2,5}| [+-]\d{2}:?\d{2})?(?=[),])"), "updated DATE"),
)


def placeholders(text: str) -> str:
    """The text with its ids and stage dates replaced by placeholders, to compare runs."""
    for pattern, placeholder in _VARYING:
        text = pattern.sub(placeholder, text)
    return text


def shows(shown: str, printed: str, elision: re.Pattern[str]) -> bool:
    """True when a documented output block is what was printed, blank lines aside.

    With an elision line (such as `...`), the block is an excerpt: its other lines must appear
    in the printed output, in order. Without one, it must be the whole output.
    """
    everything = lines(shown)
    if not any(elision.fullmatch(line.strip()) for line in everything):
        return everything == lines(printed)
    return is_subsequence(lines(shown, elision), lines(printed))


def is_subsequence(wanted: list[str], lines: list[str]) -> bool:
    """True when every wanted line appears in `lines`, in this order."""
    remaining = iter(lines)
    return all(any(line == want for line in remaining) for want in wanted)


def lines(text: str, elision: re.Pattern[str] | None = None) -> list[str]:
    """Non-blank lines without trailing blanks; lines matching `elision` left out."""
    return [line.rstrip() for line in text.splitlines()
            if line.strip() and not (elision and elision.fullmatch(line.strip()))]

"""Just enough markdown reading for the docs tests: fenced blocks, their markers, tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+)(?P<info>[^`]*)$")
_MARKER = re.compile(r"^<!--\s*(?P<name>[\w-]+)\s*-->$")
_EXPECTED_EXIT = re.compile(r"#\s*exit\s+(?P<code>\d+)\s*$")


@dataclass(frozen=True)
class Block:
    """A fenced code block: its info string, its text, where it starts, and its marker."""

    info: str
    body: str
    line: int
    marker: str | None

    @property
    def commands(self) -> list[str]:
        """Shell commands: continuation lines joined, comments and blank lines dropped."""
        commands: list[str] = []
        pending = ""
        for raw in self.body.splitlines():
            line = raw.strip()
            if not pending and (not line or line.startswith("#")):
                continue
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            commands.append(pending + line)
            pending = ""
        return commands


def expected_exit(command: str) -> int:
    """The exit code a command is documented to end with (a trailing '# exit N'), else 0."""
    found = _EXPECTED_EXIT.search(command)
    return int(found.group("code")) if found else 0


def blocks(text: str) -> list[Block]:
    """Every fenced block, with the HTML comment marker (if any) on the line before it."""
    lines = text.splitlines()
    found: list[Block] = []
    previous: str | None = None
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            if lines[index].strip():
                previous = lines[index].strip()
            index += 1
            continue
        indent, fence = opening.group("indent"), opening.group("fence")
        end = index + 1
        while end < len(lines) and lines[end].strip() != fence:
            end += 1
        body = "\n".join(line.removeprefix(indent) for line in lines[index + 1:end])
        marker = _MARKER.match(previous or "")
        found.append(Block(opening.group("info").strip(), body, index + 1,
                           marker.group("name") if marker else None))
        previous = None
        index = end + 1
    return found


def section(text: str, heading: str) -> str:
    """The text under a heading line, up to the next heading of the same or a higher level."""
    level = _level(heading)
    lines = text.splitlines()
    start = lines.index(heading) + 1
    end = start
    in_fence = False
    while end < len(lines):
        if _FENCE.match(lines[end]):
            in_fence = not in_fence
        elif not in_fence and 0 < _level(lines[end]) <= level:
            break
        end += 1
    return "\n".join(lines[start:end])


def _level(line: str) -> int:
    """The level of a markdown heading line, 0 for any other line."""
    hashes = len(line) - len(line.lstrip("#"))
    return hashes if hashes and line[hashes:].startswith(" ") else 0


def table_rows(text: str) -> list[list[str]]:
    """The cells of every table row in `text`, header and separator rows left out."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if all(set(cell) <= {"-", ":"} for cell in cells):
            continue
        rows.append(cells)
    return rows[1:] if rows else rows

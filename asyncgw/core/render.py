"""What the REST and HTTP renderings share: the colour of each mode and the diff line."""

from __future__ import annotations

from rich.text import Text

from asyncgw.core.modes import Mode

MODE_STYLE = {
    Mode.ASYNC: "bold green",
    Mode.SWITCHABLE: "bold cyan",
    Mode.SYNC: "",
    Mode.NOT_ELIGIBLE: "dim",
}
MARKER_STYLE = {"+": "green", "~": "yellow", "-": "red"}


def marked(marker: str, detail: str, indent: int = 2) -> Text:
    """A diff line: the '+', '~' or '-' marker in its colour, then the detail."""
    return Text.assemble(" " * indent, (marker, MARKER_STYLE[marker]), " ", detail)

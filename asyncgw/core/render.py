"""The look every report shares: mode colours, diff lines, the status table and the API header."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from asyncgw.core.model import FieldChange
from asyncgw.core.modes import Mode

MODE_STYLE = {
    Mode.ASYNC: "bold green",
    Mode.SWITCHABLE: "bold cyan",
    Mode.SYNC: "",
    Mode.NOT_ELIGIBLE: "dim",
}
MARKER_STYLE = {"+": "green", "~": "yellow", "-": "red"}
ARROW = "->"
"""Between the value before and the value after, in every diff line of either kind of API."""


def marked(marker: str, detail: str, indent: int = 2) -> Text:
    """A diff line: the '+', '~' or '-' marker in its colour, then the detail."""
    return Text.assemble(" " * indent, (marker, MARKER_STYLE[marker]), " ", detail)


def change_text(change: FieldChange) -> str:
    """'field = after' for an addition, 'field = before' for a removal, else 'field: a -> b'."""
    if change.marker == "+":
        return f"{change.field} = {change.after}"
    if change.marker == "-":
        return f"{change.field} = {change.before}"
    return f"{change.field}: {change.before} {ARROW} {change.after}"


def change_lines(changes: Iterable[FieldChange]) -> list[Text]:
    """The fields a step changes, one diff line each, indented under the step's own line."""
    return [marked(change.marker, change_text(change), indent=6) for change in changes]


def counted(count: int, one: str, many: str | None = None) -> str:
    """'1 method', '2 methods'; `many` for a plural that is not `one` + 's'."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def mode_text(mode: Mode) -> Text:
    """A mode in its colour."""
    return Text(str(mode), style=MODE_STYLE[mode])


def mode_counts(modes: Sequence[Mode], noun: str) -> str:
    """'3 methods: 1 async, 2 sync' (or routes): how many there are in each mode."""
    parts = [f"{modes.count(mode)} {mode}" for mode in Mode if modes.count(mode)]
    return f"{counted(len(modes), noun)}: {', '.join(parts)}"


def status_table(columns: Sequence[str]) -> Table:
    """The status table with these columns, in the one style both kinds of API use."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in columns:
        table.add_column(column, no_wrap=True)
    return table


def row_notes(key: str, reason: str | None, warnings: Sequence[str]) -> list[Text]:
    """The notes under the status table for one method or route: why not eligible, warnings."""
    notes = [Text(f"  {key}: not eligible, {reason}", style="dim")] if reason else []
    return notes + [Text(f"  {key}: {w}", style="yellow") for w in warnings]


def status_report(header: Text, table: Table, noun: str, modes: Sequence[Mode],
                  notes: Sequence[Text], extra: Sequence[RenderableType] = ()) -> RenderableType:
    """The status report: header, the table (one row per `noun`) and the count of each mode,
    what the backend adds (`extra`), then the notes."""
    parts: list[RenderableType] = [header]
    parts.append(table if modes else Text(f"The API has no {noun}s."))
    if modes:
        parts.append(Text(mode_counts(modes, noun)))
    parts += extra
    if notes:
        parts += [Text("Notes:"), *notes]
    return Group(*parts)


def stage_dates(created: datetime | None, updated: datetime | None) -> dict[str, str | None]:
    """A stage's createdDate and lastUpdatedDate as status JSON shows them (ISO 8601)."""
    return {"createdDate": created.isoformat() if created else None,
            "lastUpdatedDate": updated.isoformat() if updated else None}


def api_header(name: str, api_id: str, where: str, stack: str | None,
               stage_lines: Sequence[str]) -> Text:
    """'name (id) in region', the owning stack, then one line per stage (or that there is none).

    `where` follows the id: ' in us-east-1', or ', HTTP API in us-east-1'.
    """
    text = Text.assemble((name or "(unnamed)", "bold"), f" ({api_id}){where}")
    if stack:
        text.append(f"\nmanaged by CloudFormation stack {stack}: hand changes drift from "
                    "its template", style="yellow")
    if not stage_lines:
        text.append("\nno stages: nothing is deployed")
    for line in stage_lines:
        text.append("\n" + line)
    return text

"""`asyncgw list`: one line per API of a region, its mode counts and its stages that lag behind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from asyncgw.core import render as shared
from asyncgw.core.modes import Mode


@dataclass(frozen=True)
class StageLag:
    """Whether a stage serves a deployment older than the API's current configuration."""

    name: str
    behind: bool | None
    """None when it cannot be told; `reason` says why."""
    reason: str | None = None


@dataclass(frozen=True)
class ApiSummary:
    """One API of the region: its kind, how many methods (routes) are in each mode, its stages.

    `counts` is None when the API could not be read; `error` then says why.
    """

    kind: str
    """'REST' or 'HTTP'."""
    api_id: str
    name: str
    counts: Mapping[Mode, int] | None = None
    stages: tuple[StageLag, ...] = ()
    error: str | None = None

    @property
    def behind(self) -> list[str]:
        """The stages known to lag behind."""
        return [stage.name for stage in self.stages if stage.behind]


@dataclass(frozen=True)
class RegionListing:
    """Every REST and HTTP API of one region, and the lists that could not be read at all."""

    region: str
    apis: tuple[ApiSummary, ...]
    failures: tuple[str, ...] = ()


def counts(modes: Sequence[Mode]) -> dict[Mode, int]:
    """How many of `modes` are in each mode, every mode present."""
    return {mode: modes.count(mode) for mode in Mode}


def text(listing: RegionListing) -> RenderableType:
    """The table: one row per API, then the notes (unreadable APIs, stages not compared)."""
    table = shared.status_table(["API", "ID", "TYPE", *(str(m).upper() for m in Mode),
                                 "STAGES BEHIND"])
    notes: list[Text] = [Text(f"  cannot list {failure}", style="yellow")
                         for failure in listing.failures]
    for api in listing.apis:
        if api.counts is None:
            table.add_row(api.name or "(unnamed)", api.api_id, api.kind,
                          *(Text("?", style="dim") for _ in Mode), Text("?", style="dim"))
            notes.append(Text(f"  {api.api_id}: unknown, {api.error}", style="yellow"))
            continue
        table.add_row(api.name or "(unnamed)", api.api_id, api.kind,
                      *(_count_cell(mode, api.counts[mode]) for mode in Mode),
                      _behind_cell(api))
        notes += [Text(f"  {api.api_id}: stage {stage.name}: cannot tell whether it lags "
                       f"behind ({stage.reason})", style="dim")
                  for stage in api.stages if stage.behind is None]
    parts: list[RenderableType] = [Text.assemble(("APIs in ", ""), (listing.region, "bold"))]
    parts.append(table if listing.apis else Text("No REST or HTTP API in this region."))
    if notes:
        parts += [Text("Notes:"), *notes]
    return Group(*parts)


def _count_cell(mode: Mode, count: int) -> Text:
    return Text(str(count), style=shared.MODE_STYLE[mode] if count else "dim")


def _behind_cell(api: ApiSummary) -> Text:
    behind = api.behind
    if behind:
        return Text(", ".join(behind), style="yellow")
    if any(stage.behind is None for stage in api.stages):
        return Text("?", style="dim")
    return Text("-" if api.stages else "no stages", style="dim")


def data(listing: RegionListing) -> dict[str, Any]:
    """The listing as one JSON object."""
    return {
        "region": listing.region,
        "apis": [_api_json(api) for api in listing.apis],
        "failures": list(listing.failures),
    }


def _api_json(api: ApiSummary) -> dict[str, Any]:
    return {
        "id": api.api_id,
        "name": api.name,
        "type": api.kind,
        "counts": None if api.counts is None else {str(m): api.counts[m] for m in Mode},
        "stages": [{"name": s.name, "behind": s.behind, "reason": s.reason} for s in api.stages],
        "stagesBehind": api.behind,
        "error": api.error,
    }

"""asyncgw recover: the unfinished journals, and restoring an API to the state one recorded."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from rich.console import Group, RenderableType
from rich.text import Text

from asyncgw.core.backend import Progress, Report
from asyncgw.core.errors import AsyncgwError, UndoFailed, UsageError
from asyncgw.core.journal_file import Journals, Lock, Recorded, remove
from asyncgw.core.writer import SnapshotT, StepT, Writer
from asyncgw.http.executor import HttpWriter
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.plan import HttpPlan
from asyncgw.http.snapshot import HttpApiSnapshot
from asyncgw.rest.executor import RestWriter
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.plan import Plan
from asyncgw.rest.snapshot import ApiSnapshot


def listing(journals: Journals) -> Report:
    """The unfinished journals (and those a live process holds), both ways."""
    found = [(recorded, recorded.holder()) for recorded in journals.found()]
    if not found:
        return Report(Text(f"No unfinished changes: no journal in {journals.directory}."),
                      {"journalDir": str(journals.directory), "journals": []})
    lines = [Text(f"Journals in {journals.directory}:")]
    for recorded, holder in found:
        header = recorded.header
        state = f"in use ({holder})" if holder else "unfinished"
        lines.append(Text(
            f"  {_named(header)} {header['kind']} {header['region']}: {state}, started "
            f"{header['started']} by pid {header['pid']}, {recorded.acknowledged} of "
            f"{recorded.sent} writes acknowledged"))
    if any(holder is None for _, holder in found):
        lines.append(Text("Put an API back with: asyncgw recover API"))
    return Report(Group(*lines), {"journalDir": str(journals.directory),
                                  "journals": [_entry(r, h) for r, h in found]})


def find(journals: Journals, api: str, region: str | None) -> Recorded | None:
    """The journal of `api` (an id, or the name recorded); None when there is none."""
    matching = [r for r in journals.found()
                if api in (r.header["apiId"], r.header.get("apiName"))
                and region in (None, r.header["region"])]
    if len(matching) > 1:
        listed = ", ".join(f"{r.api_id} in {r.header['region']}" for r in matching)
        raise UsageError(f"{len(matching)} journals are for an API named {api!r} ({listed}); "
                         "pass the id, or --region")
    return matching[0] if matching else None


def rest_writer(header: dict[str, Any], gateway: Gateway) -> RestWriter:
    """The REST writer of the interrupted apply, rebuilt from its journal."""
    base = ApiSnapshot.model_validate(header["snapshot"])
    return RestWriter(Plan.model_validate(header["plan"]), base, gateway, _never_replans,
                      gateway.functions() if base.functions else None)


def http_writer(header: dict[str, Any], gateway: HttpGateway) -> HttpWriter:
    """The HTTP writer of the interrupted apply, rebuilt from its journal."""
    return HttpWriter(HttpPlan.model_validate(header["plan"]),
                      HttpApiSnapshot.model_validate(header["snapshot"]), gateway,
                      _never_replans, time.sleep)


def _never_replans(snapshot: object) -> NoReturn:
    raise AssertionError("recover compares with the before-snapshot; it never re-plans")


@dataclass(frozen=True)
class RecoverPlan:
    """What differs from the state a journal recorded, and the restore, run by `apply`."""

    api_id: str
    left: tuple[str, ...]
    """What the read-back shows different from before; empty: the API is as it was."""
    text: RenderableType
    data: dict[str, Any]
    _restore: Callable[[Progress], Report]

    @property
    def is_empty(self) -> bool:
        """True when the API is already as it was: applying only removes the journal."""
        return not self.left

    def apply(self, progress: Progress | None = None) -> Report:
        """Restore what differs, verify by reading back, and remove the journal."""
        return self._restore(progress or (lambda _: None))


def plan(recorded: Recorded, writer: Writer[StepT, SnapshotT]) -> RecoverPlan:
    """Read the API back and say what differs from the journal's before-state."""
    with Lock.taken(recorded.lock_path):
        left = tuple(writer.left_over(writer.read()))
    header = recorded.header
    lines: list[RenderableType] = [Text(
        f"API {_named(header)} in {header['region']}: an apply started {header['started']} "
        f"by pid {header['pid']} did not finish ({recorded.acknowledged} of {recorded.sent} "
        "writes acknowledged).")]
    if left:
        lines.append(Text("Differs from before that apply:"))
        lines += [Text(f"  - {line}") for line in left]
    else:
        lines.append(Text("The API is as it was before that apply."))
    data = {**_entry(recorded, None), "differences": list(left)}
    return RecoverPlan(recorded.api_id, left, Group(*lines), data,
                       lambda progress: _restore(recorded, writer, progress))


def _restore(recorded: Recorded, writer: Writer[StepT, SnapshotT],
             progress: Progress) -> Report:
    """Under the API's lock: restore from the snapshot, check the read-back, drop the journal."""
    api = _named(recorded.header)
    with Lock.taken(recorded.lock_path):
        if not recorded.path.exists():  # another recover finished meanwhile
            return Report(Text(f"Nothing to recover: API {api} has no unfinished journal."),
                          {**_entry(recorded, None), "restored": False})
        now = writer.read()
        left = writer.left_over(now)
        if left:
            try:
                writer.repair(now, left, progress)
                progress("verifying: reading the API back")
                left = writer.left_over(writer.read())
            except AsyncgwError as error:
                left = [*left, f"restoring failed ({error.message})"]
        if left:
            raise UndoFailed(f"API {api} still differs from before, fix by hand: "
                             + "; ".join(left) + f" (journal kept: {recorded.path})", left)
        remove(recorded.path)
    return Report(Text(f"API {api} is as it was before the interrupted apply; its journal "
                       "is removed."),
                  {**_entry(recorded, None), "restored": True})


def _named(header: dict[str, Any]) -> str:
    name = header.get("apiName")
    return f"{name} ({header['apiId']})" if name else str(header["apiId"])


def _entry(recorded: Recorded, holder: str | None) -> dict[str, Any]:
    header = recorded.header
    return {"apiId": header["apiId"], "apiName": header.get("apiName"),
            "kind": header["kind"], "region": header["region"],
            "endpointUrl": header.get("endpointUrl"), "profile": header.get("profile"),
            "started": header["started"], "pid": header["pid"],
            "writesSent": recorded.sent, "writesAcknowledged": recorded.acknowledged,
            "inUseBy": holder, "journal": str(recorded.path)}

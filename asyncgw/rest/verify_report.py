"""Presentation of `asyncgw verify`: per method, what was proven and where it is live."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text

from asyncgw.rest.snapshot import ApiSnapshot, Method

if TYPE_CHECKING:
    from asyncgw.rest.live import Served
    from asyncgw.rest.verify import Check

_VERDICT = {True: ("proven", "green"), False: ("FAILED", "bold red"), None: ("not tried", "dim")}


def _live(check: Check, method: Method, served: Sequence[Served]) -> str:
    parts = []
    for stage in served:
        if stage.error is not None:
            parts.append(f"{stage.stage}: unknown")
        elif stage.modes.get(check.method) == check.mode and not stage.older(method):
            parts.append(f"live on {stage.stage}")
        elif stage.modes.get(check.method) == check.mode:
            parts.append(f"{stage.stage} serves this mode with an older mapping or template")
        else:
            parts.append(f"not yet deployed to {stage.stage} (it serves "
                         f"{stage.modes.get(check.method, 'no such method')})")
    return "; ".join(parts)


def text(snapshot: ApiSnapshot, checks: Sequence[Check],
         served: Sequence[Served]) -> RenderableType:
    """One block per method: verdict, what it rests on, and whether each stage serves it."""
    api = snapshot.api
    methods = {m.key: m for m in snapshot.methods}
    lines: list[RenderableType] = [Text(f"Verifying {api.name or api.id} ({api.id}) in "
                                        f"{snapshot.region} (TestInvokeMethod runs the current "
                                        "configuration):")]
    for check in checks:
        verdict, style = _VERDICT[check.proven]
        lines.append(Text.assemble("  ", (verdict, style), f"  {check.method} ({check.mode})"))
        lines.append(Text(f"      {check.detail}"))
        live = _live(check, methods[check.method], served)
        if live:
            lines.append(Text(f"      {live}", style="dim"))
    counts = [sum(c.proven is value for c in checks) for value in (True, False, None)]
    lines.append(Text(f"{counts[0]} proven, {counts[1]} failed, {counts[2]} not tried.",
                      style="bold"))
    return Group(*lines)


def data(snapshot: ApiSnapshot, checks: Sequence[Check],
         served: Sequence[Served]) -> dict[str, Any]:
    """The same as JSON."""
    return {
        "api": {"id": snapshot.api.id, "name": snapshot.api.name, "region": snapshot.region},
        "methods": [
            {
                "method": c.method,
                "mode": str(c.mode),
                "invocationType": c.invocation_type,
                "proven": c.proven,
                "detail": c.detail,
                "status": c.status,
                "lambdaStatus": c.lambda_status,
                "deployed": {s.stage: (None if s.error else s.modes.get(c.method))
                             for s in served},
            }
            for c in checks
        ],
    }

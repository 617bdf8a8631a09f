"""A progress line that cannot be written is no reason to undo an apply."""

from __future__ import annotations

import io

from asyncgw_sandbox.seed import Clients, SeededApi
from rich.console import Console

from asyncgw.cli import Runtime, run
from asyncgw.cli.runtime import default_runtime
from asyncgw.core.modes import Mode
from asyncgw.rest import gateway, intent
from asyncgw.rest.modes import assess


class ClosedPipe(io.StringIO):
    """A stream whose reader has gone: every write fails, as on a closed pipe."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_an_apply_with_a_closed_stderr_goes_through(account: Clients, orders: SeededApi) -> None:
    out = io.StringIO()
    error_console = type(default_runtime().err)  # the CLI's own stderr console
    runtime = Runtime(out=Console(file=out, width=120, color_system=None),
                      err=error_console(file=ClosedPipe(), width=120, color_system=None),
                      interactive=lambda: False,
                      connect=lambda profile, region, endpoint: gateway.connect(
                          profile, region, endpoint))
    code = run(["enable-async", orders.api_id, "-m", "POST /orders/{id}/refund",
                "--stage", "prod", "--yes", "--region", "us-east-1"], runtime)
    assert code == 0, out.getvalue()
    assert "Done: 1 method now async" in out.getvalue()
    connected = gateway.connect(None, "us-east-1", None)
    snapshot = intent.read(connected, orders.api_id)
    method = next(m for m in snapshot.methods if m.key == "POST /orders/{id}/refund")
    assert assess(method, snapshot).mode is Mode.ASYNC

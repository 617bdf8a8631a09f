"""Running the CLI in process with captured output and, optionally, injected AWS faults."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console

from asyncgw.aws.pacing import Pacer
from asyncgw.cli import Runtime, run
from asyncgw.rest import gateway
from tests.support.faults import FaultInjector, error_response


@dataclass
class Result:
    """Exit code and the text written to stdout and stderr."""

    code: int
    out: str
    err: str

    @property
    def last_error_line(self) -> str:
        """The last non-empty line on stderr."""
        lines = [line for line in self.err.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def read_fault(operation: str, status: int, code: str) -> Callable[..., object]:
    """A before-call handler that fails every call of one operation."""

    def handler(model: object, **_: object) -> object:
        if getattr(model, "name", None) == operation:
            return error_response(status, code, f"injected {code}")
        return None

    return handler


def asyncgw(
    *args: str,
    interactive: bool = False,
    injector: FaultInjector | None = None,
    read_failure: Callable[..., object] | None = None,
    calls: list[str] | None = None,
    lambda_failure: Callable[..., object] | None = None,
) -> Result:
    """Run `asyncgw ARGS` in this process; faults go onto the gateway's real client."""
    out, err = io.StringIO(), io.StringIO()

    def connect(profile: str | None, region: str | None, endpoint: str | None
                ) -> gateway.Gateway:
        made = gateway.connect(profile, region, endpoint)
        made.pacer = Pacer(max_wait=1.0)  # the real pacer, with a short give-up for tests
        for handler in (injector, read_failure):
            if handler is not None:
                made.client.meta.events.register_first("before-call.api-gateway", handler)
        if calls is not None:
            made.client.meta.events.register(
                "before-call.api-gateway", lambda model, **_: calls.append(model.name))
        functions = made.functions()
        if lambda_failure is not None and functions is not None:
            functions.client.meta.events.register_first("before-call.lambda", lambda_failure)
        return made

    runtime = Runtime(
        out=Console(file=out, width=120, color_system=None),
        err=Console(file=err, width=120, color_system=None),
        interactive=lambda: interactive,
        connect=connect,
    )
    code = run(list(args), runtime)
    return Result(code, out.getvalue(), err.getvalue())

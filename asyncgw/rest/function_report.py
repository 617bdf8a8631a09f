"""The function side in `status`: each target's async configuration and what it would drop."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from asyncgw.core.modes import Mode, function_name
from asyncgw.rest import async_config
from asyncgw.rest.functions import resolvable
from asyncgw.rest.modes import lambda_function
from asyncgw.rest.snapshot import ApiSnapshot, FunctionSide, Method


def _age(seconds: int) -> str:
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def _destination(arn: str | None) -> str:
    """'sqs:orders-failed' out of an ARN, for a narrow table cell."""
    if not arn:
        return "-"
    parts = arn.split(":")
    return f"{parts[2]}:{parts[-1].split('/')[-1]}" if len(parts) >= 6 else arn


def table(snapshot: ApiSnapshot) -> Table | None:
    """One row per target function of an async or switchable method; None when there is none."""
    if not snapshot.functions:
        return None
    grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                 title="Async event handling of the target functions", title_justify="left")
    for column in ("FUNCTION", "RETRIES", "MAX AGE", "ON FAILURE", "ON SUCCESS", "DLQ",
                   "FAILED EVENTS"):
        grid.add_column(column, no_wrap=True)
    for side in snapshot.functions:
        name = shown_name(side)
        if side.error is not None:
            grid.add_row(name, "?", "?", "?", "?", "?", f"unknown: {side.error}")
            continue
        config = side.config
        kept = Text("kept") if side.keeps_failures else Text("dropped", style="yellow")
        grid.add_row(
            name,
            f"{side.retries}" + ("" if config and config.maximum_retry_attempts is not None
                                 else " (default)"),
            _age(side.event_age),
            _destination(config.on_failure if config else None),
            _destination(config.on_success if config else None),
            _destination(side.dead_letter),
            kept,
        )
    return grid


def shown_name(side: FunctionSide, expression: str | None = None) -> str:
    """The function's short name, with the stages that name it when only a stage variable does.

    With `expression`, the stages whose variables resolve that expression to it.
    """
    name = function_name(side.function)
    if side.error is not None:
        return name
    resolution = side.resolved_from(expression) if expression is not None else None
    if resolution is not None and resolution.stages:
        return f"{name} (stage {', '.join(resolution.stages)})"
    if expression is None and not side.named and side.stages:
        return f"{name} (stage {', '.join(side.stages)})"
    return name


def sides(snapshot: ApiSnapshot, method: Method) -> list[FunctionSide]:
    """The function sides of the function a method invokes: one per stage variable value."""
    function = lambda_function(method.integration)
    if function is None:
        return []
    if resolvable(function):
        return [f for f in snapshot.functions if f.function == function]
    return [f for f in snapshot.functions if f.resolved_from(function) is not None]


def keeps_failures(snapshot: ApiSnapshot, method: Method) -> bool | None:
    """Whether every function the method invokes keeps failed events; None when unknown."""
    found = sides(snapshot, method)
    kept = [side.keeps_failures for side in found]
    if not found or None in kept:
        return None
    return all(kept)


def warnings(method: Method, mode: Mode, snapshot: ApiSnapshot) -> list[str]:
    """What an async or switchable method's function does with failed or throttled events."""
    if mode not in (Mode.ASYNC, Mode.SWITCHABLE):
        return []
    found = []
    function = lambda_function(method.integration)
    expression = function if function is not None and not resolvable(function) else None
    for side in sides(snapshot, method):
        found += _side_warnings(method, mode, snapshot, side, expression)
    return found


def _side_warnings(method: Method, mode: Mode, snapshot: ApiSnapshot,
                   side: FunctionSide, expression: str | None) -> list[str]:
    name = shown_name(side, expression)
    if side.error is not None:
        return [f"could not read how {name} handles failed async events: {side.error}"]
    found = []
    if side.reserved_concurrency == 0:
        found.append(f"{name} has reserved concurrency 0: every async event is throttled and "
                     "goes straight to its on-failure destination or dead-letter queue, "
                     "or is dropped when it has neither")
    if not side.keeps_failures:
        command = "enable-async" if mode is Mode.ASYNC else "enable-switchable"
        fix = (f"asyncgw {command} {snapshot.api.id} -m '{method.key}' --on-failure ARN"
               if expression is None else  # --on-failure cannot tell which stage's function
               f"aws lambda put-function-event-invoke-config --function-name {side.function} "
               """--destination-config '{"OnFailure":{"Destination":"ARN"}}'""")
        found.append(
            f"failed async events are dropped: {name} has no on-failure destination or "
            f"dead-letter queue (after {side.retries} retries); add one with: {fix}")
    return found


def function_json(side: FunctionSide) -> dict[str, Any]:
    """One target function's async configuration as status --output json shows it."""
    config = side.config
    return {
        "function": side.function,
        "stageVariableExpression": (side.resolutions[0].expression if side.resolutions
                                    else None),
        "stages": list(side.stages),
        "error": side.error,
        "configured": config is not None,
        "maximumRetryAttempts": None if side.error else side.retries,
        "maximumEventAgeInSeconds": None if side.error else side.event_age,
        "onFailure": config.on_failure if config else None,
        "onSuccess": config.on_success if config else None,
        "deadLetterQueue": side.dead_letter,
        "reservedConcurrency": side.reserved_concurrency,
        "failedEventsKept": side.keeps_failures,
    }


def targets(snapshot: ApiSnapshot, modes: dict[str, Mode]) -> list[str]:
    """The functions of the methods that are async or switchable, as their URIs name them."""
    return async_config.targets(m for m in snapshot.methods
                                if modes.get(m.key) in (Mode.ASYNC, Mode.SWITCHABLE))

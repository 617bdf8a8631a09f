"""Proving wiring with TestInvokeMethod: DryRun where Lambda allows it, Event when asked."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from asyncgw.core.modes import Mode, function_name
from asyncgw.rest.modes import INVOCATION_TYPE_MAPPING, SELECTOR_PARAMETER, assess, lambda_function
from asyncgw.rest.snapshot import ApiSnapshot, Method

PATH_VALUE = "asyncgw-verify"
"""Stands in for every path parameter in the test request."""

DRY_RUN, EVENT = "DryRun", "Event"
EXPECTED = {DRY_RUN: 204, EVENT: 202}
"""Lambda's answer to each invocation type [MODEL lambda InvocationResponse.StatusCode]."""

# The execution log line naming Lambda's answer: seen in published logs [COMM], not recorded.
# Worded otherwise, no check passes: a missing line is a failure, never a proof.
_RECEIVED = re.compile(r"Received response\. Status: (\d+)")
_FAILED = re.compile(r"Execution failed[^\n]*")
_ENDPOINT_BODY = re.compile(r"Endpoint response body before transformations: ([^\n]*)")
_PARAMETER = re.compile(r"\{[^}]+\}")


class Invoker(Protocol):
    """The one call verify makes (Gateway.test_invoke)."""

    def test_invoke(self, api_id: str, resource_id: str, http_method: str, path: str,
                    headers: Mapping[str, str], body: str,
                    stage_variables: Mapping[str, str]) -> dict[str, Any]:
        """TestInvokeMethod."""
        ...


@dataclass(frozen=True)
class Check:
    """What was tried on one method and what it proved."""

    method: str
    mode: Mode
    invocation_type: str | None
    proven: bool | None
    """True when proven, False when the check failed, None when not tried."""
    detail: str
    status: int | None = None
    lambda_status: int | None = None


def invocation_type(mode: Mode, invoke: bool, method: Method | None = None) -> str | None:
    """The invocation a check of this mode sends, or None when it sends nothing."""
    if mode is Mode.SWITCHABLE:
        # DryRun proves the same wiring as Event without running the function, but only when
        # the InvocationType header is what API Gateway maps: through any other source the
        # header would be ignored and the function would run.
        return DRY_RUN if method is None or _header_chooses(method) else None
    if mode is Mode.ASYNC and invoke:
        return EVENT
    return None


def check(invoker: Invoker, snapshot: ApiSnapshot, method: Method, invoke: bool,
          stage_variables: Mapping[str, str], body: str = "{}") -> Check:
    """Run (or decline to run) the check of one method."""
    mode = assess(method, snapshot).mode
    kind = invocation_type(mode, invoke, method)
    if kind is None:
        reason = {
            Mode.SWITCHABLE: "not tried: the invocation type is not chosen by the "
                             "InvocationType header, so a DryRun could run the function",
            Mode.ASYNC: "not tried: an async method always runs its function; pass --invoke to "
                        "invoke it for real",
            Mode.SYNC: "not tried: synchronous, nothing asyncgw set up to prove",
            Mode.NOT_ELIGIBLE: "not tried: not a Lambda non-proxy integration",
        }.get(mode, "not tried")
        return Check(method.key, mode, None, None, reason)
    headers = {"InvocationType": kind, "Content-Type": "application/json"}
    result = invoker.test_invoke(snapshot.api.id, method.resource_id, method.http_method,
                                 _PARAMETER.sub(PATH_VALUE, method.path), headers, body,
                                 stage_variables)
    return judge(method, mode, kind, result)


def judge(method: Method, mode: Mode, kind: str, result: Mapping[str, Any]) -> Check:
    """Read a TestInvokeMethod result: did Lambda answer the invocation type as it should?"""
    log = str(result.get("log", ""))
    status = result.get("status")
    received = _RECEIVED.search(log)
    lambda_status = int(received.group(1)) if received else None
    expected = EXPECTED[kind]
    function = lambda_function(method.integration)
    name = function_name(function) if function else "the function"
    if lambda_status == expected:
        detail = (f"Lambda answered the DryRun with {expected}: the InvocationType header "
                  f"reaches {name} and API Gateway may invoke it (the function did not run)"
                  if kind == DRY_RUN else
                  f"Lambda accepted the event with {expected}: {name} runs it asynchronously")
        return Check(method.key, mode, kind, True, detail, status, lambda_status)
    failed = _failure(log)
    if lambda_status is not None:
        why = failed or (_lambda_error(log) if lambda_status >= 400 else None)
        reason = f"Lambda answered {lambda_status}, not {expected}" + (f": {why}" if why else "")
    elif failed:
        reason = failed
    else:
        reason = f"the request never reached Lambda (status {status}: {result.get('body')})"
    return Check(method.key, mode, kind, False, reason, status, lambda_status)


def run(invoker: Invoker, snapshot: ApiSnapshot, methods: Sequence[Method], invoke: bool,
        stage_variables: Mapping[str, str], body: str = "{}") -> list[Check]:
    """The check of every method, in order."""
    return [check(invoker, snapshot, m, invoke, stage_variables, body) for m in methods]


def _failure(log: str) -> str | None:
    found = _FAILED.search(log)
    text = found.group(0).strip() if found else ""
    # A line that names no cause ("Execution failed due to : ") says less than the status.
    return text if text and not text.endswith(":") else None


def _lambda_error(log: str) -> str | None:
    """The message of the error Lambda answered with, as the log shows its body."""
    found = _ENDPOINT_BODY.search(log)
    try:
        body = json.loads(found.group(1)) if found else None
    except ValueError:
        return None
    message = body.get("message", body.get("Message")) if isinstance(body, dict) else None
    return message if isinstance(message, str) and message else None


def _header_chooses(method: Method) -> bool:
    integration = method.integration
    return integration is not None and integration.request_parameters.get(
        INVOCATION_TYPE_MAPPING) == SELECTOR_PARAMETER


def real_invocations(snapshot: ApiSnapshot, methods: Sequence[Method], invoke: bool) -> list[str]:
    """'POST /orders (orders-jobs)' for each method whose check runs its function for real."""
    out = []
    for method in methods:
        if invocation_type(assess(method, snapshot).mode, invoke, method) == EVENT:
            function = lambda_function(method.integration)
            out.append(f"{method.key} ({function_name(function) if function else '?'})")
    return out

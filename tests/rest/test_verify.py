"""Judging TestInvokeMethod results: what proves the wiring and what does not."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from asyncgw.core.modes import Mode
from asyncgw.rest import verify
from tests.support.rest_builders import asynchronous, method, snapshot, switchable


def _log(*lines: str) -> str:
    # The recorded log format [REC F1, F3]; backend lines as in reference section 5.
    stamp = "Thu Nov 26 10:00:00 UTC 2026"
    return "\n".join(["Execution log for request 1234", *(f"{stamp} : {x}" for x in lines)])


DRY_RUN_OK = {"status": 200, "body": "", "log": _log(
    "Starting execution for request: 1234", "HTTP Method: POST, Resource Path: /orders",
    "Method request headers: {InvocationType=DryRun}",
    "Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/x/invocations",
    "Received response. Status: 204, Integration latency: 12 ms",
    "Method completed with status: 200")}


class Recorder:
    """An Invoker that records the requests and answers with a canned result."""

    def __init__(self, result: Mapping[str, Any]) -> None:
        self.result = result
        self.calls: list[dict[str, Any]] = []

    def test_invoke(self, api_id: str, resource_id: str, http_method: str, path: str,
                    headers: Mapping[str, str], body: str,
                    stage_variables: Mapping[str, str]) -> dict[str, Any]:
        self.calls.append({"path": path, "headers": dict(headers), "body": body,
                           "stageVariables": dict(stage_variables)})
        return dict(self.result)


def test_a_switchable_method_is_proven_by_a_dry_run_answered_with_204() -> None:
    target = switchable("POST /orders/{id}/refund")
    invoker = Recorder(DRY_RUN_OK)
    found = verify.check(invoker, snapshot([target]), target, False, {"fn": "orders"})
    assert found.proven is True
    assert found.lambda_status == 204
    assert invoker.calls == [{"path": "/orders/asyncgw-verify/refund",
                              "headers": {"InvocationType": "DryRun",
                                          "Content-Type": "application/json"},
                              "body": "{}", "stageVariables": {"fn": "orders"}}]


def test_an_async_method_is_not_invoked_without_invoke() -> None:
    target = asynchronous()
    invoker = Recorder(DRY_RUN_OK)
    found = verify.check(invoker, snapshot([target]), target, False, {})
    assert found.proven is None
    assert "--invoke" in found.detail
    assert invoker.calls == []
    assert verify.real_invocations(snapshot([target]), [target], False) == []
    assert verify.real_invocations(snapshot([target]), [target], True) == [
        "POST /orders (orders)"]


@pytest.mark.parametrize(("log", "says"), [
    (_log("Received response. Status: 200, Integration latency: 80 ms"),
     "Lambda answered 200, not 202"),
    (_log("Execution failed due to configuration error: Invalid permissions on Lambda function",
          "Method completed with status: 500"),
     "Execution failed due to configuration error: Invalid permissions on Lambda function"),
    ("", "never reached Lambda (status 400"),
])
def test_an_async_method_fails_unless_lambda_answers_202(log: str, says: str) -> None:
    target = asynchronous()
    found = verify.check(Recorder({"status": 400 if not log else 500, "log": log,
                                   "body": '{"message": "x"}'}),
                         snapshot([target]), target, True, {})
    assert found.proven is False
    assert says in found.detail


def test_sync_methods_are_not_tried() -> None:
    target = method("GET /orders")
    found = verify.check(Recorder(DRY_RUN_OK), snapshot([target]), target, True, {})
    assert (found.proven, found.mode) == (None, Mode.SYNC)


def test_a_method_switched_by_another_parameter_is_not_sent_a_dry_run() -> None:
    from tests.support.rest_builders import lambda_integration

    target = method("POST /orders", lambda_integration("method.request.querystring.mode"),
                    {"method.request.querystring.mode": True}, "v-par")
    invoker = Recorder(DRY_RUN_OK)
    found = verify.check(invoker, snapshot([target]), target, False, {})
    assert found.mode is Mode.SWITCHABLE
    assert (found.proven, invoker.calls) == (None, [])
    assert "could run the function" in found.detail


def test_lambda_s_own_error_says_why_the_dry_run_failed() -> None:
    # As LocalStack logs a function that is not Active (Lambda answers 409).
    body = ('{"__type": "ResourceConflictException", "message": "The operation cannot be '
            'performed at this time. The function is currently in the following state: Failed"}')
    target = switchable("POST /orders/{id}/refund")
    found = verify.check(Recorder({"status": 200, "body": body, "log": _log(
        "Received response. Status: 409, Integration latency: 150 ms",
        f"Endpoint response body before transformations: {body}",
        "Method completed with status: 200")}), snapshot([target]), target, False, {})
    assert (found.proven, found.lambda_status) == (False, 409)
    assert found.detail == ("Lambda answered 409, not 204: The operation cannot be performed at "
                            "this time. The function is currently in the following state: Failed")


def test_a_failure_line_without_a_cause_gives_way_to_the_answer() -> None:
    # LocalStack logs a refusal by the request validator as "Execution failed due to : ".
    body = '{"message": "Missing required request parameters: [q]"}'
    target = switchable("POST /orders/{id}/refund")
    found = verify.check(Recorder({"status": 400, "body": body, "log": _log(
        "Method request headers: {InvocationType=DryRun}", "Execution failed due to : ",
        "Method completed with status: 400")}), snapshot([target]), target, False, {})
    assert found.proven is False
    assert found.detail == f"the request never reached Lambda (status 400: {body})"

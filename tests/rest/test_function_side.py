"""The function side in the emulated account: status reads it, enable-* sets it, undo undoes it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asyncgw_sandbox.seed import (
    INVOCATION_TYPE_HEADER,
    Clients,
    SeededApi,
    ensure_function,
    lambda_uri,
)

from asyncgw.core.errors import ApplyFailed
from asyncgw.core.modes import Mode
from asyncgw.rest import intent
from asyncgw.rest.async_config import wanted
from asyncgw.rest.executor import apply
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.snapshot import AsyncConfig
from tests.cli.runner import asyncgw
from tests.support.faults import FaultInjector, inject

QUEUE = "arn:aws:sqs:us-east-1:123456789012:orders-failed"
DONE = "arn:aws:sqs:us-east-1:123456789012:orders-done"


def _config(account: Clients, function: str) -> dict[str, Any] | None:
    """The function's async configuration as the Lambda API itself reports it."""
    try:
        found = account.lambda_.get_function_event_invoke_config(FunctionName=function)
    except account.lambda_.exceptions.ResourceNotFoundException:
        return None
    return {k: found[k] for k in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds",
                                  "DestinationConfig") if k in found}


def _enable(gateway: Gateway, api: str, key: str, **flags: Any) -> None:
    change = intent.mode_change(api, Mode.ASYNC, methods=(key,), stage="prod",
                                want=wanted(flags.get("on_failure"), flags.get("max_retries"),
                                            flags.get("max_event_age"), "us-east-1"))
    snapshot = change.read(gateway, intent.read(gateway, api))
    apply(change.plan(snapshot), snapshot, gateway, change.plan)


def test_enable_async_sets_the_asked_fields_on_the_target_function(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    _enable(gateway, orders.api_id, "GET /orders", on_failure=QUEUE, max_retries=0)
    found = _config(account, "orders-api")
    assert found is not None
    assert found["MaximumRetryAttempts"] == 0
    assert found["DestinationConfig"]["OnFailure"] == {"Destination": QUEUE}
    assert not found["DestinationConfig"].get("OnSuccess")
    snapshot = intent.read(gateway, orders.api_id)
    assert next(m for m in snapshot.methods if m.key == "GET /orders").integration \
        .request_parameters["integration.request.header.X-Amz-Invocation-Type"] == "'Event'"


def test_an_existing_configuration_keeps_the_fields_not_asked_for(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    account.lambda_.put_function_event_invoke_config(
        FunctionName="orders-jobs", MaximumEventAgeInSeconds=900,
        DestinationConfig={"OnSuccess": {"Destination": DONE}})
    _enable(gateway, orders.api_id, "POST /orders", on_failure=QUEUE)
    found = _config(account, "orders-jobs")
    assert found is not None
    assert found["MaximumEventAgeInSeconds"] == 900
    assert found["DestinationConfig"]["OnSuccess"] == {"Destination": DONE}
    assert found["DestinationConfig"]["OnFailure"] == {"Destination": QUEUE}


@pytest.mark.parametrize("existing", [
    None,
    {"MaximumRetryAttempts": 1, "MaximumEventAgeInSeconds": 3600},
    # A configuration with no settings: AWS refuses a Put of nothing [REC], so the undo must
    # put it back as an empty OnSuccess, which AWS accepts [REC].
    {"DestinationConfig": {"OnSuccess": {}}},
    {"DestinationConfig": {"OnSuccess": {"Destination": DONE}}},
], ids=["none", "retries-and-age", "no-settings", "on-success"])
def test_a_failure_after_the_function_step_puts_the_configuration_back(
    gateway: Gateway, orders: SeededApi, account: Clients, existing: dict[str, Any] | None
) -> None:
    if existing is not None:
        account.lambda_.put_function_event_invoke_config(FunctionName="orders-api", **existing)
    before = _config(account, "orders-api")
    inject(gateway.client, FaultInjector({1}, watched=frozenset({"UpdateIntegration"})))
    with pytest.raises(ApplyFailed):
        _enable(gateway, orders.api_id, "GET /orders", on_failure=QUEUE, max_retries=0)
    assert _config(account, "orders-api") == before


def test_a_configuration_with_no_settings_round_trips_through_a_failed_run(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    account.lambda_.put_function_event_invoke_config(
        FunctionName="orders-api", DestinationConfig={"OnSuccess": {}})
    calls: list[tuple[str, dict[str, Any]]] = []

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        calls.append((model.name, json.loads(params["body"] or b"{}")))

    functions = gateway.functions()
    assert functions is not None
    functions.client.meta.events.register("before-call.lambda", record)
    inject(gateway.client, FaultInjector({1}, watched=frozenset({"CreateDeployment"})))
    with pytest.raises(ApplyFailed, match="is as it was"):
        _enable(gateway, orders.api_id, "GET /orders", max_retries=0)
    writes = [(name, body) for name, body in calls if not name.startswith("Get")]
    assert writes == [
        ("UpdateFunctionEventInvokeConfig", {"MaximumRetryAttempts": 0}),
        ("PutFunctionEventInvokeConfig", {"DestinationConfig": {"OnSuccess": {}}}),
    ]
    assert _config(account, "orders-api") == {
        "DestinationConfig": {"OnSuccess": {}, "OnFailure": {}}}


def test_an_update_of_one_destination_sends_both_as_lambda_has_them_now(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    account.lambda_.put_function_event_invoke_config(
        FunctionName="orders-api", MaximumRetryAttempts=1,
        DestinationConfig={"OnSuccess": {"Destination": DONE}})
    sent: list[dict[str, Any]] = []

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        if model.name == "UpdateFunctionEventInvokeConfig":
            sent.append(json.loads(params["body"]))

    functions = gateway.functions()
    assert functions is not None
    functions.client.meta.events.register("before-call.lambda", record)
    # The on-success destination changed since the plan was made: the fresh read carries it.
    later = "arn:aws:sqs:us-east-1:123456789012:orders-done-later"
    account.lambda_.update_function_event_invoke_config(
        FunctionName="orders-api", DestinationConfig={
            "OnSuccess": {"Destination": later}, "OnFailure": {}})
    functions.update("orders-api", AsyncConfig(on_failure=QUEUE), exists=True)
    assert sent == [{"DestinationConfig": {"OnSuccess": {"Destination": later},
                                           "OnFailure": {"Destination": QUEUE}}}]
    assert _config(account, "orders-api") == {
        "MaximumRetryAttempts": 1,
        "DestinationConfig": {"OnSuccess": {"Destination": later},
                              "OnFailure": {"Destination": QUEUE}}}


def test_a_refused_function_write_changes_nothing(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    functions = gateway.functions()
    assert functions is not None
    injector = FaultInjector({1}, watched=frozenset({"PutFunctionEventInvokeConfig"}))
    functions.client.meta.events.register_first("before-call.lambda", injector)
    state = account.apigateway.get_stage(restApiId=orders.api_id, stageName="prod")
    with pytest.raises(ApplyFailed):
        _enable(gateway, orders.api_id, "GET /orders", on_failure=QUEUE)
    assert injector.writes == ["PutFunctionEventInvokeConfig"]
    assert _config(account, "orders-api") is None
    after = account.apigateway.get_stage(restApiId=orders.api_id, stageName="prod")
    assert after["deploymentId"] == state["deploymentId"]


def test_status_reports_dropped_and_kept_failures(orders: SeededApi, account: Clients) -> None:
    result = asyncgw("status", orders.api_id, "--output", "json")
    data = json.loads(result.out)
    functions = {f["function"].rsplit(":", 1)[-1]: f for f in data["functions"]}
    assert set(functions) == {"orders-jobs"}  # the target of the async and switchable methods
    assert functions["orders-jobs"]["failedEventsKept"] is False
    assert functions["orders-jobs"]["maximumRetryAttempts"] == 2
    post = next(m for m in data["methods"] if m["httpMethod"] == "POST" and m["path"] == "/orders")
    assert post["failedEventsKept"] is False
    assert any("--on-failure ARN" in w for w in post["warnings"])

    account.lambda_.put_function_event_invoke_config(
        FunctionName="orders-jobs", MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": QUEUE}})
    table = asyncgw("status", orders.api_id)
    assert table.code == 0, table.err
    row = next(line for line in table.out.splitlines() if line.startswith("orders-jobs"))
    assert row.split()[:2] == ["orders-jobs", "0"]
    assert "sqs:orders-failed" in row and "kept" in row
    assert "failed async events are dropped" not in table.out


def test_status_warns_about_reserved_concurrency_of_zero_and_a_dead_letter_queue_counts(
    orders: SeededApi, account: Clients
) -> None:
    account.lambda_.put_function_concurrency(FunctionName="orders-jobs",
                                             ReservedConcurrentExecutions=0)
    account.lambda_.update_function_configuration(
        FunctionName="orders-jobs", DeadLetterConfig={"TargetArn": QUEUE})
    result = asyncgw("status", orders.api_id, "--output", "json")
    data = json.loads(result.out)
    side = data["functions"][0]
    assert (side["reservedConcurrency"], side["deadLetterQueue"], side["failedEventsKept"]) == (
        0, QUEUE, True)
    post = next(m for m in data["methods"] if m["httpMethod"] == "POST" and m["path"] == "/orders")
    assert any("reserved concurrency 0" in w for w in post["warnings"])


def test_the_flags_are_checked_before_any_call(orders: SeededApi) -> None:
    calls: list[str] = []
    result = asyncgw("enable-async", orders.api_id, "-m", "GET /orders", "--on-failure",
                     "arn:aws:sqs:eu-west-1:123456789012:q", "--yes", calls=calls)
    assert result.code == 2
    assert "use a destination in us-east-1" in result.last_error_line
    assert "GetResources" not in calls


def test_status_reports_a_lambda_read_it_could_not_make_and_goes_on(
    orders: SeededApi, account: Clients
) -> None:
    from tests.cli.runner import read_fault

    result = asyncgw("status", orders.api_id, "--output", "json",
                     lambda_failure=read_fault("GetFunctionConcurrency", 400,
                                               "InvalidParameterValueException"))
    assert result.code == 0, result.err
    side = json.loads(result.out)["functions"][0]
    assert "InvalidParameterValueException" in side["error"]
    assert side["failedEventsKept"] is None


def _lambda_method(account: Clients, api_id: str, path: str, function: str) -> None:
    """A POST method on `path` whose AWS integration invokes `function` asynchronously."""
    root = account.apigateway.get_resources(restApiId=api_id)["items"][0]["id"]
    resource = account.apigateway.create_resource(restApiId=api_id, parentId=root,
                                                  pathPart=path.strip("/"))["id"]
    account.apigateway.put_method(restApiId=api_id, resourceId=resource, httpMethod="POST",
                                  authorizationType="NONE")
    account.apigateway.put_integration(
        restApiId=api_id, resourceId=resource, httpMethod="POST", type="AWS",
        integrationHttpMethod="POST", uri=lambda_uri("us-east-1", function),
        requestParameters={INVOCATION_TYPE_HEADER: "'Event'"})
    account.apigateway.put_method_response(restApiId=api_id, resourceId=resource,
                                           httpMethod="POST", statusCode="200")
    account.apigateway.put_integration_response(restApiId=api_id, resourceId=resource,
                                                httpMethod="POST", statusCode="200",
                                                selectionPattern="")


def test_a_function_named_directly_and_by_a_stage_variable_is_read_once_and_shown_once(
        account: Clients) -> None:
    arn = ensure_function(account, "orders")
    expression = arn.rsplit(":", 1)[0] + ":${stageVariables.fn}"
    api_id = account.apigateway.create_rest_api(name="both")["id"]
    _lambda_method(account, api_id, "/a", arn)
    _lambda_method(account, api_id, "/b", expression)
    deployment = account.apigateway.create_deployment(restApiId=api_id)["id"]
    account.apigateway.create_stage(restApiId=api_id, stageName="prod", deploymentId=deployment,
                                    variables={"fn": "orders"})
    reads: list[str] = []

    def record(model: Any, **_: Any) -> None:
        reads.append(model.name)

    result = asyncgw("status", api_id, "--output", "json", lambda_failure=record)
    assert result.code == 0, result.err
    assert reads.count("GetFunctionConfiguration") == 1
    assert reads.count("GetFunctionEventInvokeConfig") == 1
    data = json.loads(result.out)
    [side] = data["functions"]
    assert (side["function"], side["stageVariableExpression"], side["stages"],
            side["failedEventsKept"]) == (arn, expression, ["prod"], False)
    warnings = {m["path"]: m["warnings"] for m in data["methods"]}
    [direct] = warnings["/a"]
    assert direct.startswith("failed async events are dropped: orders has no on-failure")
    assert direct.endswith(f"asyncgw enable-async {api_id} -m 'POST /a' --on-failure ARN")
    [staged] = warnings["/b"]
    assert staged.startswith("failed async events are dropped: orders (stage prod) has no")
    assert f"put-function-event-invoke-config --function-name {arn} " in staged

    table = asyncgw("status", api_id)
    assert table.code == 0, table.err
    rows = [line for line in table.out.splitlines() if line.startswith("orders")]
    assert len(rows) == 1 and rows[0].split()[:2] == ["orders", "2"], table.out

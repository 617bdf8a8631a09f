"""The function side of real definitions: alias-qualified ARNs and stage-variable names."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asyncgw_sandbox.seed import Clients, ensure_function

from tests.cli.runner import asyncgw
from tests.corpus import definitions

FAILED = "arn:aws:sqs:us-east-1:123456789012:failed-events"


def _import(account: Clients, name: str) -> str:
    api_id: str = account.apigateway.import_rest_api(body=definitions.load(name).body)["id"]
    return api_id


def _functions(api_id: str, *extra: str) -> list[dict[str, Any]]:
    result = asyncgw("status", api_id, "--output", "json", *extra)
    assert result.code == 0, result.err
    functions: list[dict[str, Any]] = json.loads(result.out)["functions"]
    return functions


def test_an_alias_qualified_function_is_read_and_configured_on_its_alias(
        account: Clients) -> None:
    api_id = _import(account, "govuk-one-login__account-interventions-service__main-spec.yaml")
    arn = ensure_function(account, "StatusRetrieverFunction")
    version = account.lambda_.publish_version(FunctionName="StatusRetrieverFunction")
    account.lambda_.create_alias(FunctionName="StatusRetrieverFunction", Name="live",
                                 FunctionVersion=version["Version"])

    done = asyncgw("enable-async", api_id, "-m", "GET /v1/ais/{userId}", "--convert-proxy",
                   "--on-failure", FAILED, "--no-deploy", "--yes")
    assert done.code == 0, done.err

    on_alias = account.lambda_.get_function_event_invoke_config(
        FunctionName="StatusRetrieverFunction", Qualifier="live")
    assert on_alias["DestinationConfig"]["OnFailure"]["Destination"] == FAILED
    with pytest.raises(account.lambda_.exceptions.ResourceNotFoundException):
        account.lambda_.get_function_event_invoke_config(FunctionName="StatusRetrieverFunction")
    [side] = _functions(api_id)
    assert (side["function"], side["error"], side["onFailure"], side["failedEventsKept"]) == (
        f"{arn}:live", None, FAILED, True)
    text = asyncgw("status", api_id)
    assert "StatusRetrieverFunction:live" in text.out


def test_a_stage_variable_function_is_resolved_per_stage(account: Clients) -> None:
    api_id = _import(account, "awslabs__aws-api-gateway-developer-portal__dev-portal-api.yaml")
    arn = ensure_function(account, "DevPortalFn")
    account.lambda_.put_function_event_invoke_config(
        FunctionName="DevPortalFn", DestinationConfig={"OnFailure": {"Destination": FAILED}})
    deployment = account.apigateway.create_deployment(restApiId=api_id)["id"]
    account.apigateway.create_stage(restApiId=api_id, stageName="prod",
                                    deploymentId=deployment,
                                    variables={"DevPortalFunctionName": "DevPortalFn"})
    account.apigateway.create_stage(restApiId=api_id, stageName="dev", deploymentId=deployment)
    done = asyncgw("enable-async", api_id, "-m", "POST /feedback", "--convert-proxy",
                   "--no-deploy", "--yes")
    assert done.code == 0, done.err
    expression = ("arn:aws:lambda:us-east-1:123456789012:function:"
                  "${stageVariables.DevPortalFunctionName}")

    resolved, unset = _functions(api_id)
    assert (resolved["function"], resolved["stageVariableExpression"], resolved["stages"],
            resolved["error"], resolved["onFailure"]) == (arn, expression, ["prod"], None, FAILED)
    assert (unset["function"], unset["stages"], unset["error"]) == (
        expression, ["dev"],
        "depends on stage variable DevPortalFunctionName: stage dev does not set it")

    [only] = _functions(api_id, "--stage", "prod")
    assert only["function"] == arn
    text = asyncgw("status", api_id, "--stage", "prod")
    assert "DevPortalFn (stage prod)" in text.out

    account.lambda_.delete_function_event_invoke_config(FunctionName="DevPortalFn")
    text = asyncgw("status", api_id, "--stage", "prod")
    shown = " ".join(text.out.split())
    assert ("failed async events are dropped: DevPortalFn (stage prod) has no on-failure "
            "destination") in shown
    assert f"put-function-event-invoke-config --function-name {arn} " in shown


def test_a_stage_variable_no_stage_sets_is_reported_as_such(account: Clients) -> None:
    api_id = _import(account, "awslabs__aws-api-gateway-developer-portal__dev-portal-api.yaml")
    done = asyncgw("enable-async", api_id, "-m", "POST /feedback", "--convert-proxy",
                   "--no-deploy", "--yes")
    assert done.code == 0, done.err
    [side] = _functions(api_id)
    assert side["error"] == "depends on stage variable DevPortalFunctionName: no stage sets it"
    text = asyncgw("status", api_id)
    assert "depends on stage variable DevPortalFunctionName" in text.out

"""The CLI in process against the emulated account: output, exit codes and one-line errors."""

from __future__ import annotations

import json

import pytest
from asyncgw_sandbox.seed import Clients, SeededApi

from tests.cli.runner import asyncgw
from tests.support.state import full_state


def test_status_table(orders: SeededApi) -> None:
    result = asyncgw("status", "orders")
    assert result.code == 0, result.err
    assert f"orders ({orders.api_id}) in us-east-1" in result.out
    assert "POST /orders/{id}/refund" in result.out
    assert "InvocationType header is optional" in result.out


def test_status_json(orders: SeededApi) -> None:
    result = asyncgw("status", orders.api_id, "--output", "json")
    data = json.loads(result.out)
    assert data["api"]["id"] == orders.api_id
    assert {s["name"] for s in data["stages"]} == {"dev", "prod"}
    modes = {f"{m['httpMethod']} {m['path']}": m["mode"] for m in data["methods"]}
    assert modes["POST /orders"] == "async"
    assert modes["ANY /webhooks"] == "not-eligible"


def test_status_with_unknown_stage(orders: SeededApi) -> None:
    result = asyncgw("status", "orders", "--stage", "qa")
    assert result.code == 2
    assert "no stage 'qa'" in result.err and "dev, prod" in result.err


def test_dry_run_prints_the_diff_and_changes_nothing(
    orders: SeededApi, account: Clients
) -> None:
    before = full_state(account.apigateway, orders.api_id)
    result = asyncgw("enable-switchable", "orders", "-m", "GET /orders", "--stage", "prod",
                     "--dry-run")
    assert result.code == 0, result.err
    assert "~ GET /orders  method request" in result.out
    assert "+ method.request.header.InvocationType = required" in result.out
    assert "1 method to change, 1 deployment to stage prod." in result.out
    assert full_state(account.apigateway, orders.api_id) == before


def test_without_terminal_or_yes_nothing_changes(orders: SeededApi, account: Clients) -> None:
    before = full_state(account.apigateway, orders.api_id)
    result = asyncgw("enable-async", "orders", "-m", "GET /orders", "--stage", "prod")
    assert result.code == 2
    assert "pass --yes" not in result.out
    assert "no terminal to confirm on and no --yes: nothing was changed" in result.err
    assert full_state(account.apigateway, orders.api_id) == before


def test_apply_with_yes_reports_what_is_live(orders: SeededApi) -> None:
    result = asyncgw("enable-async", "orders", "-m", "GET /orders", "--stage", "prod", "--yes")
    assert result.code == 0, result.err
    assert "Done: 1 method now async, live on stage prod" in result.out
    again = asyncgw("enable-async", "orders", "-m", "GET /orders", "--stage", "prod", "--yes")
    assert again.code == 0
    assert "Nothing to do" in again.out


def test_apply_json_output_is_one_object(orders: SeededApi) -> None:
    result = asyncgw("disable", "orders", "-m", "POST /orders", "--stage", "dev", "--yes",
                     "--output", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["applied"] is True
    assert data["deploymentId"]
    assert data["steps"][0]["ops"] == [{
        "op": "remove",
        "path": "/requestParameters/integration.request.header.X-Amz-Invocation-Type"}]


def test_redeploy_creates_a_deployment_with_a_description(
    orders: SeededApi, account: Clients
) -> None:
    result = asyncgw("redeploy", "orders", "--stage", "dev", "--description", "after fix",
                     "--yes")
    assert result.code == 0, result.err
    stage = account.apigateway.get_stage(restApiId=orders.api_id, stageName="dev")
    deployment = account.apigateway.get_deployment(restApiId=orders.api_id,
                                                   deploymentId=stage["deploymentId"])
    assert deployment["description"] == "after fix"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "nope"], "no REST API with id or name 'nope' in us-east-1"),
        (["enable-async", "orders", "-m", "GET /orders"], "has 2 stages (dev, prod)"),
        (["enable-async", "orders", "-m", "GET /orders", "--stage", "prod", "--no-deploy"],
         "--stage and --no-deploy contradict each other"),
        (["enable-async", "orders", "--stage", "prod"], "choose methods with -m"),
        (["enable-async", "orders", "--all", "-m", "GET /orders"], "choose methods with -m"),
        (["enable-async", "orders", "-m", "GET /nope", "--stage", "prod"],
         "no method matches 'GET /nope'"),
        (["enable-async", "orders", "-m", "ANY /webhooks", "--stage", "prod"],
         "ANY /webhooks is not eligible: Lambda proxy integration"),
        (["enable-async", "orders", "-m", "GET /health", "--stage", "prod"],
         "GET /health is not eligible: MOCK integration"),
        (["enable-async", "orders", "-m", "FETCH /orders", "--stage", "prod"], "unknown verb"),
        (["redeploy", "orders", "--stage", "qa"], "no stage 'qa'"),
        (["status", "orders", "--output", "yaml"], "Invalid value for '--output'"),
    ],
)
def test_bad_input_is_one_line_with_exit_2(
    orders: SeededApi, account: Clients, args: list[str], message: str
) -> None:
    before = full_state(account.apigateway, orders.api_id)
    result = asyncgw(*args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err + result.out
    assert full_state(account.apigateway, orders.api_id) == before


def test_export_prints_the_change_in_the_chosen_language(orders: SeededApi) -> None:
    result = asyncgw("export", "orders", "-m", "GET /orders", "--mode", "async",
                     "--format", "cloudformation")
    assert result.code == 0, result.err
    assert "integration.request.header.X-Amz-Invocation-Type: \"'Event'\"" in result.out
    as_json = asyncgw("export", "orders", "-m", "GET /orders", "--mode", "switchable",
                      "--format", "terraform", "--output", "json")
    data = json.loads(as_json.out)
    assert data["format"] == "terraform"
    assert data["methods"][0]["requestParameters"]["method.request.header.InvocationType"]


def test_export_format_choices_are_the_exporters_formats() -> None:
    from asyncgw.cli.commands.export import EXPORT_FORMATS
    from asyncgw.export import FORMAT_NAMES

    assert EXPORT_FORMATS == FORMAT_NAMES


def test_iam_policy_needs_no_aws_and_names_the_api() -> None:
    result = asyncgw("iam-policy", "a1b2c3d4e5", "--region", "eu-west-1")
    assert result.code == 0, result.err
    policy = json.loads(result.out)
    resources = [r for statement in policy["Statement"] for r in statement["Resource"]]
    assert "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5" in resources


def test_status_makes_the_minimum_of_calls(orders: SeededApi) -> None:
    calls: list[str] = []
    assert asyncgw("status", orders.api_id, calls=calls).code == 0
    # Four reads of the API, then one export per stage to tell what each serves.
    assert calls == ["GetRestApi", "GetResources", "GetRequestValidators", "GetStages",
                     "GetExport", "GetExport"]
    calls.clear()
    assert asyncgw("status", "orders", "--stage", "prod", calls=calls).code == 0
    assert calls == ["GetRestApis", "GetResources", "GetRequestValidators", "GetStages",
                     "GetExport"]


def test_an_apply_reads_three_times_and_writes_once_per_change(orders: SeededApi) -> None:
    calls: list[str] = []
    result = asyncgw("enable-async", orders.api_id, "-m", "GET /orders", "--stage", "prod",
                     "--yes", calls=calls)
    assert result.code == 0, result.err
    assert calls == [
        "GetRestApi", "GetResources", "GetRequestValidators", "GetStages",  # plan
        "GetResources", "GetRequestValidators", "GetStages",  # freshness check
        "UpdateIntegration",
        "GetResources", "GetRequestValidators", "GetStages",  # verify by re-planning
        "CreateDeployment", "GetStage",
    ]


def test_iam_policy_rest_only_leaves_out_the_forwarder_statements() -> None:
    full = json.loads(asyncgw("iam-policy").out)
    rest = json.loads(asyncgw("iam-policy", "--rest-only").out)
    assert any(s["Sid"].startswith("AsyncgwHttp") for s in full["Statement"])
    assert not any(s["Sid"].startswith("AsyncgwHttp") for s in rest["Statement"])
    assert not any("iam:" in str(s["Action"]) for s in rest["Statement"])
    # REST APIs read (and with --on-failure set) the async configuration of their targets,
    # but never create, delete or grant anything in Lambda.
    lambda_actions = {a for s in rest["Statement"] if "lambda:" in str(s["Action"])
                      for a in s["Action"]}
    assert lambda_actions == {
        "lambda:GetFunctionConfiguration", "lambda:GetFunctionEventInvokeConfig",
        "lambda:GetFunctionConcurrency", "lambda:PutFunctionEventInvokeConfig",
        "lambda:UpdateFunctionEventInvokeConfig", "lambda:DeleteFunctionEventInvokeConfig"}

"""The installed CLI's reads on LocalStack: status, dry runs, verify, export and bad input."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import hcl2
import pytest
from asyncgw_sandbox.seed import SeededApi
from botocore.exceptions import ClientError
from cfnlint.decode.cfn_yaml import loads

from tests.localstack.cli import asyncgw, asyncgw_json, aws, client, gateway_read
from tests.localstack.runtime import LocalStack
from tests.localstack.seed import orders

# Each method as the seed builds it: TYPE, FUNCTION, MODE, CHECKS.
SEEDED = {
    "GET /catalog": ("HTTP", "-", "not-eligible", "-"),
    "GET /health": ("MOCK", "-", "not-eligible", "-"),
    "GET /orders": ("AWS", "orders-api", "sync", "-"),
    "POST /orders": ("AWS", "orders-jobs", "async", "body"),
    "DELETE /orders/{id}": ("AWS", "orders-api", "sync", "-"),
    "GET /orders/{id}": ("AWS", "orders-api", "sync", "-"),
    "PUT /orders/{id}": ("AWS", "orders-api", "sync", "body"),
    "POST /orders/{id}/refund": ("AWS", "orders-jobs", "switchable", "params"),
    "POST /orders/{id}/ship": ("AWS", "orders-jobs", "switchable", "-"),
    "ANY /webhooks": ("AWS_PROXY", "orders-webhooks", "not-eligible", "-"),
}
MAPPING = "integration.request.header.X-Amz-Invocation-Type"
HEADER = "method.request.header.InvocationType"


@pytest.fixture(scope="module")
def api(localstack: LocalStack) -> Iterator[SeededApi]:
    seeded = orders(localstack)
    yield seeded
    client(localstack, "apigateway").delete_rest_api(restApiId=seeded.api_id)


def _rows(table: str) -> dict[str, list[str]]:
    """The method rows of the status table, each split into its columns."""
    rows = {}
    for line in table.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) >= 5 and re.match(r"^[A-Z]+ /", cells[0]):
            rows[cells[0]] = cells[1:]
    return rows


def _methods_by_the_aws_cli(localstack: LocalStack, api: SeededApi) -> dict[str, Any]:
    """'VERB /path' -> the method, in one GetResources call of the AWS CLI."""
    resources = aws(localstack, "get-resources", "--rest-api-id", api.api_id, "--embed",
                    "methods", "--limit", "500")["items"]
    return {f"{verb} {r['path']}": method for r in resources
            for verb, method in r.get("resourceMethods", {}).items()}


def _method_by_boto3(localstack: LocalStack, api: SeededApi, key: str) -> dict[str, Any]:
    verb, path = key.split(" ", 1)
    return gateway_read(localstack, "get_method", restApiId=api.api_id,
                        resourceId=api.resource_ids[path], httpMethod=verb)


def _mode_as_read(method: dict[str, Any]) -> str:
    """The mode, worked out here from GetMethod alone (the rules of the design's mode table)."""
    integration = method.get("methodIntegration", {})
    if integration.get("type") != "AWS" or ":lambda:path/" not in integration.get("uri", ""):
        return "not-eligible"
    source = (integration.get("requestParameters") or {}).get(MAPPING)
    return {"'Event'": "async", HEADER: "switchable"}.get(source, "sync")


def _checks_as_read(validators: dict[str, Any], method: dict[str, Any]) -> str:
    if "requestValidatorId" not in method:
        return "-"
    validator = validators[method["requestValidatorId"]]
    flags = [name for key, name in (("validateRequestParameters", "params"),
                                    ("validateRequestBody", "body")) if validator[key]]
    return "+".join(flags) or "nothing"


def _everything(localstack: LocalStack, api: SeededApi) -> dict[str, Any]:
    """Every part of the API a change could touch, and the function's event configuration."""
    gateway = client(localstack, "apigateway")
    read = {
        "resources": gateway.get_resources(restApiId=api.api_id, embed=["methods"], limit=500),
        "stages": gateway.get_stages(restApiId=api.api_id),
        "deployments": gateway.get_deployments(restApiId=api.api_id, limit=500),
        "validators": gateway.get_request_validators(restApiId=api.api_id, limit=500),
        "event configs": client(localstack, "lambda").list_function_event_invoke_configs(
            FunctionName="orders-jobs"),
    }
    for answer in read.values():
        answer.pop("ResponseMetadata", None)
    return read


def test_status_table_shows_each_method_as_the_seed_built_it(
    localstack: LocalStack, api: SeededApi
) -> None:
    done = asyncgw(localstack, "status", api.api_id)
    assert done.returncode == 0, done.stderr
    rows = _rows(done.stdout)
    assert {key: tuple(cells[:4]) for key, cells in rows.items()} == SEEDED
    methods = _methods_by_the_aws_cli(localstack, api)
    validators = {v["id"]: v for v in aws(localstack, "get-request-validators", "--rest-api-id",
                                          api.api_id)["items"]}
    assert set(methods) == set(SEEDED)
    for key, (kind, function, mode, checks) in SEEDED.items():
        method = methods[key]
        assert method["methodIntegration"]["type"] == kind
        uri = method["methodIntegration"].get("uri", "")
        assert function == "-" or uri.endswith(f":function:{function}/invocations")
        assert _mode_as_read(method) == mode
        assert _checks_as_read(validators, method) == checks
    assert f"orders ({api.api_id}) in us-east-1" in done.stdout
    assert "10 methods: 1 async, 2 switchable, 4 sync, 3 not-eligible" in done.stdout
    assert "POST /orders/{id}/ship: InvocationType header is optional" in done.stdout


def test_status_json_agrees_with_get_method(localstack: LocalStack, api: SeededApi) -> None:
    report = asyncgw_json(localstack, "status", api.api_id)
    assert report["api"] == {"id": api.api_id, "name": "orders", "region": "us-east-1",
                             "tags": {"team": "orders"}, "stack": None}
    stages = gateway_read(localstack, "get_stages", restApiId=api.api_id)["item"]
    assert {(s["name"], s["deploymentId"]) for s in report["stages"]} == {
        (s["stageName"], s["deploymentId"]) for s in stages}
    assert {f"{m['httpMethod']} {m['path']}": m["mode"] for m in report["methods"]} == {
        key: mode for key, (_, _, mode, _) in SEEDED.items()}
    for item in report["methods"]:
        key = f"{item['httpMethod']} {item['path']}"
        method = _method_by_boto3(localstack, api, key)
        integration = method["methodIntegration"]
        invokes = ":lambda:path/" in integration.get("uri", "")
        assert item["resourceId"] == api.resource_ids[item["path"]]
        assert item["integrationType"] == integration["type"]
        assert item["function"] == (api.functions[SEEDED[key][1]] if invokes else None)
        assert (item["validator"] or {}).get("id") == method.get("requestValidatorId")
        declared = (method.get("requestParameters") or {}).get(HEADER)
        assert item["invocationTypeHeader"] == (
            None if declared is None else "required" if declared else "optional")
        assert (item["reason"] is None) == (item["mode"] != "not-eligible")
    assert {f"{m['httpMethod']} {m['path']}": m["invocationTypeHeader"]
            for m in report["methods"] if m["invocationTypeHeader"]} == {
        "POST /orders/{id}/refund": "required", "POST /orders/{id}/ship": "optional"}


def test_status_says_what_stages_serve_is_unknown_when_getexport_fails(
    localstack: LocalStack, api: SeededApi
) -> None:
    """LocalStack cannot export an API with an ANY method (AWS can): status shows '?', exit 0."""
    with pytest.raises(ClientError) as refused:
        client(localstack, "apigateway").get_export(
            restApiId=api.api_id, stageName="prod", exportType="oas30",
            parameters={"extensions": "apigateway"})
    assert "One or more HTTP methods are invalid: any" in str(refused.value)
    done = asyncgw(localstack, "status", api.api_id)
    assert done.returncode == 0, done.stderr
    assert {tuple(cells[4:]) for cells in _rows(done.stdout).values()} == {("?", "?")}
    assert "stage prod: cannot tell what it serves (GetExport failed: InternalError:" in (
        done.stdout)
    report = asyncgw_json(localstack, "status", api.api_id)
    assert all(set(m["deployed"].values()) == {None} for m in report["methods"])
    assert all(s["exportError"].startswith("GetExport failed") for s in report["stages"])


@pytest.mark.parametrize("command", [
    ("enable-switchable", "-m", "GET /orders", "-m", "PUT /orders/{id}", "--stage", "prod"),
    ("enable-async", "-m", "POST /orders/{id}/*", "--stage", "dev", "--max-retries", "1"),
    ("disable", "-m", "POST /orders", "--stage", "prod"),
    ("redeploy", "--stage", "dev"),
])
def test_a_dry_run_prints_the_plan_and_changes_nothing(
    localstack: LocalStack, api: SeededApi, command: tuple[str, ...]
) -> None:
    before = _everything(localstack, api)
    done = asyncgw(localstack, command[0], api.api_id, *command[1:], "--dry-run")
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("Dry run: nothing was changed. Run the same command "
                                         "without --dry-run to apply.")
    stage = command[command.index("--stage") + 1]
    deployed = next(s["deploymentId"] for s in before["stages"]["item"]
                    if s["stageName"] == stage)
    assert f"deployment of stage {stage}, replacing {deployed}" in done.stdout
    assert _everything(localstack, api) == before


def test_a_dry_run_shows_each_change_of_a_method(localstack: LocalStack, api: SeededApi) -> None:
    done = asyncgw(localstack, "enable-switchable", api.api_id, "-m", "PUT /orders/{id}",
                   "--stage", "prod", "--dry-run")
    assert done.returncode == 0, done.stderr
    lines = [line.strip() for line in done.stdout.splitlines()]
    assert "+ method.request.header.InvocationType = required" in lines
    assert "+ integration.request.header.X-Amz-Invocation-Type = " \
           "method.request.header.InvocationType" in lines
    assert "+ validator 'Validate body, query string parameters, and headers' (validates body " \
           "and parameters)" in lines
    assert f"~ requestValidator: Validate body ({api.validators['Validate body']}) -> Validate " \
           "body, query string parameters, and headers (new)" in lines
    assert "1 method to change, 1 validator to create, 1 deployment to stage prod." in lines


def test_verify_reaches_lambda_but_cannot_prove_a_function_that_cannot_run(
    localstack: LocalStack, api: SeededApi
) -> None:
    """Stops short: without Docker LocalStack's functions end Failed, so no DryRun answers 204.

    What is asserted: the DryRun reaches Lambda through the mapping (TestInvokeMethod's log
    shows the header LocalStack sent, and Lambda's 409), and asyncgw reports that as a failed
    check (exit 1), never as proven.
    """
    state = client(localstack, "lambda").get_function_configuration(FunctionName="orders-jobs")
    assert state["State"] == "Failed"
    resource = api.resource_ids["/orders/{id}/refund"]
    tested = client(localstack, "apigateway").test_invoke_method(
        restApiId=api.api_id, resourceId=resource, httpMethod="POST",
        pathWithQueryString="/orders/1/refund", headers={"InvocationType": "DryRun"}, body="{}")
    assert "X-Amz-Invocation-Type=DryRun" in tested["log"]
    assert "Received response. Status: 409" in tested["log"]
    assert "currently in the following state: Failed" in tested["body"]

    done = asyncgw(localstack, "verify", api.api_id, "-m", "POST /orders/{id}/*", "--stage",
                   "prod")
    assert done.returncode == 1, done.stderr
    assert "FAILED  POST /orders/{id}/refund (switchable)" in done.stdout
    assert "0 proven, 2 failed, 0 not tried." in done.stdout
    report = json.loads(asyncgw(localstack, "verify", api.api_id, "-m", "POST /orders/{id}/*",
                                "--output", "json").stdout)
    assert [(m["method"], m["invocationType"], m["proven"], m["lambdaStatus"])
            for m in report["methods"]] == [
        ("POST /orders/{id}/refund", "DryRun", False, 409),
        ("POST /orders/{id}/ship", "DryRun", False, 409)]
    assert {m["detail"] for m in report["methods"]} == {
        "Lambda answered 409, not 204: The operation cannot be performed at this time. The "
        "function is currently in the following state: Failed"}


def test_verify_tries_an_async_method_only_with_invoke(
    localstack: LocalStack, api: SeededApi
) -> None:
    """Stops short as above: the Event reaches Lambda, which answers 409 instead of 202."""
    skipped = asyncgw(localstack, "verify", api.api_id, "-m", "POST /orders", "-m",
                      "GET /orders", "--output", "json")
    assert skipped.returncode == 0, skipped.stderr
    assert [(m["method"], m["proven"], m["invocationType"])
            for m in json.loads(skipped.stdout)["methods"]] == [
        ("GET /orders", None, None), ("POST /orders", None, None)]
    refused = asyncgw(localstack, "verify", api.api_id, "-m", "POST /orders", "--invoke")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1] == (
        "Error: --invoke without a terminal needs --yes; nothing was invoked")
    invoked = asyncgw(localstack, "verify", api.api_id, "-m", "POST /orders", "--invoke",
                      "--yes", "--output", "json")
    assert invoked.returncode == 1, invoked.stderr
    [check] = json.loads(invoked.stdout)["methods"]
    assert (check["invocationType"], check["proven"], check["lambdaStatus"]) == (
        "Event", False, 409)


def test_export_openapi_imports_into_an_api_that_status_calls_switchable(
    localstack: LocalStack, api: SeededApi
) -> None:
    done = asyncgw(localstack, "export", api.api_id, "-m", "GET /orders", "-m",
                   "PUT /orders/{id}", "--mode", "switchable", "--format", "openapi")
    assert done.returncode == 0, done.stderr
    assert asyncgw_json(localstack, "status", "orders")["api"]["id"] == api.api_id
    gateway = client(localstack, "apigateway")
    imported = gateway.import_rest_api(body=done.stdout.encode())["id"]
    try:
        # The import is named orders too: the name no longer tells them apart.
        ambiguous = asyncgw(localstack, "status", "orders")
        assert ambiguous.returncode == 2
        assert ambiguous.stderr.startswith("Error: 2 REST APIs are named 'orders' (")
        assert api.api_id in ambiguous.stderr and imported in ambiguous.stderr
        assert ambiguous.stderr.rstrip().endswith("); pass the id instead")
        report = asyncgw_json(localstack, "status", imported)
        assert {(f"{m['httpMethod']} {m['path']}", m["mode"], m["function"])
                for m in report["methods"]} == {
            ("GET /orders", "switchable", api.functions["orders-api"]),
            ("PUT /orders/{id}", "switchable", api.functions["orders-api"])}
        resources = {r["path"]: r["id"] for r in gateway.get_resources(
            restApiId=imported, limit=500)["items"]}
        put = gateway.get_method(restApiId=imported, resourceId=resources["/orders/{id}"],
                                 httpMethod="PUT")
        assert put["requestParameters"] == {HEADER: True, "method.request.path.id": True}
        validator = gateway.get_request_validator(restApiId=imported,
                                                  requestValidatorId=put["requestValidatorId"])
        assert (validator["validateRequestBody"], validator["validateRequestParameters"]) == (
            True, True)
        assert put["methodIntegration"]["requestParameters"] == {MAPPING: HEADER}
    finally:
        gateway.delete_rest_api(restApiId=imported)


def test_export_cloudformation_restates_the_method_with_the_change(
    localstack: LocalStack, api: SeededApi
) -> None:
    done = asyncgw(localstack, "export", api.api_id, "-m", "GET /orders", "--mode", "async",
                   "--format", "cloudformation")
    assert done.returncode == 0, done.stderr
    resources = loads(done.stdout)["Resources"]
    [method] = [r["Properties"] for r in resources.values()
                if r["Type"] == "AWS::ApiGateway::Method"]
    live = _method_by_boto3(localstack, api, "GET /orders")
    assert method["HttpMethod"] == "GET"
    assert method["RequestParameters"] == live["requestParameters"]
    assert method["Integration"]["Uri"] == live["methodIntegration"]["uri"]
    assert method["Integration"]["RequestParameters"] == {MAPPING: "'Event'"}
    assert [r["Properties"]["StageName"] for r in resources.values()
            if r["Type"] == "AWS::ApiGateway::Stage"] == ["dev", "prod"]


def test_export_terraform_restates_the_method_with_the_change(
    localstack: LocalStack, api: SeededApi
) -> None:
    done = asyncgw(localstack, "export", api.api_id, "-m", "POST /orders/{id}/ship", "--mode",
                   "switchable", "--format", "terraform")
    assert done.returncode == 0, done.stderr
    tree = hcl2.loads(done.stdout, serialization_options=hcl2.SerializationOptions(
        strip_string_quotes=True))
    found = {kind: body for block in tree["resource"] for kind, named in block.items()
             for body in named.values()}
    live = _method_by_boto3(localstack, api, "POST /orders/{id}/ship")
    assert found["aws_api_gateway_method"]["request_parameters"] == {
        "method.request.path.id": True, HEADER: True}
    assert found["aws_api_gateway_integration"]["uri"] == live["methodIntegration"]["uri"]
    assert found["aws_api_gateway_integration"]["request_parameters"] == {MAPPING: HEADER}
    validator = found["aws_api_gateway_request_validator"]
    assert (validator["validate_request_body"], validator["validate_request_parameters"]) == (
        False, True)


@pytest.mark.parametrize(("args", "message"), [
    (("status", "0123456789"), "Error: no REST API with id or name '0123456789' in us-east-1"),
    (("status", "no-such-api"), "Error: no REST API with id or name 'no-such-api' in us-east-1"),
    (("status", "{id}", "--stage", "nosuch"), "Error: no stage 'nosuch' in API {id} "
                                             "(stages: dev, prod)"),
    (("redeploy", "{id}", "--stage", "nosuch", "--yes"), "Error: no stage 'nosuch' in API {id}"),
    (("verify", "{id}", "-m", "GET /orders", "--stage", "nosuch"), "Error: no stage 'nosuch'"),
    (("enable-async", "{id}", "-m", "GET /nope", "--stage", "prod", "--yes"),
     "Error: no method matches 'GET /nope' in orders"),
    (("enable-async", "{id}", "-m", "ANY /webhooks", "--stage", "prod", "--yes"),
     "Error: ANY /webhooks is not eligible: Lambda proxy integration"),
    (("enable-async", "{id}", "-m", "GET /orders", "--yes"),
     "Error: API {id} has 2 stages (dev, prod); choose one with --stage, or pass --no-deploy"),
    (("enable-async", "{id}", "-m", "GET /orders", "--stage", "prod"),
     "Error: no terminal to confirm"),
    (("export", "0123456789", "--all", "--mode", "async", "--format", "terraform"),
     "Error: no REST API with id or name '0123456789'"),
    (("enable-async", "{id}", "-m", "POST /orders", "--stage", "prod", "--max-retries", "7",
      "--yes"), "Error: --max-retries 7: Lambda allows 0, 1 or 2"),
])
def test_bad_input_is_one_line_with_exit_2_and_changes_nothing(
    localstack: LocalStack, api: SeededApi, args: tuple[str, ...], message: str
) -> None:
    before = _everything(localstack, api)
    done = asyncgw(localstack, *(a.replace("{id}", api.api_id) for a in args))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(message.replace("{id}", api.api_id)), done.stderr
    assert _everything(localstack, api) == before


def test_an_endpoint_where_nothing_listens_is_a_setup_error(
    localstack: LocalStack, api: SeededApi
) -> None:
    done = asyncgw(localstack, "status", api.api_id, endpoint_url="http://127.0.0.1:9")
    assert done.returncode == 2
    assert done.stderr == (f"Error: cannot reach http://127.0.0.1:9/restapis/{api.api_id}: "
                           "check --endpoint-url, --region and your network\n")

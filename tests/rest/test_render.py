"""Text and JSON renderings of status and plans."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from asyncgw.core.modes import Mode
from asyncgw.rest import render
from asyncgw.rest.planner import plan
from asyncgw.rest.selection import select
from asyncgw.rest.snapshot import Integration, IntegrationResponse
from tests.support.rest_builders import (
    asynchronous,
    lambda_integration,
    method,
    snapshot,
    switchable,
)


def text(renderable) -> str:
    console = Console(record=True, width=120, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


API = snapshot([
    method("POST /orders"),
    asynchronous("POST /webhooks"),
    switchable("POST /jobs"),
    method("ANY /{proxy+}", integration=lambda_integration(type_="AWS_PROXY")),
    method("GET /health", integration=Integration(type="MOCK")),
])


def test_status_lists_every_method_with_its_mode() -> None:
    out = text(render.status(API))
    assert "orders (abcde12345) in us-east-1" in out
    assert "stage prod: deployment d1" in out
    rows = {line.split()[1]: line.split() for line in out.splitlines()
            if line.strip().startswith(("POST", "GET", "ANY"))}
    assert rows["/orders"][2:5] == ["AWS", "orders", "sync"]
    assert rows["/webhooks"][4] == "async"
    assert rows["/jobs"][4] == "switchable"
    assert rows["/{proxy+}"][4] == "not-eligible"
    assert "ANY /{proxy+}: not eligible, Lambda proxy integration" in out


def test_status_json_has_the_documented_fields() -> None:
    data = json.loads(json.dumps(render.status_json(API)))
    assert data["api"] == {"id": "abcde12345", "name": "orders", "region": "us-east-1",
                           "tags": {}, "stack": None}
    assert data["stages"][0]["name"] == "prod"
    assert data["stages"][0]["deploymentId"] == "d1"
    by_key = {f"{m['httpMethod']} {m['path']}": m for m in data["methods"]}
    assert by_key["POST /jobs"]["mode"] == "switchable"
    assert by_key["POST /jobs"]["invocationTypeHeader"] == "required"
    assert by_key["POST /jobs"]["validator"]["validateRequestParameters"] is True
    assert by_key["POST /orders"]["function"].endswith(":function:orders")
    assert by_key["GET /health"]["reason"] == "MOCK integration, not a Lambda function"
    assert by_key["POST /orders"]["reason"] is None


def test_plan_text_shows_markers_deployment_and_summary() -> None:
    result = plan(API, select(API, [], True), Mode.SWITCHABLE, "prod")
    out = text(render.plan(result))
    assert "asyncgw will make these changes to orders (abcde12345) in us-east-1:" in out
    assert "~ POST /orders  method request" in out
    assert "+ method.request.header.InvocationType = required" in out
    assert "~ requestValidator: None -> " not in out
    assert "+ requestValidator = Validate query string parameters and headers (v-par)" in out
    assert ("~ integration.request.header.X-Amz-Invocation-Type: 'Event' -> "
            "method.request.header.InvocationType") in out
    assert "= POST /jobs: already switchable" in out
    assert "skipped GET /health: MOCK integration" in out
    assert "+ deployment of stage prod, replacing d1" in out
    assert out.rstrip().endswith("2 methods to change, 1 deployment to stage prod.")


def test_empty_plan_says_nothing_to_do() -> None:
    one = snapshot([asynchronous()])
    out = text(render.plan(plan(one, select(one, [], True), Mode.ASYNC, "prod")))
    assert "No changes to orders" in out
    assert "Nothing to do: no change, no deployment." in out


def test_plan_json_carries_the_wire_operations() -> None:
    result = plan(API, select(API, [], True), Mode.ASYNC, "prod")
    data = render.plan_json(result)
    integration = next(s for s in data["steps"]
                       if s["kind"] == "patch-integration" and s["path"] == "/orders")
    assert integration["ops"] == [{
        "op": "add", "path": "/requestParameters/integration.request.header.X-Amz-Invocation-Type",
        "value": "'Event'"}]
    assert integration["undo"] == [{
        "op": "remove",
        "path": "/requestParameters/integration.request.header.X-Amz-Invocation-Type"}]
    assert data["deployment"]["stage"] == "prod"
    assert data["summary"] == "2 methods to change, 1 deployment to stage prod."


@pytest.mark.parametrize(("respond_202", "label"), [(False, "empty 200 for async calls"),
                                                   (True, "202 Accepted for async calls")])
def test_a_converted_proxys_new_200_response_is_shown_as_created(
    respond_202: bool, label: str
) -> None:
    proxy = lambda_integration(type_="AWS_PROXY").model_copy(update={"integration_responses": {
        "200": IntegrationResponse(status_code="200",
                                   response_templates={"application/json": "$input.body"})}})
    one = snapshot([method("POST /hooks", integration=proxy)])
    result = plan(one, select(one, [], True, convert_proxy=True), Mode.ASYNC, "prod",
                  respond_202=respond_202)
    lines = [line.strip() for line in text(render.plan(result)).splitlines()]
    kept = lines.index("- POST /hooks  integration response 200")
    created = lines.index("+ POST /hooks  integration response 200")
    assert kept < created
    assert lines[created + 1] == f"+ responseTemplates = {label}"
    assert not any("previous" in line for line in lines)


def test_status_names_the_owning_stack() -> None:
    managed = snapshot([method()], tags={"aws:cloudformation:stack-name": "orders-prod"})
    assert "managed by CloudFormation stack orders-prod" in text(render.status(managed))
    assert render.status_json(managed)["api"]["stack"] == "orders-prod"

"""Reading a stage's export back into modes, and comparing it with the current API."""

from __future__ import annotations

from typing import Any

import pytest

from asyncgw.core.errors import UnexpectedResponse
from asyncgw.core.modes import Mode
from asyncgw.rest import live, render
from asyncgw.rest.snapshot import Stage
from tests.support.rest_builders import LAMBDA_URI, asynchronous, method, snapshot, switchable


def _operation(mapping: str | None, **extra: Any) -> dict[str, Any]:
    # The shape of GetExport(oas30, extensions=apigateway) [REC test_export_oas30_openapi]:
    # lowercase type and passthroughBehavior, requestParameters copied as stored.
    parameters = {"integration.request.header.X-Amz-Invocation-Type": mapping} if mapping else {}
    return {
        "x-amazon-apigateway-integration": {
            "type": "aws", "uri": LAMBDA_URI, "httpMethod": "POST",
            "passthroughBehavior": "when_no_match", "requestParameters": parameters,
        },
        **extra,
    }


EXPORT = {
    "openapi": "3.0.1",
    "x-amazon-apigateway-request-validators": {
        "Validate query string parameters and headers": {
            "validateRequestParameters": True, "validateRequestBody": False},
    },
    "paths": {
        "/orders": {
            "get": _operation(None),
            "post": _operation("'Event'"),
        },
        "/orders/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True}],
            "put": _operation(
                "method.request.header.InvocationType",
                parameters=[{"name": "InvocationType", "in": "header", "required": True}],
                **{"x-amazon-apigateway-request-validator":
                   "Validate query string parameters and headers"}),
            "x-amazon-apigateway-any-method": {"x-amazon-apigateway-integration": {
                "type": "aws_proxy", "uri": LAMBDA_URI, "httpMethod": "POST"}},
        },
    },
}


def test_each_mode_is_read_back_from_the_documented_export_shape() -> None:
    current = snapshot([method("GET /orders")])
    served = live.served("prod", EXPORT, current)
    assert served.modes == {
        "GET /orders": Mode.SYNC,
        "POST /orders": Mode.ASYNC,
        "PUT /orders/{id}": Mode.SWITCHABLE,
        "ANY /orders/{id}": Mode.NOT_ELIGIBLE,
    }


def test_a_required_header_without_a_validator_is_not_switchable_on_the_stage() -> None:
    export = {"paths": {"/orders": {"post": _operation(
        "method.request.header.InvocationType",
        parameters=[{"name": "InvocationType", "in": "header", "required": True}])}}}
    served = live.served("prod", export, snapshot([]))
    assert served.modes == {"POST /orders": Mode.SWITCHABLE}  # the mode it does, half-done
    assert not served.differs("POST /orders", Mode.SWITCHABLE)


def test_status_marks_a_method_whose_stage_serves_another_mode() -> None:
    current = snapshot([asynchronous("POST /orders"), switchable("PUT /orders/{id}"),
                        method("GET /orders")])
    served = [live.served("prod", EXPORT, current),
              live.served("dev", {"paths": {}}, current)]
    data = render.status_json(current, served)
    by_key = {f"{m['httpMethod']} {m['path']}": m for m in data["methods"]}
    assert by_key["POST /orders"]["deployed"] == {"prod": "async", "dev": None}
    assert any("not yet deployed to dev" in w for w in by_key["POST /orders"]["warnings"])
    assert not any("prod" in w for w in by_key["POST /orders"]["warnings"])
    assert by_key["GET /orders"]["warnings"] == []  # sync on both sides is not asyncgw's news


def test_the_fix_for_a_lagging_canary_stage_deploys_into_the_canary_or_ends_it() -> None:
    current = snapshot([asynchronous("POST /orders")], stages=[
        Stage(stage_name="dev", deployment_id="d1", canary_settings={"percentTraffic": 10.0})])
    data = render.status_json(current, [live.served("dev", {"paths": {}}, current)])
    warnings = data["methods"][0]["warnings"]
    assert any(w.endswith("asyncgw promote abcde12345 --stage dev if its canary carries the "
                          "change, else asyncgw redeploy abcde12345 --stage dev --canary "
                          "PERCENT (it has a canary release)") for w in warnings), warnings


def test_a_stage_that_cannot_be_exported_is_unknown_not_different() -> None:
    current = snapshot([asynchronous()])
    broken = live.Served("prod", error="access denied")
    assert not broken.differs("POST /orders", Mode.ASYNC)
    data = render.status_json(current, [broken])
    assert data["stages"][0]["exportError"] == "access denied"
    assert data["methods"][0]["deployed"] == {"prod": None}


_AT = "body.paths./orders.post"


@pytest.mark.parametrize(("operation", "said"), [
    ({"x-amazon-apigateway-integration": "aws"},
     f"{_AT}.x-amazon-apigateway-integration = 'aws', which asyncgw cannot read: not an object"),
    ({"x-amazon-apigateway-integration": {"type": "aws", "requestParameters": {"a": 1}}},
     f"{_AT}.x-amazon-apigateway-integration.requestParameters.a = 1, which asyncgw cannot "
     "read: input should be a valid string"),
    ({"parameters": [{"in": "header"}]}, f"no {_AT}.parameters[0].name, which asyncgw needs"),
    ({"x-amazon-apigateway-request-validator": 3},
     f"{_AT}.x-amazon-apigateway-request-validator = 3, which asyncgw cannot read: "
     "not a string"),
])
def test_an_export_asyncgw_cannot_read_is_named_with_its_field(
    operation: dict[str, Any], said: str
) -> None:
    export = {"paths": {"/orders": {"post": operation}}}
    with pytest.raises(UnexpectedResponse) as refused:
        live.served("prod", export, snapshot([asynchronous()]))
    assert refused.value.message == (f"GetExport returned {said} "
                                     "(re-run with --debug for the traceback)")
    assert refused.value.exit_code == 1

"""The sandbox's PutRestApi keeps what moto's OpenAPI import drops, and moto still drops it."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from asyncgw_sandbox.seed import Clients
from botocore.exceptions import ClientError

URI = ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
       "arn:aws:lambda:us-east-1:123456789012:function:f/invocations")
PARAMS_ONLY = {"validateRequestBody": False, "validateRequestParameters": True}


def operation(**extra: Any) -> dict[str, Any]:
    return {
        "responses": {"200": {"description": "ok"}},
        "x-amazon-apigateway-integration": {
            "type": "aws", "httpMethod": "POST", "uri": URI,
            "responses": {"default": {"statusCode": "200"}},
        },
        **extra,
    }


def document(paths: dict[str, Any], **root: Any) -> str:
    return json.dumps({"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
                       "paths": paths, **root})


def methods(c: Clients, api_id: str) -> dict[str, dict[str, Any]]:
    items = c.apigateway.get_resources(restApiId=api_id, embed=["methods"])["items"]
    return {f"{verb} {item['path']}": body for item in items
            for verb, body in item.get("resourceMethods", {}).items()}


def validator_names(c: Clients, api_id: str) -> dict[str, str]:
    return {v["id"]: v["name"]
            for v in c.apigateway.get_request_validators(restApiId=api_id)["items"]}


def test_validators_parameters_and_any_survive_the_import(account: Clients) -> None:
    api_id = account.apigateway.create_rest_api(name="t")["id"]
    body = document(
        {
            "/jobs/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True}],
                "post": operation(
                    parameters=[{"name": "InvocationType", "in": "header", "required": True},
                                {"name": "dry", "in": "query", "required": False},
                                {"name": "session", "in": "cookie"}],
                    **{"x-amazon-apigateway-request-validator": "body-and-params"}),
                "x-amazon-apigateway-any-method": operation(),
            },
        },
        **{"x-amazon-apigateway-request-validators": {
            "params-only": PARAMS_ONLY,
            "body-and-params": {"validateRequestBody": True, "validateRequestParameters": True},
        }, "x-amazon-apigateway-request-validator": "params-only"},
    )
    account.apigateway.put_rest_api(restApiId=api_id, mode="merge", body=body.encode())
    found = methods(account, api_id)
    assert set(found) == {"POST /jobs/{id}", "ANY /jobs/{id}"}
    names = validator_names(account, api_id)
    assert sorted(names.values()) == ["body-and-params", "params-only"]
    post = found["POST /jobs/{id}"]
    assert post["requestParameters"] == {
        "method.request.path.id": True,
        "method.request.header.InvocationType": True,
        "method.request.querystring.dry": False,
    }
    assert names[post["requestValidatorId"]] == "body-and-params"  # the operation's own
    assert names[found["ANY /jobs/{id}"]["requestValidatorId"]] == "params-only"  # the root's
    assert found["ANY /jobs/{id}"]["methodIntegration"]["type"] == "AWS"


def test_merge_reuses_resources_and_same_named_validators(account: Clients) -> None:
    api_id = account.apigateway.create_rest_api(name="t")["id"]
    validators = {"x-amazon-apigateway-request-validators": {"v": PARAMS_ONLY}}
    first = document({"/a/b": {"get": operation()}, "/": {"get": operation()}}, **validators)
    again = document({"/a/b": {"post": operation()}, "/a": {"put": operation()}},
                     **{"x-amazon-apigateway-request-validators": {
                         "v": {"validateRequestBody": True, "validateRequestParameters": True}}})
    for body in (first, again):
        account.apigateway.put_rest_api(restApiId=api_id, mode="merge", body=body.encode())
    paths = [r["path"] for r in
             account.apigateway.get_resources(restApiId=api_id)["items"]]
    assert sorted(paths) == ["/", "/a", "/a/b"]
    assert set(methods(account, api_id)) == {"GET /", "GET /a/b", "POST /a/b", "PUT /a"}
    (validator,) = account.apigateway.get_request_validators(restApiId=api_id)["items"]
    assert validator["validateRequestBody"] is True


def test_an_unknown_validator_name_is_refused_only_when_warnings_fail(account: Clients) -> None:
    api_id = account.apigateway.create_rest_api(name="t")["id"]
    body = document({"/a": {"get": operation(
        **{"x-amazon-apigateway-request-validator": "missing"})}})
    with pytest.raises(ClientError) as raised:
        account.apigateway.put_rest_api(restApiId=api_id, mode="merge", body=body.encode(),
                                        failOnWarnings=True)
    assert raised.value.response["Error"]["Code"] == "BadRequestException"

    account.apigateway.put_rest_api(restApiId=api_id, mode="merge", body=body.encode())
    resources = account.apigateway.get_resources(restApiId=api_id, embed=["methods"])["items"]
    method = next(r for r in resources if r["path"] == "/a")["resourceMethods"]["GET"]
    assert "requestValidatorId" not in method


def test_unpatched_moto_still_drops_validators_and_parameters() -> None:
    # If this fails, moto's import keeps them itself: compare it with
    # asyncgw_sandbox.import_fixes before deciding which one the tests should use.
    code = f"""
import json, boto3
from moto import mock_aws
body = {document({"/a": {"x-amazon-apigateway-any-method": operation(
    parameters=[{"name": "InvocationType", "in": "header", "required": True}],
    **{"x-amazon-apigateway-request-validator": "v"})}},
    **{"x-amazon-apigateway-request-validators": {"v": PARAMS_ONLY}})!r}
with mock_aws():
    c = boto3.client("apigateway", region_name="us-east-1", aws_access_key_id="x",
                     aws_secret_access_key="x")
    api = c.create_rest_api(name="t")["id"]
    c.put_rest_api(restApiId=api, mode="merge", body=body.encode())
    items = c.get_resources(restApiId=api, embed=["methods"])["items"]
    print(json.dumps({{
        "validators": len(c.get_request_validators(restApiId=api)["items"]),
        "verbs": sorted(v for i in items for v in i.get("resourceMethods", {{}})),
        "parameters": [m.get("requestParameters") for i in items
                       for m in i.get("resourceMethods", {{}}).values()],
    }}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert json.loads(done.stdout) == {
        "validators": 0, "verbs": ["X-AMAZON-APIGATEWAY-ANY-METHOD"], "parameters": [None]}

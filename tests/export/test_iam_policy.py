"""The IAM policy: valid JSON, verb actions only, and exactly the calls gateway.py makes."""

from __future__ import annotations

import ast
import json
import re
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest

import asyncgw.gateway
from asyncgw.gateway import Gateway
from asyncgw.iam_policy import API, PERMISSIONS, partition, policy

VERB_ACTIONS = {"apigateway:GET", "apigateway:POST", "apigateway:PATCH", "apigateway:DELETE"}
SERVICES = ("apigateway", "apigatewayv2")


def service_model(service: str) -> Any:
    return botocore.session.get_session().get_service_model(service)


def snake(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


def gateway_calls(source: str | None = None) -> set[tuple[str, str]]:
    """(service, operation) for every AWS operation gateway.py names, however it calls it.

    Operation names appear as strings, which Gateway._call sends through its apigateway client
    (self._call("UpdateMethod", ...)), or as client method names (v2.get_apis(...)), where a
    name both services have counts for both.
    """
    tree = ast.parse(source or Path(asyncgw.gateway.__file__).read_text())
    operations = {s: set(service_model(s).operation_names) for s in SERVICES}
    methods = {s: {snake(op): op for op in ops} for s, ops in operations.items()}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            service = next((s for s in SERVICES if node.value in operations[s]), None)
            if service is not None:
                found.add((service, node.value))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "self")):
            found |= {(s, methods[s][node.func.attr]) for s in SERVICES
                      if node.func.attr in methods[s]}
    return found


def iam_path(service: str, operation: str) -> tuple[str, str]:
    """(verb, resource path) of an operation, from botocore's service model."""
    http = service_model(service).operation_model(operation).http
    uri = str(http["requestUri"]).split("?")[0]
    if service == "apigatewayv2":
        uri = uri.removeprefix("/v2")  # IAM names HTTP API resources without the /v2 prefix
    uri = re.sub(r"\{(?!restapi_id\})[^}]+\}", "*", uri)
    return str(http["method"]), uri.replace("{restapi_id}", API)


def allowed(document: dict[str, Any], action: str, resource: str) -> bool:
    return any(
        statement["Effect"] == "Allow" and statement["Action"] == action
        and any(fnmatchcase(resource, pattern) for pattern in statement["Resource"])
        for statement in document["Statement"]
    )


def test_gateway_calls_exactly_the_operations_the_policy_lists() -> None:
    calls = gateway_calls()
    assert ("apigateway", "UpdateMethod") in calls and ("apigatewayv2", "GetApis") in calls
    listed = {(p.service, p.operation) for p in PERMISSIONS}
    assert calls - listed == set(), "gateway.py calls operations the IAM policy does not allow"
    assert listed - calls == set(), "the IAM policy allows operations gateway.py never calls"


def test_the_scan_finds_operations_in_either_spelling() -> None:
    source = (
        "class Gateway:\n"
        "    def export(self):\n"
        "        self._call('GetExport', restApiId='x')\n"
        "        self.client.get_deployments(restApiId='x')\n"
        "        v2.get_routes(ApiId='x')\n"
    )
    assert gateway_calls(source) == {
        ("apigateway", "GetExport"), ("apigateway", "GetDeployments"),
        ("apigatewayv2", "GetDeployments"), ("apigatewayv2", "GetRoutes")}


@pytest.mark.parametrize("permission", PERMISSIONS, ids=lambda p: p.operation)
def test_each_permission_is_the_verb_and_path_of_its_operation(permission: Any) -> None:
    assert iam_path(permission.service, permission.operation) == (
        permission.verb, permission.path)


@pytest.mark.parametrize("api_id", ["a1b2c3d4e5", None])
def test_the_policy_is_valid_json_with_verb_actions_only(api_id: str | None) -> None:
    document = json.loads(json.dumps(policy(api_id, "eu-west-1", "123456789012")))
    assert document["Version"] == "2012-10-17"
    sids = [s["Sid"] for s in document["Statement"]]
    assert len(sids) == len(set(sids))
    assert {s["Action"] for s in document["Statement"]} == VERB_ACTIONS
    resources = [r for s in document["Statement"] for r in s["Resource"]]
    assert all(r.startswith("arn:aws:apigateway:eu-west-1::/") for r in resources)
    assert f"arn:aws:apigateway:eu-west-1::/restapis/{api_id or '*'}/deployments" in resources
    if api_id is not None:
        assert not any("/restapis/*" in r for r in resources)


def test_without_an_api_id_or_region_everything_is_a_wildcard() -> None:
    document = policy(None, None)
    resources = [r for s in document["Statement"] for r in s["Resource"]]
    assert "arn:aws:apigateway:*::/restapis/*/resources/*/methods/*/integration" in resources
    assert "arn:aws:apigateway:*::/apis" in resources


def test_partitions() -> None:
    assert partition("cn-north-1") == "aws-cn"
    assert partition("us-gov-west-1") == "aws-us-gov"
    assert partition("us-east-1") == partition(None) == "aws"
    assert policy("x", "cn-north-1")["Statement"][0]["Resource"][0].startswith("arn:aws-cn:")


def test_every_denial_gateway_can_report_is_allowed_by_the_policy() -> None:
    # Gateway names the action and ARN IAM evaluated when it reports AccessDenied; each
    # apigateway call it makes, with real-looking ids, must be allowed by the policy.
    client = boto3.client("apigateway", region_name="us-east-1", aws_access_key_id="x",
                          aws_secret_access_key="x")
    gateway = Gateway(client)
    params = {"restApiId": "a1b2c3d4e5", "resourceId": "r1", "httpMethod": "POST",
              "stageName": "prod", "requestValidatorId": "v1"}
    document = policy("a1b2c3d4e5", "us-east-1")
    for permission in (p for p in PERMISSIONS if p.service == "apigateway"):
        reported = gateway._iam_action(permission.operation, params)
        action, resource = reported.split(" on ")
        assert allowed(document, action, resource), reported
    assert not allowed(document, "apigateway:DELETE", "arn:aws:apigateway:us-east-1::/restapis/"
                       "a1b2c3d4e5")

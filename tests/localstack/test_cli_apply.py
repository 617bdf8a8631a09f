"""The installed CLI's writes on LocalStack, read back by the AWS CLI and by calling the stages.

LocalStack runs no Lambda code without Docker: every function ends in state Failed and Lambda
answers each invocation with 409 ResourceConflictException, which the default integration
response passes on. A call that gets that answer went past the request validator and reached
Lambda; a call the validator refuses gets 400. LocalStack's GetExport describes the current
configuration instead of the stage's deployment (AWS exports "a deployed version" [DOC]), so
what a stage serves is proven here by calling it, never by `status`'s stage columns.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from asyncgw_sandbox.seed import PARAMETERS_VALIDATOR, SeededApi

from tests.localstack.cli import Answer, asyncgw, asyncgw_json, aws, call_stage, gateway_read
from tests.localstack.runtime import LocalStack
from tests.localstack.seed import orders_without_any

MAPPING = "integration.request.header.X-Amz-Invocation-Type"
HEADER = "method.request.header.InvocationType"
MISSING = {"message": "Missing required request parameters: [InvocationType]"}
STRONGER = "Validate body, query string parameters, and headers"


@pytest.fixture(scope="module")
def api(localstack: LocalStack) -> Iterator[SeededApi]:
    seeded = orders_without_any(localstack, "orders-apply")
    yield seeded
    gateway_read(localstack, "delete_rest_api", restApiId=seeded.api_id)


def refused_for_the_header(answer: Answer) -> bool:
    """The validator refused the call because InvocationType is missing."""
    return answer.status == 400 and json.loads(answer.body) == MISSING


def reached_lambda(answer: Answer) -> bool:
    """The call went past the validator and Lambda answered (the function cannot run)."""
    return answer.status == 200 and json.loads(answer.body) == {
        "__type": "ResourceConflictException",
        "message": "The operation cannot be performed at this time. The function is currently "
                   "in the following state: Failed"}


def _where(api: SeededApi, verb: str, path: str) -> tuple[str, ...]:
    return ("--rest-api-id", api.api_id, "--resource-id", api.resource_ids[path],
            "--http-method", verb)


def _method(localstack: LocalStack, api: SeededApi, verb: str, path: str) -> dict[str, Any]:
    return aws(localstack, "get-method", *_where(api, verb, path))


def _integration(localstack: LocalStack, api: SeededApi, verb: str, path: str
                 ) -> dict[str, Any]:
    return aws(localstack, "get-integration", *_where(api, verb, path))


def _method_by_boto3(localstack: LocalStack, api: SeededApi, verb: str, path: str
                     ) -> dict[str, Any]:
    return gateway_read(localstack, "get_method", restApiId=api.api_id,
                        resourceId=api.resource_ids[path], httpMethod=verb)


def _deployed(localstack: LocalStack, api: SeededApi, stage: str) -> str:
    found = gateway_read(localstack, "get_stage", restApiId=api.api_id, stageName=stage)
    return str(found["deploymentId"])


def _deployments(localstack: LocalStack, api: SeededApi) -> set[str]:
    found = gateway_read(localstack, "get_deployments", restApiId=api.api_id, limit=500)
    return {d["id"] for d in found["items"]}


def _description(localstack: LocalStack, api: SeededApi, deployment: str) -> str:
    return str(gateway_read(localstack, "get_deployment", restApiId=api.api_id,
                            deploymentId=deployment).get("description"))


def _validator(localstack: LocalStack, api: SeededApi, validator_id: str) -> dict[str, Any]:
    found = gateway_read(localstack, "get_request_validator", restApiId=api.api_id,
                         requestValidatorId=validator_id)
    return {k: found[k] for k in ("name", "validateRequestBody", "validateRequestParameters")}


def _mode(localstack: LocalStack, api: SeededApi, key: str) -> str:
    report = asyncgw_json(localstack, "status", api.api_id)
    [mode] = [m["mode"] for m in report["methods"] if f"{m['httpMethod']} {m['path']}" == key]
    return str(mode)


def test_switchable_then_async_then_disable_as_the_aws_cli_and_callers_see_it(
    localstack: LocalStack, api: SeededApi
) -> None:
    seeded_method = _method(localstack, api, "GET", "/orders")
    seeded_integration = _integration(localstack, api, "GET", "/orders")
    dev = _deployed(localstack, api, "dev")
    prod = _deployed(localstack, api, "prod")
    assert reached_lambda(call_stage(localstack, api.api_id, "prod", "GET", "/orders"))
    target = ("-m", "GET /orders", "--stage", "prod", "--yes")

    done = asyncgw(localstack, "enable-switchable", api.api_id, *target)
    assert done.returncode == 0, done.stderr
    switched = _deployed(localstack, api, "prod")
    assert switched != prod
    assert done.stdout.splitlines()[-1] == (
        f"Done: 1 method now switchable, live on stage prod (deployment {switched}).")
    method = _method(localstack, api, "GET", "/orders")
    assert method["requestParameters"] == {"method.request.querystring.status": False,
                                           HEADER: True}
    assert method["requestValidatorId"] == api.validators[PARAMETERS_VALIDATOR]
    assert _integration(localstack, api, "GET", "/orders")["requestParameters"] == {
        MAPPING: HEADER}
    assert _description(localstack, api, switched) == "asyncgw: GET /orders -> switchable"
    assert _deployed(localstack, api, "dev") == dev
    assert _mode(localstack, api, "GET /orders") == "switchable"
    assert refused_for_the_header(call_stage(localstack, api.api_id, "prod", "GET", "/orders"))
    assert reached_lambda(call_stage(localstack, api.api_id, "prod", "GET", "/orders",
                                     {"InvocationType": "Event"}))
    assert reached_lambda(call_stage(localstack, api.api_id, "dev", "GET", "/orders"))

    done = asyncgw(localstack, "enable-async", api.api_id, *target)
    assert done.returncode == 0, done.stderr
    assert (f"Note: GET /orders: validator {PARAMETERS_VALIDATOR} "
            f"({api.validators[PARAMETERS_VALIDATOR]}) stays attached") in done.stdout
    method = _method(localstack, api, "GET", "/orders")
    assert method["requestParameters"] == {"method.request.querystring.status": False}
    assert method["requestValidatorId"] == api.validators[PARAMETERS_VALIDATOR]
    assert _integration(localstack, api, "GET", "/orders")["requestParameters"] == {
        MAPPING: "'Event'"}
    assert _description(localstack, api, _deployed(localstack, api, "prod")) == (
        "asyncgw: GET /orders -> async")
    assert _mode(localstack, api, "GET /orders") == "async"
    assert reached_lambda(call_stage(localstack, api.api_id, "prod", "GET", "/orders"))

    done = asyncgw(localstack, "disable", api.api_id, *target)
    assert done.returncode == 0, done.stderr
    assert _description(localstack, api, _deployed(localstack, api, "prod")) == (
        "asyncgw: GET /orders -> sync")
    assert _mode(localstack, api, "GET /orders") == "sync"
    # Back as seeded, but for the validator, which never goes (it could be someone's), and the
    # empty map LocalStack keeps where AWS drops it [REC A3].
    method = _method(localstack, api, "GET", "/orders")
    assert method.pop("requestValidatorId") == api.validators[PARAMETERS_VALIDATOR]
    assert method == seeded_method
    integration = _integration(localstack, api, "GET", "/orders")
    assert integration.pop("requestParameters", {}) == {}
    assert integration == {k: v for k, v in seeded_integration.items()
                           if k != "requestParameters"}
    assert reached_lambda(call_stage(localstack, api.api_id, "prod", "GET", "/orders"))


def test_no_deploy_changes_nothing_callers_see_until_redeploy(
    localstack: LocalStack, api: SeededApi
) -> None:
    prod = _deployed(localstack, api, "prod")
    deployments = _deployments(localstack, api)
    done = asyncgw(localstack, "enable-switchable", api.api_id, "-m", "PUT /orders/{id}",
                   "--no-deploy", "--yes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        f"Done: 1 method now switchable; not live until you run: asyncgw redeploy "
        f"{api.api_id} --stage STAGE")
    method = _method_by_boto3(localstack, api, "PUT", "/orders/{id}")
    assert method["requestParameters"] == {"method.request.path.id": True, HEADER: True}
    # It validated the body only: it gets a validator that checks both, never a weaker one.
    assert method["requestValidatorId"] not in api.validators.values()
    assert _validator(localstack, api, method["requestValidatorId"]) == {
        "name": STRONGER, "validateRequestBody": True, "validateRequestParameters": True}
    assert _deployed(localstack, api, "prod") == prod
    assert _deployments(localstack, api) == deployments
    assert reached_lambda(call_stage(localstack, api.api_id, "prod", "PUT", "/orders/7"))

    done = asyncgw(localstack, "redeploy", api.api_id, "--stage", "prod", "--yes")
    assert done.returncode == 0, done.stderr
    redeployed = _deployed(localstack, api, "prod")
    assert redeployed != prod
    assert redeployed not in deployments
    assert done.stdout.splitlines()[-1] == f"Done: stage prod now serves deployment {redeployed}."
    assert _description(localstack, api, redeployed) == "asyncgw: redeploy"
    assert refused_for_the_header(call_stage(localstack, api.api_id, "prod", "PUT",
                                             "/orders/7"))
    assert reached_lambda(call_stage(localstack, api.api_id, "prod", "PUT", "/orders/7",
                                     {"InvocationType": "RequestResponse"}))

    done = asyncgw(localstack, "disable", api.api_id, "-m", "PUT /orders/{id}", "--stage",
                   "prod", "--yes")
    assert done.returncode == 0, done.stderr
    method = _method_by_boto3(localstack, api, "PUT", "/orders/{id}")
    assert method["requestParameters"] == {"method.request.path.id": True}
    assert _validator(localstack, api, method["requestValidatorId"])["name"] == STRONGER
    assert reached_lambda(call_stage(localstack, api.api_id, "prod", "PUT", "/orders/7"))


def test_a_half_configured_method_made_switchable_refuses_calls_without_the_header(
    localstack: LocalStack, api: SeededApi
) -> None:
    """The ship method maps the header but leaves it optional, without a validator."""
    assert reached_lambda(call_stage(localstack, api.api_id, "prod", "POST", "/orders/7/ship"))
    done = asyncgw(localstack, "enable-switchable", api.api_id, "-m", "POST /orders/{id}/ship",
                   "--stage", "prod", "--yes")
    assert done.returncode == 0, done.stderr
    assert "~ method.request.header.InvocationType: optional -> required" in done.stdout
    method = _method_by_boto3(localstack, api, "POST", "/orders/{id}/ship")
    assert method["requestParameters"] == {"method.request.path.id": True, HEADER: True}
    assert method["requestValidatorId"] == api.validators[PARAMETERS_VALIDATOR]
    assert _method_by_boto3(localstack, api, "POST", "/orders/{id}/ship")[
        "methodIntegration"]["requestParameters"] == {MAPPING: HEADER}
    assert refused_for_the_header(call_stage(localstack, api.api_id, "prod", "POST",
                                             "/orders/7/ship"))
    for value in ("Event", "RequestResponse"):
        assert reached_lambda(call_stage(localstack, api.api_id, "prod", "POST",
                                         "/orders/7/ship", {"InvocationType": value}))
    # dev still serves the deployment from before: the header stays optional there.
    assert reached_lambda(call_stage(localstack, api.api_id, "dev", "POST", "/orders/7/ship"))


def test_the_same_command_again_changes_nothing_and_does_not_redeploy(
    localstack: LocalStack, api: SeededApi
) -> None:
    dev = _deployed(localstack, api, "dev")
    done = asyncgw(localstack, "enable-switchable", api.api_id, "-m",
                   "POST /orders/{id}/refund", "--stage", "dev", "--yes")
    assert done.returncode == 0, done.stderr
    assert "already switchable" in done.stdout
    assert _deployed(localstack, api, "dev") == dev


def test_verify_says_when_the_validator_refused_its_test_call(
    localstack: LocalStack, api: SeededApi
) -> None:
    """A required query string verify does not send: LocalStack's validator refuses the call."""
    done = asyncgw(localstack, "enable-switchable", api.api_id, "-m", "GET /orders/{id}",
                   "--no-deploy", "--yes")
    assert done.returncode == 0, done.stderr
    gateway_read(localstack, "update_method", restApiId=api.api_id,
                 resourceId=api.resource_ids["/orders/{id}"], httpMethod="GET",
                 patchOperations=[{"op": "add", "value": "true",
                                   "path": "/requestParameters/method.request.querystring.q"}])
    done = asyncgw(localstack, "verify", api.api_id, "-m", "GET /orders/{id}", "--output",
                   "json")
    assert done.returncode == 1, done.stderr
    [check] = json.loads(done.stdout)["methods"]
    assert (check["proven"], check["status"], check["lambdaStatus"]) == (False, 400, None)
    assert check["detail"] == ('the request never reached Lambda (status 400: {"message": '
                               '"Missing required request parameters: [q]"})')


def test_a_converted_proxy_method_is_put_back_as_it_was(
    localstack: LocalStack, api: SeededApi
) -> None:
    """Stops short of calling the converted method: LocalStack's VTL raises on a Java
    String.indexOf that finds nothing (Java answers -1), so the proxy event template fails there.
    """
    seeded_method = _method(localstack, api, "POST", "/webhooks")
    target = ("-m", "POST /webhooks", "--stage", "prod", "--yes")
    done = asyncgw(localstack, "enable-switchable", api.api_id, *target, "--convert-proxy",
                   "--respond-202")
    assert done.returncode == 0, done.stderr
    converted = _method(localstack, api, "POST", "/webhooks")
    integration = converted["methodIntegration"]
    assert (integration["type"], integration["passthroughBehavior"]) == ("AWS", "NEVER")
    assert integration["requestParameters"] == {MAPPING: HEADER}
    assert sorted(integration["requestTemplates"]) == [
        "application/json", "application/x-www-form-urlencoded", "application/xml",
        "text/plain", "text/xml"]
    assert all(t.startswith("## asyncgw:converted ")
               for t in integration["requestTemplates"].values())
    assert sorted(converted["methodResponses"]) == ["200", "202"]
    assert converted["requestParameters"] == {HEADER: True}

    done = asyncgw(localstack, "disable", api.api_id, *target)
    assert done.returncode == 0, done.stderr
    restored = _method(localstack, api, "POST", "/webhooks")
    assert restored.pop("requestValidatorId") == api.validators[PARAMETERS_VALIDATOR]
    # PutIntegration puts the proxy integration back without the empty maps LocalStack kept
    # from the seed; AWS drops empty maps [REC A3].
    assert restored == _without_empty_maps(seeded_method)


def _without_empty_maps(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_empty_maps(v) for k, v in value.items() if v != {}}
    return value

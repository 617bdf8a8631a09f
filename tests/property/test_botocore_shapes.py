"""Property: every answer botocore's model allows for a read asyncgw makes is read, or refused
with one named one-line error; never a ValidationError, KeyError, TypeError or AttributeError."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console

from asyncgw.core.errors import AsyncgwError, AwsCallFailed, UnexpectedResponse
from asyncgw.core.modes import Mode
from asyncgw.http import modes as route_modes
from asyncgw.http import render as route_render
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.recipe import MODE_TAG, PREFIX, TARGET_TAG
from asyncgw.http.snapshot import HttpApi
from asyncgw.rest import live, render, verify
from asyncgw.rest.functions import Functions
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.modes import assess
from asyncgw.rest.planner import plan
from asyncgw.rest.selection import select
from asyncgw.rest.snapshot import ApiSnapshot, Integration, Method, RestApi
from tests.property.botocore_strategies import (
    POLICY_DOCUMENT,
    UNKNOWN,
    Answers,
    answers,
    one_line_errors,
    with_members,
)

READ_OPERATIONS = frozenset({
    ("apigateway", "GetRestApi"),
    ("apigateway", "GetRestApis"),
    ("apigateway", "GetResources"),
    ("apigateway", "GetRequestValidators"),
    ("apigateway", "GetStages"),
    ("apigateway", "GetStage"),
    ("apigateway", "GetDeployment"),
    ("apigateway", "GetExport"),
    ("apigateway", "TestInvokeMethod"),
    ("apigatewayv2", "GetApis"),
    ("apigatewayv2", "GetApi"),
    ("apigatewayv2", "GetRoutes"),
    ("apigatewayv2", "GetIntegrations"),
    ("apigatewayv2", "GetStages"),
    ("apigatewayv2", "GetStage"),
    ("lambda", "GetFunctionConfiguration"),
    ("lambda", "GetFunctionEventInvokeConfig"),
    ("lambda", "GetFunctionConcurrency"),
    ("lambda", "GetFunction"),
    ("lambda", "GetPolicy"),
    ("iam", "GetRole"),
    ("iam", "GetRolePolicy"),
    ("iam", "ListRolePolicies"),
    ("iam", "ListAttachedRolePolicies"),
    ("sts", "GetCallerIdentity"),
})
"""Every read operation asyncgw makes (the sandbox aside), checked against the code below."""

API_ID = "abcdefghij"
REGION = "us-east-1"
FORWARDER = f"arn:aws:lambda:{REGION}:123456789012:function:{PREFIX}async-orders-1a2b3c"
TARGET = f"arn:aws:lambda:{REGION}:123456789012:function:orders"
FORWARDER_FUNCTION = {
    "Configuration": {"FunctionName": f"{PREFIX}async-orders-1a2b3c", "FunctionArn": FORWARDER},
    "Tags": {TARGET_TAG: TARGET, MODE_TAG: "async"},
}
INVOKE_TARGET = {"Version": "2012-10-17", "Statement": [{
    "Sid": "InvokeTargets", "Effect": "Allow", "Action": "lambda:InvokeFunction",
    "Resource": [TARGET]}]}
FORWARDER_INTEGRATION = {"Items": [{"IntegrationId": "i1", "IntegrationType": "AWS_PROXY",
                                    "IntegrationUri": FORWARDER}]}


def _show(renderable: Any) -> str:
    console = Console(file=io.StringIO(), width=120)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


# Each reader drives the asyncgw code that reads one operation's answer, and what uses it.

def _rest(operation: str, answer: dict[str, Any], **others: dict[str, Any]) -> Gateway:
    stub = Answers("apigateway").set(operation, answer)
    for name, other in others.items():
        stub.set(name, other)
    return Gateway(stub.client)


def _use_rest_snapshot(snapshot: ApiSnapshot) -> None:
    for method in snapshot.methods:
        assessment = assess(method, snapshot)
        if method.integration is not None and method.integration.type == UNKNOWN:
            assert assessment.mode is Mode.NOT_ELIGIBLE
            assert assessment.reason == f"unknown integration type {UNKNOWN}"
    assert snapshot.fingerprint
    _show(render.status(snapshot))
    json.dumps(render.status_json(snapshot), default=str)
    for mode in (Mode.ASYNC, Mode.SWITCHABLE, Mode.SYNC):
        with one_line_errors((AsyncgwError,)):
            chosen = select(snapshot, (), everything=True, convert_proxy=True)
            planned = plan(snapshot, chosen, mode, stage=None, respond_202=True)
            PLANNED[planned.is_empty] += 1
            _show(render.plan(planned))


PLANNED = {True: 0, False: 0}
"""How many plans the readers made, empty or not: to show that answers got as far as planning."""


def _empty_snapshot(api: RestApi) -> ApiSnapshot:
    return ApiSnapshot(api=api, region=REGION, methods=(), validators=(), stages=())


def read_rest_api(answer: dict[str, Any]) -> None:
    api = _rest("GetRestApi", answer).resolve(API_ID)
    assert api.id == answer.get("id", API_ID)
    _use_rest_snapshot(_empty_snapshot(api))


def read_rest_apis(answer: dict[str, Any]) -> None:
    names = [item.get("name") for item in answer.get("items", [])]
    name = next((n for n in names if n), "orders")
    api = _rest("GetRestApis", answer).resolve(name)
    assert api.name == name


def read_snapshot(operation: str) -> Callable[[dict[str, Any]], None]:
    def read(answer: dict[str, Any]) -> None:
        others = {name: {} for name in ("GetResources", "GetRequestValidators", "GetStages")}
        others[operation] = answer
        snapshot = _rest(operation, answer, **others).read(RestApi(id=API_ID))
        _use_rest_snapshot(snapshot)
    return read


def read_stage(answer: dict[str, Any]) -> None:
    gateway = _rest("GetStage", answer)
    stage = gateway.stage(API_ID, "prod")
    assert stage.stage_name == answer.get("stageName", "prod")
    canary = gateway.canary_of(API_ID, "prod")
    assert (canary is None) == (stage.canary_settings is None)


def read_deployment(answer: dict[str, Any]) -> None:
    found = _rest("GetDeployment", answer).deployment(API_ID, "d1")
    assert found.id == answer.get("id", "d1")


def read_export(answer: dict[str, Any]) -> None:
    document = _rest("GetExport", answer).export(API_ID, "prod")
    served = live.served("prod", document, _empty_snapshot(RestApi(id=API_ID)))
    assert set(served.modes) == set(served.wirings)


def read_test_invoke(answer: dict[str, Any]) -> None:
    method = Method(resource_id="r1", path="/orders", http_method="POST")
    result = _rest("TestInvokeMethod", answer).test_invoke(
        API_ID, "r1", "POST", "/orders", {"InvocationType": "DryRun"}, "{}", {})
    check = verify.judge(method, Mode.SWITCHABLE, verify.DRY_RUN, result)
    assert check.proven is ("Received response. Status: 204" in answer.get("log", ""))
    assert "\n" not in check.detail


HTTP_DEFAULTS: dict[str, dict[str, dict[str, Any]]] = {
    "apigatewayv2": {"GetRoutes": {}, "GetIntegrations": {}, "GetStages": {}},
    "iam": {"ListRolePolicies": {"PolicyNames": []}, "ListAttachedRolePolicies": {}},
    "sts": {"GetCallerIdentity": {"Account": "123456789012",
                                  "Arn": "arn:aws:iam::123456789012:user/u"}},
}
"""Empty answers to the reads beside the one under test, so that reading goes on."""


def _http(answers_by_service: dict[str, dict[str, dict[str, Any]]]) -> HttpGateway:
    stubs = {service: Answers(service) for service in ("apigatewayv2", "lambda", "iam", "sts")}
    for service, by_operation in [*HTTP_DEFAULTS.items(), *answers_by_service.items()]:
        for operation, answer in by_operation.items():
            stubs[service].set(operation, answer)
    return HttpGateway(stubs["apigatewayv2"].client, stubs["lambda"].client,
                       stubs["iam"].client, stubs["sts"].client)


def _use_http_read(gateway: HttpGateway, for_change: bool = False) -> None:
    snapshot = gateway.read(HttpApi(api_id="a1b2c3"), for_change=for_change)
    for route in snapshot.routes:
        found = route_modes.assess(route, snapshot)
        integration = snapshot.integration(route.integration_id)
        if integration is not None and integration.integration_type == UNKNOWN:
            assert found.reason == f"unknown integration type {UNKNOWN}"
    assert snapshot.fingerprint
    _show(route_render.status(snapshot))
    json.dumps(route_render.status_json(snapshot), default=str)


def read_api(answer: dict[str, Any]) -> None:
    api = _http({"apigatewayv2": {"GetApi": answer}}).find("a1b2c3")
    assert api is None or api.protocol_type.upper() == "HTTP"


def read_apis(answer: dict[str, Any]) -> None:
    # A reference with a slash is no id: find() goes straight to GetApis.
    _http({"apigatewayv2": {"GetApis": answer}}).find("orders/v1")


def read_http_part(operation: str) -> Callable[[dict[str, Any]], None]:
    def read(answer: dict[str, Any]) -> None:
        _use_http_read(_http({"apigatewayv2": {operation: answer}}))
    return read


def read_http_stage(answer: dict[str, Any]) -> None:
    stage = _http({"apigatewayv2": {"GetStage": answer}}).stage("a1b2c3", "$default")
    assert stage.stage_name == answer.get("StageName", "$default")


def read_function_side(operation: str) -> Callable[[dict[str, Any]], None]:
    def read(answer: dict[str, Any]) -> None:
        stub = Answers("lambda").set(operation, answer)
        if operation != "GetFunctionConfiguration":
            stub.set("GetFunctionConfiguration", {})
        side = Functions(stub.client).read(TARGET)
        assert side.error is None or "\n" not in side.error
        if side.error is None and operation == "GetFunctionConcurrency":
            assert side.reserved_concurrency == answer.get("ReservedConcurrentExecutions")
        if side.error is None and operation == "GetFunctionConfiguration":
            dead_letter = (answer.get("DeadLetterConfig") or {}).get("TargetArn") or None
            assert side.dead_letter == dead_letter
    return read


def read_event_invoke_config(answer: dict[str, Any]) -> None:
    config = Functions(Answers("lambda").set("GetFunctionEventInvokeConfig", answer).client
                       ).config(TARGET)
    assert config is not None
    assert config.maximum_retry_attempts == answer.get("MaximumRetryAttempts")
    on_failure = ((answer.get("DestinationConfig") or {}).get("OnFailure") or {})
    assert config.on_failure == (on_failure.get("Destination") or None)


def read_forwarder(answer: dict[str, Any]) -> None:
    _use_http_read(_http({"apigatewayv2": {"GetIntegrations": FORWARDER_INTEGRATION},
                          "lambda": {"GetFunction": answer}}))


def read_function_state(answer: dict[str, Any]) -> None:
    state, reason = _http({"lambda": {"GetFunctionConfiguration": answer}}).function_state("f")
    assert isinstance(state, str) and isinstance(reason, str)


def read_around_forwarder(service: str, operation: str) -> Callable[[dict[str, Any]], None]:
    def read(answer: dict[str, Any]) -> None:
        found: dict[str, dict[str, dict[str, Any]]] = {
            "apigatewayv2": {"GetIntegrations": FORWARDER_INTEGRATION},
            "lambda": {"GetFunction": FORWARDER_FUNCTION},
            "iam": {"GetRole": {"Role": {
                "Path": "/", "RoleName": "r", "RoleId": "AROAEXAMPLEROLEID",
                "Arn": "arn:aws:iam::123456789012:role/r",
                "CreateDate": "2026-01-01T00:00:00Z"}},
                "GetRolePolicy": {"RoleName": "r", "PolicyName": "p",
                                  "PolicyDocument": quote(json.dumps(INVOKE_TARGET))}},
        }
        found.setdefault(service, {})[operation] = answer
        _use_http_read(_http(found))
    return read


def read_account(answer: dict[str, Any]) -> None:
    _use_http_read(_http({"sts": {"GetCallerIdentity": answer}}), for_change=True)


READERS: dict[tuple[str, str], Callable[[dict[str, Any]], None]] = {
    ("apigateway", "GetRestApi"): read_rest_api,
    ("apigateway", "GetRestApis"): read_rest_apis,
    ("apigateway", "GetResources"): read_snapshot("GetResources"),
    ("apigateway", "GetRequestValidators"): read_snapshot("GetRequestValidators"),
    ("apigateway", "GetStages"): read_snapshot("GetStages"),
    ("apigateway", "GetStage"): read_stage,
    ("apigateway", "GetDeployment"): read_deployment,
    ("apigateway", "GetExport"): read_export,
    ("apigateway", "TestInvokeMethod"): read_test_invoke,
    ("apigatewayv2", "GetApis"): read_apis,
    ("apigatewayv2", "GetApi"): read_api,
    ("apigatewayv2", "GetRoutes"): read_http_part("GetRoutes"),
    ("apigatewayv2", "GetIntegrations"): read_http_part("GetIntegrations"),
    ("apigatewayv2", "GetStages"): read_http_part("GetStages"),
    ("apigatewayv2", "GetStage"): read_http_stage,
    ("lambda", "GetFunctionConfiguration"): read_function_side("GetFunctionConfiguration"),
    ("lambda", "GetFunctionEventInvokeConfig"): read_event_invoke_config,
    ("lambda", "GetFunctionConcurrency"): read_function_side("GetFunctionConcurrency"),
    ("lambda", "GetFunction"): read_forwarder,
    ("lambda", "GetPolicy"): read_around_forwarder("lambda", "GetPolicy"),
    ("iam", "GetRole"): read_around_forwarder("iam", "GetRole"),
    ("iam", "GetRolePolicy"): read_around_forwarder("iam", "GetRolePolicy"),
    ("iam", "ListRolePolicies"): read_around_forwarder("iam", "ListRolePolicies"),
    ("iam", "ListAttachedRolePolicies"): read_around_forwarder("iam",
                                                               "ListAttachedRolePolicies"),
    ("sts", "GetCallerIdentity"): read_account,
}
"""Extra readers of an operation whose answer more than one part of asyncgw reads."""
EXTRA_READERS = {("lambda", "GetFunctionConfiguration"): read_function_state}

# Strategies that make the generated answers reach deeper into the readers: ids asyncgw
# looks for, the OpenAPI document inside GetExport, policies inside strings.
_JUNK = st.none() | st.integers() | st.text(max_size=4) | st.lists(st.integers(), max_size=2)
_VERBS = st.sampled_from(["get", "post", "x-amazon-apigateway-any-method", "parameters",
                          "summary"])
_PARAMETER = st.fixed_dictionaries({}, optional={
    "in": st.sampled_from(["header", "query", "path", "cookie"]) | _JUNK,
    "name": st.text(max_size=6) | _JUNK, "required": st.booleans() | _JUNK})
_EXPORT_INTEGRATION = st.fixed_dictionaries({}, optional={
    "type": st.sampled_from(["aws", "aws_proxy", "mock", UNKNOWN.lower()]) | _JUNK,
    "uri": st.just(f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/"
                   f"{TARGET}/invocations") | _JUNK,
    "httpMethod": st.just("POST") | _JUNK,
    "requestParameters": st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=2)
    | _JUNK,
    "responses": st.fixed_dictionaries({}, optional={"default": st.fixed_dictionaries(
        {}, optional={"statusCode": st.sampled_from(["200", "202"]) | _JUNK,
                      "responseTemplates": st.dictionaries(st.just("application/json"),
                                                           st.text(max_size=4)) | _JUNK})
        | _JUNK}) | _JUNK,
})
_OPERATION = st.fixed_dictionaries({}, optional={
    "x-amazon-apigateway-integration": _EXPORT_INTEGRATION | _JUNK,
    "x-amazon-apigateway-request-validator": st.text(max_size=4) | _JUNK,
    "parameters": st.lists(_PARAMETER | _JUNK, max_size=2) | _JUNK,
})
_EXPORT = st.fixed_dictionaries({}, optional={
    "paths": st.dictionaries(st.sampled_from(["/", "/orders", "/orders/{id}"]),
                             st.dictionaries(_VERBS, _OPERATION | _JUNK, max_size=3) | _JUNK,
                             max_size=3) | _JUNK,
    "x-amazon-apigateway-request-validators": st.dictionaries(
        st.text(max_size=4), st.dictionaries(
            st.sampled_from(["validateRequestBody", "validateRequestParameters"]),
            st.booleans() | _JUNK) | _JUNK, max_size=2) | _JUNK,
    "x-amazon-apigateway-request-validator": st.text(max_size=4) | _JUNK,
})
_BODY = (_EXPORT.map(lambda doc: json.dumps(doc).encode()) | _JUNK.map(
    lambda doc: json.dumps(doc).encode()) | st.binary(max_size=16))
_LOG = st.sampled_from(["", "Received response. Status: 204", "Received response. Status: 200",
                        "Execution failed due to configuration error: x"]) | st.text(max_size=8)
_POLICY = st.one_of(
    st.builds(json.dumps, st.fixed_dictionaries({}, optional={"Statement": st.lists(
        st.fixed_dictionaries({}, optional={
            "Sid": st.text(max_size=4) | _JUNK,
            "Principal": st.sampled_from(["*", {"Service": "apigateway.amazonaws.com"},
                                          {"AWS": ["a", "b"]}]) | _JUNK,
            "Action": st.just("lambda:InvokeFunction") | _JUNK,
            "Condition": st.just({"ArnLike": {"AWS:SourceArn": "arn:x:a1b2c3/*"}}) | _JUNK,
        }) | _JUNK, max_size=2) | _JUNK})),
    st.text(max_size=6),
)
_STREAMED = _BODY.map(lambda data: _stream(data))
_TAGS = st.dictionaries(st.sampled_from([TARGET_TAG, MODE_TAG, "team"]),
                        st.sampled_from([TARGET, "async", "switchable", UNKNOWN]), max_size=3)


def _stream(data: bytes) -> Any:
    from botocore.response import StreamingBody

    return StreamingBody(io.BytesIO(data), len(data))


OVERRIDES = {
    "ExportResponse.body": _STREAMED,
    "TestInvokeMethodResponse.log": _LOG,
    "GetPolicyResponse.Policy": _POLICY,
    "GetFunctionResponse.Tags": _TAGS,
    "GetFunctionResponse.Configuration": with_members(
        Answers("lambda").client.meta.service_model.shape_for("FunctionConfiguration"),
        {"FunctionName": st.just(f"{PREFIX}async-orders-1a2b3c"),
         "FunctionArn": st.sampled_from([FORWARDER, ""])}),
    "policyDocumentType": POLICY_DOCUMENT,
    "Resource.path": st.sampled_from(["/", "/orders", "/orders/{id}"]),
    "RestApi.name": st.sampled_from(["orders", "shop"]) | st.text(min_size=1, max_size=6),
    "GetRestApiResponse.id": st.just(API_ID) | st.text(max_size=3),
    "GetApiResponse.ProtocolType": st.sampled_from(["HTTP", "WEBSOCKET", UNKNOWN]),
    "Integration.IntegrationUri": st.sampled_from([FORWARDER, TARGET, "https://example.com"]),
    "Integration.type": st.sampled_from(["AWS", "AWS_PROXY", "MOCK", "HTTP", UNKNOWN]),
    "Integration.uri": st.sampled_from([
        f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{TARGET}/invocations",
        f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}/invocations",
        "https://example.com/{id}"]),
}

DOCUMENTS = ("body", "Policy", "PolicyDocument", "Role.AssumeRolePolicyDocument", "Arn")
"""Strings that hold a document asyncgw parses (JSON, an ARN): what is in them is free text."""

IP_ADDRESS_TYPE = {"id": API_ID, "name": "orders",
                   "endpointConfiguration": {"types": ["REGIONAL"], "ipAddressType": "dualstack"}}
"""What GetRestApi returns since AWS added ipAddressType, a string, beside the list of types."""

EXAMPLES: dict[tuple[str, str], list[dict[str, Any]]] = {
    ("apigateway", "GetRestApi"): [IP_ADDRESS_TYPE],
    ("apigateway", "GetRestApis"): [{"items": [IP_ADDRESS_TYPE]}],
    ("iam", "GetRolePolicy"): [{"RoleName": "r", "PolicyName": "p", "PolicyDocument": quote(
        json.dumps({"Version": "2012-10-17", "Statement": None}))}],
    ("apigateway", "GetResources"): [{"items": [{"id": "r1", "path": "/orders", "resourceMethods": {
        "POST": {"methodIntegration": {"type": UNKNOWN, "timeoutInMillis": 29000}}}}]}],
}


def _lambda_methods(overrides: dict[str, Any]) -> dict[str, Any]:
    """Strategies for resources whose methods mostly invoke Lambda, to reach the planner."""
    model = _service_model("apigateway", "GetResources").service_model
    lambda_uri = (f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{TARGET}"
                  "/invocations")
    integration = with_members(model.shape_for("Integration"), {
        "type": st.sampled_from(["AWS", "AWS_PROXY"]), "uri": st.just(lambda_uri)}, overrides)
    method = with_members(model.shape_for("Method"), {"methodIntegration": integration},
                          overrides)
    return {**overrides, "Resource": with_members(model.shape_for("Resource"), {
        "id": st.sampled_from(["r1", "r2", "r3"]),
        "path": st.sampled_from(["/", "/orders", "/orders/{id}"]),
        "resourceMethods": st.dictionaries(st.sampled_from(["GET", "POST", "ANY"]), method,
                                           min_size=1, max_size=3)}, overrides)}


def test_answers_with_lambda_methods_are_read_and_planned() -> None:
    before = sum(PLANNED.values())

    @settings(max_examples=100, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(answers(_service_model("apigateway", "GetResources"), _lambda_methods(OVERRIDES)))
    def read(answer: dict[str, Any]) -> None:
        with one_line_errors((AsyncgwError,)):
            read_snapshot("GetResources")(answer)

    read()
    assert sum(PLANNED.values()) > before, "no generated answer got as far as the planner"


def _service_model(service: str, operation: str) -> Any:
    return Answers(service).operation(operation)


@pytest.mark.parametrize(("service", "operation"), sorted(READ_OPERATIONS))
def test_every_answer_the_model_allows_is_read_or_refused_in_one_line(
        service: str, operation: str) -> None:
    readers = [READERS[(service, operation)]]
    readers += [EXTRA_READERS[(service, operation)]] if (service, operation) in EXTRA_READERS \
        else []

    outcomes = {"read": 0, "refused": 0}

    @settings(max_examples=100, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(answers(_service_model(service, operation), OVERRIDES))
    def read(answer: dict[str, Any]) -> None:
        for reader in readers:
            with one_line_errors((AsyncgwError,)):
                try:
                    reader(answer)
                except UnexpectedResponse as refused:
                    assert refused.message.startswith(f"{refused.operation} returned ")
                    # A value the model allows is read: only a field left out, or text that
                    # holds a document of its own, may be refused.
                    assert refused.missing or refused.field.startswith(DOCUMENTS), \
                        refused.message
                    outcomes["refused"] += 1
                    raise
                except AwsCallFailed as failed:
                    # A call built from what was read must be one botocore accepts.
                    assert failed.code != "ParamValidationError", failed.message
                    raise
                outcomes["read"] += 1

    for given_answer in EXAMPLES.get((service, operation), []):
        read = example(given_answer)(read)
    read()
    assert outcomes["read"] > 0, "no generated answer got through the reader"


# The list above is complete: every read the code makes is in it.

_SOURCE = Path(__file__).resolve().parents[2] / "asyncgw"
_LITERAL = re.compile(r'"([A-Z][A-Za-z]+)"')
_METHOD = re.compile(r"\.((?:get|list|test_invoke)_[a-z_]+)\(")
_READ = re.compile(r"^(Get|List|Describe|TestInvoke)")


def _operations_in_code() -> tuple[set[str], dict[str, set[str]]]:
    """Read operations named in the code, and the operations of each service."""
    clients = {service: Answers(service).client for service in ("apigateway", "apigatewayv2",
                                                                "lambda", "iam", "sts")}
    of_service = {service: set(client.meta.service_model.operation_names)
                  for service, client in clients.items()}
    every = set().union(*of_service.values())
    found: set[str] = set()
    for path in _SOURCE.rglob("*.py"):
        if "sandbox" in path.parts:
            continue  # the emulator answers these calls, it does not make them
        text = path.read_text()
        names = set(_LITERAL.findall(text))
        for client in clients.values():
            mapping = client.meta.method_to_api_mapping
            names |= {mapping[m] for m in _METHOD.findall(text) if m in mapping}
        found |= {name for name in names & every if _READ.match(name)}
    return found, of_service


def test_every_read_operation_in_the_code_is_listed() -> None:
    in_code, of_service = _operations_in_code()
    listed = {operation for _, operation in READ_OPERATIONS}
    assert in_code - listed == set()
    assert listed - in_code == set()
    assert all(operation in of_service[service] for service, operation in READ_OPERATIONS)


def test_every_listed_operation_has_a_reader() -> None:
    assert set(READERS) == READ_OPERATIONS


# Regressions and the messages users see.

def test_ip_address_type_a_string_beside_the_list_of_types_is_read() -> None:
    api = _rest("GetRestApi", IP_ADDRESS_TYPE).resolve(API_ID)
    assert api.endpoint_types == ("REGIONAL",)
    assert api.endpoint_configuration["ipAddressType"] == "dualstack"


def test_an_unknown_integration_type_is_not_eligible_and_named() -> None:
    snapshot = _rest("GetResources", EXAMPLES[("apigateway", "GetResources")][0],
                     GetRequestValidators={}, GetStages={}).read(RestApi(id=API_ID))
    (method,) = snapshot.methods
    assert assess(method, snapshot).reason == f"unknown integration type {UNKNOWN}"


def test_an_unknown_http_integration_type_is_not_eligible_and_named() -> None:
    gateway = _http({"apigatewayv2": {
        "GetRoutes": {"Items": [{"RouteId": "r1", "RouteKey": "POST /jobs",
                                 "Target": "integrations/i1"}]},
        "GetIntegrations": {"Items": [{"IntegrationId": "i1", "IntegrationType": UNKNOWN}]}}})
    snapshot = gateway.read(HttpApi(api_id="a1b2c3"))
    (route,) = snapshot.routes
    assert route_modes.assess(route, snapshot).reason == (
        f"unknown integration type {UNKNOWN}")


def test_a_wrong_value_is_named_with_its_operation_and_field() -> None:
    answer = {"items": [{"id": "r0", "path": "/"}, {"id": "r1", "path": "/orders",
              "resourceMethods": {"GET": {"methodIntegration": {"type": "AWS",
                                                                "timeoutInMillis": "x"}}}}]}
    # botocore would refuse "x" for an integer, so the answer is given without its check.
    stub = Answers("apigateway")
    stub.answers.update({"GetResources": answer, "GetRequestValidators": {}, "GetStages": {}})
    with pytest.raises(UnexpectedResponse) as refused:
        Gateway(stub.client).read(RestApi(id=API_ID))
    assert refused.value.message == (
        "GetResources returned items[1].resourceMethods.GET.methodIntegration.timeoutInMillis "
        "= 'x', which asyncgw cannot read: input should be a valid integer, unable to parse "
        "string as an integer (re-run with --debug for the traceback)")
    assert refused.value.exit_code == 1


def test_a_missing_field_asyncgw_needs_is_named() -> None:
    gateway = _rest("GetRequestValidators", {"items": [{"name": "params"}]},
                    GetResources={}, GetStages={})
    with pytest.raises(UnexpectedResponse) as refused:
        gateway.read(RestApi(id=API_ID))
    assert refused.value.message == ("GetRequestValidators returned no items[0].id, which "
                                     "asyncgw needs (re-run with --debug for the traceback)")


def test_a_status_code_left_out_is_the_key_of_its_response() -> None:
    snapshot = _rest("GetResources", {"items": [{"id": "r1", "path": "/", "resourceMethods": {
        "GET": {"methodResponses": {"200": {}}, "methodIntegration": {
            "type": "MOCK", "integrationResponses": {"200": {}}}}}}]},
        GetRequestValidators={}, GetStages={}).read(RestApi(id=API_ID))
    (method,) = snapshot.methods
    assert method.http_method == "GET"
    assert method.method_responses["200"].status_code == "200"
    assert isinstance(method.integration, Integration)
    assert method.integration.integration_responses["200"].status_code == "200"


def test_iam_policies_arrive_url_encoded_and_are_read_as_json() -> None:
    policy = INVOKE_TARGET
    gateway = _http({"apigatewayv2": {"GetIntegrations": FORWARDER_INTEGRATION},
                     "lambda": {"GetFunction": FORWARDER_FUNCTION},
                     "iam": {"GetRole": {"Role": {
                         "Path": "/", "RoleName": "r", "RoleId": "AROAEXAMPLEROLEID",
                         "Arn": "arn:aws:iam::123456789012:role/r",
                         "CreateDate": "2026-01-01T00:00:00Z",
                         "AssumeRolePolicyDocument": quote(json.dumps({"Version": "2012-10-17"}))}},
                         "GetRolePolicy": {"RoleName": "r", "PolicyName": "p",
                                           "PolicyDocument": quote(json.dumps(policy))}}})
    role = gateway.read(HttpApi(api_id="a1b2c3")).role
    assert role is not None
    assert json.loads(role.invoke_policy or "") == policy
    assert role.targets == (TARGET,)
    assert role.trust_policy == '{"Version":"2012-10-17"}'

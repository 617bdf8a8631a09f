"""The bad-input matrix: each case gets its exit code, one line naming the thing, and no change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from asyncgw_sandbox.seed import Clients, MethodSpec, SeededApi, seed_orders_api, seed_rest_api

from tests.cli.runner import asyncgw, read_fault
from tests.support.faults import FaultInjector
from tests.support.state import full_state

ORDERS = "{orders}"


@dataclass(frozen=True)
class Case:
    """One row: the arguments (with {placeholders}), the exit code and a fragment of the error."""

    args: tuple[str, ...]
    code: int
    message: str
    faults: dict[str, Any] = field(default_factory=dict)


PROD = ("--stage", "prod")
CASES: dict[str, Case] = {
    "managed api with --refuse-managed": Case(
        ("enable-async", "managed", "--all", "--no-deploy", "--refuse-managed"), 2,
        "is managed by CloudFormation stack 'shop-stack' and --refuse-managed is set"),
    "unknown api id": Case(("status", "abcdefghij"), 2,
                           "no REST API with id or name 'abcdefghij' in us-east-1; list them"),
    "unknown api name": Case(("status", "shop"), 2, "no REST API with id or name 'shop'"),
    "api in another region": Case(("status", ORDERS, "--region", "eu-west-1"), 2,
                                  "in eu-west-1; list them with: aws apigateway get-rest-apis "
                                  "--region eu-west-1"),
    "ambiguous name": Case(("status", "twin"), 2, "2 REST APIs are named 'twin'"),
    "http api in a REST-only command": Case(
        ("export", "{http}", "--all", "--mode", "async", "--format", "terraform"), 2,
        "is an HTTP API, not a REST API: HTTP APIs cannot set X-Amz-* headers"),
    "websocket api": Case(("status", "chat"), 2, "is a WEBSOCKET API, not a REST API"),
    "unknown stage": Case(("enable-async", ORDERS, "-m", "GET /orders", "--stage", "qa"), 2,
                          "no stage 'qa' in API"),
    "unknown stage in status": Case(("status", ORDERS, "--stage", "qa"), 2, "no stage 'qa'"),
    "unknown stage in redeploy": Case(("redeploy", ORDERS, "--stage", "qa"), 2,
                                      "no stage 'qa'"),
    "several stages, none chosen": Case(("disable", ORDERS, "--all"), 2,
                                        "has 2 stages (dev, prod); choose one with --stage"),
    "redeploy several stages": Case(("redeploy", ORDERS), 2, "choose one with --stage"),
    "no stage to redeploy": Case(("enable-async", "bare", "-m", "POST /jobs"), 2,
                                 "has no stage to redeploy; pass --no-deploy"),
    "unknown path": Case(("enable-async", ORDERS, "-m", "POST /nope", *PROD), 2,
                         "no method matches 'POST /nope'"),
    "unknown verb on a path": Case(("enable-async", ORDERS, "-m", "PATCH /orders", *PROD), 2,
                                   "no method PATCH /orders: /orders has GET, POST"),
    "ANY where there is none": Case(("enable-async", ORDERS, "-m", "ANY /orders", *PROD), 2,
                                    "use '*' for every verb"),
    "malformed -m": Case(("enable-async", ORDERS, "-m", "POST", *PROD), 2,
                         "-m 'POST' is not 'VERB /path'"),
    "empty -m": Case(("enable-async", ORDERS, "-m", "", *PROD), 2, "is not 'VERB /path'"),
    "-m without slash": Case(("enable-async", ORDERS, "-m", "POST orders", *PROD), 2,
                             "the path must start with '/'"),
    "-m unknown verb": Case(("enable-async", ORDERS, "-m", "FETCH /orders", *PROD), 2,
                            "unknown verb 'FETCH'"),
    "method without integration": Case(("enable-async", "bare", "-m", "POST /pending",
                                        "--no-deploy"), 2,
                                       "POST /pending is not eligible: no integration"),
    "mock named": Case(("enable-async", ORDERS, "-m", "GET /health", *PROD), 2,
                       "GET /health is not eligible: MOCK integration"),
    "http integration named": Case(("enable-switchable", ORDERS, "-m", "GET /catalog", *PROD),
                                   2, "GET /catalog is not eligible: HTTP integration"),
    "proxy named": Case(("enable-async", ORDERS, "-m", "ANY /webhooks", *PROD), 2,
                        "Lambda proxy integration: API Gateway needs the function's response"),
    "empty --all": Case(("enable-async", "mockonly", "--all", "--no-deploy"), 2,
                        "the API has no Lambda non-proxy method"),
    "glob matching only ineligible": Case(("enable-async", ORDERS, "-m", "* /web*", *PROD), 2,
                                          "matches no eligible method"),
    "glob matching only non-Lambda": Case(("disable", ORDERS, "-m", "* /heal*", *PROD), 2,
                                          "matches no eligible method"),
    "--stage with --no-deploy": Case(("enable-async", ORDERS, "-m", "GET /orders", *PROD,
                                      "--no-deploy"), 2, "--stage and --no-deploy contradict"),
    "neither -m nor --all": Case(("enable-async", ORDERS, *PROD), 2, "choose methods with -m"),
    "both -m and --all": Case(("enable-async", ORDERS, "--all", "-m", "GET /orders", *PROD), 2,
                              "choose methods with -m"),
    "no terminal and no --yes": Case(("enable-async", ORDERS, "-m", "GET /orders", *PROD), 2,
                                     "no terminal to confirm on and no --yes"),
    "unicode path": Case(("enable-async", ORDERS, "-m", "POST /cafés/☕", *PROD), 2,
                         "no method matches 'POST /cafés/☕'"),
    "very long path": Case(("enable-async", ORDERS, "-m", "POST /" + "x" * 5000, *PROD), 2,
                           "no method matches"),
    "unknown output format": Case(("status", ORDERS, "--output", "yaml"), 2,
                                  "Invalid value for '--output'"),
    "unknown option": Case(("status", ORDERS, "--colour"), 2, "No such option '--colour'"),
    "unknown command": Case(("enable-fast", ORDERS), 2, "No such command 'enable-fast'"),
    "unknown profile": Case(("status", ORDERS, "--profile", "ghost"), 2,
                            "profile 'ghost' is not in your AWS config"),
    "unreachable endpoint": Case(("status", ORDERS, "--endpoint-url", "http://127.0.0.1:9"), 2,
                                 "cannot reach http://127.0.0.1:9"),
    "expired credentials": Case(("status", ORDERS), 2,
                                "AWS refused the credentials (ExpiredTokenException)",
                                {"read_failure": ("GetRestApi", 400, "ExpiredTokenException")}),
    "access denied on a read": Case(("status", ORDERS), 1,
                                    "IAM refused apigateway:GET on arn:aws:apigateway:us-east-1::"
                                    "/restapis/{orders}/resources",
                                    {"read_failure": ("GetResources", 403,
                                                      "AccessDeniedException")}),
    "access denied on a write": Case(("enable-async", ORDERS, "-m", "GET /orders", *PROD,
                                      "--yes"), 1,
                                     "IAM refused apigateway:PATCH on arn:aws:apigateway:"
                                     "us-east-1::/restapis/{orders}/resources/",
                                     {"injector": ("denied", 1)}),
    "throttled beyond retries": Case(("status", ORDERS), 1, "TooManyRequestsException",
                                     {"read_failure": ("GetStages", 429,
                                                       "TooManyRequestsException")}),
}


@pytest.fixture
def world(account: Clients) -> dict[str, str]:
    orders: SeededApi = seed_orders_api(account)
    for _ in range(2):
        seed_rest_api(account, "twin", [MethodSpec("/a", "GET", integration="mock")])
    seed_rest_api(account, "mockonly", [MethodSpec("/a", "GET", integration="mock")])
    seed_rest_api(account, "managed", [MethodSpec("/a", "POST", function="shop")],
                  tags={"aws:cloudformation:stack-name": "shop-stack"})
    seed_rest_api(account, "bare", [MethodSpec("/jobs", "POST", function="jobs"),
                                    MethodSpec("/pending", "POST", integration="none")],
                  stages=())
    v2 = boto3.client("apigatewayv2", region_name="us-east-1")
    http = v2.create_api(Name="events", ProtocolType="HTTP")
    v2.create_api(Name="chat", ProtocolType="WEBSOCKET",
                  RouteSelectionExpression="$request.body.action")
    return {"orders": orders.api_id, "http": http["ApiId"]}


def _faults(spec: dict[str, Any]) -> dict[str, Callable[..., object] | FaultInjector]:
    out: dict[str, Callable[..., object] | FaultInjector] = {}
    if "read_failure" in spec:
        out["read_failure"] = read_fault(*spec["read_failure"])
    if "injector" in spec:
        fault, position = spec["injector"]
        out["injector"] = FaultInjector({position}, fault)
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(world: dict[str, str], account: Clients, name: str) -> None:
    case = CASES[name]
    args = [arg.format(**world) for arg in case.args]
    before = full_state(account.apigateway, world["orders"])
    result = asyncgw(*args, **_faults(case.faults))  # type: ignore[arg-type]
    assert result.code == case.code, result.err
    assert "Traceback" not in result.err + result.out
    assert result.last_error_line.startswith("Error: ")
    assert case.message.format(**world) in result.last_error_line
    assert full_state(account.apigateway, world["orders"]) == before


def test_the_matrix_is_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30

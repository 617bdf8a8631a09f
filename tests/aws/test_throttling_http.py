"""The throttling sandbox counts HTTP API (apigatewayv2) calls as asyncgw paces them."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import clients
from asyncgw_sandbox.seed_http import http_api_clients, seed_sample_http_api
from asyncgw_sandbox.server import start
from asyncgw_sandbox.throttling import THROTTLE, Throttle, throttling
from botocore.exceptions import ClientError

import asyncgw
from asyncgw.aws.pacing import Pacer
from asyncgw.aws.session import CLIENT_CONFIG
from tests.support.clock import FakeTime

ACCOUNT = "123456789012"


def one_attempt(service: str, endpoint_url: str | None = None) -> Any:
    """A client that does not retry, so every 429 reaches the test."""
    return boto3.client(service, region_name="us-east-1", endpoint_url=endpoint_url,
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=CLIENT_CONFIG)


def until_refused(call: Any, limit: int = 100) -> tuple[int, float, dict[str, Any]]:
    """Calls that succeed before the first 429, their seconds, and the refusal's answer."""
    started = time.monotonic()
    for done in range(limit):
        try:
            call()
        except ClientError as error:
            return done, time.monotonic() - started, error.response
    raise AssertionError(f"{limit} calls and none refused")


def test_http_api_calls_get_429_with_retry_after_once_the_account_burst_is_spent() -> None:
    with emulated_account(throttle=True):
        v2 = one_attempt("apigatewayv2")
        done, seconds, refused = until_refused(v2.get_apis)
    assert 40 <= done <= 40 + int(seconds * 10)
    assert refused["Error"]["Code"] == "TooManyRequestsException"
    assert refused["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert refused["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "1"
    assert THROTTLE.refused == {}  # switched off (and reset) with the account


def test_rest_and_http_api_calls_draw_on_the_same_account_bucket() -> None:
    with emulated_account(throttle=True):
        rest, v2 = one_attempt("apigateway"), one_attempt("apigatewayv2")
        started = time.monotonic()
        for _ in range(30):
            rest.get_rest_apis()
        done, _seconds, _refused = until_refused(v2.get_apis)
        refilled = int((time.monotonic() - started) * 10)
        assert THROTTLE.refused == {"GetApis": 1}
    assert 10 <= done <= 10 + refilled


def test_an_http_api_deployment_waits_5_seconds_in_a_window_of_its_own() -> None:
    with emulated_account(throttle=True):
        v2 = one_attempt("apigatewayv2")
        api = v2.create_api(Name="quota", ProtocolType="HTTP")["ApiId"]
        v2.create_stage(ApiId=api, StageName="prod")
        v2.create_deployment(ApiId=api, StageName="prod")
        with pytest.raises(ClientError) as refused:
            v2.create_deployment(ApiId=api, StageName="prod")
        assert THROTTLE.refused == {"CreateDeployment": 1}
        # As asyncgw's pacer keeps them: REST deployments have a window of their own.
        rest = one_attempt("apigateway")
        made = rest.create_rest_api(name="quota")
        rest.put_method(restApiId=made["id"], resourceId=made["rootResourceId"],
                        httpMethod="GET", authorizationType="NONE")
        rest.put_integration(restApiId=made["id"], resourceId=made["rootResourceId"],
                             httpMethod="GET", type="MOCK")
        rest.create_deployment(restApiId=made["id"], stageName="prod")
    assert refused.value.response["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "5"


def test_the_sandbox_admits_every_http_api_call_the_pacer_lets_through() -> None:
    clock = FakeTime()
    pacer = Pacer(clock=clock.clock, sleep=clock.sleep, headroom=0.0)
    server = Throttle(clock=clock.clock)
    server.enabled = True
    calls = [("apigatewayv2", "CreateDeployment"), ("apigateway", "CreateDeployment")] * 3 + [
        ("apigatewayv2", "GetRoutes"), ("apigateway", "GetResources")] * 40
    for service, operation in calls:
        pacer.acquire(service, operation)
        assert server.admit(ACCOUNT, "us-east-1", operation, service) == 0, (service, operation)
    assert clock.now > 0  # the pacer did have to wait: both kept to the same buckets


def test_the_server_throttles_http_api_calls_when_started_with_throttle() -> None:
    server = start(port=0, throttle=True)
    try:
        v2 = one_attempt("apigatewayv2", server.endpoint_url)
        done, seconds, refused = until_refused(v2.get_apis)
    finally:
        server.stop()
    assert 40 <= done <= 40 + int(seconds * 10)
    assert refused["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "1"


def test_an_http_api_change_after_another_tool_spent_the_quota_waits_and_succeeds() -> None:
    with emulated_account():
        seed_sample_http_api(http_api_clients(clients()))
        other_tool = one_attempt("apigateway")
        statuses: list[int] = []
        session = boto3.Session(region_name="us-east-1")
        session.events.register(
            "response-received.apigatewayv2",
            lambda response_dict=None, **_: statuses.append(int(response_dict["status_code"])))
        account = asyncgw.Account(session=session)
        with throttling():
            with pytest.raises(ClientError, match="TooManyRequestsException"):
                while True:  # another tool spends the whole burst, on REST calls
                    other_tool.get_rest_apis()
            plan = asyncgw.plan_change("events", "async", methods=["POST /jobs"],
                                       account=account)
            plan.apply()
        report = asyncgw.status("events", account=account)
    # Whether asyncgw's first HTTP API call meets the empty bucket depends on how long this
    # machine took since the other tool's last call; either way it is refused at most once,
    # then paced, and the change is made.
    assert statuses and statuses.count(429) <= 1
    assert {r["routeKey"]: r["mode"] for r in report.data["routes"]}["POST /jobs"] == "async"

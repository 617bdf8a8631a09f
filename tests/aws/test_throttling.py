"""The throttling sandbox: API Gateway's quotas enforced with 429 and Retry-After, as AWS does."""

from __future__ import annotations

import math
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.server import start
from asyncgw_sandbox.throttling import THROTTLE, Throttle, throttling
from botocore.exceptions import ClientError

from asyncgw.aws.session import CLIENT_CONFIG
from tests.support.clock import FakeTime

ACCOUNT = "123456789012"


def one_attempt(region: str = "us-east-1", endpoint_url: str | None = None) -> Any:
    """A client that does not retry, so every 429 reaches the test."""
    return boto3.client("apigateway", region_name=region, endpoint_url=endpoint_url,
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=CLIENT_CONFIG)


def succeeding(call: Callable[[], object], limit: int) -> tuple[int, float]:
    """How many calls succeed before the first 429 (at most `limit`), and their seconds."""
    started = time.monotonic()
    for done in range(limit):
        try:
            call()
        except ClientError as error:
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 429
            return done, time.monotonic() - started
    return limit, time.monotonic() - started


def assert_burst(call: Callable[[], object], burst: int, rate: float) -> None:
    """`call` is throttled after `burst` calls, give or take what refilled meanwhile."""
    done, seconds = succeeding(call, 100)
    assert burst <= done <= burst + math.floor(seconds * rate)


def refusal(call: Callable[[], object]) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response


def test_refused_calls_get_429_too_many_requests_with_retry_after() -> None:
    with emulated_account(throttle=True):
        client = one_attempt()
        api = client.create_rest_api(name="quota")["id"]
        assert_burst(lambda: client.get_resources(restApiId=api), 5, 2.5)
        response = refusal(lambda: client.get_resources(restApiId=api))
    assert response["Error"] == {"Code": "TooManyRequestsException",
                                 "Message": "Too Many Requests"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert response["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "1"
    assert response["retryAfterSeconds"] == "1"  # botocore's modeled field, from the header


def test_create_deployment_waits_5_seconds() -> None:
    with emulated_account(throttle=True):
        client = one_attempt()
        api = client.create_rest_api(name="quota")
        client.put_method(restApiId=api["id"], resourceId=api["rootResourceId"],
                          httpMethod="GET", authorizationType="NONE")
        client.put_integration(restApiId=api["id"], resourceId=api["rootResourceId"],
                               httpMethod="GET", type="MOCK")
        client.create_deployment(restApiId=api["id"], stageName="prod")
        response = refusal(lambda: client.create_deployment(restApiId=api["id"],
                                                            stageName="prod"))
        assert THROTTLE.refused == {"CreateDeployment": 1}
    assert response["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "5"


def test_the_account_total_is_40_then_10_per_second_and_per_region() -> None:
    with emulated_account(throttle=True):
        east, west = one_attempt(), one_attempt("eu-west-1")
        assert_burst(east.get_rest_apis, 40, 10)
        assert succeeding(west.get_rest_apis, 3)[0] == 3


def test_the_sandbox_does_not_throttle_unless_asked() -> None:
    with emulated_account():
        client = one_attempt()
        assert succeeding(client.get_rest_apis, 60)[0] == 60
        with throttling():
            assert_burst(client.get_rest_apis, 40, 10)
        assert succeeding(client.get_rest_apis, 10)[0] == 10
    assert not THROTTLE.enabled


def test_buckets_refill_at_the_quota_rates_per_account() -> None:
    fake = FakeTime()
    throttle = Throttle(clock=fake.clock)
    throttle.enabled = True
    for _ in range(5):
        assert throttle.admit(ACCOUNT, "us-east-1", "GetResources") == 0
    assert throttle.admit(ACCOUNT, "us-east-1", "GetResources") == pytest.approx(0.4)
    assert throttle.admit("210987654321", "us-east-1", "GetResources") == 0
    fake.sleep(0.4)
    assert throttle.admit(ACCOUNT, "us-east-1", "GetResources") == 0
    assert throttle.refused == {"GetResources": 1}


def test_the_server_throttles_when_started_with_throttle() -> None:
    server = start(port=0, throttle=True)
    try:
        client = one_attempt(endpoint_url=server.endpoint_url)
        api = client.create_rest_api(name="quota")["id"]
        assert_burst(lambda: client.get_resources(restApiId=api), 5, 2.5)
        response = refusal(lambda: client.get_resources(restApiId=api))
        assert response["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "1"
    finally:
        server.stop()
    assert not THROTTLE.enabled


def test_python_m_sandbox_throttle_serves_a_throttled_account() -> None:
    process = subprocess.Popen([sys.executable, "-m", "asyncgw_sandbox", "--throttle"],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("asyncgw sandbox listening on http://127.0.0.1:")
        assert "quotas enforced" in process.stdout.readline()
        client = one_attempt(endpoint_url=first.split()[-1])
        assert_burst(client.get_rest_apis, 40, 10)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)

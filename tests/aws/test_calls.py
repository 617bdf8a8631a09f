"""The one call wrapper on services other than API Gateway: retried, not paced, and named."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from asyncgw_sandbox.seed import Clients, ensure_function
from botocore.exceptions import ReadTimeoutError

from asyncgw.aws.calls import Service
from asyncgw.aws.errors import NotFound
from asyncgw.aws.pacing import Pacer
from asyncgw.aws.session import CLIENT_CONFIG
from asyncgw.core.errors import AccessDenied, AwsCallFailed
from tests.support.clock import FakeTime
from tests.support.faults import Refuse


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def lambda_(account: Clients, time: FakeTime) -> Service:
    """Lambda behind the wrapper, on a one-attempt client, paced on fake time."""
    client = boto3.client("lambda", region_name="us-east-1", config=CLIENT_CONFIG)
    return Service(client, Pacer(clock=time.clock, sleep=time.sleep, jitter=lambda: 1.0))


def refuse(service: Service, refusal: Refuse) -> Refuse:
    service.client.meta.events.register_first("before-call.lambda", refusal)
    return refusal


def test_lambda_calls_draw_on_no_api_gateway_quota(
    account: Clients, lambda_: Service, time: FakeTime
) -> None:
    name = ensure_function(account, "jobs")
    for _ in range(60):  # more than API Gateway's burst of 40
        lambda_.call("GetFunctionConfiguration", FunctionName=name)
    assert time.sleeps == []


def test_a_throttled_lambda_call_is_retried_with_backoff(
    account: Clients, lambda_: Service, time: FakeTime
) -> None:
    name = ensure_function(account, "jobs")
    refusal = refuse(lambda_, Refuse("GetFunctionConfiguration", 2, 429,
                                     "TooManyRequestsException"))
    assert lambda_.call("GetFunctionConfiguration", FunctionName=name)["FunctionName"] == "jobs"
    assert refusal.seen == 2
    assert time.sleeps == pytest.approx([0.5, 1.0])


def test_a_lambda_create_is_not_sent_again_after_a_server_error(
    account: Clients, lambda_: Service
) -> None:
    refusal = refuse(lambda_, Refuse("CreateFunction", 1, 500, "ServiceException"))
    with pytest.raises(AwsCallFailed, match="CreateFunction failed: ServiceException"):
        lambda_.call("CreateFunction", FunctionName="f", Role="arn:aws:iam::1:role/r",
                     Code={"ZipFile": b"x"})
    assert refusal.seen == 1
    refusal = refuse(lambda_, Refuse("AddPermission", 1, 500, "ServiceException"))
    with pytest.raises(AwsCallFailed, match="AddPermission failed"):
        lambda_.call("AddPermission", FunctionName="f", StatementId="s",
                     Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com")
    assert refusal.seen == 1


def test_a_lambda_read_is_sent_again_after_a_server_error(
    account: Clients, lambda_: Service
) -> None:
    name = ensure_function(account, "jobs")
    refusal = refuse(lambda_, Refuse("GetPolicy", 2, 503, "ServiceException"))
    with pytest.raises(NotFound):  # the function has no policy: answered, after two retries
        lambda_.call("GetPolicy", FunctionName=name)
    assert refusal.seen == 2


def test_a_denied_lambda_call_names_the_action_and_the_function(
    account: Clients, lambda_: Service
) -> None:
    refuse(lambda_, Refuse("GetFunction", 1, 403, "AccessDeniedException"))
    with pytest.raises(AccessDenied) as caught:
        lambda_.call("GetFunction", FunctionName="asyncgw-async-jobs-1a2b3c4d")
    assert caught.value.message == (
        "access denied: IAM refused lambda:GetFunction on asyncgw-async-jobs-1a2b3c4d; grant it "
        "to the identity asyncgw runs as")


def test_still_throttled_outside_api_gateway_does_not_blame_its_quota(
    account: Clients, lambda_: Service
) -> None:
    refuse(lambda_, Refuse("ListTags", 1000, 429, "TooManyRequestsException"))
    with pytest.raises(AwsCallFailed) as caught:
        lambda_.call("ListTags", Resource="arn:aws:lambda:us-east-1:123456789012:function:f")
    assert "still throttled after" in caught.value.message
    assert "API Gateway" not in caught.value.message


@dataclass
class LoseAnswer:
    """The first `operation` call reaches AWS and takes effect; its answer never arrives."""

    operation: str
    lost: int = 0

    def __call__(self, model: Any, **_: Any) -> None:
        if model.name == self.operation and not self.lost:
            self.lost += 1
            raise ReadTimeoutError(endpoint_url="https://lambda.us-east-1.amazonaws.com")


def test_a_delete_resent_after_a_lost_answer_that_finds_nothing_is_done(
    account: Clients, lambda_: Service
) -> None:
    ensure_function(account, "jobs")
    lose = LoseAnswer("DeleteFunction")
    lambda_.client.meta.events.register("after-call.lambda", lose)
    assert lambda_.call("DeleteFunction", FunctionName="jobs") == {}
    assert lose.lost == 1
    with pytest.raises(NotFound):
        lambda_.call("GetFunction", FunctionName="jobs")


def test_a_delete_of_nothing_sent_once_is_still_not_found(lambda_: Service) -> None:
    with pytest.raises(NotFound):
        lambda_.call("DeleteFunction", FunctionName="never-made")


def test_a_delete_resent_after_a_throttle_that_finds_nothing_is_not_found(
    lambda_: Service
) -> None:
    # A throttled call was refused before Lambda acted: the resend's NotFound is the truth.
    refuse(lambda_, Refuse("DeleteFunction", 1, 429, "TooManyRequestsException"))
    with pytest.raises(NotFound):
        lambda_.call("DeleteFunction", FunctionName="never-made")

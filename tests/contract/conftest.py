"""Fixtures for the sandbox's contract tests: a fresh emulated account and AWS error checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from asyncgw_sandbox.seed import Clients
from botocore.exceptions import ClientError


@dataclass(frozen=True)
class RootMethod:
    """A fresh REST API whose root resource has one method, as the recorded tests start."""

    c: Clients
    api_id: str
    root_id: str
    verb: str


AwsErrorCheck = Callable[[Callable[[], object], int, str, str], None]


@pytest.fixture
def root_any(c: Clients) -> RootMethod:
    """A REST API with `ANY /` (authorization NONE, no integration) [REC A1 set-up]."""
    api = c.apigateway.create_rest_api(name="contract")
    c.apigateway.put_method(
        restApiId=api["id"],
        resourceId=api["rootResourceId"],
        httpMethod="ANY",
        authorizationType="NONE",
    )
    return RootMethod(c, api["id"], api["rootResourceId"], "ANY")


@pytest.fixture
def aws_error() -> AwsErrorCheck:
    """Check that a call fails as AWS would: HTTP status, Error.Code, Error.Message, `message`."""

    def check(call: Callable[[], object], status: int, code: str, message: str) -> None:
        with pytest.raises(ClientError) as caught:
            call()
        response = caught.value.response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == status
        assert response["Error"]["Code"] == code
        assert response["Error"]["Message"] == message
        if code in ("BadRequestException", "NotFoundException"):
            # botocore copies the body's `message` for modeled errors, as on AWS.
            assert response.get("message") == message

    return check


@pytest.fixture
def v2_error() -> AwsErrorCheck:
    """aws_error for apigatewayv2, whose error shapes name the body's `message` `Message`."""

    def check(call: Callable[[], object], status: int, code: str, message: str) -> None:
        with pytest.raises(ClientError) as caught:
            call()
        response = caught.value.response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == status
        assert (response["Error"]["Code"], response["Error"]["Message"]) == (code, message)
        assert response.get("Message") == message  # [MODEL] BadRequestException.Message

    return check

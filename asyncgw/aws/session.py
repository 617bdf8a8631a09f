"""The only place asyncgw makes boto3 sessions and clients: profile, region, endpoint, pacer."""

from __future__ import annotations

from typing import Any, Literal

import boto3
from botocore.config import Config
from botocore.exceptions import NoRegionError, ProfileNotFound

from asyncgw import __version__
from asyncgw.aws import trace
from asyncgw.aws.pacing import Pacer
from asyncgw.core.errors import AwsSetupError, UsageError

ServiceName = Literal["apigateway", "apigatewayv2", "lambda", "iam", "sts", "cloudwatch"]

# One attempt per botocore call (total_max_attempts; botocore's max_attempts counts retries):
# asyncgw's call wrapper (aws/calls.py) makes every retry decision. botocore's own retries
# ignore Retry-After and give up after about 3 s, less than CreateDeployment's 5 s window [DOC
# limits]; nested under ours they would multiply the attempts, hide calls from the pacer's
# buckets and break its bounded wait.
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 1},
    user_agent_extra=f"asyncgw/{__version__}",
)


def open_session(profile: str | None, region: str | None,
                 given: boto3.Session | None = None) -> boto3.Session:
    """A session for the account and region the AWS CLI conventions point at, seen by --trace.

    `given` is a session the caller made: used as it is, in place of `profile` and `region`.
    """
    if given is not None:
        return _adopt(given, profile, region)
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound:
        raise AwsSetupError(
            f"profile {profile!r} is not in your AWS config; list them with: "
            "aws configure list-profiles"
        ) from None
    if session.region_name is None:
        raise AwsSetupError("no AWS region: pass --region, set AWS_REGION, or run: aws configure")
    trace.attach(session)
    return session


def _adopt(session: boto3.Session, profile: str | None, region: str | None) -> boto3.Session:
    """The caller's own session, once it is clear which account and region it stands for."""
    if profile is not None or region is not None:
        raise UsageError("a boto3 session already names its profile and region: "
                         "pass the session alone")
    if session.region_name is None:
        raise AwsSetupError("the boto3 session has no region: "
                            "make it with boto3.Session(region_name=...)")
    # attach registers its handlers by unique id, so a session shared by both gateways is
    # traced once.
    trace.attach(session)
    return session


def client(session: boto3.Session, service: ServiceName, endpoint_url: str | None, what: str
           ) -> Any:
    """A one-attempt client of `service`; AwsSetupError naming `what` when it cannot be made.

    Any: boto3 types a client by its literal service name, and each caller keeps it as its
    own typed client.
    """
    try:
        return session.client(service, endpoint_url=endpoint_url, config=CLIENT_CONFIG)
    except (NoRegionError, ValueError) as error:
        raise AwsSetupError(f"cannot create the {what}: {error}") from None


DEFAULT_IN_FLIGHT = 4
"""AWS calls asyncgw keeps in flight at once unless told otherwise (--max-in-flight): enough to
hide 100-300 ms of latency behind API Gateway's 10 requests per second."""


def in_flight(max_in_flight: int) -> int:
    """`max_in_flight` checked: at least 1 (one call at a time); UsageError otherwise."""
    if isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int) or max_in_flight < 1:
        raise UsageError(f"--max-in-flight must be a whole number of at least 1 (1 sends one "
                         f"call at a time), not {max_in_flight!r}")
    return max_in_flight


def pacer(max_rps: float | None) -> Pacer:
    """The pacer for one command; `max_rps` lowers asyncgw's share of API Gateway's quota."""
    try:
        return Pacer(max_rps)
    except ValueError as error:
        raise UsageError(str(error)) from None

"""The gateway with a pacer: which failures it retries, what it surfaces, how it is built."""

from __future__ import annotations

import boto3
import pytest
from asyncgw_sandbox.seed import Clients, SeededApi

from asyncgw.aws.pacing import Pacer
from asyncgw.aws.session import CLIENT_CONFIG
from asyncgw.core.errors import AwsCallFailed, UsageError
from asyncgw.rest.gateway import Gateway, connect
from tests.support.clock import FakeTime
from tests.support.faults import Refuse, call_log


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def paced(account: Clients, time: FakeTime) -> Gateway:
    """A gateway on a one-attempt client, paced on fake time."""
    client = boto3.client("apigateway", region_name="us-east-1", config=CLIENT_CONFIG)
    return Gateway(client, pacer=Pacer(clock=time.clock, sleep=time.sleep))


def refuse(gateway: Gateway, refusal: Refuse) -> Refuse:
    gateway.client.meta.events.register_first("before-call.api-gateway", refusal)
    return refusal


def test_a_throttled_read_is_retried_after_retry_after(
    paced: Gateway, orders: SeededApi, time: FakeTime
) -> None:
    calls = call_log(paced.client)  # sees the calls that reach the account
    refusal = refuse(paced, Refuse("GetStages", 2, headers={"retry-after": "2"}))
    snapshot = paced.read(paced.resolve(orders.api_id))
    assert {s.stage_name for s in snapshot.stages} == {"dev", "prod"}
    assert (refusal.seen, calls.count("GetStages")) == (2, 1)
    assert time.now >= 4.0


def test_limit_exceeded_is_retried_like_a_throttle(
    paced: Gateway, orders: SeededApi
) -> None:
    refusal = refuse(paced, Refuse("CreateDeployment", 1, status=429,
                                   code="LimitExceededException"))
    paced.create_deployment(orders.api_id, "dev", "paced")
    assert refusal.seen == 1


def test_a_call_throttled_past_the_bound_fails_with_what_happened(
    paced: Gateway, orders: SeededApi, time: FakeTime
) -> None:
    refusal = refuse(paced, Refuse("GetStages", 1000, headers={"retry-after": "1"}))
    with pytest.raises(AwsCallFailed) as caught:
        paced.read(paced.resolve(orders.api_id))
    retries = refusal.seen - 1
    assert retries > 5
    assert caught.value.exit_code == 1
    assert caught.value.message.startswith("GetStages failed: TooManyRequestsException: ")
    assert f"still throttled after {retries} retries over " in caught.value.message
    assert time.now <= 61


def test_server_errors_are_retried_on_reads_and_patches_but_not_on_creates(
    paced: Gateway, orders: SeededApi
) -> None:
    refuse(paced, Refuse("GetRestApi", 2, status=503, code="ServiceUnavailableException"))
    assert paced.resolve(orders.api_id).id == orders.api_id
    refusal = refuse(paced, Refuse("CreateRequestValidator", 1, status=500,
                                   code="InternalFailure"))
    with pytest.raises(AwsCallFailed, match="CreateRequestValidator failed: InternalFailure"):
        paced.create_validator(orders.api_id, "v", body=False, parameters=True)
    assert refusal.seen == 1


def test_without_a_pacer_nothing_is_retried(account: Clients, orders: SeededApi) -> None:
    gateway = Gateway(account.apigateway)
    refusal = Refuse("GetStages", 1, headers={"retry-after": "1"})
    account.apigateway.meta.events.register_first("before-call.api-gateway", refusal)
    with pytest.raises(AwsCallFailed, match="GetStages failed: TooManyRequestsException"):
        gateway.read(gateway.resolve(orders.api_id))
    assert refusal.seen == 1


def test_connect_paces_and_leaves_retries_to_the_pacer(account: Clients) -> None:
    gateway = connect(None, "us-east-1", None)
    assert isinstance(gateway.pacer, Pacer)
    assert gateway.client.meta.config.retries == {"mode": "standard", "total_max_attempts": 1}
    lowered = connect(None, "us-east-1", None, max_rps=2)
    assert lowered.pacer is not None


def test_connect_refuses_a_max_rps_beyond_the_quota(account: Clients) -> None:
    with pytest.raises(UsageError, match="--max-rps must be more than 0 and at most 10"):
        connect(None, "us-east-1", None, max_rps=50)


def test_the_cli_help_does_not_import_the_pacer() -> None:
    import subprocess
    import sys

    probe = ("import sys\nfrom asyncgw.cli import run\n"
             "try:\n    run(['--help'])\nexcept SystemExit:\n    pass\n"
             "print('asyncgw.aws.pacing' in sys.modules, 'boto3' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "False False"

"""Token buckets and the pacer's pacing: bursts first, then the documented rates."""

from __future__ import annotations

import pytest
from asyncgw_sandbox.throttling import Throttle
from hypothesis import given, settings
from hypothesis import strategies as st

from asyncgw.aws.pacing import HEADROOM, Pacer, TokenBucket
from tests.support.clock import FakeTime


def send_times(pacer: Pacer, time: FakeTime, operations: list[str]) -> list[float]:
    """The time at which each operation is let through."""
    times = []
    for operation in operations:
        pacer.acquire("apigateway", operation)
        times.append(time.now)
    return times


def exact_pacer(time: FakeTime, max_rps: float | None = None) -> Pacer:
    return Pacer(max_rps, clock=time.clock, sleep=time.sleep, headroom=0.0)


def test_a_bucket_gives_its_burst_then_one_token_per_interval() -> None:
    bucket = TokenBucket(rate=2.0, burst=3)
    for _ in range(3):
        assert bucket.wait(0.0) == 0
        bucket.take(0.0)
    assert bucket.tokens(0.0) == 0
    assert bucket.wait(0.0) == pytest.approx(0.5)
    assert bucket.tokens(1.0) == pytest.approx(2.0)
    assert bucket.tokens(10.0) == 3  # never more than the burst


def test_an_emptied_bucket_refills_from_zero() -> None:
    bucket = TokenBucket(rate=10.0, burst=40)
    bucket.empty(5.0)
    assert bucket.tokens(5.0) == pytest.approx(0)
    assert bucket.wait(5.0) == pytest.approx(0.1)


def test_the_account_total_bursts_40_then_paces_to_10_per_second() -> None:
    time = FakeTime()
    times = send_times(exact_pacer(time), time, ["UpdateMethod"] * 100)
    assert times[:40] == [0.0] * 40
    assert times[40:] == pytest.approx([0.1 * n for n in range(1, 61)])


def test_get_resources_bursts_5_then_paces_to_5_every_2_seconds() -> None:
    time = FakeTime()
    times = send_times(exact_pacer(time), time, ["GetResources"] * 15)
    assert times[:5] == [0.0] * 5
    assert times[5:] == pytest.approx([0.4 * n for n in range(1, 11)])


def test_create_deployment_goes_once_every_5_seconds() -> None:
    time = FakeTime()
    times = send_times(exact_pacer(time), time, ["CreateDeployment"] * 3)
    assert times == pytest.approx([0.0, 5.0, 10.0])


def test_operation_quotas_also_spend_the_account_total() -> None:
    time = FakeTime()
    pacer = exact_pacer(time)
    send_times(pacer, time, ["UpdateMethod"] * 39)
    times = send_times(pacer, time, ["GetResources", "GetStages"])
    assert times == pytest.approx([0.0, 0.1])


def test_max_rps_lowers_the_rate_and_the_burst_in_proportion() -> None:
    time = FakeTime()
    times = send_times(exact_pacer(time, max_rps=2), time, ["UpdateIntegration"] * 20)
    assert times[:8] == [0.0] * 8
    assert times[8:] == pytest.approx([0.5 * n for n in range(1, 13)])


@pytest.mark.parametrize("max_rps", [0, -1, 10.5])
def test_max_rps_outside_the_quota_is_refused(max_rps: float) -> None:
    with pytest.raises(ValueError, match="--max-rps must be more than 0 and at most 10"):
        Pacer(max_rps)


def test_headroom_delays_only_the_first_paced_call() -> None:
    time = FakeTime()
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    times = send_times(pacer, time, ["UpdateMethod"] * 50)
    assert times[:39] == [0.0] * 39
    assert times[39] == pytest.approx(HEADROOM)
    assert times[49] - times[39] == pytest.approx(1.0)  # the rate itself is unchanged


OPERATIONS = st.sampled_from(["GetResources", "CreateDeployment", "UpdateMethod", "GetStages",
                              "CreateRequestValidator"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(OPERATIONS, st.floats(min_value=0, max_value=3),
                          st.floats(min_value=0, max_value=HEADROOM * 0.98)),
                min_size=1, max_size=300))
def test_the_sandbox_admits_every_call_the_pacer_lets_through(
    calls: list[tuple[str, float, float]],
) -> None:
    """Even when each call reaches the server up to HEADROOM late (network jitter)."""
    time = FakeTime()
    arrival = 0.0
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    server = Throttle(clock=lambda: arrival)
    server.enabled = True
    for operation, pause, late in calls:
        time.now += pause
        pacer.acquire("apigateway", operation)
        arrival = time.now + late
        assert server.admit("123456789012", "us-east-1", operation) == 0, operation

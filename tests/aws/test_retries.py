"""Retrying throttled and transient failures: Retry-After, backoff, and the bounded wait."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from asyncgw.aws.pacing import MAX_WAIT, Pacer, Retry
from asyncgw.core.errors import AwsCallFailed
from tests.support.clock import FakeTime


class Refused(Exception):
    """A failure the test classifies through `retry`."""

    def __init__(self, retry: Retry | None) -> None:
        super().__init__("refused")
        self.retry = retry


def classify(error: Exception) -> Retry | None:
    return error.retry if isinstance(error, Refused) else None


REST = "apigateway"
THROTTLED = Retry(True, "TooManyRequestsException", "Too Many Requests")


def failing(times: int, retry: Retry | None, attempts: list[float], time: FakeTime
            ) -> Callable[[], str]:
    """A call that fails `times` times, then answers "ok"; records when each attempt ran."""

    def send() -> str:
        attempts.append(time.now)
        if len(attempts) <= times:
            raise Refused(retry)
        return "ok"

    return send


def pacer(time: FakeTime, jitter: float = 0.0) -> Pacer:
    return Pacer(clock=time.clock, sleep=time.sleep, jitter=lambda: jitter)


def test_retry_after_is_honoured_before_the_next_attempt() -> None:
    time, attempts = FakeTime(), []
    waited = THROTTLED._replace(retry_after=3.0)
    send = failing(2, waited, attempts, time)
    assert pacer(time).call(REST, "UpdateMethod", send, classify) == "ok"
    assert len(attempts) == 3
    assert attempts[1] - attempts[0] >= 3.0
    assert attempts[2] - attempts[1] >= 3.0


def test_without_retry_after_the_backoff_grows_and_is_jittered() -> None:
    time, attempts = FakeTime(), []
    pacer(time, jitter=1.0).call(REST, "UpdateMethod", failing(4, THROTTLED, attempts, time),
                                 classify)
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert gaps == pytest.approx([0.5, 1.0, 2.0, 4.0], abs=0.2)
    time, attempts = FakeTime(), []
    pacer(time, jitter=0.0).call(REST, "UpdateMethod", failing(4, THROTTLED, attempts, time),
                                 classify)
    # No jitter left: only the pacer's own emptied bucket spaces the attempts.
    assert max(b - a for a, b in itertools.pairwise(attempts)) < 0.2


def test_a_throttle_empties_the_buckets_so_later_calls_do_not_burst() -> None:
    time, attempts = FakeTime(), []
    paced = pacer(time)
    paced.call(REST, "UpdateMethod", failing(1, THROTTLED, attempts, time), classify)
    start = time.now
    for _ in range(10):
        paced.acquire(REST, "UpdateMethod")
    assert time.now - start >= 0.9  # about 10 per second, not a burst of 40


def test_a_call_still_throttled_gives_up_after_the_bounded_wait() -> None:
    time, attempts = FakeTime(), []
    with pytest.raises(AwsCallFailed) as caught:
        pacer(time, jitter=1.0).call(REST, "GetStages", failing(1000, THROTTLED, attempts, time),
                                     classify)
    retries = len(attempts) - 1
    assert caught.value.operation == "GetStages"
    assert caught.value.code == "TooManyRequestsException"
    assert f"still throttled after {retries} retries over " in caught.value.message
    assert 30 < time.now <= MAX_WAIT + 1
    assert isinstance(caught.value.__cause__, Refused)


def test_a_retry_after_beyond_the_bound_gives_up_at_once() -> None:
    time, attempts = FakeTime(), []
    with pytest.raises(AwsCallFailed, match="after 0 retries over 0 s, and AWS asks for 120 s"):
        pacer(time).call(REST, "CreateDeployment",
                         failing(1, THROTTLED._replace(retry_after=120.0), attempts, time),
                         classify)
    assert len(attempts) == 1
    assert time.now < 1


def test_transient_failures_are_retried_twice_then_raised_as_they_are() -> None:
    time, attempts = FakeTime(), []
    transient = Retry(False, "InternalFailure", "boom")
    with pytest.raises(Refused):
        pacer(time).call(REST, "GetResources", failing(10, transient, attempts, time), classify)
    assert len(attempts) == 3
    time, attempts = FakeTime(), []
    assert pacer(time).call(REST, "GetResources", failing(2, transient, attempts, time),
                            classify) == "ok"


def test_other_failures_are_not_retried() -> None:
    time, attempts = FakeTime(), []
    with pytest.raises(Refused):
        pacer(time).call(REST, "UpdateMethod", failing(1, None, attempts, time), classify)
    assert attempts == [0.0]

"""One pacer shared by several threads: together they never spend more than the buckets hold."""

from __future__ import annotations

import threading

import pytest
from asyncgw_sandbox.seed import Clients, seed_orders_api
from asyncgw_sandbox.throttling import throttling

from asyncgw.aws.calls import Service
from asyncgw.aws.pacing import ACCOUNT_QUOTA, OPERATION_QUOTAS, Pacer, Quota
from tests.aws.virtual_time import VirtualTime, run_threads

THREADS = 8


def taken_times(operations: list[list[str]], headroom: float = 0.0
                ) -> list[tuple[float, str]]:
    """(virtual time, operation) of every token taken, each list of operations on a thread."""
    time = VirtualTime(len(operations))
    pacer = Pacer(clock=time.clock, sleep=time.sleep, headroom=headroom)
    taken: list[tuple[float, str]] = []
    lock = threading.Lock()

    def sender(ops: list[str]) -> None:
        for operation in ops:
            pacer.acquire("apigateway", operation)
            with lock:
                taken.append((time.clock(), operation))

    run_threads(time, [lambda ops=ops: sender(ops) for ops in operations])
    return sorted(taken)


def assert_within(times: list[float], quota: Quota) -> None:
    """No window [a, b] holds more sends than the burst plus what the rate refills in it."""
    for first, start in enumerate(times):
        for last in range(first, len(times)):
            allowed = quota.burst + quota.rate * (times[last] - start) + 1e-6
            assert last - first + 1 <= allowed, (start, times[last], last - first + 1)


def test_threads_sharing_a_pacer_never_exceed_the_account_quota() -> None:
    taken = taken_times([["UpdateMethod"] * 25 for _ in range(THREADS)])
    times = [at for at, _ in taken]
    assert len(times) == 200
    assert_within(times, ACCOUNT_QUOTA)
    assert times[:40] == [0.0] * 40  # the burst goes at once, to whichever threads ask
    # and the rest at exactly the quota's rate: sharing the buckets wastes none of it
    assert times[-1] == pytest.approx((200 - 40) / ACCOUNT_QUOTA.rate)


def test_threads_keep_to_an_operation_quota_and_the_account_total_together() -> None:
    mixed = [["GetResources", "UpdateMethod", "UpdateMethod"] * 6 for _ in range(THREADS)]
    taken = taken_times(mixed)
    assert_within([at for at, _ in taken], ACCOUNT_QUOTA)
    assert_within([at for at, op in taken if op == "GetResources"],
                  OPERATION_QUOTAS["GetResources"])


def test_threaded_calls_through_the_wrapper_draw_no_429_from_a_throttling_account(
    account: Clients,
) -> None:
    """Real boto3 calls from 8 threads at once, against an account enforcing the quotas."""
    api = seed_orders_api(account)
    time = VirtualTime(THREADS)
    apigateway = Service(account.apigateway, Pacer(clock=time.clock, sleep=time.sleep))
    answers: list[int] = []

    def reader() -> None:
        for _ in range(5):
            answers.append(len(apigateway.call("GetStages", restApiId=api.api_id)["item"]))
            apigateway.call("GetResources", restApiId=api.api_id)

    with throttling(time.clock) as throttle:
        run_threads(time, [reader] * THREADS)
        assert sum(throttle.refused.values()) == 0
    assert answers == [2] * THREADS * 5
    # 40 GetResources at 5 every 2 s after a burst of 5 (plus headroom): the quota is kept
    assert time.now >= (THREADS * 5 - 5) / OPERATION_QUOTAS["GetResources"].rate

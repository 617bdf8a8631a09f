"""API Gateway's quotas enforced by the emulated account: 429 once a bucket is empty.

REST (apigateway) and HTTP (apigatewayv2) calls are counted as asyncgw paces them
(asyncgw.aws.pacing.SERVICES): against one account bucket, each operation with a quota of its
own in a bucket per service.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from asyncgw.aws.pacing import ACCOUNT_QUOTA, SERVICES, Clock, Quota, TokenBucket

Response = tuple[int, dict[str, str], str]
TOO_MANY_REQUESTS = "Too Many Requests"  # [COMM aws/aws-sdk-js#1014]


class Throttle:
    """The quotas' token buckets per account and region, refusing calls while switched on."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self.enabled = False
        self.refused: Counter[str] = Counter()  # operation -> 429s answered
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str, str, str], TokenBucket] = {}

    def admit(self, account: str, region: str, operation: str,
              service: str = "apigateway") -> float:
        """0 if the call may proceed (its tokens are taken), else seconds until it could."""
        if not self.enabled:
            return 0.0
        # asyncgw's own model of the quotas, apigatewayv2's [UNVERIFIED] sharing included: the
        # sandbox shows asyncgw keeps to that model, not that AWS counts the same way.
        pacing = SERVICES[service]
        with self._lock:
            now = self._clock()
            buckets = ([self._bucket(account, region, "", "", ACCOUNT_QUOTA)]
                       if pacing.account else [])
            if operation in pacing.operations:
                buckets.append(self._bucket(account, region, service, operation,
                                            pacing.operations[operation]))
            wait = max((bucket.wait(now) for bucket in buckets), default=0.0)
            if wait > 0:
                self.refused[operation] += 1  # a refused call takes no token [UNVERIFIED]
                return wait
            for bucket in buckets:
                bucket.take(now)
            return 0.0

    def reset(self, clock: Clock | None = None) -> None:
        """Fill every bucket again and forget the refusals; count time by `clock` if given."""
        with self._lock:
            self._buckets.clear()
            self.refused.clear()
            if clock is not None:
                self._clock = clock

    def _bucket(self, account: str, region: str, service: str, operation: str, quota: Quota
                ) -> TokenBucket:
        key = (account, region, service, operation)
        if key not in self._buckets:
            self._buckets[key] = TokenBucket(quota.rate, quota.burst)
        return self._buckets[key]


# One per process, like moto's backends: the in-process mock and a server thread share both.
THROTTLE = Throttle()
_lock = threading.Lock()
_installed = False


def switch_on(clock: Clock = time.monotonic) -> Throttle:
    """Enforce the quotas from now on, starting from full buckets, in `clock`'s time."""
    _install()
    THROTTLE.reset(clock)
    THROTTLE.enabled = True
    return THROTTLE


def switch_off() -> None:
    """Stop enforcing the quotas."""
    THROTTLE.enabled = False
    THROTTLE.reset(time.monotonic)


@contextmanager
def throttling(clock: Clock = time.monotonic) -> Iterator[Throttle]:
    """Enforce the quotas for the duration of the block, in `clock`'s time (a test's)."""
    try:
        yield switch_on(clock)
    finally:
        switch_off()


def too_many_requests(wait: float) -> Response:
    """The 429 AWS answers when a quota is spent, with Retry-After in whole seconds [MODEL]."""
    headers = {
        "Content-Type": "application/json",
        "X-Amzn-Errortype": "TooManyRequestsException",
        "Retry-After": str(max(1, math.ceil(wait))),
    }
    return 429, headers, json.dumps({"message": TOO_MANY_REQUESTS})


def _install() -> None:
    """Put the quota check in front of every API Gateway operation (v1 and v2) moto dispatches."""
    global _installed
    with _lock:
        if _installed:
            return
        from moto.apigateway.responses import APIGatewayResponse
        from moto.apigatewayv2.responses import ApiGatewayV2Response

        # Patched in place, as asyncgw_sandbox.install does.
        for service, handler in (("apigateway", APIGatewayResponse),
                                 ("apigatewayv2", ApiGatewayV2Response)):
            patched: Any = handler
            patched.call_action = _checked(patched.call_action, service)
        _installed = True


def _checked(call_action: Callable[[Any], Any], service: str) -> Callable[[Any], Any]:
    # call_action runs after moto has parsed the request (account, region, operation) and
    # before it looks for a handler, for in-process mocks and the server alike (apigatewayv2's
    # deployment handlers, which asyncgw_sandbox.install adds, included).
    def call_action_within_quotas(self: Any) -> Any:
        wait = THROTTLE.admit(self.current_account, self.region, self._get_action() or "",
                              service)
        if wait:
            return too_many_requests(wait)
        return call_action(self)

    return call_action_within_quotas

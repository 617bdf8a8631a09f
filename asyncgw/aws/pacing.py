"""Client-side pacing and retries per AWS service, from one table, within the quotas."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import NamedTuple, TypeVar

from asyncgw.core.errors import AwsCallFailed

T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], None]


class Quota(NamedTuple):
    """`requests` every `seconds`, in bursts of at most `burst` requests."""

    requests: float
    seconds: float
    burst: float

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds


# Fixed per account and region, shared with every other tool there [DOC limits]. Operations not
# listed (UpdateMethod, UpdateIntegration, GetStages, ...) have only the account total.
ACCOUNT_QUOTA = Quota(10, 1, burst=40)
OPERATION_QUOTAS: Mapping[str, Quota] = {
    "GetResources": Quota(5, 2, burst=5),
    "CreateDeployment": Quota(1, 5, burst=1),
}
_APIGATEWAY_THROTTLED = frozenset({"TooManyRequestsException", "LimitExceededException"})


class ServicePacing(NamedTuple):
    """How one AWS service's calls are paced, and which of its error codes mean throttled."""

    account: bool
    """Its calls draw on API Gateway's account quota (ACCOUNT_QUOTA, or less with --max-rps)."""
    operations: Mapping[str, Quota]
    """Operations with a quota of their own, on top of the account's."""
    throttled: frozenset[str]
    """Error codes that mean "slow down": the call was refused before AWS acted on it."""


SERVICES: Mapping[str, ServicePacing] = {
    "apigateway": ServicePacing(True, OPERATION_QUOTAS, _APIGATEWAY_THROTTLED),
    # HTTP APIs are managed through the same API Gateway control plane; that their calls count
    # against the same 10 per second and that CreateDeployment has the same 5 s window is
    # [UNVERIFIED] (the quota table names REST operations only). Should they have a quota of
    # their own, sharing REST's only makes asyncgw slower than it needs to be.
    "apigatewayv2": ServicePacing(
        True, {"CreateDeployment": OPERATION_QUOTAS["CreateDeployment"]}, _APIGATEWAY_THROTTLED),
    # Lambda, IAM and STS have quotas of their own, far from what asyncgw spends (a few calls per
    # function or role, one GetCallerIdentity); their figures are [UNVERIFIED], so their calls
    # are not paced, only retried with backoff when throttled.
    "lambda": ServicePacing(False, {}, frozenset({"TooManyRequestsException",
                                                  "ThrottlingException"})),
    "iam": ServicePacing(False, {}, frozenset({"Throttling", "ThrottlingException"})),
    "sts": ServicePacing(False, {}, frozenset({"Throttling", "ThrottlingException"})),
    # CloudWatch's quotas are its own: GetMetricData takes 50 requests per second per Region
    # without Metrics Insights queries [DOC CloudWatch service quotas]. The burst is
    # [UNVERIFIED]; one second's worth is the figure the quota names. advise sends one call
    # per 500 queries (plus pages), far below it.
    "cloudwatch": ServicePacing(False, {"GetMetricData": Quota(50, 1, burst=50)},
                                frozenset({"Throttling", "ThrottlingException"})),
}
# AWS counts a request when it arrives, a few milliseconds after we count it, and that delay
# varies: sending only once a token has been free this long absorbs the jitter, costs nothing
# at the steady rate, and so keeps a paced run free of 429s.
HEADROOM = 0.05
MAX_WAIT = 60.0  # seconds of retrying a throttled call before giving up
TRANSIENT_RETRIES = 2  # for 5xx and connection errors: enough for a blip, quick to report
BACKOFF_BASE = 0.5  # seconds; doubled on each retry, then jittered
BACKOFF_CAP = 20.0
_ROUNDING = 1e-9  # seconds


class TokenBucket:
    """A token bucket: `burst` tokens, refilled at `rate` per second, one taken per request.

    It keeps a single number, the time it is full again, from which its tokens follow.
    """

    def __init__(self, rate: float, burst: float, headroom: float = 0.0) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError(f"a token bucket needs rate > 0 and burst >= 1, not {rate}, {burst}")
        self.rate = rate
        self.burst = burst
        self.headroom = headroom
        self._full_at = float("-inf")  # a new bucket is full

    def tokens(self, now: float) -> float:
        """Tokens in the bucket at `now`."""
        return self.burst - max(0.0, self._full_at - now) * self.rate

    def wait(self, now: float) -> float:
        """Seconds from `now` until a token is free (and has been for `headroom`); 0 if it is."""
        wait = self._full_at - (self.burst - 1) / self.rate + self.headroom - now
        return wait if wait > _ROUNDING else 0.0  # sums of 1/rate are inexact

    def take(self, now: float) -> None:
        """Take one token (callers check `wait` first)."""
        self._full_at = max(self._full_at, now) + 1 / self.rate

    def empty(self, now: float) -> None:
        """Assume the bucket holds no token at `now` (the server said so)."""
        self._full_at = max(self._full_at, now + self.burst / self.rate)


class Retry(NamedTuple):
    """Why a failed call may be tried again: throttled by a quota, or a transient fault."""

    throttled: bool
    """Refused before AWS acted on it (a quota, or another change under way): resent however
    often the time allows, whatever the call."""
    code: str
    message: str
    retry_after: float | None = None  # seconds, from the Retry-After header
    conflict: bool = False
    """Refused because another change to the API was under way, not for a quota."""


def lowered(max_rps: float) -> Quota:
    """The account quota cut to `max_rps` requests per second, its burst cut in proportion."""
    if not 0 < max_rps <= ACCOUNT_QUOTA.rate:
        raise ValueError(
            f"--max-rps must be more than 0 and at most {ACCOUNT_QUOTA.rate:g}, the account's "
            f"quota, not {max_rps:g}"
        )
    burst = max(1.0, ACCOUNT_QUOTA.burst * max_rps / ACCOUNT_QUOTA.rate)
    return Quota(max_rps, 1, burst=float(int(burst)))


class Pacer:
    """Paces calls to the quotas and retries throttled (and transiently failed) calls.

    One pacer may be shared by several threads: its buckets are read and taken under one lock
    and every sleep happens outside it, so calls in flight together never spend more than the
    buckets allow, and a thread waiting for a token does not hold up one that has it.
    """

    def __init__(
        self,
        max_rps: float | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        jitter: Callable[[], float] = random.random,
        max_wait: float = MAX_WAIT,
        transient_retries: int = TRANSIENT_RETRIES,
        headroom: float = HEADROOM,
    ) -> None:
        account = ACCOUNT_QUOTA if max_rps is None else lowered(max_rps)
        self.account = account
        """API Gateway's account quota as this pacer keeps to it."""
        self.max_wait = max_wait
        self.transient_retries = transient_retries
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._lock = threading.Lock()
        self._account = TokenBucket(account.rate, account.burst, headroom)
        self._operations = {
            (service, name): TokenBucket(quota.rate, quota.burst, headroom)
            for service, pacing in SERVICES.items()
            for name, quota in pacing.operations.items()
        }

    def acquire(self, service: str, operation: str) -> float:
        """Wait until `operation` may be sent, take its tokens; returns the seconds waited."""
        # The tokens are taken under the lock in the same step that found them free: checked
        # and taken apart, two threads could both see the last token and both send.
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                buckets = self._buckets(service, operation)
                delay = max((bucket.wait(now) for bucket in buckets), default=0.0)
                if delay <= 0:
                    for bucket in buckets:
                        bucket.take(now)
                    return waited
            self._sleep(delay)
            waited += delay

    def call(
        self,
        service: str,
        operation: str,
        send: Callable[[], T],
        retryable: Callable[[Exception], Retry | None],
    ) -> T:
        """`send()` once paced; retry while `retryable` says so and the bounds allow."""
        started = self._clock()
        retries = transient = 0
        while True:
            self.acquire(service, operation)
            try:
                return send()
            except Exception as error:
                retry = retryable(error)
                if retry is None:
                    raise
                elapsed = self._clock() - started
                delay = self._backoff(retries, retry.retry_after)
                if retry.throttled:
                    if not retry.conflict:  # a busy API is no sign of the quota running out
                        self._empty(service, operation)
                    if elapsed + delay > self.max_wait:
                        raise self._still_throttled(service, operation, retry, retries,
                                                    elapsed) from error
                elif transient >= self.transient_retries or elapsed + delay > self.max_wait:
                    raise
                else:
                    transient += 1
                retries += 1
                self._sleep(delay)

    def _buckets(self, service: str, operation: str) -> list[TokenBucket]:
        own = self._operations.get((service, operation))
        shared = [self._account] if SERVICES[service].account else []
        return shared if own is None else [*shared, own]

    def _empty(self, service: str, operation: str) -> None:
        # We cannot tell which quota refused (or who else spent it): assume both are empty, so
        # the calls that follow go at the steady rate instead of bursting into the same wall.
        with self._lock:
            now = self._clock()
            for bucket in self._buckets(service, operation):
                bucket.empty(now)

    def _still_throttled(
        self, service: str, operation: str, retry: Retry, retries: int, elapsed: float
    ) -> AwsCallFailed:
        refused = "still refused for a concurrent change" if retry.conflict else "still throttled"
        detail = f"{refused} after {retries} retries over {elapsed:.0f} s"
        if retry.retry_after is not None and retry.retry_after > self.max_wait:
            detail += f", and AWS asks for {retry.retry_after:.0f} s more"
        advice = ("API Gateway's quota is shared by every tool in the account and region: try "
                  "again when it is quieter" if SERVICES[service].account
                  else "try again when the account is quieter")
        failure = AwsCallFailed(operation, retry.code, f"{retry.message} ({detail}; {advice})")
        failure.refused = True  # every attempt was throttled: AWS acted on none of them
        return failure

    def _backoff(self, retries: int, retry_after: float | None) -> float:
        # Full jitter keeps several clients of one account from retrying in step; Retry-After
        # is a floor, since AWS knows when its bucket has a token again.
        jittered = self._jitter() * min(BACKOFF_CAP, BACKOFF_BASE * 2.0**retries)
        return (retry_after or 0.0) + jittered

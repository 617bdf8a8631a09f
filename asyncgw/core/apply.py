"""The one apply loop: freshness check, journaled writes, deploy, clean-up, verify, unwind."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from asyncgw.core.errors import ApplyFailed, AsyncgwError, StaleSnapshot
from asyncgw.core.journal import Journal, deploy, unwind
from asyncgw.core.pipeline import Pipeline
from asyncgw.core.writer import Progress, SnapshotT, StepT, Writer

Clock = Callable[[], float]


@dataclass(frozen=True)
class Outcome:
    """What an apply did."""

    steps_applied: int
    deployment_id: str | None
    created: dict[str, str]
    """The ids the writes created, by placeholder key (validator names; integration keys)."""


def _quiet(_: str) -> None:
    """No progress lines."""


def apply(
    backend: Writer[StepT, SnapshotT],
    progress: Progress = _quiet,
    clock: Clock = time.monotonic,
    in_flight: int = 1,
) -> Outcome:
    """Run the backend's plan against AWS; on any failure or Ctrl-C undo everything and raise.

    Up to `in_flight` writes are in flight at once, in the order the backend's lanes keep
    (`Writer.lane`); every write is acknowledged before verifying or deploying.
    """
    plan = backend.plan
    writes = (*plan.steps, *backend.cleanup)
    journal = Journal()
    bindings = backend.bindings()
    counter = _Counter(len(writes), clock)
    pipeline = Pipeline(backend, journal, bindings, counter.line, progress, in_flight)
    if writes:
        _check_fresh(backend)
    deployment_id: str | None = None
    try:
        pipeline.write(plan.steps)
        if writes and backend.verifies_before_deploy:
            _verify(backend, progress)
        deployment_id = _deploy(backend, journal, progress)
        pipeline.write(backend.cleanup)
        if writes and not backend.verifies_before_deploy:
            _verify(backend, progress)
    except BaseException as failure:  # anything, even a bug of ours, must not leave it half-done
        unwind(journal, plan.api_id, failure, lambda: _read_back(backend, progress), progress)
    return Outcome(len(writes), deployment_id, dict(bindings.created))


def _check_fresh(backend: Writer[StepT, SnapshotT]) -> None:
    if backend.read().fingerprint != backend.plan.base_fingerprint:
        raise StaleSnapshot(backend.stale_message)


class _Counter:
    """Numbers the writes '[n/total]' and estimates the time left of long applies."""

    def __init__(self, total: int, clock: Clock) -> None:
        self.total = total
        self.done = 0
        self.clock = clock
        self.started = clock()

    def line(self, what: str) -> str:
        """The progress line of the next write."""
        elapsed = self.clock() - self.started
        self.done += 1
        return f"[{self.done}/{self.total}] {what}{self._time_left(self.done - 1, elapsed)}"

    def _time_left(self, done: int, elapsed: float) -> str:
        """' (about 40 s left)' once enough steps ran to estimate; '' for short applies."""
        if self.total < 20 or done < 5:
            return ""
        return f" (about {elapsed / done * (self.total - done):.0f} s left)"


def _verify(backend: Writer[StepT, SnapshotT], progress: Progress) -> None:
    """Re-plan from a read-back: a plan with work left means the writes did not land."""
    progress("verifying: reading the API back")
    unfinished = backend.unfinished(backend.read())
    if unfinished:
        raise ApplyFailed(f"read-back shows {unfinished}")


def _deploy(backend: Writer[StepT, SnapshotT], journal: Journal,
            progress: Progress) -> str | None:
    deployment = backend.plan.deployment
    if deployment is None:
        return None
    progress(f"deploying stage {deployment.stage}")
    return deploy(journal, backend.gateway, backend.plan.api_id, deployment.stage,
                  deployment.previous_deployment_id, deployment.description)


def _read_back(backend: Writer[StepT, SnapshotT], progress: Progress) -> list[str]:
    """After the undo: read back, repair what differs if the backend can, list what is left."""
    try:
        now = backend.read()
    except AsyncgwError as error:
        return [f"could not read API {backend.plan.api_id} back to check it ({error.message})"]
    left = backend.left_over(now)
    return backend.repair(now, left, progress) if left else []

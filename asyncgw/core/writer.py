"""What a kind of API supplies to the one apply loop: its steps, reads, writes and repairs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from asyncgw.core.bindings import Bindings
from asyncgw.core.journal import Deployer

Progress = Callable[[str], None]


class PlannedDeployment(Protocol):
    """The deployment a plan ends with (REST and HTTP plans both have one)."""

    @property
    def stage(self) -> str: ...

    @property
    def previous_deployment_id(self) -> str | None: ...

    @property
    def description(self) -> str: ...


StepCo = TypeVar("StepCo", covariant=True)


class AppliedPlan(Protocol[StepCo]):
    """What the loop reads of a plan (REST and HTTP plans both have it)."""

    @property
    def api_id(self) -> str: ...

    @property
    def steps(self) -> Sequence[StepCo]: ...

    @property
    def base_fingerprint(self) -> str: ...

    @property
    def deployment(self) -> PlannedDeployment | None: ...


class Fingerprinted(Protocol):
    """A snapshot, as far as the freshness check needs it."""

    @property
    def fingerprint(self) -> str: ...


@dataclass(frozen=True)
class Lane:
    """Where a write may run beside the others while several are in flight.

    The loop sends the writes in plan order as far as these allow, with at most N in flight:
    - `phase`: a fence. Where the phase changes from one write to the next in the plan, every
      write before is acknowledged (and settled) before any write after is sent. A write that
      creates something later writes use (a validator, a forwarder's role or function) ends
      its phase.
    - `name`: writes of one lane within a phase run one at a time, in plan order (the method
      request before the integration when adding, the reverse when removing); writes of
      different lanes may overlap.
    A plan whose writes are all in one lane is applied exactly as one at a time.
    """

    phase: str
    name: str


StepT = TypeVar("StepT")
SnapshotT = TypeVar("SnapshotT", bound=Fingerprinted)


class Writer(Protocol[StepT, SnapshotT]):
    """One kind of API (REST or HTTP) bound to one plan, its snapshot and its gateway.

    The differences between the kinds that are real are the hooks `cleanup`,
    `verifies_before_deploy`, `stale_message`, `lane` and `repair`; each backend says why in
    its own. `run` and `settle` may be called on worker threads, several at once; every other
    hook is called on the thread that called the loop.
    """

    @property
    def plan(self) -> AppliedPlan[StepT]:
        """The plan being applied: its steps are the writes made before deploying."""
        ...

    @property
    def gateway(self) -> Deployer:
        """The gateway, as far as deploying a stage and pointing it back needs it."""
        ...

    @property
    def cleanup(self) -> Sequence[StepT]:
        """The writes made after deploying: removing what the old deployment still served."""
        ...

    @property
    def verifies_before_deploy(self) -> bool:
        """True to prove the change by re-planning before deploying, False to do it after."""
        ...

    @property
    def stale_message(self) -> str:
        """What to say when the API changed between planning and applying."""
        ...

    def bindings(self) -> Bindings:
        """The backend's kind of placeholder, with the ids known before any write."""
        ...

    def read(self) -> SnapshotT:
        """Read the API again, with the same parts the plan's snapshot had."""
        ...

    def describe(self, step: StepT) -> str:
        """The progress line of a step: 'creating validator ...', 'updating ...'."""
        ...

    def lane(self, step: StepT) -> Lane:
        """The step's phase and lane: the order AWS needs kept while writes are in flight."""
        ...

    def run(self, step: StepT, bindings: Bindings) -> Mapping[str, str]:
        """Make the step's write; return the ids it created, by placeholder key.

        Called on a worker thread, beside the writes of other lanes: it may only make its call
        (on clients made before the apply; never a new session or client) and read `bindings`.
        """
        ...

    def settle(self, step: StepT) -> None:
        """Wait, after the write's undo is journaled, until what it made can be used.

        Waiting is part of no write: an interruption or a timeout while waiting must find the
        created resource in the journal, so that it is undone. It runs on the worker that made
        the write, once the write's answer was handed to the loop; the step's lane (and a
        phase's fence) waits for it.
        """
        ...

    def undo(self, step: StepT, bindings: Bindings) -> Mapping[str, str]:
        """Make the write planned to undo the step; return the ids it re-created, by key."""
        ...

    def undo_text(self, step: StepT, bindings: Bindings) -> str:
        """What undoing the step does, as the progress lines and leftovers say it."""
        ...

    def unfinished(self, snapshot: SnapshotT) -> str | None:
        """Re-plan from a read-back: what is still to do ('... still not async'), or None."""
        ...

    def left_over(self, snapshot: SnapshotT) -> list[str]:
        """What a read-back still has that differs from the snapshot taken before the apply."""
        ...

    def repair(self, snapshot: SnapshotT, left: list[str], progress: Progress) -> list[str]:
        """After the undo left `left`: put back what can be, and list what still differs."""
        ...

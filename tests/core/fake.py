"""A small in-memory API and the backend that applies plans to it, to drive the core loop."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from asyncgw.core.bindings import Bindings
from asyncgw.core.errors import AwsCallFailed
from asyncgw.core.writer import Lane, Progress

KIND = "thing"
"""The fake's kind of placeholder: ${thing:KEY} stands for the id of a thing a step created."""


def failure(operation: str) -> AwsCallFailed:
    """The error a failed fake call raises."""
    return AwsCallFailed(operation, "ServiceException", "boom")


@dataclass(frozen=True)
class Put:
    """Set one field of the API to `value` (placeholders resolved), undone by putting `before`.

    With `creates`, the write also creates a thing whose id fills ${thing:<creates>}, and ends
    its phase. Steps run in the lane of their field unless `lane` names another.
    """

    field: str
    value: str
    before: str | None = None
    creates: str | None = None
    lane: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """What a read of the fake API returns."""

    fields: dict[str, str]
    things: frozenset[str]
    served: str | None

    @property
    def fingerprint(self) -> str:
        """A digest of the fields and things (the stage is not part of it, as on AWS)."""
        canonical = json.dumps([self.fields, sorted(self.things)], sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class _Stage:
    deployment_id: str | None


@dataclass
class FakeApi:
    """Fields, created things and one stage; every call is logged and may be made to fail."""

    fields: dict[str, str] = field(default_factory=dict)
    things: set[str] = field(default_factory=set)
    served: str | None = "d0"
    log: list[str] = field(default_factory=list)
    fail: dict[str, BaseException] = field(default_factory=dict)
    """Call label -> what that call raises, once."""
    lost: set[str] = field(default_factory=set)
    """Call labels whose write takes effect although the call then fails (a lost answer)."""
    ignored: set[str] = field(default_factory=set)
    """Fields whose writes the API accepts and drops (read-back shows the old value)."""
    slow: dict[str, threading.Event] = field(default_factory=dict)
    """Call label -> an event the write waits for before it takes effect and answers."""
    delay: float = 0.0
    """Seconds each write stays in flight."""
    most_in_flight: int = 0
    """The most writes that were ever in flight at once."""
    _count: int = 0
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, label: str) -> None:
        """Log a call and raise what the test set for it."""
        self.log.append(label)
        if label in self.fail and label not in self.lost:
            raise self.fail.pop(label)

    def running(self, label: str) -> None:
        """Keep a write in flight a moment (longer while its gate in `slow` is shut), counting
        how many are in flight at once."""
        with self._lock:
            self._in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self._in_flight)
        try:
            gate = self.slow.get(label)
            if gate is not None:
                assert gate.wait(timeout=10), f"{label} was never let through"
            time.sleep(self.delay)
        finally:
            with self._lock:
                self._in_flight -= 1

    def after(self, label: str) -> None:
        """Raise for a write that took effect but whose answer is lost."""
        if label in self.lost:
            self.lost.discard(label)
            raise self.fail.pop(label)

    def new_id(self, prefix: str) -> str:
        """A fresh id (writes in flight on several threads ask at once)."""
        with self._lock:
            self._count += 1
            return f"{prefix}{self._count}"

    def snapshot(self) -> Snapshot:
        """The API as a read shows it."""
        return Snapshot(dict(self.fields), frozenset(self.things), self.served)

    def create_deployment(self, api_id: str, stage: str, description: str) -> str:
        """Deploy the stage: it serves a new deployment."""
        self.call("deploy")
        self.served = self.new_id("d")
        return self.served

    def point_stage(self, api_id: str, stage: str, deployment_id: str) -> None:
        """Point the stage at an older deployment."""
        self.call(f"point stage at {deployment_id}")
        self.served = deployment_id

    def stage(self, api_id: str, name: str) -> _Stage:
        """The stage and what it serves."""
        return _Stage(self.served)


@dataclass(frozen=True)
class FakeDeployment:
    """The deployment a fake plan ends with."""

    stage: str = "prod"
    previous_deployment_id: str | None = "d0"
    description: str = "asyncgw"


@dataclass(frozen=True)
class FakePlan:
    """A plan of Put steps on the fake API."""

    api_id: str
    base_fingerprint: str
    deployment: FakeDeployment | None
    steps: Sequence[Put]


@dataclass
class FakeBackend:
    """The apply loop's hooks over a FakeApi; REST-like or HTTP-like as the test sets them."""

    api: FakeApi
    writes: Sequence[Put]
    cleanup: Sequence[Put] = ()
    verifies_before_deploy: bool = True
    repairs: bool = False
    deploys: bool = True
    base: Snapshot = field(init=False)
    plan: FakePlan = field(init=False)

    def __post_init__(self) -> None:
        self.base = self.api.snapshot()
        self.plan = FakePlan("api1", self.base.fingerprint,
                             FakeDeployment() if self.deploys else None, self.writes)

    @property
    def stale_message(self) -> str:
        """The fake's stale message."""
        return "API api1 changed since it was read"

    @property
    def gateway(self) -> FakeApi:
        """The fake API deploys itself."""
        return self.api

    def bindings(self) -> Bindings:
        """No thing exists before the apply."""
        return Bindings(KIND)

    def read(self) -> Snapshot:
        """Read the fake API."""
        self.api.call("read")
        return self.api.snapshot()

    def describe(self, step: Put) -> str:
        """The progress line of a step."""
        return f"setting {step.field}"

    def lane(self, step: Put) -> Lane:
        """Creating steps in a phase of their own (later steps use what they create)."""
        return Lane("create" if step.creates else "set", step.lane or step.field)

    def run(self, step: Put, bindings: Bindings) -> Mapping[str, str]:
        """Set the field; create the thing first if the step creates one."""
        label = f"put {step.field}"
        self.api.call(label)
        self.api.running(label)
        created = {}
        if step.creates:
            created[step.creates] = self.api.new_id("t")
            self.api.things.add(created[step.creates])
        if step.field not in self.api.ignored:
            self.api.fields[step.field] = bindings.resolve_text(step.value)
        self.api.after(label)
        return created

    def settle(self, step: Put) -> None:
        """Nothing to wait for in memory."""

    def undo(self, step: Put, bindings: Bindings) -> Mapping[str, str]:
        """Put the old value back and delete the thing the step created."""
        self.api.call(f"undo {step.field}")
        if step.before is None:
            self.api.fields.pop(step.field, None)
        else:
            self.api.fields[step.field] = step.before
        if step.creates:
            self.api.things.discard(bindings.id(step.creates))
        return {}

    def undo_text(self, step: Put, bindings: Bindings) -> str:
        """What undoing the step does."""
        return f"put back {step.field}"

    def unfinished(self, snapshot: Snapshot) -> str | None:
        """The fields that still do not hold what the plan wrote."""
        wanted = {s.field: s.value for s in (*self.writes, *self.cleanup) if "${" not in s.value}
        left = [f for f, value in wanted.items() if snapshot.fields.get(f) != value]
        return f"{', '.join(left)} still not set" if left else None

    def left_over(self, snapshot: Snapshot) -> list[str]:
        """What differs from the snapshot taken before the apply."""
        keys = sorted(self.base.fields.keys() | snapshot.fields.keys())
        left = [f"field {k} differs from before" for k in keys
                if self.base.fields.get(k) != snapshot.fields.get(k)]
        left += [f"thing {t} is still there" for t in sorted(snapshot.things - self.base.things)]
        if snapshot.served != self.base.served:
            left.append(f"stage prod serves {snapshot.served}, was {self.base.served}")
        return left

    def repair(self, snapshot: Snapshot, left: list[str], progress: Progress) -> list[str]:
        """REST-like: put the snapshot back whole; HTTP-like: only list what is left."""
        if not self.repairs:
            return left
        progress("restoring from the snapshot")
        self.api.call("restore")
        self.api.fields = dict(self.base.fields)
        self.api.things = set(self.base.things)
        self.api.served = self.base.served
        return self.left_over(self.read())

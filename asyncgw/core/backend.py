"""What every command does, for either kind of API: the Backend protocol and the plan it yields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from asyncgw.core.canary import check_percent
from asyncgw.core.errors import UsageError
from asyncgw.core.modes import Mode
from asyncgw.core.selection import MethodPattern, check_deploy_flags, check_pattern

if TYPE_CHECKING:
    from rich.console import RenderableType

Progress = Callable[[str], None]
"""Told one line per write as an apply goes."""


class _Deployment(Protocol):
    """A plan's closing deployment, as far as the generic part reads it."""

    @property
    def stage(self) -> str:
        """The stage the deployment makes the change live on."""


class PlanShape(Protocol):
    """What every backend's plan says of itself: whose, whether empty, what it deploys."""

    @property
    def api_id(self) -> str:
        """The API the plan changes."""

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to write and nothing to deploy."""

    @property
    def deployment(self) -> _Deployment | None:
        """The deployment the plan ends with, if any."""


class Fingerprinted(Protocol):
    """A snapshot that says, readably, what a plan made from it depends on."""

    @property
    def fingerprint_parts(self) -> Mapping[str, Mapping[str, object]]:
        """Each part ('methods', 'stages', ...) by the names a user knows, as read."""


SnapshotT = TypeVar("SnapshotT", bound=Fingerprinted)
PlanT = TypeVar("PlanT", bound=PlanShape)
StageT = TypeVar("StageT")


@dataclass(frozen=True, kw_only=True)
class ChangeRequest:
    """What enable-async, enable-switchable or disable asks for, checked before any AWS call."""

    mode: Mode
    methods: tuple[str, ...] = ()
    all: bool = False
    stage: str | None = None
    no_deploy: bool = False
    refuse_managed: bool = False
    on_failure: str | None = None
    max_retries: int | None = None
    max_event_age: int | None = None
    convert_proxy: bool = False
    respond_202: bool | None = None
    # --optional-header (enable-switchable only): declare InvocationType optional, so that
    # callers without it stay synchronous instead of getting 400.
    optional_header: bool = False
    canary: float | None = None
    """Deploy as the stage's canary at this share of traffic (REST APIs)."""

    def __post_init__(self) -> None:
        for text in self.methods:
            check_pattern(text)
        if bool(self.methods) == self.all:
            raise UsageError("choose methods with -m 'VERB /path' (repeatable; an HTTP API's "
                             "default route is '$default') or --all")
        check_deploy_flags(self.stage, self.no_deploy)
        if self.optional_header and self.mode is not Mode.SWITCHABLE:
            raise UsageError("--optional-header is for enable-switchable only")
        check_percent(self.canary, self.no_deploy)

    @property
    def sets_functions(self) -> bool:
        """True when the change also sets the target functions' async configuration."""
        return (self.on_failure, self.max_retries, self.max_event_age) != (None, None, None)


@dataclass(frozen=True, kw_only=True)
class VerifyRequest:
    """What `asyncgw verify` asks for, checked before any AWS call."""

    methods: tuple[str, ...] = ()
    all: bool = False
    stage: str | None = None
    invoke: bool = False
    body: str = "{}"

    def __post_init__(self) -> None:
        for text in self.methods:
            MethodPattern.parse(text)
        if bool(self.methods) == self.all:
            raise UsageError("choose methods with -m 'VERB /path' (repeatable) or --all")


@dataclass(frozen=True)
class Report:
    """Something shown both ways: rendered text and one JSON object."""

    text: RenderableType
    data: dict[str, Any]


@dataclass(frozen=True)
class Verified(Report):
    """The checks `asyncgw verify` ran, and whether any failed."""

    failed: bool


@dataclass(frozen=True)
class Planned(Generic[SnapshotT, PlanT]):
    """A backend's plan, the snapshot it was made against, and how to make it again."""

    snapshot: SnapshotT
    plan: PlanT
    replan: Callable[[SnapshotT], PlanT]
    """Plans again against a fresh snapshot: an apply verifies by re-planning to nothing."""


class Backend(Protocol[SnapshotT, PlanT]):
    """One kind of API (REST or HTTP) as the commands see it, found by resolving its id."""

    @property
    def api_id(self) -> str:
        """The resolved API id."""

    def read(self) -> SnapshotT:
        """The API's snapshot, without resolving its id again."""

    def status(self, stage: str | None) -> Report:
        """The status report, optionally narrowed to one stage."""

    def plan_change(self, change: ChangeRequest) -> Planned[SnapshotT, PlanT]:
        """The plan of enable-* or disable; refuses what this kind of API cannot do."""

    def plan_redeploy(self, stage: str | None, description: str | None,
                      canary: float | None = None) -> Planned[SnapshotT, PlanT]:
        """The plan that only deploys a stage (as its canary at `canary` % of traffic)."""

    def show(self, plan: PlanT) -> Report:
        """The plan as the dry run shows it: the diff, and the plan as JSON."""

    def apply(self, planned: Planned[SnapshotT, PlanT], progress: Progress) -> Report:
        """Apply the plan (undoing it all when a step fails) and say what is live."""

    def verifier(self, request: VerifyRequest) -> VerifyPlan:
        """What verify would check and invoke; refuses where verify does not apply."""


@dataclass(frozen=True)
class ChangePlan:
    """A plan, shown both ways, that changes nothing until `apply` is called."""

    api_id: str
    is_empty: bool
    deploys: str | None
    """The stage the plan deploys; None when it deploys nothing."""
    text: RenderableType
    data: dict[str, Any]
    _run: Callable[[Progress], Report]
    fingerprint_parts: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    """What the plan read and depends on (its digest is the plan's baseFingerprint)."""

    def apply(self, progress: Progress | None = None) -> Report:
        """Make the changes; the report's data has the ids of what was created.

        An empty plan makes no AWS call: its report is the plan's own, with empty data.
        """
        if self.is_empty:
            return Report(self.text, {})
        return self._run(progress or _quiet)


@dataclass(frozen=True)
class VerifyPlan:
    """The methods verify will check, the functions it would invoke for real, and the run."""

    invocations: tuple[str, ...]
    """'POST /orders (orders-jobs)' for each check that runs its function (with invoke)."""
    _run: Callable[[], Verified]

    def run(self) -> Verified:
        """Run the checks (invoking the functions listed in `invocations`)."""
        return self._run()


class Commands(Generic[SnapshotT, PlanT]):
    """What every backend offers the library, made of its Backend methods."""

    def change_plan(self: Backend[SnapshotT, PlanT], change: ChangeRequest) -> ChangePlan:
        """The plan of enable-* or disable, ready to show and to apply."""
        return prepare(self, self.plan_change(change))

    def redeploy_plan(self: Backend[SnapshotT, PlanT], stage: str | None,
                      description: str | None, canary: float | None = None) -> ChangePlan:
        """The plan of redeploy, ready to show and to apply."""
        check_percent(canary)
        return prepare(self, self.plan_redeploy(stage, description, canary))


def prepare(backend: Backend[SnapshotT, PlanT], planned: Planned[SnapshotT, PlanT]) -> ChangePlan:
    """The plan object a caller sees, bound to the backend that applies it."""
    plan = planned.plan
    shown = backend.show(plan)
    return ChangePlan(plan.api_id, plan.is_empty,
                      plan.deployment.stage if plan.deployment else None, shown.text,
                      shown.data, lambda progress: backend.apply(planned, progress),
                      planned.snapshot.fingerprint_parts)


def one_stage(name: str, api_id: str, stages: Mapping[str, StageT]) -> StageT:
    """The stage called `name`; UsageError listing the stages when there is none."""
    if name not in stages:
        listed = ", ".join(sorted(stages)) or "none"
        raise UsageError(f"no stage {name!r} in API {api_id} (stages: {listed})")
    return stages[name]


def _quiet(line: str) -> None:
    """Progress nobody watches."""

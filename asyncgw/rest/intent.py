"""What a command asks for, turned into a snapshot and a plan (shared by the CLI and its tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asyncgw.core.errors import UsageError
from asyncgw.core.modes import Mode
from asyncgw.core.selection import MethodPattern, check_deploy_flags
from asyncgw.rest import async_config, planner
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.plan import Plan
from asyncgw.rest.selection import select
from asyncgw.rest.snapshot import ApiSnapshot, AsyncConfig


@dataclass(frozen=True, kw_only=True)
class ModeChange:
    """Take the chosen methods of one API to a mode, then redeploy a stage (or not)."""

    api: str
    mode: Mode
    patterns: tuple[MethodPattern, ...] = ()
    everything: bool = False
    stage: str | None = None
    no_deploy: bool = False
    refuse_managed: bool = False
    want: AsyncConfig | None = None
    """Fields of the target functions' async configuration to set in the same change."""
    convert_proxy: bool = False
    respond_202: bool | None = None
    canary: float | None = None

    def plan(self, snapshot: ApiSnapshot) -> Plan:
        """The plan for this intent against a snapshot (also used to verify an apply)."""
        if self.refuse_managed:
            planner.refuse_managed(snapshot)
        stage = planner.choose_stage(snapshot, self.stage, self.no_deploy)
        selection = select(snapshot, self.patterns, self.everything, self._converts)
        return planner.plan(snapshot, selection, self.mode, stage, self.want, self.respond_202,
                            self.canary)

    @property
    def _converts(self) -> bool:
        # For disable a proxy method is simply already synchronous (a converted one is type
        # AWS and restored): selecting it must not fail, or a restore could not verify.
        return self.convert_proxy or self.mode is Mode.SYNC

    def read(self, gateway: Gateway, snapshot: ApiSnapshot) -> ApiSnapshot:
        """The snapshot, with the target functions' side when this change sets it."""
        if self.want is None:
            return snapshot
        functions = gateway.functions()
        if functions is None:
            return snapshot
        chosen = select(snapshot, self.patterns, self.everything, self._converts).methods
        return snapshot.model_copy(update={
            "functions": functions.read_all(async_config.targets(chosen))})


def mode_change(
    api: str,
    mode: Mode,
    *,
    methods: Sequence[str] = (),
    everything: bool = False,
    stage: str | None = None,
    no_deploy: bool = False,
    refuse_managed: bool = False,
    want: AsyncConfig | None = None,
    convert_proxy: bool = False,
    respond_202: bool | None = None,
    canary: float | None = None,
) -> ModeChange:
    """Validate the flags of enable-* and disable before any AWS call."""
    patterns = tuple(MethodPattern.parse(text) for text in methods)
    if bool(patterns) == everything:
        raise UsageError("choose methods with -m 'VERB /path' (repeatable) or --all")
    check_deploy_flags(stage, no_deploy)
    return ModeChange(api=api, mode=mode, patterns=patterns, everything=everything, stage=stage,
                      no_deploy=no_deploy, refuse_managed=refuse_managed, want=want,
                      convert_proxy=convert_proxy, respond_202=respond_202, canary=canary)


def read(gateway: Gateway, api: str) -> ApiSnapshot:
    """Resolve an API id or name and read its snapshot."""
    return gateway.read(gateway.resolve(api))

"""What a command asks of an HTTP API, turned into a snapshot and a plan (for the CLI and tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asyncgw.core.errors import UsageError
from asyncgw.core.modes import Mode
from asyncgw.core.selection import check_deploy_flags
from asyncgw.http import planner
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.plan import HttpPlan
from asyncgw.http.selection import RoutePattern, select
from asyncgw.http.snapshot import HttpApiSnapshot


@dataclass(frozen=True, kw_only=True)
class RouteModeChange:
    """Take the chosen routes of one HTTP API to a mode, then deploy a stage if it needs it."""

    api: str
    mode: Mode
    patterns: tuple[RoutePattern, ...] = ()
    everything: bool = False
    stage: str | None = None
    no_deploy: bool = False
    refuse_managed: bool = False

    def plan(self, snapshot: HttpApiSnapshot) -> HttpPlan:
        """The plan for this intent against a snapshot (also used to verify an apply)."""
        if self.refuse_managed:
            planner.refuse_managed(snapshot)
        stage = planner.choose_stage(snapshot, self.stage, self.no_deploy)
        selection = select(snapshot, self.patterns, self.everything)
        return planner.plan(snapshot, selection, self.mode, stage)


def mode_change(
    api: str,
    mode: Mode,
    *,
    routes: Sequence[str] = (),
    everything: bool = False,
    stage: str | None = None,
    no_deploy: bool = False,
    refuse_managed: bool = False,
) -> RouteModeChange:
    """Validate the flags of enable-* and disable before any AWS call."""
    patterns = tuple(RoutePattern.parse(text) for text in routes)
    if bool(patterns) == everything:
        raise UsageError("choose routes with -m 'VERB /path' or -m '$default' (repeatable) "
                         "or --all")
    check_deploy_flags(stage, no_deploy)
    return RouteModeChange(api=api, mode=mode, patterns=patterns, everything=everything,
                           stage=stage, no_deploy=no_deploy, refuse_managed=refuse_managed)


def read(gateway: HttpGateway, api: str, *, for_change: bool = False) -> HttpApiSnapshot:
    """Resolve an HTTP API id or name and read its snapshot (for_change: all a plan needs)."""
    return gateway.read(gateway.resolve(api), for_change=for_change)


def redeploy(snapshot: HttpApiSnapshot, *, stage: str | None = None,
             description: str | None = None) -> HttpPlan:
    """The plan of `asyncgw redeploy` on an HTTP API."""
    return planner.plan_redeploy(snapshot, stage, description)

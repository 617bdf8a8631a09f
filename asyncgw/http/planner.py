"""Pure planning for HTTP APIs: snapshot, routes, mode and stage in; ordered steps with undo out."""

from __future__ import annotations

from collections.abc import Sequence

from asyncgw.core import plan as shared
from asyncgw.core.errors import UsageError
from asyncgw.core.modes import Mode
from asyncgw.core.plan import (
    REDEPLOY_DESCRIPTION,
    Deployment,
    deployment_description,
    stack_warning,
)
from asyncgw.http.builder import Builder, Removal
from asyncgw.http.modes import assess, missing_header_warning
from asyncgw.http.plan import HttpPlan, RouteNote
from asyncgw.http.selection import RouteSelection
from asyncgw.http.snapshot import HttpApiSnapshot


def choose_stage(snapshot: HttpApiSnapshot, requested: str | None, no_deploy: bool) -> str | None:
    """The stage to deploy after a change; None when --no-deploy or every stage auto-deploys."""
    names = [s.stage_name for s in snapshot.stages]
    chosen = shared.requested_stage(snapshot.api.api_id, names, requested, no_deploy)
    if no_deploy or chosen is not None:
        return chosen
    manual = [s.stage_name for s in snapshot.stages if not s.auto_deploy]
    if len(manual) <= 1:
        return manual[0] if manual else None
    raise UsageError(
        f"API {snapshot.api.api_id} has {len(manual)} stages that do not deploy automatically "
        f"({', '.join(manual)}); choose one with --stage, or pass --no-deploy"
    )


def refuse_managed(snapshot: HttpApiSnapshot) -> None:
    """Raise UsageError when a CloudFormation stack owns the API (for --refuse-managed)."""
    shared.refuse_managed(snapshot.api.api_id, snapshot.api.stack)


def plan(
    snapshot: HttpApiSnapshot, selection: RouteSelection, mode: Mode, stage: str | None
) -> HttpPlan:
    """Steps that take every selected route to `mode`, a deployment if needed, then clean-up."""
    if not snapshot.complete or snapshot.account is None:
        raise ValueError("plan() needs a snapshot read with for_change=True")
    build = Builder(snapshot, snapshot.account, mode)
    touched: set[str] = set()
    unchanged: list[RouteNote] = []
    for route in selection.routes:
        found = assess(route, snapshot)
        if found.target is None or found.integration is None:
            raise ValueError(f"{route.route_key} is not eligible: {found.reason}")
        touched.add(found.target)
        ref = build.wanted_integration(found.target, found.integration)
        if ref == route.integration_id:
            unchanged.append(RouteNote(route=route.route_key, reason=f"already {mode}"))
        else:
            build.retarget(route, ref)
    cleanup = build.cleanup(touched)
    deploying = _deploying(snapshot, stage, bool(build.moves or cleanup))
    automatic = [s.stage_name for s in snapshot.stages if s.auto_deploy]
    if build.moves and automatic:
        build.notes.append(f"stage(s) {', '.join(automatic)} deploy automatically: the change "
                           "is live there as soon as it is applied")
    if cleanup and not _all_served(snapshot, deploying):
        build.notes.append(_deferred(snapshot, cleanup, deploying))
        cleanup = []
        deploying = _deploying(snapshot, stage, bool(build.moves))
    writes = build.before_deployment(cleanup)
    removals = build.after_deployment(cleanup)
    changed = tuple(r.route_key for r, _ in build.moves)
    deployment = None
    if deploying is not None:
        current = snapshot.stage(deploying)
        deployment = Deployment(
            stage=deploying,
            previous_deployment_id=current.deployment_id if current else None,
            description=_description(changed, mode),
        )
    return HttpPlan(
        api_id=snapshot.api.api_id,
        api_name=snapshot.api.name,
        region=snapshot.region,
        mode=str(mode),
        base_fingerprint=snapshot.fingerprint,
        steps=tuple(writes),
        deployment=deployment,
        cleanup=tuple(removals),
        changed_routes=changed,
        unchanged=tuple(unchanged),
        skipped=selection.skipped,
        limits=_limits(mode) if (writes and mode is not Mode.SYNC) else (),
        warnings=_warnings(snapshot, build, stage, deploying),
        notes=tuple(build.notes),
        undeployed_stages=_undeployed(snapshot, build, deploying),
    )


def plan_redeploy(snapshot: HttpApiSnapshot, requested: str | None,
                  description: str | None) -> HttpPlan:
    """A plan that only deploys a stage that does not deploy automatically."""
    stage = choose_stage(snapshot, requested, no_deploy=False)
    deployment = None
    notes: tuple[str, ...] = ()
    current = snapshot.stage(stage) if stage else None
    if current is None:
        notes = ("every stage deploys automatically: the API's current configuration is "
                 "already live",) if snapshot.stages else ("the API has no stage",)
    elif current.auto_deploy:
        notes = (f"stage {stage} deploys automatically: the API's current configuration is "
                 "already live",)
    else:
        deployment = Deployment(stage=current.stage_name,
                                    previous_deployment_id=current.deployment_id,
                                    description=description or REDEPLOY_DESCRIPTION)
    return HttpPlan(
        api_id=snapshot.api.api_id,
        api_name=snapshot.api.name,
        region=snapshot.region,
        mode="redeploy",
        base_fingerprint=snapshot.fingerprint,
        steps=(),
        deployment=deployment,
        notes=notes,
    )


def assessments(snapshot: HttpApiSnapshot) -> dict[str, Mode]:
    """Each route's current mode, keyed by route key."""
    return {r.route_key: assess(r, snapshot).mode for r in snapshot.routes}


def _deploying(snapshot: HttpApiSnapshot, stage: str | None, needed: bool) -> str | None:
    current = snapshot.stage(stage) if stage else None
    if not needed or current is None or current.auto_deploy:
        return None
    return current.stage_name


def _all_served(snapshot: HttpApiSnapshot, deploying: str | None) -> bool:
    # A stage that neither deploys by itself nor is deployed now keeps serving a deployment
    # whose routes may still call the forwarder: removing it would break those calls. How soon
    # an auto-deploying stage picks up the re-pointed route is not documented [UNVERIFIED].
    return all(s.auto_deploy or s.stage_name == deploying for s in snapshot.stages)


def _deferred(snapshot: HttpApiSnapshot, removals: Sequence[Removal],
              deploying: str | None) -> str:
    stale = [s.stage_name for s in snapshot.stages
             if not s.auto_deploy and s.stage_name != deploying]
    kept = "; ".join(r.describe() for r in removals)
    return (f"kept {kept}: stage(s) {', '.join(stale)} do not deploy automatically and are not "
            "deployed now, so they may still call the forwarder; deploy them "
            "(asyncgw redeploy) and run this command again to remove it")


def _description(changed: Sequence[str], mode: Mode) -> str:
    if not changed:
        return "asyncgw: remove unused forwarders"
    return deployment_description(changed, mode)


def _limits(mode: Mode) -> tuple[str, ...]:
    out = [
        "cost: every request runs one extra Lambda invocation, the forwarder (128 MB), billed "
        "per request and per millisecond like any function",
        "Event invocations: the whole event (headers, and the body, base64-encoded when "
        "binary) must fit Lambda's 1 MB asynchronous payload limit; bigger requests get 502 "
        "from the forwarder",
        "Event invocations: callers get 202 with Lambda's request id, never the function's "
        "answer; Lambda retries failed events and may deliver one more than once, so the "
        "function must tolerate duplicates",
    ]
    if mode is Mode.SWITCHABLE:
        out += [
            "callers must send the header InvocationType: Event or RequestResponse; without "
            "it they get 400",
            "RequestResponse calls keep the 6 MB payload limit and end at the integration "
            "timeout (at most 30 s); the forwarder is billed while it waits for the function",
        ]
    return tuple(out)


def _warnings(snapshot: HttpApiSnapshot, build: Builder, stage: str | None,
              deploying: str | None) -> tuple[str, ...]:
    out = []
    writes = bool(build.moves or build.new_forwarders or build.new_permissions)
    if snapshot.api.stack and writes:
        out.append(stack_warning(snapshot.api.stack))
    if build.credentials_dropped:
        out.append("the forwarder integration does not copy the credentials role of "
                   f"integration(s) {', '.join(sorted(build.credentials_dropped))}: API "
                   "Gateway calls the forwarder through its resource-based permission")
    undeployed = _undeployed(snapshot, build, deploying)
    if build.mode is Mode.SWITCHABLE and build.moves:
        out.append(missing_header_warning(
            [route.route_key for route, _ in build.moves],
            [s.stage_name for s in snapshot.stages if s.auto_deploy], deploying, undeployed))
    if undeployed:
        out.append(f"stage(s) {', '.join(undeployed)} do not deploy automatically and are not "
                   "deployed now: callers there see no change until a deployment "
                   "(asyncgw redeploy)")
    return tuple(out)


def _undeployed(snapshot: HttpApiSnapshot, build: Builder,
                deploying: str | None) -> tuple[str, ...]:
    if not build.moves:
        return ()
    return tuple(s.stage_name for s in snapshot.stages
                 if not s.auto_deploy and s.stage_name != deploying)

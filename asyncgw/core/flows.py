"""The commands' work for REST and HTTP APIs alike: read, plan, and what applying means."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from asyncgw.core.errors import NotARestApi, UsageError

if TYPE_CHECKING:
    from rich.console import RenderableType

    from asyncgw.core.modes import Mode
    from asyncgw.http.gateway import HttpGateway
    from asyncgw.rest.gateway import Gateway
    from asyncgw.rest.live import Served
    from asyncgw.rest.models import ApiSnapshot, AsyncConfig, RestApi

Progress = Callable[[str], None]
Connect = Callable[[str | None, str | None, str | None], "Gateway"]


@dataclass(frozen=True)
class Prepared:
    """A plan rendered both ways, and how to apply it once the user agrees."""

    api_id: str
    is_empty: bool
    deploys: str | None
    text: RenderableType
    data: dict[str, Any]
    apply: Callable[[Progress], tuple[RenderableType, dict[str, Any]]]


@dataclass(frozen=True)
class Target:
    """The API a command names: a REST API (gateway) or an HTTP API (http)."""

    api: str
    gateway: Gateway
    rest: RestApi | None = None
    http: HttpGateway | None = None

    def read(self) -> ApiSnapshot:
        """The REST API's snapshot, without resolving its id or name again."""
        assert self.rest is not None
        return self.gateway.read(self.rest)


def find(api: str, connect: Connect, aws: dict[str, Any]) -> Target:
    """Connect and decide whether `api` is a REST API or an HTTP API."""
    gateway = connect(aws.get("profile"), aws.get("region"), aws.get("endpoint_url"))
    try:
        rest = gateway.resolve(api)
    except NotARestApi as refused:
        if refused.protocol != "HTTP":
            raise
        from asyncgw.http import gateway as http_aws

        http = http_aws.connect(aws.get("profile"), aws.get("region"), aws.get("endpoint_url"),
                                aws.get("max_rps"))
        return Target(refused.api_id, gateway, http=http)
    return Target(rest.id, gateway, rest=rest)


def status(target: Target, stage: str | None, as_json: bool) -> RenderableType | dict[str, Any]:
    """The status report of either kind of API, optionally narrowed to one stage."""
    if target.http is not None:
        from asyncgw.http import intent as http_intent
        from asyncgw.http import render as http_render

        http_snapshot = http_intent.read(target.http, target.api)
        if stage is not None:
            http_snapshot = http_snapshot.model_copy(update={"stages": (_one_stage(
                stage, target.api, {s.stage_name: s for s in http_snapshot.stages}),)})
        return (http_render.status_json(http_snapshot) if as_json
                else http_render.status(http_snapshot))
    from asyncgw.rest import render

    snapshot = target.read()
    if stage is not None:
        snapshot = snapshot.model_copy(update={"stages": (_one_stage(
            stage, snapshot.api.id, {s.stage_name: s for s in snapshot.stages}),)})
    snapshot = _with_functions(target.gateway, snapshot)
    served = _served(target.gateway, snapshot)
    return (render.status_json(snapshot, served) if as_json
            else render.status(snapshot, served))


def _served(gateway: Gateway, snapshot: ApiSnapshot) -> list[Served]:
    """What each stage of the snapshot serves; a stage that cannot be exported says why."""
    from asyncgw.core.errors import AsyncgwError
    from asyncgw.rest import live

    found = []
    for stage in snapshot.stages:
        try:
            found.append(live.served(stage.stage_name,
                                     gateway.export(snapshot.api.id, stage.stage_name),
                                     snapshot))
        except AsyncgwError as error:
            found.append(live.Served(stage.stage_name, error=error.message))
    return found


def _with_functions(gateway: Gateway, snapshot: ApiSnapshot) -> ApiSnapshot:
    """The snapshot with the function side of its async and switchable methods.

    A function named by a stage variable is resolved with the variables of each stage shown.
    """
    from asyncgw.rest import function_report, planner

    functions = gateway.functions()
    refs = function_report.targets(snapshot, planner.assessments(snapshot))
    if functions is None or not refs:
        return snapshot
    return snapshot.model_copy(update={"functions": functions.read_all(refs, snapshot.stages)})


def _one_stage(name: str, api_id: str, stages: dict[str, Any]) -> Any:
    from asyncgw.core.errors import UsageError

    if name not in stages:
        listed = ", ".join(sorted(stages)) or "none"
        raise UsageError(f"no stage {name!r} in API {api_id} (stages: {listed})")
    return stages[name]


def change(target: Target, mode: Mode, options: dict[str, Any]) -> Prepared:
    """The plan of enable-async, enable-switchable or disable, for either kind of API."""
    flags = (options["methods"], options["everything"], options["stage"],
             options["no_deploy"], options["refuse_managed"])
    want = _want(options, target)
    if target.http is not None:
        from asyncgw.http import intent as http_intent

        if want is not None:
            raise UsageError("--on-failure, --max-retries and --max-event-age work on REST "
                             "APIs only; for an HTTP API set them with: aws lambda "
                             "put-function-event-invoke-config")
        if options.get("convert_proxy") or options.get("respond_202") is not None:
            raise UsageError("--convert-proxy and --respond-202 are for REST APIs; an HTTP "
                             "API's forwarder already answers 202 with a request id")
        wanted = http_intent.mode_change(target.api, mode, *flags)
        snapshot = http_intent.read(target.http, target.api, for_change=True)
        return _http(target.http, snapshot, wanted.plan(snapshot), wanted.plan)
    from asyncgw.rest import intent

    rest_change = intent.mode_change(target.api, mode, *flags, want=want,
                                     convert_proxy=options.get("convert_proxy", False),
                                     respond_202=options.get("respond_202"))
    rest_snapshot = rest_change.read(target.gateway, target.read())
    return _rest(target.gateway, rest_snapshot, rest_change.plan(rest_snapshot),
                 rest_change.plan)


def _want(options: dict[str, Any], target: Target) -> AsyncConfig | None:
    from asyncgw.rest import async_config

    return async_config.wanted(options.get("on_failure"), options.get("max_retries"),
                               options.get("max_event_age"), target.gateway.region)


def redeploy(target: Target, stage: str | None, description: str | None) -> Prepared:
    """The plan of `asyncgw redeploy` for either kind of API."""
    if target.http is not None:
        from asyncgw.http import intent as http_intent

        snapshot = http_intent.read(target.http, target.api, for_change=True)
        http_plan = http_intent.redeploy(snapshot, stage, description)
        return _http(target.http, snapshot, http_plan, lambda _: http_plan)
    from asyncgw.rest import planner

    rest_snapshot = target.read()
    chosen = planner.choose_stage(rest_snapshot, stage, no_deploy=False, offer_no_deploy=False)
    assert chosen is not None
    plan = planner.plan_redeploy(rest_snapshot, chosen, description)
    return _rest(target.gateway, rest_snapshot, plan, lambda _: plan)


def _rest(gateway: Gateway, snapshot: Any, plan: Any, replan: Callable[[Any], Any]) -> Prepared:
    from asyncgw.rest import executor, render

    def run(progress: Progress) -> tuple[RenderableType, dict[str, Any]]:
        done = executor.apply(plan, snapshot, gateway, replan, progress)
        return render.outcome(plan, done), {"deploymentId": done.deployment_id,
                                            "createdValidators": done.created}

    return Prepared(plan.api_id, plan.is_empty,
                    plan.deployment.stage if plan.deployment else None,
                    render.plan(plan), render.plan_json(plan), run)


def _http(http: HttpGateway, snapshot: Any, plan: Any, replan: Callable[[Any], Any]) -> Prepared:
    from asyncgw.http import executor as http_executor
    from asyncgw.http import render as http_render

    def run(progress: Progress) -> tuple[RenderableType, dict[str, Any]]:
        done = http_executor.apply(plan, snapshot, http, replan, progress)
        return http_render.outcome(plan, done), {
            "deploymentId": done.deployment_id,
            "createdForwarders": list(http_executor.created_forwarders(plan)),
            "removedForwarders": list(http_executor.removed_forwarders(plan)),
            "createdIntegrations": done.created,
        }

    return Prepared(plan.api_id, plan.is_empty,
                    plan.deployment.stage if plan.deployment else None,
                    http_render.plan(plan), http_render.plan_json(plan), run)


@dataclass(frozen=True)
class Verified:
    """The checks `asyncgw verify` ran, rendered both ways, and whether any failed."""

    text: RenderableType
    data: dict[str, Any]
    failed: bool


def verify_plan(target: Target, options: dict[str, Any]) -> tuple[Any, list[str]]:
    """The snapshot and methods verify will check, and the real invocations it would make."""
    if target.http is not None:
        raise UsageError(f"{target.api} is an HTTP API: verify proves REST API wiring; "
                         "call the route with the InvocationType header instead")
    from asyncgw.core.selection import MethodPattern
    from asyncgw.rest import verify
    from asyncgw.rest.selection import select

    patterns = tuple(MethodPattern.parse(text) for text in options["methods"])
    if bool(patterns) == options["everything"]:
        raise UsageError("choose methods with -m 'VERB /path' (repeatable) or --all")
    snapshot = target.read()
    if options["stage"] is not None:
        snapshot = snapshot.model_copy(update={"stages": (_one_stage(
            options["stage"], snapshot.api.id, {s.stage_name: s for s in snapshot.stages}),)})
    # Proxy methods are listed as not tried rather than refused with a hint verify lacks.
    methods = select(snapshot, patterns, options["everything"], convert_proxy=True).methods
    return (snapshot, methods), verify.real_invocations(snapshot, methods, options["invoke"])


def verify(target: Target, chosen: Any, options: dict[str, Any]) -> Verified:
    """Run the checks and say, per method, what was proven and whether each stage serves it."""
    from asyncgw.rest import verify as checks
    from asyncgw.rest import verify_report

    snapshot, methods = chosen
    variables = snapshot.stages[0].variables if len(snapshot.stages) == 1 else {}
    results = checks.run(target.gateway, snapshot, methods, options["invoke"], variables,
                         options["body"])
    served = _served(target.gateway, snapshot)
    return Verified(verify_report.text(snapshot, results, served),
                    verify_report.data(snapshot, results, served),
                    any(r.proven is False for r in results))

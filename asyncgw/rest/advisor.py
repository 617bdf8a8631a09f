"""advise for one REST API: read the stage, the functions and their metrics, then rank."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from asyncgw.aws.calls import Service
from asyncgw.core.backend import one_stage
from asyncgw.core.errors import AsyncgwError, UsageError
from asyncgw.core.modes import Mode, function_name
from asyncgw.rest import function_report, functions, live
from asyncgw.rest.advise import DEFAULT_TIMEOUT_MS, Advice, Candidate, Figures, FunctionFigures
from asyncgw.rest.advise import rank as rank_candidates
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.metrics import (
    APIGATEWAY,
    DAY,
    LAMBDA,
    Metrics,
    Query,
    api_name_dimension,
    function_dimensions,
    method_dimensions,
    stage_dimensions,
    summary,
)
from asyncgw.rest.modes import assess, ineligibility, lambda_function, proxy_lambda
from asyncgw.rest.snapshot import ApiSnapshot, Method, RestApi

MAX_DAYS = 455
"""CloudWatch keeps one-hour datapoints 455 days [DOC GetMetricData API reference]."""


@dataclass(frozen=True)
class Advised:
    """What advise found for one stage of one REST API."""

    api: RestApi
    region: str
    stage: str
    days: int
    detailed_methods: int
    """Lambda methods the stage publishes per-method figures of (detailed CloudWatch metrics)."""
    figures_methods: int
    """Lambda methods with per-method figures in the window."""
    stage_figures: Figures
    advices: list[Advice]
    calls: int
    """GetMetricData calls made."""
    notes: tuple[str, ...] = field(default=())

    @property
    def lambda_methods(self) -> int:
        """How many Lambda methods were ranked."""
        return len(self.advices)

    @property
    def detailed(self) -> bool:
        """Whether every Lambda method has detailed metrics on."""
        return self.detailed_methods == self.lambda_methods


def check_days(days: int) -> int:
    """`days` when CloudWatch can answer for that window; UsageError otherwise."""
    if not 1 <= days <= MAX_DAYS:
        raise UsageError(f"--days must be 1 to {MAX_DAYS} (CloudWatch keeps hourly figures "
                         f"{MAX_DAYS} days), not {days}")
    return days


def advise(gateway: Gateway, metrics: Metrics, api: RestApi, stage: str | None, days: int,
           now: datetime | None = None, flags: str = "") -> Advised:
    """Rank the Lambda methods of `api` on one stage by the last `days` days of metrics;
    `flags` (' --region R ...') is repeated on every command printed."""
    snapshot = gateway.read(api)
    chosen = _stage(snapshot, stage)
    stage_entry = _stage_entry(gateway, api.id, chosen)
    variables = one_stage(chosen, api.id, {s.stage_name: s for s in snapshot.stages}).variables
    methods = [m for m in snapshot.methods if lambda_function(m.integration) is not None]
    targets = {m.key: _target(m, variables) for m in methods}
    notes: list[str] = []
    modes = _served_modes(gateway, snapshot, chosen, notes)
    lambdas = gateway.functions()
    timeouts = _timeouts(Service(lambdas.client, gateway.pacer),
                         {t for t in targets.values() if t}, notes) if lambdas else {}
    snapshot = _with_sides(snapshot, lambdas, chosen, modes)
    name = api_name_dimension(api.name, api.id)
    detailed = {m.key: _detailed(_settings(stage_entry), m) for m in methods}
    queries = _queries(name, chosen, methods, detailed, targets)
    end = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    # One period spanning the window: each p99 is the window's own, not a day's.
    values = metrics.read([q for group in queries.values() for q in group],
                          end - timedelta(seconds=days * DAY), end, period=days * DAY)
    shared = Counter(t for t in targets.values() if t)
    candidates = [_candidate(m, snapshot, modes, queries, values, detailed[m.key],
                             targets[m.key], timeouts, shared) for m in methods]
    notes += metrics.notes
    if not lambdas:
        notes.append("Lambda was not read: no function figures or timeouts")
    if name != api.name:
        notes.append(f"CloudWatch names the API {name!r} (ASCII characters only)")
    notes.append(f"CloudWatch keys API figures by the API's name: another API named {name!r} "
                 "in this Region would add its figures to these")
    return Advised(api=api, region=gateway.region, stage=chosen, days=days,
                   detailed_methods=sum(detailed.values()),
                   figures_methods=sum(1 for c in candidates if c.method and not c.method.empty),
                   stage_figures=_figures(queries[("stage", chosen)], values),
                   advices=rank_candidates(candidates, api.id, chosen, flags),
                   calls=metrics.calls, notes=tuple(notes))


def _stage(snapshot: ApiSnapshot, requested: str | None) -> str:
    names = [s.stage_name for s in snapshot.stages]
    if requested is not None:
        return one_stage(requested, snapshot.api.id, {n: n for n in names})
    if len(names) == 1:
        return names[0]
    if not names:
        raise UsageError(f"API {snapshot.api.id} has no stage: nothing has called it, so "
                         "there are no metrics to advise from")
    raise UsageError(f"API {snapshot.api.id} has {len(names)} stages ({', '.join(names)}); "
                     "choose one with --stage")


def _stage_entry(gateway: Gateway, api_id: str, stage: str) -> Mapping[str, Any]:
    """The stage as GetStage answers it (methodSettings is not in the snapshot)."""
    return Service(gateway.client, gateway.pacer).call("GetStage", restApiId=api_id,
                                                       stageName=stage)


def _settings(stage: Mapping[str, Any]) -> Mapping[str, Any]:
    """The stage's methodSettings ('*/*' and per method)."""
    settings = stage.get("methodSettings") or {}
    return settings if isinstance(settings, Mapping) else {}


def _served_modes(gateway: Gateway, snapshot: ApiSnapshot, stage: str, notes: list[str]
                  ) -> dict[str, Mode]:
    """The mode of each method in the deployment the stage serves, as status reads it."""
    try:
        served = live.served(stage, gateway.export(snapshot.api.id, stage), snapshot)
    except AsyncgwError as error:
        notes.append(f"what stage {stage} serves could not be read ({error.message}): modes "
                     "shown are the API's, which may not be deployed")
        return {}
    return served.modes


def _detailed(settings: Mapping[str, Any], method: Method) -> bool:
    """Whether the stage publishes this method's figures: its own setting, else '*/*' [DOC]."""
    own = f"{method.path.replace('/', '~1')}/{method.http_method}"
    for key in (own, "*/*"):
        entry = settings.get(key)
        if isinstance(entry, Mapping) and "metricsEnabled" in entry:
            return bool(entry["metricsEnabled"])
    return False


def _target(method: Method, variables: Mapping[str, str]) -> str | None:
    """The function the stage's variables make the method invoke; None when one is unset."""
    function = lambda_function(method.integration)
    if function is None:
        return None
    return functions.resolve(function, variables)


def _timeouts(service: Service, targets: set[str], notes: list[str]
              ) -> dict[str, int | None]:
    """Each function's configured timeout in seconds; None when Lambda could not say."""
    found: dict[str, int | None] = {}
    for target in sorted(targets):
        base, qualifier = functions.split_qualifier(target)
        try:
            settings = service.call("GetFunctionConfiguration", FunctionName=base,
                                    **({"Qualifier": qualifier} if qualifier else {}))
        except AsyncgwError as error:
            found[target] = None  # advise ranks on what it could read, and says so
            notes.append(f"{function_name(target)}'s timeout is unknown: "
                         "lambda:GetFunctionConfiguration "
                         f"failed ({error.message})")
            continue
        timeout = settings.get("Timeout")
        found[target] = timeout if isinstance(timeout, int) else None
    return found


def _with_sides(snapshot: ApiSnapshot, lambdas: functions.Functions | None, stage: str,
                served: Mapping[str, Mode]) -> ApiSnapshot:
    """The snapshot with the function side (failed-event handling) of its async methods."""
    modes = {m.key: served.get(m.key, assess(m, snapshot).mode) for m in snapshot.methods}
    refs = function_report.targets(snapshot, modes)
    if lambdas is None or not refs:
        return snapshot
    stages = tuple(s for s in snapshot.stages if s.stage_name == stage)
    return snapshot.model_copy(update={"functions": lambdas.read_all(refs, stages)})


Key = tuple[str, str]


def _queries(name: str, stage: str, methods: Sequence[Method], detailed: Mapping[str, bool],
             targets: Mapping[str, str | None]) -> dict[Key, list[Query]]:
    """The queries of the stage, of each method with detailed metrics, and of each function."""
    found = {("stage", stage): _gateway_queries(stage_dimensions(name, stage))}
    for method in methods:
        if detailed[method.key]:
            found[("method", method.key)] = _gateway_queries(
                method_dimensions(name, stage, method.http_method, method.path))
        target = targets[method.key]
        if target is not None:
            base, qualifier = functions.split_qualifier(target)
            dimensions = function_dimensions(function_name(base), qualifier)
            found[("function", target)] = [
                Query(LAMBDA, "Duration", dimensions, "p99"),
                Query(LAMBDA, "Duration", dimensions, "Maximum"),
                Query(LAMBDA, "Errors", dimensions, "Sum"),
                Query(LAMBDA, "Throttles", dimensions, "Sum"),
            ]
    return found


def _gateway_queries(dimensions: tuple[tuple[str, str], ...]) -> list[Query]:
    # Count is read as SampleCount, the statistic the metric's description names [DOC].
    return [Query(APIGATEWAY, "IntegrationLatency", dimensions, "p99"),
            Query(APIGATEWAY, "IntegrationLatency", dimensions, "Maximum"),
            Query(APIGATEWAY, "5XXError", dimensions, "Sum"),
            Query(APIGATEWAY, "Count", dimensions, "SampleCount")]


def _figures(queries: Sequence[Query], values: Mapping[Query, tuple[float, ...]]) -> Figures:
    p99, maximum, errors, count = (summary(values, q) for q in queries)
    return Figures(latency_p99=p99, latency_max=maximum, errors_5xx=errors, count=count)


def _candidate(method: Method, snapshot: ApiSnapshot, served: Mapping[str, Mode],
               queries: Mapping[Key, list[Query]], values: Mapping[Query, tuple[float, ...]],
               detailed: bool, target: str | None, timeouts: Mapping[str, int | None],
               shared: Mapping[str, int]) -> Candidate:
    assessment = assess(method, snapshot)
    mode = served.get(method.key, assessment.mode)
    integration = method.integration
    function = None
    if target is not None:
        p99, maximum, errors, throttles = (
            summary(values, q) for q in queries[("function", target)])
        function = FunctionFigures(name=function_name(target), timeout_s=timeouts.get(target),
                                   duration_p99=p99, duration_max=maximum, errors=errors,
                                   throttles=throttles)
    return Candidate(
        key=method.key, mode=mode,
        defined_mode=assessment.mode if served and assessment.mode is not mode else None,
        shared_by=shared[target] if target else 1,
        integration_type=integration.type if integration else "",
        timeout_ms=(integration.timeout_in_millis if integration and
                    integration.timeout_in_millis else DEFAULT_TIMEOUT_MS),
        # A streaming proxy cannot be converted: it stays "not eligible", with its reason.
        proxy=proxy_lambda(method) and ineligibility(method, convert_proxy=True) is None,
        method=_figures(queries[("method", method.key)], values) if detailed else None,
        function=function, reason_not_eligible=assessment.reason,
        failed_events=tuple(_failed_events(method, mode, snapshot)))


def _failed_events(method: Method, mode: Mode, snapshot: ApiSnapshot) -> list[str]:
    """What the method's function does with failed async events, one line per function."""
    if mode not in (Mode.ASYNC, Mode.SWITCHABLE):
        return []
    found = function_report.warnings(method, mode, snapshot)
    for side in function_report.sides(snapshot, method):
        if side.keeps_failures:
            where = side.config.on_failure if side.config and side.config.on_failure else (
                side.dead_letter)
            found.append(f"{function_report.shown_name(side)} keeps failed events "
                         f"(to {where}, after {side.retries} retries)")
    return found

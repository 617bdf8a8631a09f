"""Plausible CloudWatch figures for the sample "orders" API, so `asyncgw advise` has evidence.

Stage prod has detailed metrics on (per-method figures), stage dev has not (stage figures
only). In prod, PUT /orders/{id} runs near the 29 s integration timeout, GET /orders/{id} is
fast but now and then runs into it (504s), GET /orders is healthy and ANY /webhooks (a proxy)
is slowish. The functions' Duration, Errors and Throttles match.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import boto3

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_cloudwatch.type_defs import MetricDatumTypeDef

    from asyncgw_sandbox.seed import Clients, SeededApi

DETAILED_STAGE = "prod"
STAGE_ONLY = "dev"
TIMEOUT_MS = 29000.0
FUNCTION_TIMEOUTS = {"orders-api": 30, "orders-jobs": 300, "orders-webhooks": 20}
"""Seconds; moto's default of 3 s would make the latencies below impossible."""


@dataclass(frozen=True)
class Traffic:
    """Calls of one method over the last days: how long each took (ms) and the 5XX answers."""

    verb: str
    path: str
    function: str
    latencies: tuple[tuple[float, int], ...]
    """(milliseconds, how many calls took that long)."""
    errors_5xx: int = 0

    @property
    def calls(self) -> int:
        """How many calls in all."""
        return sum(count for _, count in self.latencies)


ORDERS_TRAFFIC: tuple[Traffic, ...] = (
    Traffic("PUT", "/orders/{id}", "orders-api",
            ((19000.0, 10), (23500.0, 16), (25800.0, 10), (26900.0, 3), (27900.0, 1))),
    Traffic("GET", "/orders/{id}", "orders-api",
            ((180.0, 90), (420.0, 50), (1900.0, 9), (TIMEOUT_MS, 1)), errors_5xx=1),
    Traffic("GET", "/orders", "orders-api", ((95.0, 80), (160.0, 60), (310.0, 10))),
    Traffic("ANY", "/webhooks", "orders-webhooks",
            ((2400.0, 30), (9800.0, 12), (16500.0, 2))),
    Traffic("POST", "/orders", "orders-jobs", ((45.0, 60),)),
)
JOBS_DURATIONS = ((12000.0, 40), (38000.0, 15), (61000.0, 5))
"""orders-jobs runs asynchronously (POST /orders is async): its calls answer at once."""
JOBS_THROTTLES = 14
JOBS_ERRORS = 3
DAYS = 3
"""The calls are spread over the last three days, a datapoint a day, the newest 6 h old."""


def seed_orders_metrics(c: Clients, api: SeededApi, now: datetime | None = None) -> None:
    """Put the sample traffic's figures of the last three days into CloudWatch.

    Each (value, calls) pair is dealt out over the days, the newest day first, so every day
    has figures and the window's percentiles are those of all the calls.
    """
    for function, timeout in FUNCTION_TIMEOUTS.items():
        if function in api.functions:
            c.lambda_.update_function_configuration(FunctionName=function, Timeout=timeout)
    c.apigateway.update_stage(restApiId=api.api_id, stageName=DETAILED_STAGE, patchOperations=[
        {"op": "replace", "path": "/*/*/metrics/enabled", "value": "true"}])
    newest = (now or datetime.now(UTC)) - timedelta(hours=6)
    cloudwatch = metrics_client(c)
    for day in range(DAYS):
        at = newest - timedelta(days=day)
        for namespace, data in (("AWS/ApiGateway", list(_gateway_data(api.name, at, day))),
                                ("AWS/Lambda", list(_function_data(at, day)))):
            for first in range(0, len(data), 20):  # at most 20 MetricDatum a call [DOC quotas]
                cloudwatch.put_metric_data(Namespace=namespace,
                                           MetricData=data[first:first + 20])


def metrics_client(c: Clients) -> CloudWatchClient:
    """A CloudWatch client on the same emulated account as `c`."""
    endpoint = c.apigateway.meta.endpoint_url
    # In process (moto's mock) the clients keep AWS's own endpoints; a server has its own URL.
    custom = None if (urlsplit(endpoint).hostname or "").endswith(".amazonaws.com") else endpoint
    return _client(c.region, custom)


@functools.cache
def _client(region: str, endpoint_url: str | None) -> CloudWatchClient:
    # Made once per region and endpoint: a boto3 client costs more than seeding the figures,
    # and moto's mock answers any client made before it started.
    session = boto3.session.Session(aws_access_key_id="testing",
                                    aws_secret_access_key="testing", region_name=region)
    return session.client("cloudwatch", endpoint_url=endpoint_url)


def share(count: int, day: int) -> int:
    """The calls of `count` that fall on `day` (0 the newest) when dealt out over DAYS."""
    return count // DAYS + (1 if day < count % DAYS else 0)


def _gateway_data(api_name: str, at: datetime, day: int) -> Iterator[MetricDatumTypeDef]:
    for stage in (DETAILED_STAGE, STAGE_ONLY):
        scale = 1 if stage == DETAILED_STAGE else 2  # dev sees fewer calls
        for traffic in ORDERS_TRAFFIC:
            latencies = [(ms, share(max(1, n // scale), day)) for ms, n in traffic.latencies]
            calls = sum(n for _, n in latencies)
            errors = share(traffic.errors_5xx, day)
            scopes = [_dimensions(api_name, stage)]
            if stage == DETAILED_STAGE:
                scopes.append(_dimensions(api_name, stage, traffic.verb, traffic.path))
            for dimensions in scopes:
                yield _datum("IntegrationLatency", dimensions, latencies, at, "Milliseconds")
                yield _datum("Latency", dimensions, [(ms + 25, n) for ms, n in latencies], at,
                             "Milliseconds")
                yield _datum("Count", dimensions, [(1.0, calls)], at, "Count")
                yield _datum("5XXError", dimensions,
                             [(0.0, calls - errors), (1.0, errors)],
                             at, "Count")


def _function_data(at: datetime, day: int) -> Iterator[MetricDatumTypeDef]:
    durations: dict[str, list[tuple[float, int]]] = {
        "orders-jobs": [(ms, share(n, day)) for ms, n in JOBS_DURATIONS]}
    for traffic in ORDERS_TRAFFIC:
        if traffic.function != "orders-jobs":
            durations.setdefault(traffic.function, []).extend(
                (max(1.0, ms - 30), share(n, day)) for ms, n in traffic.latencies
                if ms < TIMEOUT_MS)
    # A call that API Gateway gave up on kept running in Lambda until the function's timeout.
    durations["orders-api"].append((FUNCTION_TIMEOUTS["orders-api"] * 1000.0, share(1, day)))
    for function, values in durations.items():
        dimensions = [{"Name": "FunctionName", "Value": function}]
        calls = sum(n for _, n in values)
        yield _datum("Duration", dimensions, values, at, "Milliseconds")
        yield _datum("Invocations", dimensions, [(1.0, calls)], at, "Count")
        errors = share(JOBS_ERRORS, day) if function == "orders-jobs" else 0
        yield _datum("Errors", dimensions, [(0.0, calls - errors), (1.0, errors)], at, "Count")
        throttles = share(JOBS_THROTTLES, day) if function == "orders-jobs" else 0
        yield _datum("Throttles", dimensions, [(0.0, calls), (1.0, throttles)], at, "Count")


def _dimensions(api_name: str, stage: str, verb: str | None = None, path: str | None = None
                ) -> list[dict[str, str]]:
    found = [{"Name": "ApiName", "Value": api_name}, {"Name": "Stage", "Value": stage}]
    if verb is not None and path is not None:
        found += [{"Name": "Method", "Value": verb}, {"Name": "Resource", "Value": path}]
    return found


def _datum(name: str, dimensions: Sequence[dict[str, str]],
           values: Sequence[tuple[float, int]], at: datetime, unit: str) -> Any:
    kept = [(value, count) for value, count in values if count > 0]
    return {"MetricName": name, "Dimensions": list(dimensions), "Timestamp": at,
            "Values": [value for value, _ in kept], "Counts": [float(n) for _, n in kept],
            "Unit": unit}

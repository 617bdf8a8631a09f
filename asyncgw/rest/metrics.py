"""CloudWatch reads for advise: metric queries, 500 to a GetMetricData call, every page followed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from asyncgw.aws.calls import Service
from asyncgw.aws.pacing import Pacer
from asyncgw.aws.responses import parse, sequence
from asyncgw.core.model import AwsModel

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch import CloudWatchClient

MAX_QUERIES = 500
"""MetricDataQuery structures one GetMetricData call may hold [DOC CloudWatch service quotas]."""
DAY = 86400
"""Seconds in a day. A GetMetricData Period is a multiple of 60 seconds (of 3600 for data older
than 63 days) [DOC GetMetricData MetricStat.Period]: a whole number of days is both."""
APIGATEWAY = "AWS/ApiGateway"
LAMBDA = "AWS/Lambda"
"""The namespaces API Gateway and Lambda publish to [DOC api-gateway-metrics-and-dimensions,
lambda monitoring-metrics-types]."""


@dataclass(frozen=True)
class Query:
    """One statistic of one metric, with the dimensions that pick it out."""

    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    stat: str

    def label(self) -> str:
        """'IntegrationLatency p99 (ApiName=orders, Stage=prod)', for notes."""
        where = ", ".join(f"{name}={value}" for name, value in self.dimensions)
        return f"{self.metric} {self.stat} ({where})"

    def wire(self, query_id: str, period: int) -> dict[str, Any]:
        """The MetricDataQuery as GetMetricData takes it."""
        return {
            "Id": query_id,
            "MetricStat": {
                "Metric": {"Namespace": self.namespace, "MetricName": self.metric,
                           "Dimensions": [{"Name": name, "Value": value}
                                          for name, value in self.dimensions]},
                "Period": period,
                "Stat": self.stat,
            },
            "ReturnData": True,
        }


class _Message(AwsModel):
    """A MessageData of a result: why its values are incomplete."""

    code: str = ""
    value: str = ""


class _Result(AwsModel):
    """One MetricDataResult: the values of one query, a datapoint per period."""

    id: str
    values: tuple[float, ...] = ()
    status_code: str = "Complete"
    messages: tuple[_Message, ...] = ()


class Metrics:
    """GetMetricData through asyncgw's one call wrapper, on CloudWatch's own quota."""

    def __init__(self, client: CloudWatchClient, pacer: Pacer | None = None) -> None:
        self.client = client
        self._cloudwatch = Service(client, pacer)
        self.calls = 0
        """GetMetricData calls made so far: advise reports it."""
        self.notes: list[str] = []
        """One line per query CloudWatch answered incompletely (StatusCode not Complete)."""

    def read(self, queries: Sequence[Query], start: datetime, end: datetime,
             period: int = DAY) -> dict[Query, tuple[float, ...]]:
        """Each query's values, one per period that has data (none when it has no data)."""
        unique = list(dict.fromkeys(queries))
        found: dict[Query, list[float]] = {query: [] for query in unique}
        incomplete: dict[Query, str] = {}
        for batch in _batches(unique):
            ids = {f"q{index}": query for index, query in enumerate(batch)}
            for result in self._pages([q.wire(i, period) for i, q in ids.items()], start, end):
                if result.id not in ids:
                    continue
                query = ids[result.id]
                found[query].extend(result.values)
                # A later page completes a query an earlier one left PartialData.
                if result.status_code == "Complete":
                    incomplete.pop(query, None)
                else:
                    incomplete[query] = _incomplete(result)
        self.notes += [f"{query.label()}: {why}" for query, why in incomplete.items()]
        return {query: tuple(values) for query, values in found.items()}

    def _pages(self, wire: list[dict[str, Any]], start: datetime, end: datetime
               ) -> Iterator[_Result]:
        token: str | None = None
        while True:
            page = self._cloudwatch.call(
                "GetMetricData", MetricDataQueries=wire, StartTime=start, EndTime=end,
                **({"NextToken": token} if token else {}))
            self.calls += 1
            results = sequence(page.get("MetricDataResults") or [], "GetMetricData",
                               "MetricDataResults")
            for index, item in enumerate(results):
                yield parse(_Result, item, "GetMetricData", f"MetricDataResults[{index}]")
            token = page.get("NextToken")
            if not token:
                return


def _incomplete(result: _Result) -> str:
    said = "; ".join(f"{m.code}: {m.value}" if m.code else m.value for m in result.messages)
    return (f"CloudWatch answered {result.status_code}" + (f" ({said})" if said else "")
            + ": its figure may be missing or understated")


def _batches(queries: Sequence[Query]) -> Iterator[Sequence[Query]]:
    for first in range(0, len(queries), MAX_QUERIES):
        yield queries[first:first + MAX_QUERIES]


def api_name_dimension(name: str, api_id: str) -> str:
    """The ApiName API Gateway publishes: the name without its non-ASCII characters, or the id.

    [DOC api-gateway-metrics-and-dimensions]: "API Gateway removes non-ASCII characters from
    the ApiName dimension ... If the APIName contains no ASCII characters, the API ID is used".
    """
    kept = "".join(character for character in name if character.isascii())
    return kept or api_id


def method_dimensions(api_name: str, stage: str, verb: str, path: str
                      ) -> tuple[tuple[str, str], ...]:
    """ApiName, Method, Resource, Stage: one method's figures, with detailed metrics only [DOC].

    That Resource holds the resource path ('/orders/{id}') is [UNVERIFIED] beyond the console,
    which shows it so; so is Method holding 'ANY' for an ANY method rather than each verb.
    """
    return (("ApiName", api_name), ("Method", verb), ("Resource", path), ("Stage", stage))


def stage_dimensions(api_name: str, stage: str) -> tuple[tuple[str, str], ...]:
    """ApiName, Stage: a stage's figures, always published [DOC]."""
    return (("ApiName", api_name), ("Stage", stage))


def function_dimensions(name: str, qualifier: str | None) -> tuple[tuple[str, str], ...]:
    """FunctionName, and Resource ('name:alias') for an alias or version [DOC lambda metrics]."""
    if qualifier:
        return (("FunctionName", name), ("Resource", f"{name}:{qualifier}"))
    return (("FunctionName", name),)


def summary(values: Mapping[Query, tuple[float, ...]], query: Query) -> float | None:
    """The figure over the whole window; None when there was no data.

    advise reads one period spanning the window, so there is one value. Should there be
    more (a period split by CloudWatch), sums add up, and maxima and percentiles take the
    largest: a percentile cannot be combined exactly, and is never understated so.
    """
    found = values.get(query) or ()
    if not found:
        return None
    return float(sum(found)) if query.stat in ("Sum", "SampleCount") else float(max(found))

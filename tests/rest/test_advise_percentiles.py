"""The sandbox's percentiles for advise: what they compute, and that moto still lacks them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
from asyncgw_sandbox import emulated_account, install
from asyncgw_sandbox.metric_percentiles import percentile
from moto.cloudwatch.models import MetricDatum, Statistics


def test_nearest_rank_never_reports_a_value_nobody_measured() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 99), percentile(values, 50), percentile(values, 100)) == (
        99.0, 50.0, 100.0)
    assert percentile([180.0] * 149 + [29000.0], 99) == 180.0  # one slow call in 150
    assert percentile([5.0], 99.9) == 5.0


def test_get_metric_data_answers_p99_through_the_real_client() -> None:
    with emulated_account():
        cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
        now = datetime.now(UTC)
        dimensions = [{"Name": "ApiName", "Value": "orders"}, {"Name": "Stage", "Value": "prod"}]
        cloudwatch.put_metric_data(Namespace="AWS/ApiGateway", MetricData=[{
            "MetricName": "IntegrationLatency", "Dimensions": dimensions,
            "Timestamp": now - timedelta(hours=1), "Values": [100.0, 27000.0],
            "Counts": [99.0, 1.0]}])
        stat = {"Metric": {"Namespace": "AWS/ApiGateway", "MetricName": "IntegrationLatency",
                           "Dimensions": dimensions}, "Period": 86400}
        found = cloudwatch.get_metric_data(
            MetricDataQueries=[{"Id": "p", "MetricStat": {**stat, "Stat": "p99"}},
                               {"Id": "m", "MetricStat": {**stat, "Stat": "Maximum"}}],
            StartTime=now - timedelta(days=1), EndTime=now)
        values = {r["Id"]: r["Values"] for r in found["MetricDataResults"]}
        assert values == {"p": [100.0], "m": [27000.0]}


def test_moto_itself_still_computes_no_percentile() -> None:
    # Should moto learn percentiles, this fails: drop metric_percentiles.py and its doc row.
    install()
    original = Statistics.get_statistics_for_type.__wrapped__  # type: ignore[attr-defined]
    stats = Statistics(["p99"], datetime.now(UTC))
    stats.metric_data = [MetricDatum("AWS/ApiGateway", "IntegrationLatency", 1.0, [],
                                     datetime.now(UTC))]
    assert original(stats, "p99") is None
    assert Statistics.get_statistics_for_type(stats, "p99") == 1.0

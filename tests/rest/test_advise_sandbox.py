"""advise against the sandbox, through real API Gateway, Lambda and CloudWatch clients."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from asyncgw_sandbox.seed import Clients, SeededApi, seed_wide_api
from rich.console import Console

import asyncgw
from asyncgw.cli import Runtime, run
from asyncgw.rest import gateway
from tests.support.faults import error_response

Handlers = list[tuple[str, Callable[..., Any]]]


def _connect(calls: list[str], handlers: Handlers | None = None) -> asyncgw.Account:
    def connect(profile: str | None, region: str | None, endpoint: str | None
                ) -> gateway.Gateway:
        made = gateway.connect(profile, region, endpoint)
        metrics = made.metrics()
        assert metrics is not None
        events = metrics.client.meta.events
        events.register("before-call.cloudwatch.GetMetricData",
                        lambda **_: calls.append("GetMetricData"))
        for event, handler in handlers or []:
            events.register_first(event, handler)
        return made

    return asyncgw.Account(connect=connect)


def _cli(*args: str, account: asyncgw.Account | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    runtime = Runtime(out=Console(file=out, width=200, color_system=None),
                      err=Console(file=err, width=200, color_system=None),
                      interactive=lambda: False,
                      connect=account.connect if account else None)
    code = run(list(args), runtime)
    return code, out.getvalue(), err.getvalue()


def test_the_slow_method_comes_first_with_its_figures_and_command(orders: SeededApi) -> None:
    calls: list[str] = []
    report = asyncgw.advise("orders", stage="prod", account=_connect(calls))
    data = report.data
    assert calls == ["GetMetricData"] and data["getMetricDataCalls"] == 1
    assert data["detailedMetrics"] is True and data["enableDetailedMetrics"] is None
    ranked = [(m["method"], m["evidence"]) for m in data["methods"]]
    assert ranked[:5] == [("PUT /orders/{id}", "strong"), ("GET /orders/{id}", "strong"),
                          ("ANY /webhooks", "some"), ("DELETE /orders/{id}", "function"),
                          ("GET /orders", "none")]
    # DELETE has no calls of its own: its function's figures stand in, with no command, since
    # orders-api serves four methods.
    assert data["methods"][3]["command"] is None
    first = data["methods"][0]
    assert first["reason"] == "IntegrationLatency p99 27.9 s, max 27.9 s of the 29 s timeout"
    assert first["command"] == (f"asyncgw enable-switchable {orders.api_id} -m "
                                "'PUT /orders/{id}' --stage prod")
    assert first["figures"] == {"integrationLatencyP99Millis": 27900.0,
                                "integrationLatencyMaxMillis": 27900.0, "5xxErrors": 0.0,
                                "count": 40.0}
    assert first["function"]["name"] == "orders-api"
    assert first["function"]["timeoutSeconds"] == 30
    errors = data["methods"][1]
    assert "1 5XX answer of 150 calls (likely 504s: calls hit the timeout)" in errors["reason"]
    webhooks = data["methods"][2]
    assert webhooks["command"].endswith("-m 'ANY /webhooks' --convert-proxy --stage prod")


def test_async_methods_are_listed_with_their_failed_event_handling(orders: SeededApi) -> None:
    data = asyncgw.advise("orders", stage="prod").data
    already = {m["method"]: m for m in data["methods"] if m["evidence"] == "already"}
    assert set(already) == {"POST /orders", "POST /orders/{id}/refund", "POST /orders/{id}/ship"}
    jobs = already["POST /orders"]
    assert jobs["command"] is None
    assert jobs["failedEvents"] == [
        "failed async events are dropped: orders-jobs has no on-failure destination or "
        "dead-letter queue (after 2 retries); add one with: asyncgw enable-async "
        f"{orders.api_id} -m 'POST /orders' --on-failure ARN"]
    assert jobs["function"]["throttles"] == 14.0


def test_without_detailed_metrics_it_says_so_and_prints_the_line_that_turns_them_on(
        orders: SeededApi) -> None:
    code, out, _ = _cli("advise", "orders", "--stage", "dev")
    assert code == 0
    line = (f"aws apigateway update-stage --region us-east-1 --rest-api-id {orders.api_id} "
            "--stage-name dev --patch-operations 'op=replace,path=/*/*/metrics/enabled,value=true'")
    assert "Detailed metrics are off for this stage" in out and line in out
    assert "ranked by their functions' figures alone" in out and "and the stage's" not in out
    assert "Stage: IntegrationLatency p99 26.9 s, max 29 s; 1 5XX of 222 calls" in out
    data = asyncgw.advise("orders", stage="dev").data
    assert data["detailedMetrics"] is False and data["enableDetailedMetrics"] == line
    sync = [m for m in data["methods"] if m["mode"] == "sync"]
    assert sync and all(m["figures"] is None for m in sync)
    assert all(m["reason"].endswith("(no per-method figures: detailed metrics are off)")
               for m in sync)
    # orders-api serves four methods: its figures may come from any one, so none is "strong"
    # and none gets a command.
    shared = [m for m in sync if m["function"]["name"] == "orders-api"]
    assert len(shared) == 4
    assert all(m["evidence"] == "function" and m["command"] is None for m in shared)
    assert all("orders-api serves 4 methods: this figure may come from any of them"
               in m["reason"] for m in shared)


def test_more_than_500_queries_take_one_call_per_500(account: Clients) -> None:
    wide = seed_wide_api(account, 130)  # 4 stage + 130 x 4 + 5 function queries: 529
    account.apigateway.update_stage(restApiId=wide.api_id, stageName="prod", patchOperations=[
        {"op": "replace", "path": "/*/*/metrics/enabled", "value": "true"}])
    last = max(path for path in wide.resource_ids if "item" in path)  # its methods come last
    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    cloudwatch.put_metric_data(Namespace="AWS/ApiGateway", MetricData=[{
        "MetricName": "IntegrationLatency", "Timestamp": datetime.now(UTC) - timedelta(hours=2),
        "Dimensions": [{"Name": "ApiName", "Value": "wide"}, {"Name": "Method", "Value": "GET"},
                       {"Name": "Resource", "Value": last}, {"Name": "Stage", "Value": "prod"}],
        "Values": [25000.0]}])
    calls: list[str] = []
    data = asyncgw.advise("wide", account=_connect(calls)).data
    assert calls == ["GetMetricData", "GetMetricData"] and data["getMetricDataCalls"] == 2
    assert len(data["methods"]) == 130
    assert data["methods"][0]["method"] == f"GET {last}"  # read in the second call
    assert data["methods"][0]["figures"]["integrationLatencyMaxMillis"] == 25000.0


def test_every_page_is_followed(orders: SeededApi) -> None:
    # CloudWatch answers in pages when a call's datapoints exceed its limit; moto never does,
    # so the first answer is cut in two here and the rest handed out on the next call.
    held: dict[str, Any] = {}

    def split(parsed: dict[str, Any], **_: Any) -> None:
        results = parsed.get("MetricDataResults") or []
        if "rest" not in held:
            held["rest"] = results[len(results) // 2:]
            parsed["MetricDataResults"] = results[:len(results) // 2]
            parsed["NextToken"] = "page-2"
        else:
            parsed["MetricDataResults"] = held["rest"]

    def sent(params: dict[str, Any], **_: Any) -> None:
        held.setdefault("tokens", []).append(params.get("NextToken"))

    whole = asyncgw.advise("orders", stage="prod").data
    calls: list[str] = []
    paged = asyncgw.advise("orders", stage="prod", account=_connect(calls, [
        ("after-call.cloudwatch.GetMetricData", split),
        ("provide-client-params.cloudwatch.GetMetricData", sent)])).data
    assert held["tokens"] == [None, "page-2"] and paged["getMetricDataCalls"] == 2
    assert paged["methods"] == whole["methods"]


def test_access_denied_names_the_cloudwatch_permission(orders: SeededApi) -> None:
    def deny(**_: Any) -> object:
        return error_response(403, "AccessDenied", "User is not authorized")

    calls: list[str] = []
    account = _connect(calls, [("before-call.cloudwatch.GetMetricData", deny)])
    code, out, err = _cli("advise", "orders", "--stage", "prod", account=account)
    assert code == 1 and out == ""
    assert err.strip().splitlines()[-1] == (
        "Error: access denied: IAM refused cloudwatch:GetMetricData; grant it to the identity "
        "asyncgw runs as")


def test_bad_input_is_refused_with_exit_2(orders: SeededApi, account: Clients) -> None:
    code, _, err = _cli("advise", "orders")
    assert code == 2
    assert f"API {orders.api_id} has 2 stages (dev, prod); choose one with --stage" in err
    code, _, err = _cli("advise", "orders", "--days", "0")
    assert code == 2 and "--days must be 1 to 455" in err
    code, _, err = _cli("advise", "orders", "--stage", "nope")
    assert code == 2 and "nope" in err
    code, _, err = _cli("advise", "no-such-api", "--stage", "prod")
    assert code == 2 and "no-such-api" in err
    api = boto3.client("apigatewayv2", region_name="us-east-1").create_api(
        Name="events", ProtocolType="HTTP")["ApiId"]
    code, _, err = _cli("advise", api)
    assert code == 2 and f"{api} is an HTTP API: advise ranks REST API methods" in err


def test_the_table_names_the_slow_method_first(orders: SeededApi) -> None:
    code, out, _ = _cli("advise", "orders", "--stage", "prod")
    assert code == 0
    rows = [line.split() for line in out.splitlines() if line[:2].strip().isdigit()]
    assert rows[0][:4] == ["1", "PUT", "/orders/{id}", "sync"]
    assert "  1. PUT /orders/{id}: IntegrationLatency p99 27.9 s" in out
    assert f"asyncgw enable-switchable {orders.api_id} -m 'PUT /orders/{{id}}' --stage prod" in out
    assert "1 GetMetricData call" in out
    json_code, json_out, _ = _cli("advise", "orders", "--stage", "prod", "--output", "json")
    assert json_code == 0 and json.loads(json_out)["methods"][0]["method"] == "PUT /orders/{id}"


@pytest.mark.parametrize("stage", ["prod", "dev"])
def test_advise_changes_nothing(orders: SeededApi, account: Clients, stage: str) -> None:
    before = account.apigateway.get_stage(restApiId=orders.api_id, stageName=stage)
    asyncgw.advise("orders", stage=stage)
    after = account.apigateway.get_stage(restApiId=orders.api_id, stageName=stage)
    assert after["deploymentId"] == before["deploymentId"]
    assert after.get("methodSettings") == before.get("methodSettings")

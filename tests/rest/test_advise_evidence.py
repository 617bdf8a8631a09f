"""advise says only what the evidence shows: deployed modes, metric settings, incomplete reads."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from asyncgw_sandbox.seed import Clients, SeededApi
from rich.console import Console

import asyncgw
from asyncgw.rest import gateway
from tests.support.faults import error_response

Hook = tuple[str, str, Callable[..., Any]]
"""(client: 'cloudwatch' or 'lambda', botocore event, handler)."""


def _account(hooks: list[Hook]) -> asyncgw.Account:
    def connect(profile: str | None, region: str | None, endpoint: str | None
                ) -> gateway.Gateway:
        made = gateway.connect(profile, region, endpoint)
        metrics, lambdas = made.metrics(), made.functions()
        assert metrics is not None and lambdas is not None
        for client, event, handler in hooks:
            target = metrics.client if client == "cloudwatch" else lambdas.client
            target.meta.events.register_first(event, handler)
        return made

    return asyncgw.Account(connect=connect)


def _method(data: dict[str, Any], key: str) -> dict[str, Any]:
    [found] = [m for m in data["methods"] if m["method"] == key]
    return found


def test_the_mode_is_the_one_the_stage_serves_and_a_difference_points_at_redeploy(
        orders: SeededApi) -> None:
    asyncgw.plan_change("orders", "switchable", methods=["PUT /orders/{id}"],
                        stage="prod").apply()
    dev = _method(asyncgw.advise("orders", stage="dev").data, "PUT /orders/{id}")
    assert dev["mode"] == "sync" and dev["evidence"] != "already"
    assert dev["command"] == f"asyncgw redeploy {orders.api_id} --stage dev"
    assert dev["reason"].endswith("the API defines it switchable but stage dev serves sync: "
                                  "asyncgw redeploy makes the stage serve the API's definition")
    prod = _method(asyncgw.advise("orders", stage="prod").data, "PUT /orders/{id}")
    assert (prod["mode"], prod["evidence"], prod["command"]) == ("switchable", "already", None)


def test_detailed_metrics_turned_on_without_figures_yet_fall_back_to_the_functions(
        orders: SeededApi, account: Clients) -> None:
    account.apigateway.update_stage(restApiId=orders.api_id, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/*/*/metrics/enabled", "value": "true"}])
    report = asyncgw.advise("orders", stage="dev")
    data = report.data
    assert data["detailedMetrics"] is True and data["methodsWithFigures"] == 0
    webhooks = _method(data, "ANY /webhooks")
    assert webhooks["evidence"] == "function" and webhooks["command"] is not None
    assert webhooks["reason"].startswith("orders-webhooks Duration p99 16.5 s")
    assert "turned on recently?" in webhooks["reason"]
    out = io.StringIO()
    Console(file=out, width=200, color_system=None).print(report.text)
    assert "Detailed metrics are on for 8 of 8 Lambda methods; 8 have no per-method" in (
        out.getvalue())
    assert "No Lambda method shows evidence" not in out.getvalue()


def test_a_per_method_override_counts_for_that_method_only(orders: SeededApi,
                                                            account: Clients) -> None:
    account.apigateway.update_stage(restApiId=orders.api_id, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/~1orders~1{id}/PUT/metrics/enabled", "value": "true"}])
    data = asyncgw.advise("orders", stage="dev").data
    assert data["detailedMetrics"] is False and data["detailedMetricsMethods"] == 1
    assert data["enableDetailedMetrics"] is not None
    assert _method(data, "PUT /orders/{id}")["figures"] is not None
    assert _method(data, "GET /orders")["figures"] is None


@pytest.mark.parametrize("status", ["InternalError", "Forbidden", "PartialData"])
def test_an_incomplete_query_is_noted_not_shown_as_no_figures(orders: SeededApi,
                                                               status: str) -> None:
    def incomplete(parsed: dict[str, Any], **_: Any) -> None:
        first = parsed["MetricDataResults"][0]
        first.update(StatusCode=status, Values=[], Timestamps=[],
                     Messages=[{"Code": status, "Value": "try again"}])

    data = asyncgw.advise("orders", stage="prod", account=_account([
        ("cloudwatch", "after-call.cloudwatch.GetMetricData", incomplete)])).data
    assert any(note.startswith("IntegrationLatency p99 (ApiName=orders, Stage=prod): "
                               f"CloudWatch answered {status} ({status}: try again)")
               for note in data["notes"]), data["notes"]


def test_a_query_split_over_pages_keeps_its_first_page_values(orders: SeededApi) -> None:
    pages: list[int] = []

    def split(parsed: dict[str, Any], **_: Any) -> None:
        pages.append(1)
        if len(pages) == 1:  # every query's value; the first query continues on page 2
            parsed["MetricDataResults"][0]["StatusCode"] = "PartialData"
            parsed["NextToken"] = "page-2"
        else:
            first = parsed["MetricDataResults"][0]
            parsed["MetricDataResults"] = [{**first, "Values": [], "Timestamps": [],
                                            "StatusCode": "Complete"}]

    whole = asyncgw.advise("orders", stage="prod").data
    paged = asyncgw.advise("orders", stage="prod", account=_account([
        ("cloudwatch", "after-call.cloudwatch.GetMetricData", split)])).data
    assert len(pages) == 2
    assert paged["stageFigures"] == whole["stageFigures"]
    assert paged["stageFigures"]["integrationLatencyP99Millis"] is not None
    assert paged["notes"] == whole["notes"]  # page 2 completed the query


def test_a_failed_function_read_is_named_in_a_note(orders: SeededApi) -> None:
    def deny(**_: Any) -> object:
        return error_response(403, "AccessDeniedException", "not authorized")

    data = asyncgw.advise("orders", stage="prod", account=_account([
        ("lambda", "before-call.lambda.GetFunctionConfiguration", deny)])).data
    assert any(note.startswith("orders-api's timeout is unknown: "
                               "lambda:GetFunctionConfiguration failed")
               for note in data["notes"]), data["notes"]
    assert _method(data, "PUT /orders/{id}")["function"]["timeoutSeconds"] is None


def test_the_sandbox_figures_span_several_days(orders: SeededApi) -> None:
    one = _method(asyncgw.advise("orders", stage="prod", days=1).data, "PUT /orders/{id}")
    three = _method(asyncgw.advise("orders", stage="prod", days=3).data, "PUT /orders/{id}")
    assert one["figures"]["count"] == 16.0  # the newest day's share of the 40 calls
    assert three["figures"]["count"] == 40.0
    assert three["figures"]["integrationLatencyP99Millis"] == 27900.0

"""asyncgw list: every REST and HTTP API of the sandbox's region, counted right, in few calls."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from asyncgw_sandbox.seed import Clients, MethodSpec, SeededApi, seed_orders_api, seed_rest_api
from asyncgw_sandbox.seed_http import (
    RouteSpec,
    SeededHttpApi,
    http_api_clients,
    seed_http_api,
    seed_sample_http_api,
)

from asyncgw import library
from asyncgw.http import gateway as http_gateway
from asyncgw.rest import gateway as rest_gateway
from tests.cli.runner import asyncgw
from tests.support.faults import error_response

Region = tuple[SeededApi, SeededApi, SeededHttpApi, SeededHttpApi]


@pytest.fixture
def region(account: Clients) -> Region:
    """orders (2 stages) and billing (REST), events and jobs (HTTP, jobs deployed by hand),
    and a WebSocket API that list leaves out."""
    orders = seed_orders_api(account, figures=False)
    billing = seed_rest_api(account, "billing", [
        MethodSpec("/invoices", "POST", function="billing-jobs"),
        MethodSpec("/invoices", "GET", integration="mock"),
    ], stages=("live",))
    http = http_api_clients(account)
    events = seed_sample_http_api(http)
    jobs = seed_http_api(http, "jobs", [RouteSpec("POST /jobs")], stages=(("prod", False),))
    seed_http_api(http, "chat", [], protocol="WEBSOCKET")
    return orders, billing, events, jobs


def listed(*args: str) -> dict[str, dict[str, Any]]:
    done = asyncgw("list", "--output", "json", *args)
    assert done.code == 0, done.err
    report = json.loads(done.out)
    assert report["region"] == "us-east-1" and report["failures"] == []
    return {api["name"]: api for api in report["apis"]}


def test_every_api_of_the_region_with_its_counts(region: Region) -> None:
    orders, billing, events, jobs = region
    apis = listed()
    assert sorted(apis) == ["billing", "events", "jobs", "orders"]
    assert {name: (api["id"], api["type"], api["counts"], api["error"])
            for name, api in apis.items()} == {
        "orders": (orders.api_id, "REST",
                   {"async": 1, "switchable": 2, "sync": 4, "not-eligible": 3}, None),
        "billing": (billing.api_id, "REST",
                    {"async": 0, "switchable": 0, "sync": 1, "not-eligible": 1}, None),
        "events": (events.api_id, "HTTP",
                   {"async": 0, "switchable": 0, "sync": 3, "not-eligible": 1}, None),
        "jobs": (jobs.api_id, "HTTP",
                 {"async": 0, "switchable": 0, "sync": 1, "not-eligible": 0}, None),
    }
    assert apis["orders"]["stages"] == [{"name": "dev", "behind": False, "reason": None},
                                        {"name": "prod", "behind": False, "reason": None}]
    assert apis["events"]["stagesBehind"] == []
    [manual] = apis["jobs"]["stages"]
    assert (manual["name"], manual["behind"]) == ("prod", None)
    assert "deployed by hand" in manual["reason"]


def test_a_stage_that_lags_behind_is_named_and_the_counts_follow(region: Region) -> None:
    orders = region[0]
    done = asyncgw("enable-async", orders.api_id, "-m", "GET /orders", "--stage", "prod",
                   "--yes")
    assert done.code == 0, done.err
    apis = listed()
    assert apis["orders"]["counts"] == {"async": 2, "switchable": 2, "sync": 3,
                                        "not-eligible": 3}
    assert apis["orders"]["stagesBehind"] == ["dev"]
    assert apis["billing"]["stagesBehind"] == []

    text = asyncgw("list").out
    [row] = [line for line in text.splitlines() if line.startswith("orders ")]
    assert row.split() == ["orders", orders.api_id, "REST", "2", "2", "3", "3", "dev"]
    assert text.splitlines()[1].split() == ["API", "ID", "TYPE", "ASYNC", "SWITCHABLE", "SYNC",
                                            "NOT-ELIGIBLE", "STAGES", "BEHIND"]
    assert (f"{region[3].api_id}: stage prod: cannot tell whether it lags behind (deployed by "
            "hand") in " ".join(text.split())


def _recorder(calls: list[str], refuse: Callable[[Any], Any] | None = None
              ) -> Callable[..., Any]:
    def handler(model: Any, params: Any, **_: Any) -> Any:
        calls.append(model.name)
        return refuse(model, params) if refuse else None
    return handler


def _account(rest_calls: list[str], http_calls: list[str],
             refuse: Callable[[Any, Any], Any] | None = None,
             refuse_http: Callable[[Any, Any], Any] | None = None) -> library.Account:
    rest = rest_gateway.connect()
    rest.client.meta.events.register_first("before-call.api-gateway",
                                           _recorder(rest_calls, refuse))
    v2 = http_gateway.connect(pacer=rest.pacer)
    v2.apigatewayv2.meta.events.register_first("before-call.apigatewayv2",
                                               _recorder(http_calls, refuse_http))
    return library.Account(connect=lambda *_: rest, connect_http=lambda *_: v2)


def test_the_calls_are_one_list_each_then_what_status_reads_per_api(region: Region) -> None:
    rest_calls: list[str] = []
    http_calls: list[str] = []
    report = library.list_apis(account=_account(rest_calls, http_calls))
    assert len(report.data["apis"]) == 4
    per_rest_api = ["GetResources", "GetRequestValidators", "GetStages"]
    # orders: two stages, so two exports; billing: one.
    assert rest_calls == ["GetRestApis", *per_rest_api, "GetExport", "GetExport",
                          *per_rest_api, "GetExport"]
    assert http_calls == ["GetApis", "GetRoutes", "GetIntegrations", "GetStages",
                          "GetRoutes", "GetIntegrations", "GetStages"]


def test_an_api_that_cannot_be_read_is_unknown_and_the_rest_is_listed(region: Region) -> None:
    billing = region[1]

    def refuse(model: Any, params: Any) -> Any:
        if model.name == "GetResources" and billing.api_id in params["url_path"]:
            return error_response(403, "AccessDeniedException", "not authorized")
        return None

    report = library.list_apis(account=_account([], [], refuse)).data
    apis = {api["name"]: api for api in report["apis"]}
    assert apis["billing"]["counts"] is None
    assert apis["billing"]["error"] == (
        "access denied: IAM refused apigateway:GET on "
        f"arn:aws:apigateway:us-east-1::/restapis/{billing.api_id}/resources; grant it to the "
        "identity asyncgw runs as")
    assert apis["orders"]["counts"]["sync"] == 4
    assert apis["events"]["error"] is None


def test_a_kind_of_api_whose_list_is_refused_is_a_failure_not_the_end(region: Region) -> None:
    def refuse(model: Any, params: Any) -> Any:
        if model.name == "GetApis":
            return error_response(403, "AccessDeniedException", "not authorized")
        return None

    report = library.list_apis(account=_account([], [], refuse_http=refuse)).data
    assert sorted(api["name"] for api in report["apis"]) == ["billing", "orders"]
    [failure] = report["failures"]
    assert failure == ("HTTP APIs: access denied: IAM refused apigateway:GET on "
                       "arn:aws:apigateway:us-east-1::/apis; grant it to the identity asyncgw "
                       "runs as")


def test_an_empty_region(account: Clients) -> None:
    done = asyncgw("list")
    assert done.code == 0, done.err
    assert "No REST or HTTP API in this region." in done.out

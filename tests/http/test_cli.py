"""The same commands on an HTTP API, through the CLI in process."""

from __future__ import annotations

import json

from asyncgw_sandbox.seed_http import RouteSpec, seed_http_api

from tests.cli.runner import asyncgw
from tests.support.clients import HttpClients
from tests.support.state import account_state


def test_status_enable_and_disable_an_http_api_route(http: HttpClients) -> None:
    api = seed_http_api(http, "events", (RouteSpec("POST /jobs", function="jobs"),
                                         RouteSpec("GET /health", kind="http")))
    before = account_state(http, api.api_id)

    status = asyncgw("status", api.api_id, "--output", "json")
    assert status.code == 0, status.err
    routes = {r["routeKey"]: r for r in json.loads(status.out)["routes"]}
    assert routes["POST /jobs"]["mode"] == "sync"

    dry = asyncgw("enable-async", "events", "-m", "POST /jobs", "--dry-run")
    assert dry.code == 0, dry.err
    assert "Dry run: nothing was changed." in dry.out
    assert account_state(http, api.api_id) == before

    done = asyncgw("enable-async", "events", "-m", "POST /jobs", "--yes")
    assert done.code == 0, done.err
    routes = {r["routeKey"]: r for r in json.loads(
        asyncgw("status", api.api_id, "--output", "json").out)["routes"]}
    assert routes["POST /jobs"]["mode"] == "async"

    again = asyncgw("enable-async", "events", "-m", "POST /jobs", "--yes")
    assert again.code == 0 and "Nothing to do" in again.out

    back = asyncgw("disable", "events", "-m", "POST /jobs", "--yes", "--output", "json")
    assert back.code == 0, back.err
    assert json.loads(back.out)["applied"] is True
    assert account_state(http, api.api_id) == before


def test_an_ineligible_http_route_named_explicitly_is_exit_2(http: HttpClients) -> None:
    api = seed_http_api(http, "events", (RouteSpec("GET /health", kind="http"),))
    result = asyncgw("enable-async", api.api_id, "-m", "GET /health", "--yes")
    assert result.code == 2
    assert result.last_error_line.startswith("Error: GET /health")


def test_the_rest_only_options_are_refused_on_an_http_api(http: HttpClients) -> None:
    api = seed_http_api(http, "events", (RouteSpec("POST /jobs", function="jobs"),))
    before = account_state(http, api.api_id)
    for flags in (("--convert-proxy",), ("--respond-202",),
                  ("--on-failure", "arn:aws:sqs:us-east-1:123456789012:q")):
        result = asyncgw("enable-async", api.api_id, "-m", "POST /jobs", "--yes", *flags)
        assert result.code == 2, flags
        assert "REST APIs" in result.last_error_line
    assert account_state(http, api.api_id) == before

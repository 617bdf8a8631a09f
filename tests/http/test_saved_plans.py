"""Saved plans of an HTTP API: the forwarder plan applies exactly, and is refused once moved."""

from __future__ import annotations

import json
from pathlib import Path

from asyncgw_sandbox.seed_http import RouteSpec, SeededHttpApi, seed_http_api

from tests.cli.runner import asyncgw
from tests.support.clients import HttpClients
from tests.support.state import account_state

ROUTES = (RouteSpec("POST /jobs", function="jobs"), RouteSpec("GET /health", kind="http"))


def _manual(http: HttpClients) -> SeededHttpApi:
    return seed_http_api(http, "events", ROUTES, stages=(("prod", False),))


def _save(api: SeededHttpApi, path: Path) -> None:
    saved = asyncgw("enable-async", api.api_id, "-m", "POST /jobs", "--stage", "prod",
                    "--out", str(path), "--exit-code")
    assert saved.code == 3, saved.err


def _mode(api_id: str, route: str) -> str:
    report = json.loads(asyncgw("status", api_id, "--output", "json").out)
    mode: str = {r["routeKey"]: r["mode"] for r in report["routes"]}[route]
    return mode


def test_a_saved_http_plan_changes_nothing_then_applies_exactly(http: HttpClients,
                                                                tmp_path: Path) -> None:
    api = _manual(http)
    before = account_state(http, api.api_id)
    path = tmp_path / "plan.json"
    _save(api, path)
    assert account_state(http, api.api_id) == before
    document = json.loads(path.read_text())
    assert document["kind"] == "http"
    assert set(document["fingerprint"]["parts"]) >= {"routes", "integrations", "stages",
                                                     "forwarders"}
    assert "POST /jobs" in document["fingerprint"]["parts"]["routes"]

    applied = asyncgw("apply", str(path), "--yes", "--output", "json")
    assert applied.code == 0, applied.err
    report = json.loads(applied.out)
    assert {k: report[k] for k in document["plan"]} == document["plan"]
    created = [s["subject"] for s in document["plan"]["steps"] if s["kind"] ==
               "create-forwarder"]
    assert len(created) == 1 and created[0].split()[2] in report["createdForwarders"]
    assert _mode(api.api_id, "POST /jobs") == "async"

    back = asyncgw("disable", api.api_id, "-m", "POST /jobs", "--stage", "prod", "--yes")
    assert back.code == 0, back.err
    assert _mode(api.api_id, "POST /jobs") == "sync"


def test_refused_after_another_writer_edits_the_route(http: HttpClients,
                                                      tmp_path: Path) -> None:
    api = _manual(http)
    path = tmp_path / "plan.json"
    _save(api, path)
    route = next(r for r in http.apigatewayv2.get_routes(ApiId=api.api_id)["Items"]
                 if r["RouteKey"] == "POST /jobs")
    http.apigatewayv2.update_route(ApiId=api.api_id, RouteId=route["RouteId"],
                                   AuthorizationType="AWS_IAM")
    before = account_state(http, api.api_id)
    refused = asyncgw("apply", str(path), "--yes")
    assert refused.code == 2
    assert (f"Error: API {api.api_id} changed since the plan was saved: route POST /jobs "
            "changed; nothing was changed: plan again") == refused.last_error_line
    assert account_state(http, api.api_id) == before


def test_refused_after_the_stage_is_deployed_by_hand(http: HttpClients,
                                                     tmp_path: Path) -> None:
    api = _manual(http)
    path = tmp_path / "plan.json"
    _save(api, path)
    made = http.apigatewayv2.create_deployment(ApiId=api.api_id, StageName="prod")
    before = account_state(http, api.api_id)
    refused = asyncgw("apply", str(path), "--yes")
    assert refused.code == 2
    assert f"stage prod now serves deployment {made['DeploymentId']}" in \
        refused.last_error_line
    assert account_state(http, api.api_id) == before

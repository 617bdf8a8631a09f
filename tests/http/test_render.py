"""Status and plan as text and JSON."""

from __future__ import annotations

import json

from rich.console import Console, RenderableType

from asyncgw.core.apply import Outcome
from asyncgw.core.modes import Mode
from asyncgw.http import render
from asyncgw.http.plan import HttpPlan
from asyncgw.http.planner import plan
from asyncgw.http.recipe import forwarder_name
from asyncgw.http.selection import RoutePattern, select
from tests.support.account import arn
from tests.support.http_builders import (
    forwarder,
    integration,
    role,
    route,
    snapshot,
    stage,
    via_forwarder,
)

STATUS = snapshot(
    [route("POST /jobs", "f1", "r1"), route("GET /jobs/{id}", "i2", "r2"),
     route("ANY /legacy", "h1", "r3"), route("$default", None, "r4")],
    [integration("i1"), via_forwarder("f1", "jobs", Mode.ASYNC, "i1"),
     integration("i2", "reader", payload="1.0"), integration("h1", kind="HTTP_PROXY")],
    stages=[stage(), stage("prod", auto=False, deployment="d9")],
    forwarders=[forwarder("jobs", Mode.ASYNC)], role=role(["jobs"]), complete=False,
)


def text(renderable: RenderableType) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_status_table_shows_each_route_with_its_mode_and_forwarder() -> None:
    out = text(render.status(STATUS))
    assert "jobs (a1b2c3d4e5), HTTP API in us-east-1" in out
    assert "stage $default: deployment d1 (deploys automatically)" in out
    assert "stage prod: deployment d9 (deployed by hand)" in out
    rows = {line.split()[0] + " " + line.split()[1]: line.split() for line in out.splitlines()
            if line.startswith(("POST", "GET", "ANY"))}
    assert rows["POST /jobs"][2:] == ["AWS_PROXY", "jobs", "async",
                                      forwarder_name(arn("jobs"), Mode.ASYNC)]
    assert rows["GET /jobs/{id}"][2:] == ["AWS_PROXY", "reader", "sync", "-"]
    assert rows["ANY /legacy"][2:] == ["HTTP_PROXY", "-", "not-eligible", "-"]
    assert "4 routes: 1 async, 1 sync, 2 not-eligible" in out
    assert "$default: not eligible, no integration" in out


def test_status_json_has_the_api_stages_and_routes() -> None:
    data = render.status_json(STATUS)
    json.dumps(data)
    assert data["api"]["id"] == "a1b2c3d4e5" and data["api"]["protocol"] == "HTTP"
    assert [(s["name"], s["autoDeploy"]) for s in data["stages"]] == [("$default", True),
                                                                     ("prod", False)]
    by_key = {r["routeKey"]: r for r in data["routes"]}
    assert by_key["POST /jobs"] | {"routeId": None} == {
        "routeKey": "POST /jobs", "routeId": None, "httpMethod": "POST", "path": "/jobs",
        "integrationId": "f1", "integrationType": "AWS_PROXY", "payloadFormatVersion": "2.0",
        "function": arn("jobs"), "mode": "async",
        "forwarder": forwarder_name(arn("jobs"), Mode.ASYNC), "reason": None, "warnings": []}
    assert by_key["$default"]["path"] is None and by_key["$default"]["reason"] == "no integration"
    assert data["forwarders"][0]["currentCode"] is True
    assert data["role"]["targets"] == [arn("jobs")]


def switch_plan() -> HttpPlan:
    snap = STATUS.model_copy(update={"complete": True, "account": snapshot([], []).account})
    selection = select(snap, [RoutePattern.parse("POST /jobs")], everything=False)
    return plan(snap, selection, Mode.SWITCHABLE, "prod")


def test_plan_text_marks_additions_changes_and_removals() -> None:
    result = switch_plan()
    out = text(render.plan(result))
    lines = out.splitlines()
    assert lines[0] == "asyncgw will make these changes to jobs (a1b2c3d4e5) in us-east-1:"
    assert any(line.startswith("  + Lambda function asyncgw-switchable-jobs-") for line in lines)
    assert "      + timeout = 30 s" in lines and "      + memory = 128 MB" in lines
    assert "  ~ route POST /jobs" in lines
    retarget = next(line for line in lines
                    if line.startswith("      ~ target: integrations/f1 (asyncgw-async-jobs-"))
    assert " -> new integration (asyncgw-switchable-jobs-" in retarget  # REST's arrow too
    assert "  + deployment of stage prod, replacing d9: 'asyncgw: POST /jobs -> switchable'" in out
    assert "  then, as nothing uses them any more:" in lines
    assert any(line.startswith("  - Lambda function asyncgw-async-jobs-") for line in lines)
    assert "Costs and limits:" in lines
    assert lines[-1].startswith("1 route to change, 1 forwarder to create, 1 permission to add")
    assert "1 deployment to stage prod" in lines[-1]


def test_plan_json_lists_every_call_in_order_with_its_parameters() -> None:
    result = switch_plan()
    data = render.plan_json(result)
    json.dumps(data)
    operations = [c["operation"] for c in data["calls"]]
    assert operations == ["CreateFunction", "AddPermission", "CreateIntegration", "UpdateRoute",
                          "CreateDeployment", "DeleteIntegration", "RemovePermission",
                          "DeleteFunction"]
    assert data["calls"][4]["params"] == {"ApiId": "a1b2c3d4e5", "StageName": "prod",
                                          "Description": "asyncgw: POST /jobs -> switchable"}
    assert data["steps"][0]["undo"]["operation"] == "DeleteFunction"
    assert data["forwarderCode"]["handler"] == "lambda_function.handler"
    assert data["summary"] == render.summary(result)


def test_an_empty_plan_says_so() -> None:
    snap = STATUS.model_copy(update={"complete": True, "account": snapshot([], []).account})
    selection = select(snap, [RoutePattern.parse("POST /jobs")], everything=False)
    result = plan(snap, selection, Mode.ASYNC, None)
    out = text(render.plan(result))
    assert "No changes to jobs" in out and "= POST /jobs: already async" in out
    assert out.rstrip().endswith("Nothing to do: no change, no deployment.")


def test_outcome_says_what_is_live() -> None:
    result = switch_plan()
    done = Outcome(8, "d10", {})
    assert text(render.outcome(result, done)).strip() == (
        "Done: 1 route now switchable, live on stage prod (deployment d10).")


def test_outcome_counts_routes_as_rest_counts_methods() -> None:
    result = switch_plan()
    two = result.model_copy(update={"changed_routes": ("POST /jobs", "GET /jobs/{id}"),
                                    "deployment": None, "undeployed_stages": ("prod",)})
    done = Outcome(8, None, {})
    assert text(render.outcome(two, done)).strip() == (
        "Done: 2 routes now switchable; not live on stage(s) prod until you run: "
        "asyncgw redeploy a1b2c3d4e5 --stage STAGE")

"""REST and HTTP plans and reports read as one tool: the same arrow, legend, summary and plurals."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType

from asyncgw.core.apply import Outcome
from asyncgw.core.modes import Mode
from asyncgw.core.plan import Deployment
from asyncgw.core.selection import MethodPattern
from asyncgw.http import render as http_render
from asyncgw.http.planner import plan as http_plan
from asyncgw.http.selection import RoutePattern
from asyncgw.http.selection import select as select_routes
from asyncgw.rest import render as rest_render
from asyncgw.rest.planner import plan as rest_plan
from asyncgw.rest.selection import select as select_methods
from tests.support import http_builders as http
from tests.support.rest_builders import method, switchable
from tests.support.rest_builders import snapshot as rest_snapshot


def text(renderable: RenderableType) -> str:
    console = Console(record=True, width=200, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def changed_lines(out: str) -> list[str]:
    """The indented '~ field: before -> after' lines of a diff."""
    return [line.strip() for line in out.splitlines() if line.startswith("      ~ ")]


REST = rest_snapshot([switchable("POST /orders"), method("POST /jobs")])
HTTP = http.snapshot(
    [http.route("POST /jobs", "i1", "r1"), http.route("POST /orders", "i2", "r2")],
    [http.integration("i1"), http.integration("i2")],
    stages=[http.stage("prod", auto=False, deployment="d9")])


def test_both_kinds_show_a_changed_field_with_the_same_arrow() -> None:
    rest = rest_plan(REST, select_methods(REST, [], True), Mode.ASYNC, "prod")
    routes = select_routes(HTTP, [RoutePattern.parse("POST /jobs")], everything=False)
    forward = http_plan(HTTP, routes, Mode.ASYNC, "prod")
    rest_changes = changed_lines(text(rest_render.plan(rest)))
    http_changes = changed_lines(text(http_render.plan(forward)))
    assert rest_changes and http_changes
    for line in rest_changes + http_changes:
        assert " -> " in line and "=>" not in line, line


def test_both_kinds_say_the_same_when_there_is_nothing_to_change() -> None:
    orders = select_methods(REST, [MethodPattern.parse("POST /orders")], False)
    rest = rest_plan(REST, orders, Mode.SWITCHABLE, "prod")
    routes = select_routes(HTTP, [], everything=True)
    forward = http_plan(HTTP, routes, Mode.SYNC, "prod")
    rest_lines = text(rest_render.plan(rest)).splitlines()
    http_lines = text(http_render.plan(forward)).splitlines()
    assert rest_lines[0] == "No changes to orders (abcde12345) in us-east-1."
    assert http_lines[0] == "No changes to jobs (a1b2c3d4e5) in us-east-1."
    assert "  = POST /orders: already switchable" in rest_lines
    assert "  = POST /jobs: already sync" in http_lines and "  = POST /orders: already sync" in (
        http_lines)
    assert rest_lines[-1] == http_lines[-1] == "Nothing to do: no change, no deployment."


def test_both_kinds_count_what_changed_in_words_and_name_the_deployment_alike() -> None:
    rest = rest_plan(REST, select_methods(REST, [], True), Mode.ASYNC, "prod")
    forward = http_plan(HTTP, select_routes(HTTP, [], everything=True), Mode.ASYNC, "prod")
    assert rest_render.summary(rest) == "2 methods to change, 1 deployment to stage prod."
    assert http_render.summary(forward).startswith("2 routes to change, ")
    assert http_render.summary(forward).endswith(", 1 deployment to stage prod.")
    assert rest.deployment == Deployment(stage="prod", previous_deployment_id="d1",
                                         description="asyncgw: POST /jobs, POST /orders -> async")
    assert forward.deployment == Deployment(
        stage="prod", previous_deployment_id="d9",
        description="asyncgw: POST /jobs, POST /orders -> async")


def test_both_kinds_report_the_outcome_with_the_same_words() -> None:
    rest = rest_plan(REST, select_methods(REST, [], True), Mode.ASYNC, "prod")
    forward = http_plan(HTTP, select_routes(HTTP, [], everything=True), Mode.ASYNC, "prod")
    rest_done = text(rest_render.outcome(rest, Outcome(4, "d2", {})))
    http_done = text(http_render.outcome(forward, Outcome(9, "d10", {})))
    assert rest_done.strip() == ("Done: 2 methods now async, live on stage prod "
                                 "(deployment d2).")
    assert http_done.strip() == ("Done: 2 routes now async, live on stage prod "
                                 "(deployment d10).")


def test_both_status_reports_count_modes_the_same_way() -> None:
    assert "2 methods: 1 switchable, 1 sync" in text(rest_render.status(REST))
    assert "2 routes: 2 sync" in text(http_render.status(HTTP))

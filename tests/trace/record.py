"""Re-record the regression traces: .venv/bin/pytest tests/trace/record.py

Not collected by a plain `pytest` run (the name does not start with test_). It seeds the
sample orders API (POST instead of ANY on /webhooks, see METHODS) on a fresh LocalStack, and
an HTTP API on the sandbox server (LocalStack's free edition has none), runs each case's
command in order with --trace into tests/trace/cases/, keeps the command line, exit code and
output next to it, and replays each trace at once, so a recording that does not replay
cleanly is never kept.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace

from asyncgw_sandbox.seed import ORDERS_METHODS, ORDERS_VALIDATORS, clients, seed_rest_api
from asyncgw_sandbox.seed_http import RouteSpec, http_api_clients, seed_http_api
from asyncgw_sandbox.server import start
from rich.console import Console

from asyncgw.cli import Runtime, run
from tests.localstack import fixture as localstack_fixtures
from tests.localstack.runtime import LocalStack
from tests.trace.cases import CASES, CASES_DIR, HTTP_CASES, Case
from tests.trace.replay import environment, replay

localstack = localstack_fixtures.localstack
REGION = "us-east-1"
# The sample API with POST instead of ANY on /webhooks: LocalStack 2026.3.0's GetExport fails
# on a stage with an ANY method ("One or more HTTP methods are invalid: any"), which would hide
# what every stage serves in every case.
METHODS = [replace(m, verb="POST") if m.verb == "ANY" else m for m in ORDERS_METHODS]
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}


def test_record_every_case(localstack: LocalStack) -> None:
    with environment(CREDENTIALS):
        seed_rest_api(clients(REGION, localstack.endpoint_url), "orders", METHODS,
                      ORDERS_VALIDATORS, stages=("dev", "prod"), tags={"team": "orders"})
        _record(CASES, localstack.endpoint_url)


def test_record_every_http_api_case() -> None:
    with start(port=0) as server, environment(CREDENTIALS):
        server.reset()  # the emulated account is one per process, shared with other servers
        http = http_api_clients(clients(REGION, server.endpoint_url))
        seed_http_api(http, "jobs", [RouteSpec("POST /jobs"), RouteSpec("GET /jobs/{id}")])
        _record(HTTP_CASES, server.endpoint_url)


def _record(cases: tuple[Case, ...], endpoint_url: str) -> None:
    CASES_DIR.mkdir(exist_ok=True)
    for case in cases:
        args = [*case.args, "--region", REGION, "--endpoint-url", endpoint_url]
        out, err = io.StringIO(), io.StringIO()
        runtime = Runtime(out=_console(out), err=_console(err), interactive=lambda: False)
        # One call at a time, so that the trace's order is the one a replay can follow.
        code = run([*args, "--max-in-flight", "1", "--trace", str(case.trace)], runtime)
        recorded = {"args": args, "code": code, "out": out.getvalue(), "err": err.getvalue()}
        replayed = replay(case.trace, args)
        assert replayed.problems == [], case.name
        assert (replayed.code, replayed.out, replayed.err) == (
            code, recorded["out"], recorded["err"]), case.name
        case.expected_path.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")


def _console(stream: io.StringIO) -> Console:
    return Console(file=stream, width=120, color_system=None, soft_wrap=True)

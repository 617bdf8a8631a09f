"""--canary, promote and cancel-canary through the command line in process, REST and HTTP."""

from __future__ import annotations

import json

from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import Clients, SeededApi, clients
from asyncgw_sandbox.seed_http import RouteSpec, seed_http_api

from asyncgw.cli import cli
from tests.cli.runner import asyncgw
from tests.docs.markdown import DOCS, blocks
from tests.support.clients import http_clients
from tests.support.state import full_state


def test_canary_rollout_step_by_step(orders: SeededApi, account: Clients) -> None:
    dry = asyncgw("enable-async", orders.api_id, "-m", "GET /orders", "--stage", "prod",
                  "--canary", "10", "--dry-run")
    assert dry.code == 0, dry.err
    assert "as its canary at 10% of traffic" in dry.out
    done = asyncgw("enable-async", orders.api_id, "-m", "GET /orders", "--stage", "prod",
                   "--canary", "10", "--yes", "--output", "json")
    assert done.code == 0, done.err
    canary = json.loads(done.out)["deploymentId"]
    status = asyncgw("status", orders.api_id, "--stage", "prod")
    assert f"canary: 10% of traffic to deployment {canary}" in status.out
    assert "the other 90% to the stage's own deployment" in status.out
    promoted = asyncgw("promote", orders.api_id, "--stage", "prod", "--yes")
    assert promoted.code == 0, promoted.err
    assert f"Done: stage prod serves deployment {canary} to all traffic" in promoted.out
    prod = account.apigateway.get_stage(restApiId=orders.api_id, stageName="prod")
    assert prod["deploymentId"] == canary and "canarySettings" not in prod


def test_promote_or_cancel_without_a_canary_is_exit_2(orders: SeededApi) -> None:
    for command in ("promote", "cancel-canary"):
        result = asyncgw(command, orders.api_id, "--stage", "prod", "--yes")
        assert result.code == 2, result.err
        assert result.last_error_line == (f"Error: stage prod of API {orders.api_id} has no "
                                          "canary release: nothing to "
                                          f"{'promote' if command == 'promote' else 'cancel'}")


def test_a_dry_run_cancel_changes_nothing(orders: SeededApi, account: Clients) -> None:
    account.apigateway.create_deployment(restApiId=orders.api_id, stageName="prod",
                                         canarySettings={"percentTraffic": 10})
    before = full_state(account.apigateway, orders.api_id)
    dry = asyncgw("cancel-canary", orders.api_id, "--stage", "prod", "--dry-run")
    assert dry.code == 0, dry.err
    assert "remove the canary" in dry.out and "Dry run" in dry.out
    assert full_state(account.apigateway, orders.api_id) == before


def test_a_percent_out_of_range_is_a_usage_error(orders: SeededApi) -> None:
    result = asyncgw("redeploy", orders.api_id, "--stage", "prod", "--canary", "120")
    assert result.code == 2
    assert "--canary" in result.err


def test_canary_commands_on_an_http_api_are_refused_saying_why() -> None:
    with emulated_account():
        http = http_clients(clients())
        try:
            api = seed_http_api(http, "events", (RouteSpec("POST /jobs", function="jobs"),))
            for args in (("enable-async", api.api_id, "-m", "POST /jobs", "--canary", "10"),
                         ("redeploy", api.api_id, "--canary", "10"),
                         ("promote", api.api_id, "--stage", "$default"),
                         ("cancel-canary", api.api_id, "--stage", "$default")):
                result = asyncgw(*args, "--yes")
                assert result.code == 2, args
                assert "HTTP API stages have no canary releases" in result.last_error_line
        finally:
            http.detach_all()


def test_the_canary_page_runs_real_commands_and_options() -> None:
    page = (DOCS / "canary.md").read_text(encoding="utf-8")
    commands = [c for b in blocks(page) if b.info.strip() == "bash" for c in b.commands]
    assert {c.split()[1] for c in commands} == {"enable-async", "status", "promote",
                                                "cancel-canary"}
    for command in commands:
        words = command.split()
        sub = cli.commands[words[1]]
        options = {o for param in sub.params for o in param.opts}
        assert {w for w in words if w.startswith("--")} <= options, command

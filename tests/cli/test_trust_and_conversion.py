"""The CLI around conversion, 202 Accepted, the function side and verify, as a user runs it."""

from __future__ import annotations

import json

from asyncgw_sandbox.seed import Clients, SeededApi

from tests.cli.runner import asyncgw
from tests.support.state import full_state

PROXY = "ANY /webhooks"


def test_a_conversion_dry_run_shows_every_part_and_changes_nothing(
    orders: SeededApi, account: Clients
) -> None:
    before = full_state(account.apigateway, orders.api_id)
    result = asyncgw("enable-async", orders.api_id, "-m", PROXY, "--stage", "prod",
                     "--convert-proxy", "--respond-202", "--dry-run")
    assert result.code == 0, result.err
    for line in ("~ ANY /webhooks  integration request", "~ type: AWS_PROXY -> AWS",
                 "+ ANY /webhooks  method response 202",
                 "+ ANY /webhooks  integration response 200",
                 "202 Accepted for async calls"):
        assert line in result.out
    assert full_state(account.apigateway, orders.api_id) == before


def test_the_json_plan_carries_the_exact_put_arguments_and_their_undo(
    orders: SeededApi
) -> None:
    result = asyncgw("enable-async", orders.api_id, "-m", PROXY, "--stage", "prod",
                     "--convert-proxy", "--dry-run", "--output", "json")
    plan = json.loads(result.out)
    integration = next(s for s in plan["steps"] if s["kind"] == "set-part"
                       and s["part"] == "integration")
    assert integration["after"]["type"] == "AWS"
    assert integration["after"]["requestParameters"][
        "integration.request.header.X-Amz-Invocation-Type"] == "'Event'"
    assert integration["before"]["type"] == "AWS_PROXY"
    assert integration["before"]["uri"] == integration["after"]["uri"]


def test_status_and_json_name_converted_methods(orders: SeededApi) -> None:
    assert asyncgw("enable-switchable", orders.api_id, "-m", PROXY, "--stage", "prod",
                   "--convert-proxy", "--respond-202", "--yes").code == 0
    table = asyncgw("status", orders.api_id)
    assert "AWS (from proxy)" in table.out
    data = json.loads(asyncgw("status", orders.api_id, "--output", "json").out)
    webhooks = next(m for m in data["methods"] if m["path"] == "/webhooks")
    assert (webhooks["mode"], webhooks["convertedFromProxy"], webhooks["answers202"]) == (
        "switchable", True, True)

"""What each stage serves, and verify's proofs, against the emulated account."""

from __future__ import annotations

import json

from asyncgw_sandbox.seed import Clients, SeededApi

from tests.cli.runner import asyncgw


def _method(data: dict[str, object], key: str) -> dict[str, object]:
    verb, path = key.split()
    methods = data["methods"]
    assert isinstance(methods, list)
    return next(m for m in methods if m["httpMethod"] == verb and m["path"] == path)


def test_a_change_without_deploy_is_marked_not_yet_live_until_redeployed(
    orders: SeededApi,
) -> None:
    assert asyncgw("enable-async", orders.api_id, "-m", "GET /orders", "--no-deploy",
                   "--yes").code == 0
    data = json.loads(asyncgw("status", orders.api_id, "--output", "json").out)
    method = _method(data, "GET /orders")
    assert method["mode"] == "async"
    assert method["deployed"] == {"dev": "sync", "prod": "sync"}
    warnings = method["warnings"]
    assert isinstance(warnings, list)
    assert any("async, not yet deployed to prod (it serves sync)" in w for w in warnings)

    table = asyncgw("status", orders.api_id, "--stage", "prod")
    row = next(line for line in table.out.splitlines() if line.startswith("GET /orders "))
    assert row.split()[-2:] == ["sync", "*"]

    assert asyncgw("redeploy", orders.api_id, "--stage", "prod", "--yes").code == 0
    data = json.loads(asyncgw("status", orders.api_id, "--output", "json").out)
    assert _method(data, "GET /orders")["deployed"] == {"dev": "sync", "prod": "async"}


def test_verify_proves_switchable_methods_with_a_dry_run_and_leaves_async_ones(
    orders: SeededApi,
) -> None:
    result = asyncgw("verify", orders.api_id, "-m", "POST /orders", "-m",
                     "POST /orders/{id}/refund", "--stage", "prod", "--output", "json")
    assert result.code == 0, result.err
    checks = {c["method"]: c for c in json.loads(result.out)["methods"]}
    refund = checks["POST /orders/{id}/refund"]
    assert (refund["proven"], refund["invocationType"], refund["lambdaStatus"]) == (
        True, "DryRun", 204)
    assert refund["deployed"] == {"prod": "switchable"}
    assert checks["POST /orders"]["proven"] is None
    assert "--invoke" in checks["POST /orders"]["detail"]


def test_verify_with_invoke_needs_a_confirmation_and_proves_the_202(orders: SeededApi) -> None:
    refused = asyncgw("verify", orders.api_id, "-m", "POST /orders", "--invoke")
    assert refused.code == 2
    assert "This invokes for real" in refused.err
    assert "needs --yes" in refused.last_error_line

    done = asyncgw("verify", orders.api_id, "-m", "POST /orders", "--invoke", "--yes")
    assert done.code == 0, done.err
    assert "proven" in done.out and "accepted the event with 202" in done.out


def test_verify_fails_with_exit_1_when_the_function_is_gone(
    orders: SeededApi, account: Clients
) -> None:
    account.lambda_.delete_function(FunctionName="orders-jobs")
    result = asyncgw("verify", orders.api_id, "-m", "POST /orders/{id}/refund")
    assert result.code == 1
    assert "FAILED" in result.out
    assert "Function not found" in result.out


def test_verify_proves_a_converted_proxy_method(orders: SeededApi) -> None:
    assert asyncgw("enable-switchable", orders.api_id, "-m", "ANY /webhooks", "--stage", "prod",
                   "--convert-proxy", "--yes").code == 0
    result = asyncgw("verify", orders.api_id, "-m", "ANY /webhooks", "--output", "json")
    assert result.code == 0, result.err
    (check,) = json.loads(result.out)["methods"]
    assert (check["proven"], check["lambdaStatus"]) == (True, 204)


def test_a_change_that_keeps_the_mode_is_still_shown_as_not_live(orders: SeededApi) -> None:
    assert asyncgw("enable-async", orders.api_id, "-m", "POST /orders", "--respond-202",
                   "--no-deploy", "--yes").code == 0
    data = json.loads(asyncgw("status", orders.api_id, "--stage", "prod",
                              "--output", "json").out)
    method = _method(data, "POST /orders")
    assert method["deployed"] == {"prod": "async"}
    warnings = method["warnings"]
    assert isinstance(warnings, list)
    assert any("prod serves an older mapping or response template" in w for w in warnings)
    checked = asyncgw("verify", orders.api_id, "-m", "POST /orders", "--stage", "prod")
    assert "prod serves this mode with an older mapping or template" in checked.out
    assert asyncgw("redeploy", orders.api_id, "--stage", "prod", "--yes").code == 0
    data = json.loads(asyncgw("status", orders.api_id, "--output", "json").out)
    notes = _method(data, "POST /orders")["warnings"]
    assert isinstance(notes, list)
    assert [w for w in notes if "older" in w] == [
        "async on dev too, but dev serves an older mapping or response template: "
        f"asyncgw redeploy {orders.api_id} --stage dev"]

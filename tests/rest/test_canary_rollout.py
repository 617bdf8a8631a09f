"""Canary rollouts on the sandbox through the real boto3 client: deploy, watch, promote, cancel."""

from __future__ import annotations

import io
from typing import Any

import pytest
from asyncgw_sandbox.seed import Clients, SeededApi
from rich.console import Console

from asyncgw import library
from asyncgw.core.errors import ApplyFailed, Interrupted, UsageError
from asyncgw.rest.canary_status import UNKNOWABLE
from asyncgw.rest.gateway import Gateway
from tests.support.faults import FaultInjector, call_log, inject
from tests.support.state import full_state


@pytest.fixture
def on(gateway: Gateway) -> library.Account:
    """The library's account, on the test's gateway."""
    return library.Account(connect=lambda *_: gateway)


def shown(renderable: object) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def stage(account: Clients, api_id: str, name: str = "prod") -> dict[str, Any]:
    found = dict(account.apigateway.get_stage(restApiId=api_id, stageName=name))
    found.pop("ResponseMetadata")
    return found


def to_canary(api_id: str, on: library.Account, percent: float = 10.0) -> str:
    """GET /orders made async on prod's canary at `percent`; the new deployment's id."""
    plan = library.plan_change(api_id, "async", methods=["GET /orders"], stage="prod",
                               canary=percent, account=on)
    done = plan.apply()
    return str(done.data["deploymentId"])


def test_deploy_to_10_percent_leaves_the_stage_on_its_own_deployment(
        orders: SeededApi, account: Clients, on: library.Account) -> None:
    before = stage(account, orders.api_id)
    plan = library.plan_change(orders.api_id, "async", methods=["GET /orders"], stage="prod",
                               canary=10, account=on)
    assert plan.data["deployment"]["canaryPercent"] == 10.0
    assert plan.data["deployment"]["previousCanary"] is None
    assert "1 deployment to stage prod's canary (10% of traffic)" in plan.data["summary"]
    calls = call_log(account.apigateway)
    new = str(plan.apply().data["deploymentId"])
    after = stage(account, orders.api_id)
    assert after["deploymentId"] == before["deploymentId"]
    assert after["canarySettings"] == {"deploymentId": new, "percentTraffic": 10.0,
                                       "useStageCache": False}
    assert after.get("variables") == before.get("variables")
    assert "UpdateStage" not in calls  # CreateDeployment alone makes the canary [REC E5]


def test_status_shows_what_the_canary_and_the_stage_serve(
        orders: SeededApi, account: Clients, on: library.Account) -> None:
    own = stage(account, orders.api_id)["deploymentId"]
    new = to_canary(orders.api_id, on)
    report = library.status(orders.api_id, account=on)
    prod = next(s for s in report.data["stages"] if s["name"] == "prod")
    release = prod["canaryRelease"]
    assert prod["canary"] is True and prod["deploymentId"] == own
    assert release["percentTraffic"] == 10.0
    assert release["deployment"]["id"] == new
    assert release["deployment"]["description"] == "asyncgw: GET /orders -> async"
    assert release["deployment"]["createdDate"]
    assert release["stageDeployment"]["id"] == own
    assert release["methods"] is None and release["methodsNote"] == UNKNOWABLE
    dev = next(s for s in report.data["stages"] if s["name"] == "dev")
    assert dev["canaryRelease"] is None
    methods = {f"{m['httpMethod']} {m['path']}": m for m in report.data["methods"]}
    assert methods["GET /orders"]["deployed"]["prod"] == "sync"  # the stage's own deployment


def test_a_canary_on_the_stage_s_own_deployment_has_known_methods(
        orders: SeededApi, account: Clients, on: library.Account) -> None:
    account.apigateway.update_stage(restApiId=orders.api_id, stageName="prod", patchOperations=[
        {"op": "replace", "path": "/canarySettings/percentTraffic", "value": "5"}])
    release = next(s for s in library.status(orders.api_id, account=on).data["stages"]
                   if s["name"] == "prod")["canaryRelease"]
    assert release["deployment"]["id"] == release["stageDeployment"]["id"]
    assert release["methods"]["GET /orders"] == "sync"
    library.plan_change(orders.api_id, "async", methods=["GET /orders"], no_deploy=True,
                        account=on).apply()
    methods = {f"{m['httpMethod']} {m['path']}": m
               for m in library.status(orders.api_id, account=on).data["methods"]}
    # The canary serves the stage's own deployment, so it cannot carry the change.
    assert any(w.endswith(f"asyncgw redeploy {orders.api_id} --stage prod --canary PERCENT (it "
                          "has a canary release)") for w in methods["GET /orders"]["warnings"])


def test_promote_serves_the_canary_to_all_and_removes_it(
        orders: SeededApi, account: Clients, on: library.Account) -> None:
    new = to_canary(orders.api_id, on)
    plan = library.plan_promote(orders.api_id, stage="prod", account=on)
    assert [s["kind"] for s in plan.data["steps"]] == ["update-stage", "update-stage"]
    assert plan.data["steps"][0]["ops"] == [
        {"op": "replace", "path": "/canarySettings/percentTraffic", "value": "0.0"},
        {"op": "copy", "from": "/canarySettings/deploymentId", "path": "/deploymentId"}]
    assert plan.data["steps"][1]["ops"] == [{"op": "remove", "path": "/canarySettings"}]
    plan.apply()
    after = stage(account, orders.api_id)
    assert after["deploymentId"] == new and "canarySettings" not in after
    modes = {f"{m['httpMethod']} {m['path']}": m["deployed"]["prod"]
             for m in library.status(orders.api_id, account=on).data["methods"]}
    assert modes["GET /orders"] == "async"


def test_promote_gives_the_stage_the_overrides_as_the_console_does(
        orders: SeededApi, account: Clients, on: library.Account) -> None:
    api = account.apigateway
    api.update_stage(restApiId=orders.api_id, stageName="prod", patchOperations=[
        {"op": "replace", "path": "/variables/color", "value": "blue"},
        {"op": "replace", "path": "/variables/size", "value": "small"}])
    api.create_deployment(restApiId=orders.api_id, stageName="prod", canarySettings={
        "percentTraffic": 5, "stageVariableOverrides": {"color": "green", "fresh": "yes"}})
    new = to_canary(orders.api_id, on, 20)
    library.plan_promote(orders.api_id, stage="prod", account=on).apply()
    after = stage(account, orders.api_id)
    assert after["deploymentId"] == new and "canarySettings" not in after
    # Merged: overridden and new variables take the canary's values, the rest stay.
    assert after["variables"] == {"color": "green", "size": "small", "fresh": "yes"}


def test_cancel_canary_leaves_the_stage_as_it_was_before_the_canary(
        orders: SeededApi, account: Clients, on: library.Account) -> None:
    before = full_state(account.apigateway, orders.api_id)["stages"]
    to_canary(orders.api_id, on)
    plan = library.plan_cancel_canary(orders.api_id, stage="prod", account=on)
    assert plan.data["summary"] == "Stage prod's canary to be removed; no deployment."
    plan.apply()
    assert full_state(account.apigateway, orders.api_id)["stages"] == before


def test_a_canary_deployment_onto_a_canary_replaces_it_and_keeps_its_settings(
        orders: SeededApi, account: Clients, on: library.Account) -> None:
    api = account.apigateway
    first = api.create_deployment(restApiId=orders.api_id, stageName="prod", canarySettings={
        "percentTraffic": 5, "stageVariableOverrides": {"color": "green"},
        "useStageCache": True})["id"]
    own = stage(account, orders.api_id)["deploymentId"]
    plan = library.plan_change(orders.api_id, "async", methods=["GET /orders"], stage="prod",
                               canary=30, account=on)
    assert plan.data["deployment"]["previousCanary"]["deploymentId"] == first
    assert f"replacing the canary's {first} at 5%" in shown(plan.text)
    new = str(plan.apply().data["deploymentId"])
    after = stage(account, orders.api_id)
    assert after["deploymentId"] == own
    assert after["canarySettings"] == {"deploymentId": new, "percentTraffic": 30.0,
                                       "stageVariableOverrides": {"color": "green"},
                                       "useStageCache": True}


def test_redeploy_into_a_canary(orders: SeededApi, account: Clients,
                                on: library.Account) -> None:
    own = stage(account, orders.api_id, "dev")["deploymentId"]
    done = library.plan_redeploy(orders.api_id, stage="dev", canary=50, account=on).apply()
    after = stage(account, orders.api_id, "dev")
    assert after["deploymentId"] == own
    assert after["canarySettings"]["deploymentId"] == done.data["deploymentId"]
    assert "canary serves deployment" in str(done.text)


@pytest.mark.parametrize("had_canary", [True, False])
@pytest.mark.parametrize("fault", ["server-error", "lost-answer", "interrupt"])
def test_a_failed_canary_deployment_points_the_canary_back(
        orders: SeededApi, account: Clients, on: library.Account, fault: str,
        had_canary: bool) -> None:
    # Without a canary before, pointing it back is removing the one a lost answer made.
    if had_canary:
        account.apigateway.create_deployment(restApiId=orders.api_id, stageName="prod",
                                             canarySettings={"percentTraffic": 5})
    before = full_state(account.apigateway, orders.api_id)
    injector = inject(account.apigateway, FaultInjector(
        {1}, fault, watched=frozenset({"CreateDeployment"})))
    plan = library.plan_change(orders.api_id, "async", methods=["GET /orders"], stage="prod",
                               canary=10, account=on)
    with pytest.raises(ApplyFailed if fault != "interrupt" else Interrupted,
                       match="is as it was"):
        plan.apply()
    assert injector.writes == ["CreateDeployment"]
    assert full_state(account.apigateway, orders.api_id) == before


def test_a_canary_that_does_not_serve_the_new_deployment_is_undone(
        orders: SeededApi, account: Clients, on: library.Account) -> None:
    # Someone else's canary deployment lands right after ours: the check reads it and undoes.
    before = full_state(account.apigateway, orders.api_id)
    api = account.apigateway

    def meanwhile(model: object, **_: object) -> None:
        if getattr(model, "name", None) == "CreateDeployment":
            api.meta.events.unregister("after-call.api-gateway", meanwhile)
            api.create_deployment(restApiId=orders.api_id, stageName="prod",
                                  canarySettings={"percentTraffic": 1})

    api.meta.events.register("after-call.api-gateway", meanwhile)
    with pytest.raises(ApplyFailed, match=r"the canary of stage prod serves .* not the new"):
        library.plan_change(orders.api_id, "async", methods=["GET /orders"], stage="prod",
                            canary=10, account=on).apply()
    assert full_state(account.apigateway, orders.api_id) == before


def test_a_failed_promote_is_undone(orders: SeededApi, account: Clients,
                                    on: library.Account) -> None:
    account.apigateway.create_deployment(restApiId=orders.api_id, stageName="prod",
                                         canarySettings={"percentTraffic": 5,
                                                         "stageVariableOverrides": {"x": "1"}})
    before = full_state(account.apigateway, orders.api_id)
    inject(account.apigateway, FaultInjector({2}, watched=frozenset({"UpdateStage"})))
    with pytest.raises(ApplyFailed, match="1 change undone"):
        library.plan_promote(orders.api_id, stage="prod", account=on).apply()
    assert full_state(account.apigateway, orders.api_id) == before


@pytest.mark.parametrize("planning", [library.plan_promote, library.plan_cancel_canary])
def test_a_stage_without_a_canary_is_exit_2_in_one_line(
        orders: SeededApi, account: Clients, on: library.Account, planning: Any) -> None:
    calls = call_log(account.apigateway)
    with pytest.raises(UsageError, match=r"stage prod of API .* has no canary release") as caught:
        planning(orders.api_id, stage="prod", account=on)
    assert caught.value.exit_code == 2 and "\n" not in caught.value.message
    assert all(call.startswith("Get") for call in calls)


def test_canary_percent_and_flags_are_checked_before_any_call(on: library.Account) -> None:
    for percent in (-1.0, 100.5):
        with pytest.raises(UsageError, match=r"0\.0 to 100\.0"):
            library.plan_change("any", "async", methods=["GET /a"], canary=percent, account=on)
    with pytest.raises(UsageError, match="cannot go with --no-deploy"):
        library.plan_change("any", "async", methods=["GET /a"], no_deploy=True, canary=5,
                            account=on)

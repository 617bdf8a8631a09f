"""A stage with a canary release: refused before any write, and a refused deployment undone."""

from __future__ import annotations

import json

import pytest
from asyncgw_sandbox.seed import Clients, SeededApi, clients

from asyncgw.core.errors import ApplyFailed, StaleSnapshot, UsageError
from asyncgw.core.modes import Mode
from asyncgw.rest import intent, planner
from asyncgw.rest.executor import apply
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.planner import REMOVE_CANARY
from tests.support.faults import call_log
from tests.support.state import full_state


def add_canary(api_id: str, stage: str = "prod") -> None:
    """Someone else's canary: 10 % of the stage's traffic to its current deployment."""
    clients().apigateway.update_stage(restApiId=api_id, stageName=stage, patchOperations=[
        {"op": "replace", "path": "/canarySettings/percentTraffic", "value": "10"}])


def test_a_change_onto_a_canary_stage_is_refused_and_changes_nothing(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    add_canary(orders.api_id)
    before = full_state(account.apigateway, orders.api_id)
    calls = call_log(account.apigateway)
    wanted = intent.mode_change(orders.api_id, Mode.ASYNC, methods=("GET /orders",), stage="prod")
    with pytest.raises(UsageError, match="stage prod has a canary release") as refused:
        wanted.plan(intent.read(gateway, orders.api_id))
    assert refused.value.exit_code == 2
    assert all(call.startswith("Get") for call in calls)
    assert full_state(account.apigateway, orders.api_id) == before


def test_redeploy_of_a_canary_stage_is_refused_and_changes_nothing(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    add_canary(orders.api_id, "dev")
    before = full_state(account.apigateway, orders.api_id)
    with pytest.raises(UsageError, match="stage dev has a canary release"):
        planner.plan_redeploy(intent.read(gateway, orders.api_id), "dev", None)
    assert full_state(account.apigateway, orders.api_id) == before


def test_other_stages_and_no_deploy_still_work_beside_a_canary(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    add_canary(orders.api_id, "dev")
    for stage in ("prod", None):
        wanted = intent.mode_change(orders.api_id, Mode.ASYNC, methods=("GET /orders",),
                                    stage=stage, no_deploy=stage is None)
        snapshot = intent.read(gateway, orders.api_id)
        plan = wanted.plan(snapshot)
        apply(plan, snapshot, gateway, wanted.plan)
        wanted = intent.mode_change(orders.api_id, Mode.SYNC, methods=("GET /orders",), stage=stage,
                                    no_deploy=stage is None)
        snapshot = intent.read(gateway, orders.api_id)
        apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan)
    dev = account.apigateway.get_stage(restApiId=orders.api_id, stageName="dev")
    assert dev["canarySettings"]["percentTraffic"] == 10.0


def test_once_the_canary_is_removed_the_change_deploys(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    add_canary(orders.api_id)
    # The way out the refusal gives, as the AWS CLI would send it.
    account.apigateway.update_stage(restApiId=orders.api_id, stageName="prod",
                                    patchOperations=json.loads(REMOVE_CANARY))
    wanted = intent.mode_change(orders.api_id, Mode.ASYNC, methods=("GET /orders",), stage="prod")
    snapshot = intent.read(gateway, orders.api_id)
    outcome = apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan)
    prod = account.apigateway.get_stage(restApiId=orders.api_id, stageName="prod")
    assert prod["deploymentId"] == outcome.deployment_id


def test_a_canary_added_after_planning_stops_before_the_first_write(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    wanted = intent.mode_change(orders.api_id, Mode.ASYNC, methods=("GET /orders",), stage="prod")
    snapshot = intent.read(gateway, orders.api_id)
    plan = wanted.plan(snapshot)
    add_canary(orders.api_id)
    before = full_state(account.apigateway, orders.api_id)
    with pytest.raises(StaleSnapshot):
        apply(plan, snapshot, gateway, wanted.plan)
    assert full_state(account.apigateway, orders.api_id) == before


def test_a_deployment_aws_refuses_is_undone_without_pointing_the_stage_back(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    # A canary enabled by someone else while the methods are being written: AWS refuses the
    # deployment with a 400, so nothing was deployed and the stage needs no UpdateStage.
    def canary_meanwhile(model: object, **_: object) -> None:
        if getattr(model, "name", None) == "CreateDeployment":
            add_canary(orders.api_id)

    before = full_state(account.apigateway, orders.api_id)
    account.apigateway.meta.events.register_first("before-call.api-gateway", canary_meanwhile)
    calls = call_log(account.apigateway)
    with pytest.raises(ApplyFailed) as caught:
        intent_plan = intent.mode_change(orders.api_id, Mode.ASYNC, methods=("GET /orders",),
                                         stage="prod")
        snapshot = intent.read(gateway, orders.api_id)
        apply(intent_plan.plan(snapshot), snapshot, gateway, intent_plan.plan)
    assert "Non canary deployment not supported on stage prod" in caught.value.message
    assert "is as it was" in caught.value.message
    assert "CreateDeployment" in calls and "UpdateStage" not in calls
    after = full_state(account.apigateway, orders.api_id)
    for state in (before, after):
        for stage in state["stages"]:
            stage.pop("canarySettings", None)
    assert after == before

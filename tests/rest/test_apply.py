"""Applying plans to the emulated account: every transition, idempotence, isolation, faults."""

from __future__ import annotations

import itertools

import pytest
from asyncgw_sandbox.seed import Clients, SeededApi

from asyncgw.core.apply import Outcome
from asyncgw.core.errors import ApplyFailed, Interrupted, StaleSnapshot, UndoFailed
from asyncgw.core.modes import Mode
from asyncgw.rest import intent
from asyncgw.rest.executor import apply
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.modes import assess
from asyncgw.rest.plan import Plan
from tests.support.faults import FaultInjector, call_log, inject
from tests.support.state import full_state, without_owned_fields

STARTS = {
    "sync": "GET /orders",
    "sync-request-response": "DELETE /orders/{id}",
    "sync-body-validator": "PUT /orders/{id}",
    "async": "POST /orders",
    "switchable": "POST /orders/{id}/refund",
    "half-configured": "POST /orders/{id}/ship",
}
TARGETS = (Mode.ASYNC, Mode.SWITCHABLE, Mode.SYNC)
WIDTHS = (1, 4)
"""Writes in flight at once: one at a time, and the default of several."""


def change(gateway: Gateway, api: str, mode: Mode, methods: tuple[str, ...] = (),
           stage: str | None = "prod", everything: bool = False) -> tuple[Plan, Outcome]:
    wanted = intent.mode_change(api, mode, methods=methods, everything=everything, stage=stage,
                                no_deploy=stage is None)
    snapshot = intent.read(gateway, api)
    plan = wanted.plan(snapshot)
    return plan, apply(plan, snapshot, gateway, wanted.plan)


@pytest.mark.parametrize(("start", "mode"), list(itertools.product(STARTS, TARGETS)))
def test_transition_reaches_the_mode_and_touches_nothing_else(
    gateway: Gateway, orders: SeededApi, account: Clients, start: str, mode: Mode
) -> None:
    key = STARTS[start]
    before = full_state(account.apigateway, orders.api_id)
    plan, outcome = change(gateway, orders.api_id, mode, (key,))
    after = full_state(account.apigateway, orders.api_id)

    snapshot = intent.read(gateway, orders.api_id)
    method = next(m for m in snapshot.methods if m.key == key)
    found = assess(method, snapshot)
    assert found.mode is mode
    assert found.warnings == ()
    created = set(outcome.created.values())
    assert len(created) == sum(step.kind == "create-validator" for step in plan.steps)
    after["validators"] = [v for v in after["validators"] if v["id"] not in created]
    assert without_owned_fields(after, "prod") == without_owned_fields(before, "prod")
    prod_before, prod_after = (next(s for s in st["stages"] if s["stageName"] == "prod")
                               for st in (before, after))
    if plan.steps:
        assert outcome.deployment_id == prod_after["deploymentId"] != prod_before["deploymentId"]
    else:
        assert outcome.deployment_id is None
        assert prod_after == prod_before


@pytest.mark.parametrize("mode", TARGETS)
def test_second_run_changes_nothing_and_does_not_redeploy(
    gateway: Gateway, orders: SeededApi, account: Clients, mode: Mode
) -> None:
    change(gateway, orders.api_id, mode, everything=True)
    calls = call_log(account.apigateway)
    plan, outcome = change(gateway, orders.api_id, mode, everything=True)
    assert plan.is_empty
    assert outcome.deployment_id is None
    assert not {"UpdateMethod", "UpdateIntegration", "CreateDeployment",
                "CreateRequestValidator"} & set(calls)


def test_switchable_strengthens_a_body_validator(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    change(gateway, orders.api_id, Mode.SWITCHABLE, ("PUT /orders/{id}",))
    method = account.apigateway.get_method(restApiId=orders.api_id,
                                           resourceId=orders.resource_ids["/orders/{id}"],
                                           httpMethod="PUT")
    validator = account.apigateway.get_request_validator(
        restApiId=orders.api_id, requestValidatorId=method["requestValidatorId"])
    assert validator["validateRequestBody"] is True
    assert validator["validateRequestParameters"] is True
    assert validator["name"] == "Validate body, query string parameters, and headers"


def test_write_calls_are_one_per_changed_field_group(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    calls = call_log(account.apigateway)
    plan, _ = change(gateway, orders.api_id, Mode.SWITCHABLE, everything=True)
    writes = [c for c in calls if not c.startswith("Get")]
    changed = len(plan.changed_methods)
    assert writes.count("UpdateMethod") <= changed
    assert writes.count("UpdateIntegration") <= changed
    assert writes.count("CreateRequestValidator") == 1
    assert writes.count("CreateDeployment") == 1


def _write_count(gateway: Gateway, api: str, mode: Mode) -> int:
    wanted = intent.mode_change(api, mode, everything=True, stage="prod")
    plan = wanted.plan(intent.read(gateway, api))
    return len(plan.steps) + 1  # plus the deployment


@pytest.mark.parametrize("mode", TARGETS)
@pytest.mark.parametrize("fault", ["server-error", "throttled", "denied", "connection"])
@pytest.mark.parametrize("in_flight", WIDTHS)
def test_failure_at_every_write_leaves_the_api_as_it_was(
    gateway: Gateway, orders: SeededApi, account: Clients, mode: Mode, fault: str,
    in_flight: int
) -> None:
    gateway.in_flight = in_flight
    writes = _write_count(gateway, orders.api_id, mode)
    before = full_state(account.apigateway, orders.api_id)
    injector = inject(account.apigateway, FaultInjector(set(), fault))
    for position in range(1, writes + 1):
        injector.writes.clear()
        injector.fail_at = {position}
        with pytest.raises(ApplyFailed) as caught:
            change(gateway, orders.api_id, mode, everything=True)
        assert "API " + orders.api_id + " is as it was" in caught.value.message
        assert full_state(account.apigateway, orders.api_id) == before, position


@pytest.mark.parametrize("mode", TARGETS)
@pytest.mark.parametrize("in_flight", WIDTHS)
def test_ctrl_c_at_every_write_undoes_and_reports_interrupted(
    gateway: Gateway, orders: SeededApi, account: Clients, mode: Mode, in_flight: int
) -> None:
    gateway.in_flight = in_flight
    writes = _write_count(gateway, orders.api_id, mode)
    before = full_state(account.apigateway, orders.api_id)
    injector = inject(account.apigateway, FaultInjector(set(), "interrupt"))
    for position in range(1, writes + 1):
        injector.writes.clear()
        injector.fail_at = {position}
        with pytest.raises(Interrupted):
            change(gateway, orders.api_id, mode, everything=True)
        assert full_state(account.apigateway, orders.api_id) == before, position


@pytest.mark.parametrize("in_flight", WIDTHS)
def test_failing_undo_lists_what_is_left_to_fix(
    gateway: Gateway, orders: SeededApi, account: Clients, in_flight: int
) -> None:
    gateway.in_flight = in_flight
    writes = _write_count(gateway, orders.api_id, Mode.SWITCHABLE)
    # Fail the last patch, then every write that tries to undo or repair it.
    inject(account.apigateway, FaultInjector(set(range(writes - 1, writes + 50))))
    with pytest.raises(UndoFailed) as caught:
        change(gateway, orders.api_id, Mode.SWITCHABLE, everything=True)
    assert caught.value.exit_code == 4
    assert caught.value.leftovers
    assert any("differs from before" in item or "failed" in item
               for item in caught.value.leftovers)


@pytest.mark.parametrize("in_flight", WIDTHS)
def test_a_write_that_took_effect_before_failing_is_repaired_from_the_snapshot(
    gateway: Gateway, orders: SeededApi, account: Clients, in_flight: int
) -> None:
    gateway.in_flight = in_flight
    before = full_state(account.apigateway, orders.api_id)
    # The call reaches AWS and changes the API; only the answer is lost on the way back.
    inject(account.apigateway, FaultInjector({1}, "lost-answer",
                                             watched=frozenset({"UpdateIntegration"})))
    with pytest.raises(ApplyFailed, match="is as it was"):
        change(gateway, orders.api_id, Mode.ASYNC, ("GET /orders",))
    assert full_state(account.apigateway, orders.api_id) == before


@pytest.mark.parametrize("in_flight", WIDTHS)
def test_an_unexpected_error_midway_is_undone_too(
    gateway: Gateway, orders: SeededApi, account: Clients, in_flight: int
) -> None:
    gateway.in_flight = in_flight
    before = full_state(account.apigateway, orders.api_id)
    writes: list[str] = []

    def bug(model: object, **_: object) -> None:
        if getattr(model, "name", None) == "UpdateIntegration" and not writes:
            writes.append("once")
            raise ValueError("a bug")

    account.apigateway.meta.events.register_first("before-call.api-gateway", bug)
    with pytest.raises(ApplyFailed, match="unexpected ValueError: a bug; 1 change undone"):
        change(gateway, orders.api_id, Mode.SWITCHABLE, ("GET /orders",))
    assert full_state(account.apigateway, orders.api_id) == before


@pytest.mark.parametrize("in_flight", WIDTHS)
def test_a_deployment_by_someone_else_stops_before_the_first_write(
    gateway: Gateway, orders: SeededApi, account: Clients, in_flight: int
) -> None:
    gateway.in_flight = in_flight
    wanted = intent.mode_change(orders.api_id, Mode.ASYNC, methods=("GET /orders",), stage="prod")
    snapshot = intent.read(gateway, orders.api_id)
    plan = wanted.plan(snapshot)
    account.apigateway.create_deployment(restApiId=orders.api_id, stageName="prod")
    with pytest.raises(StaleSnapshot):
        apply(plan, snapshot, gateway, wanted.plan)


@pytest.mark.parametrize("in_flight", WIDTHS)
def test_a_change_by_another_writer_stops_before_the_first_write(
    gateway: Gateway, orders: SeededApi, account: Clients, in_flight: int
) -> None:
    gateway.in_flight = in_flight
    wanted = intent.mode_change(orders.api_id, Mode.ASYNC, methods=("GET /orders",), stage="prod")
    snapshot = intent.read(gateway, orders.api_id)
    plan = wanted.plan(snapshot)
    account.apigateway.update_method(
        restApiId=orders.api_id, resourceId=orders.resource_ids["/orders"], httpMethod="GET",
        patchOperations=[{"op": "add", "path": "/requestParameters/method.request.header.X",
                          "value": "false"}])
    before = full_state(account.apigateway, orders.api_id)
    calls = call_log(account.apigateway)
    with pytest.raises(StaleSnapshot, match="changed since it was read"):
        apply(plan, snapshot, gateway, wanted.plan)
    assert all(c.startswith("Get") for c in calls)
    assert full_state(account.apigateway, orders.api_id) == before


def test_no_deploy_changes_the_api_but_not_the_stages(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    before = full_state(account.apigateway, orders.api_id)["stages"]
    plan, outcome = change(gateway, orders.api_id, Mode.ASYNC, ("GET /orders",), stage=None)
    assert plan.steps and plan.deployment is None and outcome.deployment_id is None
    assert full_state(account.apigateway, orders.api_id)["stages"] == before


def test_long_applies_say_how_long_is_left(gateway: Gateway, account: Clients) -> None:
    from asyncgw_sandbox.seed import seed_wide_api

    wide = seed_wide_api(account, 12)
    ticks = iter(range(1000))
    lines: list[str] = []
    wanted = intent.mode_change(wide.api_id, Mode.SWITCHABLE, everything=True, stage="prod")
    snapshot = intent.read(gateway, wide.api_id)
    apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan, lines.append,
          clock=lambda: float(next(ticks)))
    assert lines[0].startswith("[1/25] creating validator")
    assert "left)" not in lines[4]
    # Six clock readings for five finished steps; 20 steps to go.
    assert lines[5].startswith("[6/25] ") and lines[5].endswith(" (about 24 s left)")

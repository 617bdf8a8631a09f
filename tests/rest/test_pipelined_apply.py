"""Several REST writes in flight through the real boto3 client: order kept, faults while out."""

from __future__ import annotations

import os
import signal
import threading

import pytest
from asyncgw_sandbox.seed import Clients, SeededApi, seed_wide_api

from asyncgw.core.errors import ApplyFailed, Interrupted
from asyncgw.core.modes import Mode
from asyncgw.rest import intent
from asyncgw.rest.executor import apply
from asyncgw.rest.gateway import Gateway
from tests.support.faults import FaultInjector, inject
from tests.support.in_flight import Flight, watch
from tests.support.state import full_state

WRITES = frozenset({"CreateRequestValidator", "UpdateMethod", "UpdateIntegration",
                    "CreateDeployment", "DeleteRequestValidator", "UpdateStage"})
METHODS = 12


@pytest.fixture
def wide(account: Clients) -> SeededApi:
    """Twelve sync methods on one function, deployed to prod."""
    return seed_wide_api(account, METHODS)


def change(gateway: Gateway, api: str, mode: Mode) -> None:
    """Plan every method into `mode` and apply it, deploying prod."""
    wanted = intent.mode_change(api, mode, everything=True, stage="prod")
    snapshot = intent.read(gateway, api)
    apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan)


def flight(account: Clients, hold: float = 0.01) -> Flight:
    """Watch the writes of a change, each method's by its resource and verb."""
    return watch(account.apigateway, Flight(WRITES, ("resourceId", "httpMethod"), hold))


def methods_of(wide: SeededApi) -> list[str]:
    """'resource verb' of every method of the wide API."""
    state = [(path, verb) for path, rid in wide.resource_ids.items()
             for verb in ("GET", "POST", "PUT", "DELETE")]
    return [f"{wide.resource_ids[path]} {verb}" for path, verb in state]


@pytest.mark.parametrize("in_flight", (1, 4))
def test_n_writes_in_flight_keep_each_methods_order_and_the_fences(
    gateway: Gateway, account: Clients, wide: SeededApi, in_flight: int
) -> None:
    gateway.in_flight = in_flight
    watched = flight(account)
    change(gateway, wide.api_id, Mode.SWITCHABLE)
    assert watched.most == in_flight
    sent = watched.order("sent")
    # The validator is answered before any method uses it.
    validator = next(label for label in sent if label.startswith("CreateRequestValidator"))
    first_method = min(watched.index("sent", label) for label in sent
                       if label.startswith("UpdateMethod"))
    assert watched.index("answered", validator) < first_method
    # Adding: each method's request is answered before its integration is sent.
    pairs = 0
    for method in methods_of(wide):
        request, integration = f"UpdateMethod {method}", f"UpdateIntegration {method}"
        if request in sent:
            assert watched.index("answered", request) < watched.index("sent", integration)
            pairs += 1
    assert pairs == METHODS
    # Every write is answered before the deployment is sent.
    deployment = watched.index("sent", "CreateDeployment")
    assert all(watched.index("answered", label) < deployment
               for label in sent if not label.startswith("CreateDeployment"))

    removing = flight(account)
    change(gateway, wide.api_id, Mode.SYNC)
    sent = removing.order("sent")
    for method in methods_of(wide):
        request, integration = f"UpdateMethod {method}", f"UpdateIntegration {method}"
        if integration in sent:  # removing: the integration first, then the method request
            assert removing.index("answered", integration) < removing.index("sent", request)


def test_one_at_a_time_sends_in_plan_order(
    gateway: Gateway, account: Clients, wide: SeededApi
) -> None:
    gateway.in_flight = 1
    wanted = intent.mode_change(wide.api_id, Mode.SWITCHABLE, everything=True, stage="prod")
    snapshot = intent.read(gateway, wide.api_id)
    plan = wanted.plan(snapshot)
    watched = flight(account, hold=0.0)
    apply(plan, snapshot, gateway, wanted.plan)
    planned = [{"create-validator": "CreateRequestValidator", "patch-method": "UpdateMethod",
                "patch-integration": "UpdateIntegration"}[step.kind] for step in plan.steps]
    assert [label.split()[0] for label in watched.order("sent")] == [*planned,
                                                                     "CreateDeployment"]
    assert watched.most == 1


@pytest.mark.parametrize("pair", [(2, 3), (5, 6), (11, 12), (24, 25)])
def test_two_writes_failing_at_once_leave_the_api_as_it_was(
    gateway: Gateway, account: Clients, wide: SeededApi, pair: tuple[int, int]
) -> None:
    before = full_state(account.apigateway, wide.api_id)
    inject(account.apigateway, FaultInjector(set(pair)))
    watched = flight(account, hold=0.02)  # the writes around the failing two are in flight
    with pytest.raises(ApplyFailed, match=f"API {wide.api_id} is as it was"):
        change(gateway, wide.api_id, Mode.SWITCHABLE)
    assert full_state(account.apigateway, wide.api_id) == before
    assert "CreateDeployment" not in watched.order("sent")


def test_a_write_failing_while_others_are_slow_awaits_them_and_undoes_them(
    gateway: Gateway, account: Clients, wide: SeededApi
) -> None:
    before = full_state(account.apigateway, wide.api_id)
    # The third method request fails at once; the others take their time in flight.
    inject(account.apigateway, FaultInjector({3}, watched=frozenset({"UpdateMethod"})))
    watched = watch(account.apigateway, Flight(WRITES, ("resourceId", "httpMethod"),
                                               slow={"UpdateMethod": 0.3}))
    lines: list[str] = []
    wanted = intent.mode_change(wide.api_id, Mode.SWITCHABLE, everything=True, stage="prod")
    snapshot = intent.read(gateway, wide.api_id)
    with pytest.raises(ApplyFailed) as caught:
        apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan, lines.append)
    # The validator, then four method requests sent; three of them answered and undone.
    assert [label.split()[0] for label in watched.order("answered")][:4] == [
        "CreateRequestValidator", "UpdateMethod", "UpdateMethod", "UpdateMethod"]
    assert len([line for line in lines if line.startswith("[")]) == 5
    assert caught.value.message.endswith(f"4 changes undone, API {wide.api_id} is as it was")
    assert full_state(account.apigateway, wide.api_id) == before


@pytest.mark.parametrize("position", [1, 3, 8, 20])
def test_a_lost_answer_while_others_are_in_flight_is_repaired(
    gateway: Gateway, account: Clients, wide: SeededApi, position: int
) -> None:
    before = full_state(account.apigateway, wide.api_id)
    inject(account.apigateway, FaultInjector({position}, "lost-answer"))
    flight(account, hold=0.02)
    with pytest.raises(ApplyFailed, match="is as it was"):
        change(gateway, wide.api_id, Mode.SWITCHABLE)
    assert full_state(account.apigateway, wide.api_id) == before


def test_ctrl_c_while_writes_are_in_flight_awaits_them_and_undoes_everything(
    gateway: Gateway, account: Clients, wide: SeededApi
) -> None:
    before = full_state(account.apigateway, wide.api_id)
    flight(account, hold=0.05)
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
    lines: list[str] = []
    wanted = intent.mode_change(wide.api_id, Mode.SWITCHABLE, everything=True, stage="prod")
    snapshot = intent.read(gateway, wide.api_id)
    with pytest.raises(Interrupted) as caught:
        apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan, lines.append)
    # Every write sent was answered (none abandoned half-way), journaled, then undone.
    sent = len([line for line in lines if line.startswith("[")])
    assert 0 < sent < 2 * METHODS + 1
    assert caught.value.message == (f"interrupted; {sent} changes undone, "
                                    f"API {wide.api_id} is as it was")
    assert full_state(account.apigateway, wide.api_id) == before
    assert not [t for t in threading.enumerate() if t.name.startswith("asyncgw-write")]

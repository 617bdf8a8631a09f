"""Property, HTTP APIs: a Ctrl-C anywhere in an apply gives back the snapshot, any sequence of
mode commands lands in the commanded modes, and disable restores the account."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import clients
from asyncgw_sandbox.seed_http import RouteSpec, seed_http_api
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from asyncgw.core.errors import Interrupted
from asyncgw.core.modes import Mode
from asyncgw.http import intent
from asyncgw.http.executor import apply
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.modes import assess
from tests.support.clients import HttpClients, http_clients
from tests.support.ctrl_c import CtrlCAt
from tests.support.state import account_state, without_ids

ROUTE_KEYS = ("POST /jobs", "GET /jobs/{id}", "DELETE /jobs/{id}")


@st.composite
def starting_routes(draw: st.DrawFn) -> list[RouteSpec]:
    """One to three sync Lambda routes with random functions, payloads and timeouts."""
    keys = draw(st.lists(st.sampled_from(ROUTE_KEYS), min_size=1, max_size=3, unique=True))
    routes = [RouteSpec(key, function=draw(st.sampled_from(["jobs", "reader"])),
                        payload=draw(st.sampled_from(["1.0", "2.0"])),
                        timeout_ms=draw(st.sampled_from([5000, 30000])))
              for key in keys]
    if draw(st.booleans()):
        routes.append(RouteSpec("ANY /legacy/{proxy+}", kind="http"))
    return routes


@st.composite
def commands(draw: st.DrawFn, keys: list[str]) -> list[tuple[Mode, tuple[str, ...], int]]:
    """Modes for some of the routes, each with the progress line a first try is stopped at."""
    return [(draw(st.sampled_from([Mode.ASYNC, Mode.SWITCHABLE, Mode.SYNC])),
             tuple(draw(st.lists(st.sampled_from(keys), min_size=1, unique=True))),
             draw(st.integers(1, 16)))
            for _ in range(draw(st.integers(1, 4)))]


@pytest.fixture(scope="module")
def reusable() -> HttpClients:
    """Clients made once: building them costs more than most examples."""
    with emulated_account():
        return http_clients(clients())


def _modes(gateway: HttpGateway, api_id: str) -> dict[str, Mode]:
    snapshot = intent.read(gateway, api_id)
    return {r.route_key: assess(r, snapshot).mode for r in snapshot.routes}


def _account(reusable: HttpClients) -> Iterator[HttpClients]:
    with emulated_account():
        yield reusable


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(start=starting_routes(), by_hand=st.booleans(), data=st.data())
def test_interrupted_applies_undo_and_commands_reach_their_modes(
    reusable: HttpClients, start: list[RouteSpec], by_hand: bool, data: st.DataObject
) -> None:
    keys = [r.key for r in start if r.kind == "lambda"]
    for http in _account(reusable):
        stages = (("prod", False),) if by_hand else (("$default", True),)
        api = seed_http_api(http, "things", start, stages=stages)
        if by_hand:
            http.apigatewayv2.create_deployment(ApiId=api.api_id, StageName="prod")
        stage = "prod" if by_hand else None
        gateway = http.gateway()
        original = without_ids(account_state(http, api.api_id))
        wanted_modes = dict(_modes(gateway, api.api_id))
        for mode, routes, stop in [*data.draw(commands(keys)), (Mode.SYNC, tuple(keys), 99)]:
            wanted = intent.mode_change(api.api_id, mode, routes=routes, stage=stage)
            before = without_ids(account_state(http, api.api_id))
            snapshot = intent.read(gateway, api.api_id, for_change=True)
            try:
                apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan, CtrlCAt(stop),
                      sleep=lambda _: None)
            except Interrupted:
                event("interrupted mid-apply")
                assert without_ids(account_state(http, api.api_id)) == before
                snapshot = intent.read(gateway, api.api_id, for_change=True)
                apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan,
                      sleep=lambda _: None)
            wanted_modes.update(dict.fromkeys(routes, mode))
            assert _modes(gateway, api.api_id) == wanted_modes
        # Disabling deploys the stage once more: it serves a new deployment of the old routes.
        assert _undeployed(without_ids(account_state(http, api.api_id))) == _undeployed(original)


def _undeployed(state: dict[str, Any]) -> dict[str, Any]:
    for stage in state["stages"].values():
        stage.pop("DeploymentId", None)
    return state

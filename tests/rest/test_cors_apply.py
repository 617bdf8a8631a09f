"""Switchable methods and their CORS preflight, applied to the emulated account and undone."""

from __future__ import annotations

import pytest
from asyncgw_sandbox.seed import Clients, MethodSpec, SeededApi, seed_rest_api

from asyncgw.core.errors import ApplyFailed
from asyncgw.core.modes import Mode
from asyncgw.rest import intent
from asyncgw.rest.cors import ALLOW_HEADERS
from asyncgw.rest.executor import apply
from asyncgw.rest.gateway import Gateway
from tests.support.faults import FaultInjector, call_log, inject
from tests.support.state import full_state


@pytest.fixture
def shop(account: Clients) -> SeededApi:
    seeded = seed_rest_api(account, "shop", [
        MethodSpec("/orders", "POST", function="orders"),
        MethodSpec("/orders", "OPTIONS", integration="mock"),
    ])
    client, resource = account.apigateway, seeded.resource_ids["/orders"]
    client.put_method_response(restApiId=seeded.api_id, resourceId=resource,
                               httpMethod="OPTIONS", statusCode="200",
                               responseParameters={ALLOW_HEADERS: False})
    client.put_integration_response(restApiId=seeded.api_id, resourceId=resource,
                                    httpMethod="OPTIONS", statusCode="200",
                                    responseParameters={ALLOW_HEADERS: "'Content-Type'"})
    return seeded


def _allowed(account: Clients, shop: SeededApi) -> str:
    response = account.apigateway.get_integration_response(
        restApiId=shop.api_id, resourceId=shop.resource_ids["/orders"], httpMethod="OPTIONS",
        statusCode="200")
    return str(response["responseParameters"][ALLOW_HEADERS])


def _change(gateway: Gateway, api: str, mode: Mode) -> None:
    wanted = intent.mode_change(api, mode, methods=("POST /orders",), stage="prod")
    snapshot = intent.read(gateway, api)
    apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan)


def test_switchable_allows_the_header_and_disable_takes_it_back(
    gateway: Gateway, account: Clients, shop: SeededApi
) -> None:
    _change(gateway, shop.api_id, Mode.SWITCHABLE)
    assert _allowed(account, shop) == "'Content-Type,InvocationType'"
    _change(gateway, shop.api_id, Mode.SYNC)
    assert _allowed(account, shop) == "'Content-Type'"


@pytest.mark.parametrize("in_flight", (1, 4))
def test_a_failed_preflight_update_undoes_the_whole_change(
    gateway: Gateway, account: Clients, shop: SeededApi, in_flight: int
) -> None:
    gateway.in_flight = in_flight
    before = full_state(account.apigateway, shop.api_id)
    # The preflight is the plan's last step: fail it, after (or, with several writes in
    # flight, beside) the method's writes.
    calls = call_log(account.apigateway)
    injector = inject(account.apigateway,
                      FaultInjector({1}, watched=frozenset({"UpdateIntegrationResponse"})))
    with pytest.raises(ApplyFailed, match="is as it was"):
        _change(gateway, shop.api_id, Mode.SWITCHABLE)
    assert injector.writes == ["UpdateIntegrationResponse"]
    assert {"UpdateMethod", "UpdateIntegration"} <= set(calls)  # sent, and undone
    assert full_state(account.apigateway, shop.api_id) == before

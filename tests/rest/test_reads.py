"""Reading REST APIs through the real boto3 client: resolution, snapshot, call economy, errors."""

from __future__ import annotations

from typing import Any

import pytest
from asyncgw_sandbox.seed import Clients, MethodSpec, SeededApi, seed_rest_api, seed_wide_api

from asyncgw.core.errors import AmbiguousApiName, ApiNotFound, NotARestApi
from asyncgw.core.modes import Mode
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.modes import assess
from tests.support.faults import call_log

EXPECTED_ORDERS_MODES = {
    "GET /catalog": Mode.NOT_ELIGIBLE,
    "GET /health": Mode.NOT_ELIGIBLE,
    "ANY /webhooks": Mode.NOT_ELIGIBLE,
    "GET /orders/{id}": Mode.SYNC,
    "PUT /orders/{id}": Mode.SYNC,
    "DELETE /orders/{id}": Mode.SYNC,
    "POST /orders/{id}/refund": Mode.SWITCHABLE,
    "POST /orders/{id}/ship": Mode.SWITCHABLE,
}


def test_read_classifies_every_seeded_method(gateway: Gateway, orders: SeededApi) -> None:
    snapshot = gateway.read(gateway.resolve(orders.api_id))
    modes = {m.key: assess(m, snapshot).mode for m in snapshot.methods}
    for key, mode in EXPECTED_ORDERS_MODES.items():
        assert modes[key] is mode, key
    assert [s.stage_name for s in snapshot.stages] == ["dev", "prod"]
    assert all(s.deployment_id for s in snapshot.stages)
    assert {v.name for v in snapshot.validators} == {
        "Validate query string parameters and headers", "Validate body"}


def test_resolve_by_name(gateway: Gateway, orders: SeededApi) -> None:
    assert gateway.resolve("orders").id == orders.api_id


def test_resolve_refuses_an_ambiguous_name(gateway: Gateway, account: Clients) -> None:
    first = seed_rest_api(account, "twin", [MethodSpec("/a", "GET", integration="mock")])
    second = seed_rest_api(account, "twin", [MethodSpec("/a", "GET", integration="mock")])
    with pytest.raises(AmbiguousApiName) as caught:
        gateway.resolve("twin")
    assert first.api_id in caught.value.message and second.api_id in caught.value.message


def test_unknown_api_names_the_region_and_how_to_list(gateway: Gateway, account: Clients) -> None:
    with pytest.raises(ApiNotFound) as caught:
        gateway.resolve("nope")
    assert caught.value.message == ("no REST API with id or name 'nope' in us-east-1; list them "
                                    "with: aws apigateway get-rest-apis --region us-east-1")


def test_http_api_is_recognised_and_refused(gateway: Gateway, account: Any) -> None:
    import boto3

    v2 = boto3.client("apigatewayv2", region_name="us-east-1")
    http_api = v2.create_api(Name="events", ProtocolType="HTTP")
    for ref in (http_api["ApiId"], "events"):
        with pytest.raises(NotARestApi, match="use the forwarder-Lambda pattern"):
            gateway.resolve(ref)


def test_reading_600_methods_costs_four_calls(gateway: Gateway, account: Clients) -> None:
    wide = seed_wide_api(account, 600)
    calls = call_log(account.apigateway)
    snapshot = gateway.read(gateway.resolve(wide.api_id))
    assert len(snapshot.methods) == 600
    assert calls == ["GetRestApi", "GetResources", "GetRequestValidators", "GetStages"]


def test_reading_by_name_lists_apis_instead_of_getting_one(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    calls = call_log(account.apigateway)
    gateway.read(gateway.resolve("orders"))
    assert calls == ["GetRestApis", "GetResources", "GetRequestValidators", "GetStages"]


def test_get_resources_sends_embed_and_the_largest_page(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    sent: list[dict[str, Any]] = []

    def capture(params: dict[str, Any], **_: Any) -> None:
        sent.append(params["query_string"])

    account.apigateway.meta.events.register(
        "before-call.api-gateway.GetResources", capture)
    gateway.read(gateway.resolve(orders.api_id))
    assert sent == [{"embed": ["methods"], "limit": 500}]

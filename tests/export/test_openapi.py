"""The OpenAPI export, imported into the emulated account, gives methods in the exported mode."""

from __future__ import annotations

import json

import pytest
import yaml
from asyncgw_sandbox.seed import Clients, SeededApi

from asyncgw.core.modes import Mode
from asyncgw.export import export
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.modes import EVENT, INVOCATION_TYPE_MAPPING, SELECTOR_PARAMETER, assess
from asyncgw.rest.snapshot import ApiSnapshot, Method
from tests.export.edge_cases import AWKWARD_TEMPLATE, awkward

MODES = (Mode.ASYNC, Mode.SWITCHABLE, Mode.SYNC)
HEADER = {"name": "InvocationType", "in": "header", "required": True,
          "schema": {"type": "string"}}


def imported(gateway: Gateway, account: Clients, body: str, api_id: str | None = None
             ) -> ApiSnapshot:
    """PutRestApi in merge mode (into a new API unless one is given), then asyncgw's read."""
    if api_id is None:
        api_id = account.apigateway.create_rest_api(name="imported")["id"]
    account.apigateway.put_rest_api(restApiId=api_id, mode="merge", body=body.encode())
    return gateway.read(gateway.resolve(api_id))


@pytest.mark.parametrize("mode", MODES)
def test_an_imported_export_is_in_the_exported_mode(
    gateway: Gateway, account: Clients, snapshot: ApiSnapshot, eligible: tuple[Method, ...],
    mode: Mode,
) -> None:
    result = imported(gateway, account, export(snapshot, eligible, mode, "openapi"))
    assert [m.key for m in result.methods] == [m.key for m in eligible]
    for method in result.methods:
        assessment = assess(method, result)
        assert assessment.mode is mode, method.key
        if mode is Mode.SWITCHABLE:
            assert assessment.warnings == (), method.key  # header required, validator attached


@pytest.mark.parametrize("mode", MODES)
def test_merging_the_export_into_its_own_api_reaches_the_mode_without_duplicates(
    gateway: Gateway, account: Clients, orders: SeededApi, snapshot: ApiSnapshot,
    eligible: tuple[Method, ...], mode: Mode,
) -> None:
    result = imported(gateway, account, export(snapshot, eligible, mode, "openapi"),
                      orders.api_id)
    assert {m.key: m.resource_id for m in result.methods} == {
        m.key: m.resource_id for m in snapshot.methods}
    chosen = {m.key for m in eligible}
    modes = {m.key: assess(m, result).mode for m in result.methods if m.key in chosen}
    assert modes == dict.fromkeys(chosen, mode)
    names = [v.name for v in result.validators]
    assert len(names) == len(set(names))


def test_root_any_and_awkward_paths_import(gateway: Gateway, account: Clients) -> None:
    api = awkward()
    result = imported(gateway, account, export(api, api.methods, Mode.SWITCHABLE, "openapi"))
    assert sorted(m.key for m in result.methods) == sorted(m.key for m in api.methods)
    assert {assess(m, result).mode for m in result.methods} == {Mode.SWITCHABLE}
    templated = next(m for m in result.methods if m.path == "/2024/items-list")
    assert templated.integration is not None
    assert templated.integration.request_templates == {"application/json": AWKWARD_TEMPLATE}


def test_the_document_has_the_exact_extension_values(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...]
) -> None:
    doc = yaml.safe_load(export(snapshot, eligible, Mode.SWITCHABLE, "openapi"))
    assert doc["x-amazon-apigateway-request-validators"][
        "Validate query string parameters and headers"] == {
        "validateRequestBody": False, "validateRequestParameters": True}
    operation = doc["paths"]["/orders"]["get"]
    assert HEADER in operation["parameters"]
    assert operation["x-amazon-apigateway-request-validator"] == (
        "Validate query string parameters and headers")
    integration = operation["x-amazon-apigateway-integration"]
    assert integration["type"] == "aws"
    assert integration["httpMethod"] == "POST"
    assert integration["uri"].endswith(":function:orders-api/invocations")
    assert integration["requestParameters"] == {INVOCATION_TYPE_MAPPING: SELECTOR_PARAMETER}
    assert integration["responses"]["default"]["statusCode"] == "200"


def test_async_maps_the_quoted_event_and_any_is_the_extension_key() -> None:
    api = awkward()
    doc = yaml.safe_load(export(api, api.methods, Mode.ASYNC, "openapi"))
    operation = doc["paths"]["/items/{proxy+}"]["x-amazon-apigateway-any-method"]
    assert operation["x-amazon-apigateway-integration"]["requestParameters"] == {
        INVOCATION_TYPE_MAPPING: EVENT}
    assert "'Event'" in json.dumps(doc) and HEADER not in operation.get("parameters", [])

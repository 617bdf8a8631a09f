"""The library API: formats, the JSON form, refusals, and agreement with what apply does."""

from __future__ import annotations

import json

import pytest
from asyncgw_sandbox.seed import SeededApi

from asyncgw.core.errors import UsageError
from asyncgw.core.modes import Mode
from asyncgw.export import FORMAT_NAMES, FORMATS, build, export, export_data
from asyncgw.rest import intent
from asyncgw.rest.executor import apply
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.snapshot import ApiSnapshot, Method
from tests.support.rest_builders import PARAMS, lambda_integration, method, snapshot

MODES = (Mode.ASYNC, Mode.SWITCHABLE, Mode.SYNC)


def test_the_formats() -> None:
    assert FORMAT_NAMES == ("cloudformation", "openapi", "terraform", "cdk-python",
                            "cdk-typescript", "serverless")
    assert {f.suffix for f in FORMATS.values()} == {".yaml", ".tf", ".py", ".ts", ".yml"}


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_export_data_is_one_json_object_with_the_text(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...], fmt: str
) -> None:
    data = json.loads(json.dumps(export_data(snapshot, eligible, Mode.SWITCHABLE, fmt)))
    assert data["content"] == export(snapshot, eligible, Mode.SWITCHABLE, fmt)
    assert data["format"] == fmt
    assert data["api"] == {"id": snapshot.api.id, "name": "orders", "region": "us-east-1"}
    assert data["mode"] == "switchable" and data["changed"] is True
    assert data["stages"] == ["dev", "prod"]
    refund = next(m for m in data["methods"] if m["path"] == "/orders/{id}/refund")
    assert refund["changes"] == []
    get = next(m for m in data["methods"] if m["path"] == "/orders" and m["httpMethod"] == "GET")
    assert get["requestParameters"]["method.request.header.InvocationType"] is True
    assert get["integrationRequestParameters"] == {
        "integration.request.header.X-Amz-Invocation-Type":
            "method.request.header.InvocationType"}
    assert get["requestValidator"] == "Validate query string parameters and headers"
    new = [v for v in data["validators"] if v["new"]]
    assert new == [{"name": "Validate body, query string parameters, and headers",
                    "validateRequestBody": True, "validateRequestParameters": True,
                    "id": None, "new": True}]


def test_export_data_without_a_format_has_no_text(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...]
) -> None:
    data = export_data(snapshot, eligible, Mode.ASYNC)
    assert "content" not in data and "format" not in data


def test_refusals() -> None:
    api = snapshot([method("POST /a"), method("ANY /p", lambda_integration(type_="AWS_PROXY"))])
    good, proxy = (next(m for m in api.methods if m.key == key) for key in ("POST /a", "ANY /p"))
    with pytest.raises(UsageError, match="unknown export format 'pulumi'"):
        export(api, [good], Mode.ASYNC, "pulumi")
    with pytest.raises(UsageError, match="ANY /p cannot be exported: Lambda proxy"):
        export(api, [proxy], Mode.ASYNC, "openapi")
    with pytest.raises(UsageError, match="needs a mode"):
        export(api, [good], Mode.NOT_ELIGIBLE, "openapi")
    with pytest.raises(UsageError, match="no method"):
        export(api, [], Mode.ASYNC, "openapi")


def test_an_existing_parameters_validator_is_reused_not_recreated() -> None:
    api = snapshot([method("POST /a"), method("GET /b")], validators=(PARAMS,))
    spec = build(api, api.methods, Mode.SWITCHABLE)
    assert [v.existing_id for v in spec.validators] == [PARAMS.id]
    assert {m.validator for m in spec.methods} == {spec.validators[0]}


@pytest.mark.parametrize("mode", MODES)
def test_the_export_matches_what_applying_the_mode_leaves(
    gateway: Gateway, orders: SeededApi, snapshot: ApiSnapshot,
    eligible: tuple[Method, ...], mode: Mode,
) -> None:
    spec = build(snapshot, eligible, mode)
    wanted = intent.mode_change(orders.api_id, mode, everything=True, no_deploy=True)
    apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan)
    after = gateway.read(gateway.resolve(orders.api_id))
    for state in spec.methods:
        live = next(m for m in after.methods if m.key == state.key)
        assert live.integration is not None
        assert live.request_parameters == state.request_parameters, state.key
        assert live.integration.request_parameters == state.integration_request_parameters
        validator = after.validator(live.request_validator_id)
        assert (validator.name if validator else None) == (
            state.validator.name if state.validator else None), state.key


def test_a_converted_method_is_refused_rather_than_exported_half(
    gateway: Gateway, orders: SeededApi
) -> None:
    wanted = intent.mode_change(orders.api_id, Mode.ASYNC, methods=("ANY /webhooks",), stage="prod",
                                convert_proxy=True)
    before = intent.read(gateway, orders.api_id)
    apply(wanted.plan(before), before, gateway, wanted.plan)
    converted = intent.read(gateway, orders.api_id)
    webhooks = [m for m in converted.methods if m.key == "ANY /webhooks"]
    with pytest.raises(UsageError, match="converted from a proxy integration"):
        build(converted, webhooks, Mode.SYNC)

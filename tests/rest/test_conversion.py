"""Proxy conversion and 202 Accepted in the emulated account: round trips, faults, refusals."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from asyncgw_sandbox.seed import Clients, SeededApi

from asyncgw.core.errors import ApplyFailed
from asyncgw.core.modes import Mode
from asyncgw.rest import intent, markers
from asyncgw.rest.executor import apply
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.modes import assess
from tests.cli.runner import asyncgw
from tests.support.faults import FaultInjector, inject
from tests.support.state import full_state

PROXY = "ANY /webhooks"
NON_PROXY = "POST /orders/{id}/refund"


def change(gateway: Gateway, api: str, mode: Mode, key: str, convert: bool = False,
           respond_202: bool | None = None) -> None:
    wanted = intent.mode_change(api, mode, methods=(key,), stage="prod", convert_proxy=convert,
                                respond_202=respond_202)
    snapshot = intent.read(gateway, api)
    apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan)


def method_state(account: Clients, api: str, key: str) -> dict[str, Any]:
    return full_state(account.apigateway, api)["methods"][key]


def _method(gateway: Gateway, api: str, key: str) -> Any:
    return next(m for m in intent.read(gateway, api).methods if m.key == key)


@pytest.mark.parametrize(("mode", "respond_202"),
                         list(itertools.product((Mode.ASYNC, Mode.SWITCHABLE), (False, True))))
def test_a_proxy_method_converts_and_disable_restores_its_integration_exactly(
    gateway: Gateway, orders: SeededApi, account: Clients, mode: Mode, respond_202: bool
) -> None:
    before = method_state(account, orders.api_id, PROXY)
    change(gateway, orders.api_id, mode, PROXY, convert=True, respond_202=respond_202)

    converted = _method(gateway, orders.api_id, PROXY)
    snapshot = intent.read(gateway, orders.api_id)
    assert assess(converted, snapshot).mode is mode
    assert markers.converted(converted) is not None
    assert markers.answers_202(converted) is respond_202
    assert converted.integration.uri == before["methodIntegration"]["uri"]
    assert set(converted.method_responses) == {"200", "202"}

    change(gateway, orders.api_id, Mode.SYNC, PROXY)
    after = method_state(account, orders.api_id, PROXY)
    assert after["methodIntegration"] == before["methodIntegration"]
    after.pop("requestValidatorId", None)  # disable leaves a validator attached, as for any method
    assert after == before


def test_switching_a_converted_method_between_modes_keeps_the_conversion(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    before = method_state(account, orders.api_id, PROXY)
    change(gateway, orders.api_id, Mode.ASYNC, PROXY, convert=True, respond_202=True)
    change(gateway, orders.api_id, Mode.SWITCHABLE, PROXY)  # no flags: keeps the 202
    method = _method(gateway, orders.api_id, PROXY)
    assert assess(method, intent.read(gateway, orders.api_id)).mode is Mode.SWITCHABLE
    assert markers.answers_202(method)
    change(gateway, orders.api_id, Mode.SYNC, PROXY)
    assert method_state(account, orders.api_id, PROXY)["methodIntegration"] == \
        before["methodIntegration"]


def test_a_second_run_with_the_same_flags_changes_nothing(
    gateway: Gateway, orders: SeededApi
) -> None:
    change(gateway, orders.api_id, Mode.SWITCHABLE, PROXY, convert=True, respond_202=True)
    wanted = intent.mode_change(orders.api_id, Mode.SWITCHABLE, methods=(PROXY,), stage="prod",
                                convert_proxy=True, respond_202=True)
    assert wanted.plan(intent.read(gateway, orders.api_id)).is_empty


def test_without_the_option_a_proxy_method_is_refused_with_the_hint(orders: SeededApi) -> None:
    result = asyncgw("enable-async", orders.api_id, "-m", PROXY, "--stage", "prod", "--yes")
    assert result.code == 2
    assert "--convert-proxy" in result.last_error_line


def _fails_at_every_write(gateway: Gateway, orders: SeededApi, account: Clients,
                          wanted: intent.ModeChange) -> None:
    """Fail each write of the plan in turn: every time, the API must be as it was."""
    writes = len(wanted.plan(intent.read(gateway, orders.api_id)).steps) + 1
    before = full_state(account.apigateway, orders.api_id)
    injector = inject(account.apigateway, FaultInjector(set()))
    for position in range(1, writes + 1):
        injector.writes.clear()
        injector.fail_at = {position}
        snapshot = intent.read(gateway, orders.api_id)
        with pytest.raises(ApplyFailed, match="is as it was"):
            apply(wanted.plan(snapshot), snapshot, gateway, wanted.plan)
        assert full_state(account.apigateway, orders.api_id) == before, position


@pytest.mark.parametrize("mode", [Mode.ASYNC, Mode.SWITCHABLE])
def test_a_failure_at_any_conversion_step_leaves_the_method_as_it_was(
    gateway: Gateway, orders: SeededApi, account: Clients, mode: Mode
) -> None:
    _fails_at_every_write(gateway, orders, account, intent.mode_change(
        orders.api_id, mode, methods=(PROXY,), stage="prod", convert_proxy=True, respond_202=True))


def test_a_failure_at_any_restore_step_leaves_the_converted_method_as_it_was(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    change(gateway, orders.api_id, Mode.SWITCHABLE, PROXY, convert=True, respond_202=True)
    _fails_at_every_write(gateway, orders, account, intent.mode_change(
        orders.api_id, Mode.SYNC, methods=(PROXY,), stage="prod"))


def test_a_lost_answer_to_put_integration_is_repaired_from_the_snapshot(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    before = full_state(account.apigateway, orders.api_id)
    inject(account.apigateway, FaultInjector({1}, "lost-answer",
                                             watched=frozenset({"PutIntegrationResponse"})))
    with pytest.raises(ApplyFailed, match="is as it was"):
        change(gateway, orders.api_id, Mode.ASYNC, PROXY, convert=True)
    assert full_state(account.apigateway, orders.api_id) == before


def test_202_on_a_non_proxy_method_wraps_its_response_and_disable_restores_it(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    before = method_state(account, orders.api_id, NON_PROXY)
    change(gateway, orders.api_id, Mode.SWITCHABLE, NON_PROXY, respond_202=True)
    method = _method(gateway, orders.api_id, NON_PROXY)
    assert markers.answers_202(method)
    assert "202" in method.method_responses
    change(gateway, orders.api_id, Mode.SWITCHABLE, NON_PROXY, respond_202=False)
    assert method_state(account, orders.api_id, NON_PROXY) == before

    change(gateway, orders.api_id, Mode.ASYNC, NON_PROXY, respond_202=True)
    change(gateway, orders.api_id, Mode.SYNC, NON_PROXY)
    after = method_state(account, orders.api_id, NON_PROXY)
    assert after["methodIntegration"]["integrationResponses"] == \
        before["methodIntegration"]["integrationResponses"]
    assert after.get("methodResponses") == before.get("methodResponses")


@pytest.mark.parametrize("mode", [Mode.ASYNC, Mode.SWITCHABLE])
def test_a_proxy_methods_integration_responses_are_removed_while_converted_and_put_back(
    gateway: Gateway, orders: SeededApi, account: Clients, mode: Mode
) -> None:
    resource = orders.resource_ids["/webhooks"]
    where = {"restApiId": orders.api_id, "resourceId": resource, "httpMethod": "ANY"}
    origin = "method.response.header.Access-Control-Allow-Origin"
    account.apigateway.put_method_response(**where, statusCode="200",
                                           responseParameters={origin: False})
    account.apigateway.put_integration_response(**where, statusCode="200",
                                                responseParameters={origin: "'*'"})
    account.apigateway.put_integration_response(**where, statusCode="500",
                                                selectionPattern=".*failed.*")
    before = method_state(account, orders.api_id, PROXY)

    change(gateway, orders.api_id, mode, PROXY, convert=True)
    converted = method_state(account, orders.api_id, PROXY)["methodIntegration"]
    assert set(converted["integrationResponses"]) == {"200"}  # only the converted one
    assert "selectionPattern" not in converted["integrationResponses"]["200"]

    change(gateway, orders.api_id, Mode.SYNC, PROXY)
    after = method_state(account, orders.api_id, PROXY)
    after.pop("requestValidatorId", None)  # disable leaves a validator attached
    assert after == before


def test_202_carries_the_cors_headers_the_200_declares_and_maps(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    resource = orders.resource_ids["/orders/{id}/refund"]
    origin = "method.response.header.Access-Control-Allow-Origin"
    where = {"restApiId": orders.api_id, "resourceId": resource, "httpMethod": "POST"}
    account.apigateway.put_method_response(**where, statusCode="200",
                                           responseParameters={origin: False},
                                           responseModels={"application/json": "Empty"})
    account.apigateway.put_integration_response(**where, statusCode="200",
                                                responseParameters={origin: "'*'"})
    before = method_state(account, orders.api_id, NON_PROXY)

    change(gateway, orders.api_id, Mode.SWITCHABLE, NON_PROXY, respond_202=True)
    method = _method(gateway, orders.api_id, NON_PROXY)
    assert method.method_responses["202"].response_parameters == {origin: False}
    default = markers.default_response(method)
    assert default is not None
    assert default.response_parameters == {origin: "'*'"}  # the mapping async calls go through

    change(gateway, orders.api_id, Mode.SWITCHABLE, NON_PROXY, respond_202=False)
    assert method_state(account, orders.api_id, NON_PROXY) == before


def test_disable_keeps_integration_fields_changed_after_the_conversion(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    change(gateway, orders.api_id, Mode.ASYNC, PROXY, convert=True)
    resource = orders.resource_ids["/webhooks"]
    account.apigateway.update_integration(
        restApiId=orders.api_id, resourceId=resource, httpMethod="ANY",
        patchOperations=[{"op": "replace", "path": "/timeoutInMillis", "value": "5000"}])
    wanted = intent.mode_change(orders.api_id, Mode.SYNC, methods=(PROXY,), stage="prod")
    plan = wanted.plan(intent.read(gateway, orders.api_id))
    shown = {c.field for step in plan.steps for c in step.changes}
    assert "type" in shown and "timeoutInMillis" not in shown
    change(gateway, orders.api_id, Mode.SYNC, PROXY)
    restored = method_state(account, orders.api_id, PROXY)["methodIntegration"]
    assert (restored["type"], restored["timeoutInMillis"]) == ("AWS_PROXY", 5000)


def test_a_header_mapping_added_after_202_survives_a_rerun_and_disable(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    change(gateway, orders.api_id, Mode.ASYNC, NON_PROXY, respond_202=True)
    resource = orders.resource_ids["/orders/{id}/refund"]
    where = {"restApiId": orders.api_id, "resourceId": resource, "httpMethod": "POST",
             "statusCode": "200"}
    mapped = "method.response.header.X-Team"
    response = account.apigateway.get_integration_response(**where)
    account.apigateway.put_integration_response(
        **where, responseTemplates=response["responseTemplates"],
        responseParameters={mapped: "'jobs'"})
    again = intent.mode_change(orders.api_id, Mode.ASYNC, methods=(NON_PROXY,), stage="prod")
    assert again.plan(intent.read(gateway, orders.api_id)).is_empty
    change(gateway, orders.api_id, Mode.SYNC, NON_PROXY)
    after = account.apigateway.get_integration_response(**where)
    assert after["responseParameters"] == {mapped: "'jobs'"}
    assert not markers.answers_202(_method(gateway, orders.api_id, NON_PROXY))


def test_a_damaged_marker_is_reported_and_never_restored_from(
    gateway: Gateway, orders: SeededApi, account: Clients
) -> None:
    change(gateway, orders.api_id, Mode.ASYNC, PROXY, convert=True)
    resource = orders.resource_ids["/webhooks"]
    integration = account.apigateway.get_integration(restApiId=orders.api_id,
                                                     resourceId=resource, httpMethod="ANY")
    key = "application/json"
    damaged = integration["requestTemplates"][key].replace('{"proxy"', '{"pro', 1)
    account.apigateway.update_integration(
        restApiId=orders.api_id, resourceId=resource, httpMethod="ANY",
        patchOperations=[{"op": "replace", "path": "/requestTemplates/application~1json",
                          "value": damaged}])
    status = asyncgw("status", orders.api_id)
    assert status.code == 0, status.err
    assert "cannot be read" in status.out
    result = asyncgw("disable", orders.api_id, "-m", PROXY, "--stage", "prod", "--yes")
    assert result.code == 2
    assert "cannot be read" in result.last_error_line

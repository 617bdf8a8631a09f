"""enable-switchable's two forms: the header required (with a warning for callers) or optional."""

from __future__ import annotations

import json

import pytest
from asyncgw_sandbox.seed import Clients, SeededApi
from asyncgw_sandbox.seed_http import RouteSpec, seed_http_api

from asyncgw.core.backend import ChangeRequest
from asyncgw.core.errors import UsageError
from asyncgw.core.modes import Mode
from asyncgw.rest import intent
from asyncgw.rest.executor import apply
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.modes import OPTIONAL_HEADER_INFO, SELECTOR_PARAMETER, assess
from asyncgw.rest.plan import CreateValidator, PatchMethod, PatchOp, Plan
from asyncgw.rest.planner import plan
from asyncgw.rest.selection import select
from asyncgw.rest.snapshot import Method
from tests.cli.runner import asyncgw
from tests.support.clients import http_clients
from tests.support.rest_builders import lambda_integration, method, snapshot, switchable

HEADER_PATH = f"/requestParameters/{SELECTOR_PARAMETER}"
REJECTED = ("callers of POST /orders that do not send the InvocationType header will get 400 "
            "(\"Missing required request parameters: [InvocationType]\")")


def plan_for(subject: Method, optional: bool, stage: str | None = "prod") -> Plan:
    snap = snapshot([subject])
    return plan(snap, select(snap, [], True), Mode.SWITCHABLE, stage, optional_header=optional)


def optional(validator: str | None = None) -> Method:
    return method(integration=lambda_integration(SELECTOR_PARAMETER),
                  params={SELECTOR_PARAMETER: False}, validator=validator)


def method_ops(result: Plan) -> tuple[PatchOp, ...]:
    return tuple(op for step in result.steps if isinstance(step, PatchMethod) for op in step.ops)


def test_optional_declares_the_header_false_and_needs_no_validator() -> None:
    result = plan_for(method(), optional=True)
    assert method_ops(result) == (PatchOp(op="add", path=HEADER_PATH, value="false"),)
    assert not [s for s in result.steps if isinstance(s, CreateValidator)]
    assert [s.kind for s in result.steps] == ["patch-method", "patch-integration"]
    assert not [w for w in result.warnings if "will get 400" in w]


def test_required_warns_callers_without_the_header_and_names_the_stage() -> None:
    result = plan_for(method(), optional=False)
    [warning] = [w for w in result.warnings if "will get 400" in w]
    assert warning.startswith(REJECTED + " once stage prod is redeployed (this plan does it")
    assert "--optional-header first" in warning


def test_required_with_no_deploy_warns_of_the_next_deployment() -> None:
    result = plan_for(method(), optional=False, stage=None)
    assert any(w.startswith(REJECTED + " from the next deployment of a stage")
               for w in result.warnings)


@pytest.mark.parametrize("validator", [None, "v-body"])
def test_a_required_header_nothing_validates_yet_still_warns(validator: str | None) -> None:
    # Callers without the header are accepted today: the validator makes them 400.
    subject = method(integration=lambda_integration(SELECTOR_PARAMETER),
                     params={SELECTOR_PARAMETER: True}, validator=validator)
    assert any("will get 400" in w for w in plan_for(subject, optional=False).warnings)


def test_a_method_that_already_rejects_them_gets_no_warning() -> None:
    result = plan_for(switchable(), optional=False)
    assert result.is_empty and result.warnings == ()


def test_required_to_optional_keeps_the_validator_and_says_so() -> None:
    result = plan_for(switchable(), optional=True)
    assert method_ops(result) == (PatchOp(op="replace", path=HEADER_PATH, value="false"),)
    assert result.notes == ("POST /orders: validator Validate query string parameters and "
                            "headers (v-par) stays attached; it no longer rejects calls "
                            "without InvocationType",)
    assert result.warnings == ()


def test_optional_to_required_is_an_ordinary_plan_with_the_warning() -> None:
    result = plan_for(optional(), optional=False)
    assert method_ops(result) == (
        PatchOp(op="replace", path=HEADER_PATH, value="true"),
        PatchOp(op="replace", path="/requestValidatorId", value="v-par"),
    )
    assert any("will get 400" in w for w in result.warnings)


def test_optional_again_is_nothing_to_do() -> None:
    result = plan_for(optional(), optional=True)
    assert result.is_empty
    assert [n.reason for n in result.unchanged] == ["already switchable (InvocationType optional)"]


def test_the_optional_form_is_information_in_status() -> None:
    found = assess(optional(), snapshot([optional()]))
    assert (found.mode, found.warnings, found.info) == (Mode.SWITCHABLE, (),
                                                        (OPTIONAL_HEADER_INFO,))
    assert "sync unless InvocationType: Event" in OPTIONAL_HEADER_INFO


@pytest.mark.parametrize("mode", [Mode.ASYNC, Mode.SYNC])
def test_optional_header_is_for_switchable_only(mode: Mode) -> None:
    with pytest.raises(UsageError, match="--optional-header is for enable-switchable only"):
        ChangeRequest(mode=mode, all=True, optional_header=True)
    with pytest.raises(UsageError, match="--optional-header is for enable-switchable only"):
        intent.mode_change("orders", mode, everything=True, optional_header=True)


def _switch(gateway: Gateway, api: str, optional: bool, stage: str | None = "prod") -> Plan:
    wanted = intent.mode_change(api, Mode.SWITCHABLE, methods=("GET /orders",), stage=stage,
                                no_deploy=stage is None, optional_header=optional)
    current = intent.read(gateway, api)
    result = wanted.plan(current)
    apply(result, current, gateway, wanted.plan)
    return result


def _get_orders(account: Clients, orders: SeededApi) -> dict[str, object]:
    found: dict[str, object] = account.apigateway.get_method(
        restApiId=orders.api_id, resourceId=orders.resource_ids["/orders"], httpMethod="GET")
    return found


def test_both_ways_on_the_sandbox(gateway: Gateway, orders: SeededApi, account: Clients) -> None:
    seeded = _get_orders(account, orders)
    _switch(gateway, orders.api_id, optional=True)
    after = _get_orders(account, orders)
    assert after["requestParameters"] == {**seeded.get("requestParameters", {}),  # type: ignore
                                          SELECTOR_PARAMETER: False}
    assert after.get("requestValidatorId") == seeded.get("requestValidatorId")
    assert after["methodIntegration"]["requestParameters"][  # type: ignore[index]
        "integration.request.header.X-Amz-Invocation-Type"] == SELECTOR_PARAMETER

    required = _switch(gateway, orders.api_id, optional=False)
    assert any("will get 400" in w for w in required.warnings)
    after = _get_orders(account, orders)
    assert after["requestParameters"][SELECTOR_PARAMETER] is True  # type: ignore[index]
    assert after.get("requestValidatorId")

    _switch(gateway, orders.api_id, optional=True)
    assert _get_orders(account, orders)["requestParameters"][  # type: ignore[index]
        SELECTOR_PARAMETER] is False


def test_status_shows_the_optional_form_as_information(orders: SeededApi) -> None:
    assert asyncgw("enable-switchable", orders.api_id, "-m", "GET /orders", "--yes",
                   "--stage", "prod", "--optional-header").code == 0
    report = json.loads(asyncgw("status", orders.api_id, "--output", "json").out)
    [get] = [m for m in report["methods"] if (m["httpMethod"], m["path"]) == ("GET", "/orders")]
    assert (get["mode"], get["invocationTypeHeader"], get["info"]) == (
        "switchable", "optional", [OPTIONAL_HEADER_INFO])
    assert not [w for w in get["warnings"] if "InvocationType" in w]
    assert get["deployed"] == {"dev": "sync", "prod": "switchable"}
    text = " ".join(asyncgw("status", orders.api_id).out.split())
    assert f"GET /orders: {OPTIONAL_HEADER_INFO}" in text


def test_the_plan_json_carries_the_warning(orders: SeededApi) -> None:
    dry = asyncgw("enable-switchable", orders.api_id, "-m", "GET /orders", "--stage", "prod",
                  "--dry-run", "--output", "json")
    assert dry.code == 0, dry.err
    warnings = json.loads(dry.out)["warnings"]
    assert any(w.startswith("callers of GET /orders that do not send the InvocationType header "
                            "will get 400") for w in warnings)


def test_http_apis_refuse_the_optional_header_and_warn_of_the_forwarder(
    account: Clients,
) -> None:
    http = http_clients(account)
    api = seed_http_api(http, "events", (RouteSpec("POST /jobs", function="jobs"),))
    refused = asyncgw("enable-switchable", api.api_id, "-m", "POST /jobs", "--optional-header",
                      "--dry-run")
    assert refused.code == 2
    assert "--optional-header is for REST APIs" in refused.last_error_line
    dry = asyncgw("enable-switchable", api.api_id, "-m", "POST /jobs", "--dry-run")
    assert dry.code == 0, dry.err
    assert ("Warning: callers of POST /jobs that do not send the InvocationType header will get "
            "400 (\"Missing required request parameters: [InvocationType]\") from the forwarder "
            "at once on stage(s) $default (they deploy automatically)") in " ".join(
                dry.out.split())


@pytest.mark.parametrize("fmt", ["cloudformation", "openapi", "terraform", "cdk-python",
                                 "cdk-typescript", "serverless"])
def test_export_writes_the_optional_form(orders: SeededApi, fmt: str) -> None:
    done = asyncgw("export", orders.api_id, "-m", "GET /orders", "--mode", "switchable",
                   "--optional-header", "--format", fmt, "--output", "json")
    assert done.code == 0, done.err
    data = json.loads(done.out)
    [get] = data["methods"]
    assert get["requestParameters"][SELECTOR_PARAMETER] is False
    assert get["requestValidator"] is None
    assert data["validators"] == []
    content = data["content"]
    assert "required: true" not in content and "InvocationType" in content
    assert any(word in content for word in ("false", "False"))

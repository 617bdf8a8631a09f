"""The library under the CLI: keyword entry points, checks before AWS, refusals, frozen plans."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import boto3
import pytest
from asyncgw_sandbox.seed import Clients, SeededApi

import asyncgw
from asyncgw.core.errors import UsageError
from asyncgw.rest import gateway
from tests.cli.runner import asyncgw as run_cli


def _never(profile: str | None, region: str | None, endpoint: str | None) -> gateway.Gateway:
    raise AssertionError("connected to AWS before checking the arguments")


def _counting(calls: list[str]) -> asyncgw.Account:
    def connect(profile: str | None, region: str | None, endpoint: str | None
                ) -> gateway.Gateway:
        made = gateway.connect(profile, region, endpoint)
        made.client.meta.events.register("before-call.api-gateway",
                                         lambda model, **_: calls.append(model.name))
        return made

    return asyncgw.Account(connect=connect)


@pytest.mark.parametrize(("arguments", "message"), [
    ({}, "choose methods with -m"),
    ({"methods": ["POST /a"], "all": True}, "choose methods with -m"),
    ({"all": True, "stage": "prod", "no_deploy": True}, "--stage and --no-deploy contradict"),
    ({"methods": ["POST"]}, "-m 'POST' is not 'VERB /path'"),
    ({"methods": ["FETCH /a"]}, "unknown verb 'FETCH'"),
])
def test_argument_errors_come_before_any_aws_call(arguments: dict[str, object],
                                                  message: str) -> None:
    with pytest.raises(UsageError) as refused:
        asyncgw.plan_change("a1b2c3d4e5", "async", account=asyncgw.Account(connect=_never),
                            **arguments)  # type: ignore[arg-type]
    assert message in refused.value.message
    with pytest.raises(UsageError):
        asyncgw.plan_verify("a1b2c3d4e5", account=asyncgw.Account(connect=_never))


def test_a_plan_is_frozen_data_until_applied(orders: SeededApi, account: Clients) -> None:
    calls: list[str] = []
    chosen = _counting(calls)
    plan = asyncgw.plan_change(orders.api_id, "switchable", methods=["GET /orders"],
                               stage="prod", account=chosen)
    assert not any(name.startswith(("Update", "Create")) for name in calls)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.is_empty = True  # type: ignore[misc]
    assert (plan.api_id, plan.is_empty, plan.deploys) == (orders.api_id, False, "prod")
    assert plan.data["steps"] and plan.data["deployment"]["stage"] == "prod"
    lines: list[str] = []
    done = plan.apply(progress=lines.append)
    assert done.data["deploymentId"] and lines
    assert "UpdateIntegration" in calls and "CreateDeployment" in calls
    again = asyncgw.plan_change(orders.api_id, "switchable", methods=["GET /orders"],
                                stage="prod", account=chosen)
    assert again.is_empty
    calls.clear()
    assert again.apply().data == {}
    assert calls == []  # an empty plan calls nothing


def test_status_and_export_return_both_renderings(orders: SeededApi) -> None:
    report = asyncgw.status("orders", stage="prod")
    assert [s["name"] for s in report.data["stages"]] == ["prod"]
    code = asyncgw.export_code("orders", asyncgw.Mode.ASYNC, format="terraform",
                               methods=["GET /orders"])
    assert "X-Amz-Invocation-Type" in str(code.text)
    assert code.data


def test_verify_and_the_rest_only_options_are_refused_on_an_http_api(account: Clients) -> None:
    api = boto3.client("apigatewayv2", region_name="us-east-1").create_api(
        Name="events", ProtocolType="HTTP")["ApiId"]
    with pytest.raises(UsageError) as refused:
        asyncgw.verify(api, all=True)
    assert refused.value.message == (f"{api} is an HTTP API: verify proves REST API wiring; "
                                     "call the route with the InvocationType header instead")
    result = run_cli("verify", api, "--all")
    assert result.code == 2 and result.last_error_line == f"Error: {refused.value.message}"
    with pytest.raises(UsageError, match="work on REST APIs only"):
        asyncgw.plan_change(api, "async", all=True, max_retries=1)
    with pytest.raises(UsageError, match="are for REST APIs"):
        asyncgw.plan_change(api, "async", all=True, convert_proxy=True)


def test_the_entry_points_are_typed_keyword_functions() -> None:
    with pytest.raises(TypeError):
        asyncgw.plan_change("orders", "async", ["GET /orders"])  # type: ignore[misc]
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        asyncgw.nothing  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize(("call", "message"), [
    (lambda: asyncgw.plan_change("x", "fast", all=True,
                                 account=asyncgw.Account(connect=_never)),
     "unknown mode 'fast': use async, switchable or sync"),
    (lambda: asyncgw.plan_change("x", "async", methods="POST /orders",
                                 account=asyncgw.Account(connect=_never)),
     "methods takes a list of 'VERB /path' patterns, such as ['POST /orders'], not one string"),
    (lambda: asyncgw.plan_verify("x", methods="POST /orders",
                                 account=asyncgw.Account(connect=_never)),
     "methods takes a list of 'VERB /path' patterns, such as ['POST /orders'], not one string"),
], ids=["unknown-mode", "one-string-for-methods", "one-string-for-verify"])
def test_a_wrong_argument_is_a_usage_error_before_connecting(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        call()
    assert caught.value.message == message

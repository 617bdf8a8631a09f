"""The CloudFormation export lints clean with cfn-lint and carries the exact recipe values."""

from __future__ import annotations

from typing import Any

import pytest
from cfnlint.api import lint
from cfnlint.decode.cfn_yaml import loads

from asyncgw.core.modes import Mode
from asyncgw.export import export
from asyncgw.rest.modes import EVENT, INVOCATION_TYPE_MAPPING, SELECTOR_PARAMETER
from asyncgw.rest.snapshot import ApiSnapshot, Method
from tests.export.edge_cases import awkward

MODES = (Mode.ASYNC, Mode.SWITCHABLE, Mode.SYNC)


def errors(template: str) -> list[str]:
    return [str(match) for match in lint(template) if match.rule.id.startswith("E")]


def methods_of(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    resources = template["Resources"]
    return {
        f"{r['Properties']['HttpMethod']} {path_of(resources, r['Properties']['ResourceId'])}":
            r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::ApiGateway::Method"
    }


def path_of(resources: dict[str, Any], ref: dict[str, Any]) -> str:
    if "Fn::GetAtt" in ref:
        return "/"
    props = resources[ref["Ref"]]["Properties"]
    return f"{path_of(resources, props['ParentId']).rstrip('/')}/{props['PathPart']}"


@pytest.mark.parametrize("mode", MODES)
def test_the_orders_template_passes_cfn_lint(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...], mode: Mode
) -> None:
    assert errors(export(snapshot, eligible, mode, "cloudformation")) == []


@pytest.mark.parametrize("mode", MODES)
def test_root_any_and_colliding_paths_pass_cfn_lint(mode: Mode) -> None:
    api = awkward()
    assert errors(export(api, api.methods, mode, "cloudformation")) == []


def test_async_maps_the_quoted_event_and_reminds_to_redeploy(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...]
) -> None:
    text = export(snapshot, eligible, Mode.ASYNC, "cloudformation")
    template = loads(text)
    for props in methods_of(template).values():
        assert props["Integration"]["Type"] == "AWS"
        assert props["Integration"]["IntegrationHttpMethod"] == "POST"
        assert props["Integration"]["RequestParameters"][INVOCATION_TYPE_MAPPING] == EVENT
        assert SELECTOR_PARAMETER not in props.get("RequestParameters", {})
    deployments = [r for r in template["Resources"].values()
                   if r["Type"] == "AWS::ApiGateway::Deployment"]
    assert len(deployments) == 1
    assert "new deployment" in text and "# asyncgw:" in text


def test_switchable_declares_the_header_and_refs_a_parameters_validator(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...]
) -> None:
    template = loads(export(snapshot, eligible, Mode.SWITCHABLE, "cloudformation"))
    resources = template["Resources"]
    for key, props in methods_of(template).items():
        assert props["RequestParameters"][SELECTOR_PARAMETER] is True, key
        mapping = props["Integration"]["RequestParameters"][INVOCATION_TYPE_MAPPING]
        assert mapping == SELECTOR_PARAMETER, key
        validator = resources[props["RequestValidatorId"]["Ref"]]
        assert validator["Type"] == "AWS::ApiGateway::RequestValidator"
        assert validator["Properties"]["ValidateRequestParameters"] is True, key
    # POST /orders and PUT /orders/{id} validate the body: the body check is kept.
    names = {r["Properties"]["Name"] for r in resources.values()
             if r["Type"] == "AWS::ApiGateway::RequestValidator"}
    assert names == {"Validate query string parameters and headers",
                     "Validate body, query string parameters, and headers"}


def test_sync_removes_the_mapping_but_keeps_request_response(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...]
) -> None:
    methods = methods_of(loads(export(snapshot, eligible, Mode.SYNC, "cloudformation")))
    for key, props in methods.items():
        mapped = props["Integration"].get("RequestParameters", {}).get(INVOCATION_TYPE_MAPPING)
        assert mapped == ("'RequestResponse'" if key == "DELETE /orders/{id}" else None), key
        assert SELECTOR_PARAMETER not in props.get("RequestParameters", {}), key


def test_other_parameters_and_templates_are_kept(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...]
) -> None:
    methods = methods_of(loads(export(snapshot, eligible, Mode.ASYNC, "cloudformation")))
    assert methods["GET /orders"]["RequestParameters"] == {
        "method.request.querystring.status": False}
    assert methods["GET /orders/{id}"]["Integration"]["RequestTemplates"] == {
        "application/json": '{"id": "$input.params(\'id\')"}'}


def test_logical_ids_come_from_verb_and_path_and_stay_unique() -> None:
    api = awkward()
    template = loads(export(api, api.methods, Mode.SWITCHABLE, "cloudformation"))
    ids = set(template["Resources"])
    assert {"GetRootMethod", "AnyItemsProxyMethod", "PostABMethod", "PostABMethod2",
            "ABResource", "ABResource2", "Put2024ItemsListMethod"} <= ids
    assert all(logical_id.isalnum() for logical_id in ids)


def test_the_deployment_id_changes_with_the_methods(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...]
) -> None:
    def deployment(mode: Mode) -> str:
        template = loads(export(snapshot, eligible, mode, "cloudformation"))
        return next(k for k, r in template["Resources"].items()
                    if r["Type"] == "AWS::ApiGateway::Deployment")

    assert len({deployment(mode) for mode in MODES}) == 3

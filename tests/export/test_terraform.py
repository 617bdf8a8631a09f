"""The Terraform export parses as HCL and carries the exact recipe values."""

from __future__ import annotations

from typing import Any

import hcl2
import pytest

from asyncgw.core.modes import Mode
from asyncgw.export import export
from asyncgw.rest.modes import EVENT, INVOCATION_TYPE_MAPPING, SELECTOR_PARAMETER
from asyncgw.rest.snapshot import ApiSnapshot, Method
from tests.export.edge_cases import AWKWARD_TEMPLATE, awkward

MODES = (Mode.ASYNC, Mode.SWITCHABLE, Mode.SYNC)


def parse(text: str) -> dict[str, dict[str, dict[str, Any]]]:
    """type -> name -> attributes, string values unquoted."""
    tree = hcl2.loads(text, serialization_options=hcl2.SerializationOptions(
        strip_string_quotes=True))
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for entry in tree["resource"]:
        for kind, named in entry.items():
            for name, body in named.items():
                out.setdefault(kind, {})[name] = body
    return out


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_parses(snapshot: ApiSnapshot, eligible: tuple[Method, ...],
                           mode: Mode) -> None:
    resources = parse(export(snapshot, eligible, mode, "terraform"))
    assert len(resources["aws_api_gateway_method"]) == len(eligible)
    assert len(resources["aws_api_gateway_integration"]) == len(eligible)
    for integration in resources["aws_api_gateway_integration"].values():
        assert integration["type"] == "AWS"
        assert integration["integration_http_method"] == "POST"


def test_switchable_values(snapshot: ApiSnapshot, eligible: tuple[Method, ...]) -> None:
    resources = parse(export(snapshot, eligible, Mode.SWITCHABLE, "terraform"))
    method = resources["aws_api_gateway_method"]["get_orders"]
    assert method["request_parameters"] == {
        SELECTOR_PARAMETER: True, "method.request.querystring.status": False}
    assert method["request_validator_id"] == (
        "${aws_api_gateway_request_validator.validate_query_string_parameters_and_headers.id}")
    validator = resources["aws_api_gateway_request_validator"][
        "validate_query_string_parameters_and_headers"]
    assert validator["validate_request_parameters"] is True
    assert validator["validate_request_body"] is False
    integration = resources["aws_api_gateway_integration"]["get_orders"]
    assert integration["request_parameters"] == {INVOCATION_TYPE_MAPPING: SELECTOR_PARAMETER}


def test_async_maps_the_quoted_event(snapshot: ApiSnapshot, eligible: tuple[Method, ...]) -> None:
    resources = parse(export(snapshot, eligible, Mode.ASYNC, "terraform"))
    for integration in resources["aws_api_gateway_integration"].values():
        assert integration["request_parameters"][INVOCATION_TYPE_MAPPING] == EVENT


def test_the_deployment_redeploys_on_change(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...]
) -> None:
    resources = parse(export(snapshot, eligible, Mode.ASYNC, "terraform"))
    (deployment,) = resources["aws_api_gateway_deployment"].values()
    trigger = deployment["triggers"]["redeployment"]
    assert trigger.startswith("${sha1(jsonencode([")
    assert "aws_api_gateway_integration.post_orders_id_refund" in trigger
    (lifecycle,) = deployment["lifecycle"]
    assert lifecycle["create_before_destroy"] is True
    stages = resources["aws_api_gateway_stage"]
    assert {s["stage_name"] for s in stages.values()} == {"dev", "prod"}


def test_awkward_names_and_values_survive() -> None:
    api = awkward()
    resources = parse(export(api, api.methods, Mode.SWITCHABLE, "terraform"))
    assert set(resources["aws_api_gateway_method"]) == {
        "get_root", "any_items_proxy", "post_a_b", "post_a_b2", "put_2024_items_list"}
    assert resources["aws_api_gateway_resource"]["_2024"]["path_part"] == "2024"
    integration = resources["aws_api_gateway_integration"]["put_2024_items_list"]
    # HCL escapes ${ and %{ as $${ and %%{ (no interpolation); python-hcl2 keeps them escaped.
    template = integration["request_templates"]["application/json"]
    assert template.replace("$${", "${").replace("%%{", "%{") == AWKWARD_TEMPLATE

"""The Serverless export is YAML with the framework's async switch or the switchable extras."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from asyncgw.core.modes import Mode
from asyncgw.export import export
from asyncgw.export.serverless import method_logical_id
from asyncgw.export.spec import build
from asyncgw.rest.modes import INVOCATION_TYPE_MAPPING, SELECTOR_PARAMETER
from asyncgw.rest.snapshot import ApiSnapshot, Method


class CloudFormationLoader(yaml.SafeLoader):
    """safe_load plus the !Ref short form serverless.yml allows under resources."""


CloudFormationLoader.add_constructor(
    "!Ref", lambda loader, node: {"Ref": loader.construct_scalar(node)})


def events(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["http"] for f in doc["functions"].values() for e in f["events"]]


@pytest.mark.parametrize("mode", [Mode.ASYNC, Mode.SYNC])
def test_async_and_sync_are_plain_yaml(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...], mode: Mode
) -> None:
    doc = yaml.safe_load(export(snapshot, eligible, mode, "serverless"))
    http = events(doc)
    assert len(http) == len(eligible)
    assert {e["integration"] for e in http} == {"lambda"}
    assert {e.get("async", False) for e in http} == {mode is Mode.ASYNC}
    assert all("InvocationType" not in e.get("request", {}).get("parameters", {}).get(
        "headers", {}) for e in http)
    assert "resources" not in doc
    assert set(doc["functions"]) == {"orders-api", "orders-jobs"}


def test_switchable_declares_the_header_and_merges_validator_and_mapping(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...]
) -> None:
    text = export(snapshot, eligible, Mode.SWITCHABLE, "serverless")
    assert "Serverless has no switchable helper" in text
    doc = yaml.load(text, Loader=CloudFormationLoader)
    http = events(doc)
    assert all(e["request"]["parameters"]["headers"]["InvocationType"] is True for e in http)
    assert not any("async" in e for e in http)
    resources = doc["resources"]["Resources"]
    spec = build(snapshot, eligible, Mode.SWITCHABLE)
    for method in spec.methods:
        properties = resources[method_logical_id(method)]["Properties"]
        assert properties["Integration"]["RequestParameters"][INVOCATION_TYPE_MAPPING] == (
            SELECTOR_PARAMETER)
        validator = resources[properties["RequestValidatorId"]["Ref"]]["Properties"]
        assert validator["ValidateRequestParameters"] is True
        assert validator["RestApiId"] == {"Ref": "ApiGatewayRestApi"}


def test_paths_and_logical_ids_follow_serverless_naming(
    snapshot: ApiSnapshot, eligible: tuple[Method, ...]
) -> None:
    spec = build(snapshot, eligible, Mode.SWITCHABLE)
    ids = {m.key: method_logical_id(m) for m in spec.methods}
    assert ids["POST /orders/{id}/refund"] == "ApiGatewayMethodOrdersIdVarRefundPost"
    assert ids["GET /orders"] == "ApiGatewayMethodOrdersGet"
    doc = yaml.safe_load(export(snapshot, eligible, Mode.ASYNC, "serverless"))
    assert {(e["method"], e["path"]) for e in events(doc)} >= {
        ("post", "orders/{id}/refund"), ("get", "orders")}

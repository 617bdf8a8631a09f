"""The seed helpers at work: the recipe on a seeded API, seed_wide_api at size, ensure_function."""

from __future__ import annotations

import pytest
from asyncgw_sandbox.seed import (
    CLIENT_INVOCATION_TYPE,
    INVOCATION_TYPE_HEADER,
    PARAMETERS_VALIDATOR,
    MethodSpec,
    clients,
    ensure_function,
    seed_orders_api,
    seed_wide_api,
)


def all_methods(c, api_id):
    """Every method as `{"VERB /path": Method}`, read the way asyncgw must read (embed, paging)."""
    methods = {}
    pages = c.apigateway.get_paginator("get_resources").paginate(
        restApiId=api_id, embed=["methods"], PaginationConfig={"PageSize": 500}
    )
    for page in pages:
        for resource in page["items"]:
            for verb, method in resource.get("resourceMethods", {}).items():
                methods[f"{verb} {resource['path']}"] = method
    return methods


def integration_parameters(method):
    return method["methodIntegration"].get("requestParameters", {})


def test_the_recipe_applies_to_a_seeded_method(c):
    seeded = seed_orders_api(c)
    address = {
        "restApiId": seeded.api_id,
        "resourceId": seeded.resource_ids["/orders"],
        "httpMethod": "GET",
    }
    c.apigateway.update_method(
        **address,
        patchOperations=[
            {
                "op": "replace",
                "path": "/requestValidatorId",
                "value": seeded.validators[PARAMETERS_VALIDATOR],
            },
            {"op": "add", "path": f"/requestParameters/{CLIENT_INVOCATION_TYPE}", "value": "true"},
        ],
    )
    c.apigateway.update_integration(
        **address,
        patchOperations=[
            {
                "op": "add",
                "path": f"/requestParameters/{INVOCATION_TYPE_HEADER}",
                "value": CLIENT_INVOCATION_TYPE,
            }
        ],
    )
    c.apigateway.create_deployment(restApiId=seeded.api_id, stageName="prod")
    method = all_methods(c, seeded.api_id)["GET /orders"]
    assert method["requestParameters"] == {
        "method.request.querystring.status": False,
        CLIENT_INVOCATION_TYPE: True,
    }
    assert integration_parameters(method) == {INVOCATION_TYPE_HEADER: CLIENT_INVOCATION_TYPE}


def test_wide_api_with_600_methods(c):
    seeded = seed_wide_api(c, 600)
    methods = all_methods(c, seeded.api_id)
    assert len(methods) == 600
    assert {m["methodIntegration"]["type"] for m in methods.values()} == {"AWS"}
    with_methods = {key.split(" ", 1)[1] for key in methods}
    assert 600 / 3 <= len(with_methods) <= 600 / 2
    assert list(seeded.functions) == ["wide-handler"]


def test_ensure_function_is_idempotent(c):
    first = ensure_function(c, "twice")
    assert ensure_function(c, "twice") == first
    assert first.endswith(":function:twice")


def test_clients_refuse_to_reach_real_aws(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with pytest.raises(RuntimeError, match="emulated account"):
        clients()


def test_lambda_methods_need_a_function():
    with pytest.raises(ValueError, match="needs a function"):
        MethodSpec("/jobs", "POST")

"""What seed_orders_api promises: one method in each state asyncgw tells apart."""

from __future__ import annotations

import pytest
from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import (
    BODY_VALIDATOR,
    CLIENT_INVOCATION_TYPE,
    INVOCATION_TYPE_HEADER,
    PARAMETERS_VALIDATOR,
    lambda_uri,
    seed_orders_api,
)


@pytest.fixture(scope="module")
def orders(reusable_clients):
    """The sample API, seeded once for the read-only tests of this module."""
    with emulated_account():
        yield reusable_clients, seed_orders_api(reusable_clients)


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


def test_orders_api_has_its_resources_stages_validators_and_functions(orders):
    c, seeded = orders
    assert c.apigateway.get_rest_api(restApiId=seeded.api_id)["name"] == "orders"
    assert set(seeded.resource_ids) == {
        "/",
        "/orders",
        "/orders/{id}",
        "/orders/{id}/refund",
        "/orders/{id}/ship",
        "/webhooks",
        "/health",
        "/catalog",
    }
    stages = c.apigateway.get_stages(restApiId=seeded.api_id)["item"]
    assert sorted(s["stageName"] for s in stages) == ["dev", "prod"] == sorted(seeded.stages)
    validators = {
        v["name"]: (v["validateRequestBody"], v["validateRequestParameters"])
        for v in c.apigateway.get_request_validators(restApiId=seeded.api_id)["items"]
    }
    assert validators == {PARAMETERS_VALIDATOR: (False, True), BODY_VALIDATOR: (True, False)}
    assert set(seeded.validators) == set(validators)
    for name, arn in seeded.functions.items():
        assert c.lambda_.get_function(FunctionName=name)["Configuration"]["FunctionArn"] == arn


def test_orders_api_lambda_methods_call_their_functions(orders):
    c, seeded = orders
    methods = all_methods(c, seeded.api_id)
    uri = lambda_uri(seeded.region, seeded.functions["orders-api"])
    assert methods["GET /orders"]["methodIntegration"]["uri"] == uri
    assert methods["GET /orders"]["methodIntegration"]["httpMethod"] == "POST"
    assert set(methods["GET /orders"]["methodResponses"]) == {"200"}
    assert set(methods["GET /orders"]["methodIntegration"]["integrationResponses"]) == {"200"}


def test_orders_api_holds_one_method_in_each_mode(orders):
    c, seeded = orders
    methods = all_methods(c, seeded.api_id)
    types = {key: m["methodIntegration"]["type"] for key, m in methods.items()}
    assert types == {
        "GET /orders": "AWS",
        "POST /orders": "AWS",
        "GET /orders/{id}": "AWS",
        "PUT /orders/{id}": "AWS",
        "DELETE /orders/{id}": "AWS",
        "POST /orders/{id}/refund": "AWS",
        "POST /orders/{id}/ship": "AWS",
        "ANY /webhooks": "AWS_PROXY",
        "GET /health": "MOCK",
        "GET /catalog": "HTTP",
    }
    # sync: no mapping, or an explicit 'RequestResponse'
    assert INVOCATION_TYPE_HEADER not in integration_parameters(methods["GET /orders"])
    assert integration_parameters(methods["DELETE /orders/{id}"]) == {
        INVOCATION_TYPE_HEADER: "'RequestResponse'"
    }
    # async
    assert integration_parameters(methods["POST /orders"]) == {INVOCATION_TYPE_HEADER: "'Event'"}
    # switchable: required header, parameters validator, mapping from the header
    refund = methods["POST /orders/{id}/refund"]
    assert refund["requestParameters"][CLIENT_INVOCATION_TYPE] is True
    assert refund["requestValidatorId"] == seeded.validators[PARAMETERS_VALIDATOR]
    assert integration_parameters(refund) == {INVOCATION_TYPE_HEADER: CLIENT_INVOCATION_TYPE}
    # half-configured: mapped from an optional header, no validator
    ship = methods["POST /orders/{id}/ship"]
    assert ship["requestParameters"][CLIENT_INVOCATION_TYPE] is False
    assert "requestValidatorId" not in ship
    assert integration_parameters(ship) == {INVOCATION_TYPE_HEADER: CLIENT_INVOCATION_TYPE}
    # a sync method whose validator checks the body only
    assert methods["PUT /orders/{id}"]["requestValidatorId"] == seeded.validators[BODY_VALIDATOR]

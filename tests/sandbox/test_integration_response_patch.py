"""UpdateIntegrationResponse in the sandbox: the map-entry rules AWS records for its siblings."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from asyncgw.sandbox import emulated_account
from asyncgw.sandbox.seed import MethodSpec, clients, seed_rest_api

HEADER = "method.response.header.Access-Control-Allow-Headers"


@pytest.fixture
def options() -> object:
    with emulated_account():
        c = clients()
        api = seed_rest_api(c, "cors", [MethodSpec("/a", "OPTIONS", integration="mock")])
        address = {"restApiId": api.api_id, "resourceId": api.resource_ids["/a"],
                   "httpMethod": "OPTIONS", "statusCode": "200"}
        yield c.apigateway, address


def test_add_replace_and_remove_a_response_parameter(options: object) -> None:
    client, address = options  # type: ignore[misc]
    path = f"/responseParameters/{HEADER}"
    added = client.update_integration_response(
        **address, patchOperations=[{"op": "add", "path": path, "value": "'A'"}])
    assert added["responseParameters"] == {HEADER: "'A'"}
    client.update_integration_response(
        **address, patchOperations=[{"op": "replace", "path": path, "value": "'A,B'"}])
    read = client.get_integration_response(**address)
    assert read["responseParameters"] == {HEADER: "'A,B'"}
    removed = client.update_integration_response(
        **address, patchOperations=[{"op": "remove", "path": path}])
    assert "responseParameters" not in removed


def test_removing_a_missing_parameter_is_a_404_as_recorded_for_method_responses(
    options: object,
) -> None:
    client, address = options  # type: ignore[misc]
    with pytest.raises(ClientError) as caught:
        client.update_integration_response(**address, patchOperations=[
            {"op": "remove", "path": f"/responseParameters/{HEADER}"}])
    assert caught.value.response["Error"]["Code"] == "NotFoundException"
    assert caught.value.response["Error"]["Message"] == "Invalid parameter name specified"


def test_an_unknown_path_is_a_400(options: object) -> None:
    client, address = options  # type: ignore[misc]
    with pytest.raises(ClientError) as caught:
        client.update_integration_response(**address, patchOperations=[
            {"op": "replace", "path": "/statusCode", "value": "201"}])
    assert caught.value.response["Error"]["Message"] == "Invalid patch path /statusCode"

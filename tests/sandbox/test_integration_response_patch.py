"""UpdateIntegrationResponse in the sandbox: the map-entry rules AWS records for its siblings."""

from __future__ import annotations

import pytest
from asyncgw_sandbox import emulated_account
from asyncgw_sandbox.seed import MethodSpec, clients, seed_rest_api
from botocore.exceptions import ClientError

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


def test_replace_the_selection_pattern_as_recorded(options: object) -> None:
    # [REC api.snapshot test_lifecycle_integration_response update-integration-response]
    client, address = options  # type: ignore[misc]
    updated = client.update_integration_response(**address, patchOperations=[
        {"op": "replace", "path": "/selectionPattern", "value": "updated-pattern"}])
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert updated["selectionPattern"] == "updated-pattern"
    assert client.get_integration_response(**address)["selectionPattern"] == "updated-pattern"


def test_replace_the_content_handling(options: object) -> None:
    # replace is the one op AWS's patch-operations table lists for /contentHandling [DOC].
    client, address = options  # type: ignore[misc]
    client.update_integration_response(**address, patchOperations=[
        {"op": "replace", "path": "/contentHandling", "value": "CONVERT_TO_TEXT"}])
    assert client.get_integration_response(**address)["contentHandling"] == "CONVERT_TO_TEXT"


@pytest.mark.parametrize("path", ["/selectionPattern", "/contentHandling"])
def test_add_on_a_replace_only_field_is_refused(options: object, path: str) -> None:
    client, address = options  # type: ignore[misc]
    with pytest.raises(ClientError) as caught:
        client.update_integration_response(**address, patchOperations=[
            {"op": "add", "path": path, "value": "x"}])
    # The text of UpdateMethod's replace-only refusal [REC A7]; here [UNVERIFIED].
    assert caught.value.response["Error"]["Message"] == (
        "Invalid patch operation specified. Must be one of: [replace]")


def test_an_unknown_status_code_is_a_404(options: object) -> None:
    # [REC] for GetIntegrationResponse and UpdateMethodResponse; for this one [UNVERIFIED].
    client, address = options  # type: ignore[misc]
    with pytest.raises(ClientError) as caught:
        client.update_integration_response(**{**address, "statusCode": "418"}, patchOperations=[
            {"op": "replace", "path": "/selectionPattern", "value": "x"}])
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert caught.value.response["Error"]["Message"] == "Invalid Response status code specified"

"""Every definition of the corpus imported into LocalStack, someone else's emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from tests.corpus import definitions
from tests.corpus.scenario import Emulator, asyncgw, check
from tests.localstack.runtime import LocalStack

NOT_STRING_TEMPLATE = "govuk-one-login__mobile-id-check-async__async-public-spec.yaml"
"""LocalStack keeps a request template written as a YAML mapping (`application/json:
{statusCode: 200}`) as an object, and GetResources returns it where the API's model says a
string. asyncgw refuses that answer in one named line; the other checks cannot run on it."""


@pytest.fixture
def client(localstack: LocalStack, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    yield boto3.client("apigateway", endpoint_url=localstack.endpoint_url,
                       region_name="us-east-1")


@pytest.mark.parametrize("name", [n for n in definitions.names() if n != NOT_STRING_TEMPLATE])
def test_a_definition_in_localstack(name: str, client: Any, localstack: LocalStack) -> None:
    check(definitions.load(name), Emulator(
        "LocalStack", client, localstack.endpoint_url, definitions.NOT_IMPORTED_BY_LOCALSTACK,
        applies_response_parameter_patches=False))


def test_a_template_that_is_no_string_is_refused_in_one_line(client: Any,
                                                             localstack: LocalStack) -> None:
    api = client.import_rest_api(body=definitions.load(NOT_STRING_TEMPLATE).body)["id"]
    try:
        result = asyncgw("status", api, "--region", "us-east-1",
                         "--endpoint-url", localstack.endpoint_url)
    finally:
        client.delete_rest_api(restApiId=api)
    assert result.code == 1, result.err
    assert "unexpected" not in result.err
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert "GetResources returned" in lines[0] and "requestTemplates" in lines[0], lines[0]


def test_localstack_ignores_a_patch_of_an_integration_responses_parameters(
        client: Any) -> None:
    # Why the preflight changes above are expected to be undone on LocalStack: AWS documents
    # add/replace/remove on /responseParameters/* of UpdateIntegrationResponse [DOC].
    api = client.create_rest_api(name="preflight")["id"]
    root = client.get_resources(restApiId=api)["items"][0]["id"]
    where = {"restApiId": api, "resourceId": root, "httpMethod": "OPTIONS"}
    header = "method.response.header.Access-Control-Allow-Headers"
    client.put_method(**where, authorizationType="NONE")
    client.put_method_response(**where, statusCode="200", responseParameters={header: False})
    client.put_integration(**where, type="MOCK", requestTemplates={
        "application/json": '{"statusCode": 200}'})
    client.put_integration_response(**where, statusCode="200",
                                    responseParameters={header: "'Content-Type'"})
    client.update_integration_response(**where, statusCode="200", patchOperations=[
        {"op": "replace", "path": f"/responseParameters/{header}",
         "value": "'Content-Type,InvocationType'"}])
    kept = client.get_integration_response(**where, statusCode="200")["responseParameters"]
    client.delete_rest_api(restApiId=api)
    assert kept == {header: "'Content-Type'"}

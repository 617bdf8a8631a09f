"""Contract tests for GetExport: the stage's deployment snapshot with API Gateway's extensions."""

# [REC] shapes follow LocalStack's AWS snapshots test_export_oas30_openapi and
# test_export_swagger_openapi (06-05-2025); [UNVERIFIED] pins the sandbox's choice where no
# record exists.

from __future__ import annotations

import json

import pytest
import yaml
from asyncgw_sandbox.seed import (
    BODY_VALIDATOR,
    CLIENT_INVOCATION_TYPE,
    INVOCATION_TYPE_HEADER,
    PARAMETERS_VALIDATOR,
    MethodSpec,
    seed_orders_api,
    seed_rest_api,
)

INTEGRATION = "x-amazon-apigateway-integration"
VALIDATOR = "x-amazon-apigateway-request-validator"
VALIDATORS = "x-amazon-apigateway-request-validators"


def export(c, api_id, stage="prod", export_type="oas30", extensions="apigateway", **options):
    """GetExport's body, parsed; `extensions=None` sends no parameters."""
    parameters = {} if extensions is None else {"parameters": {"extensions": extensions}}
    response = c.apigateway.get_export(
        restApiId=api_id, stageName=stage, exportType=export_type, **parameters, **options)
    return json.loads(response["body"].read())


@pytest.fixture
def orders(c):
    return seed_orders_api(c)


def operation(document, path, verb):
    return document["paths"][path][verb]


def test_oas30_head(c, orders):
    document = export(c, orders.api_id)
    assert document["openapi"] == "3.0.1"
    assert document["info"]["title"] == "orders"
    assert document["servers"] == [{  # [REC]
        "url": f"https://{orders.api_id}.execute-api.us-east-1.amazonaws.com/{{basePath}}",
        "variables": {"basePath": {"default": "prod"}},
    }]
    assert document["components"]["schemas"]["Empty"] == {"title": "Empty Schema",
                                                         "type": "object"}


def test_swagger_head(c, orders):
    document = export(c, orders.api_id, stage="dev", export_type="swagger")
    assert document["swagger"] == "2.0"
    assert document["host"] == f"{orders.api_id}.execute-api.us-east-1.amazonaws.com"  # [REC]
    assert (document["basePath"], document["schemes"]) == ("/dev", ["https"])
    get = operation(document, "/orders/{id}", "get")
    assert get["parameters"] == [{"name": "id", "in": "path", "required": True, "type": "string"}]
    assert get["responses"]["200"] == {"description": "200 response",
                                       "schema": {"$ref": "#/definitions/Empty"}}
    assert get[INTEGRATION]["type"] == "aws"


def test_without_extensions_there_are_no_integrations_or_validators(c, orders):
    # [REC get-export]: no x-amazon-apigateway-integration without the extensions parameter.
    # ANY has no other spelling than x-amazon-apigateway-any-method [DOC].
    text = json.dumps(export(c, orders.api_id, extensions=None))
    assert "x-amazon-apigateway" not in text.replace("x-amazon-apigateway-any-method", "")


def test_integrations_extension_adds_only_the_integrations(c, orders):
    # 'integrations' exports x-amazon-apigateway-integration [MODEL]; the validators need
    # 'apigateway' [DOC api-gateway-export-api].
    document = export(c, orders.api_id, extensions="integrations")
    assert INTEGRATION in operation(document, "/orders", "post")
    assert VALIDATOR not in operation(document, "/orders", "post")
    assert VALIDATORS not in document


def test_an_async_method_shows_its_event_mapping(c, orders):
    integration = operation(export(c, orders.api_id), "/orders", "post")[INTEGRATION]
    assert integration == {
        "type": "aws",
        "httpMethod": "POST",
        "uri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
               f"{orders.functions['orders-jobs']}/invocations",
        "responses": {"default": {"statusCode": "200"}},
        "requestParameters": {INVOCATION_TYPE_HEADER: "'Event'"},  # quotes kept [REC]
        "requestTemplates": {"application/json": "$input.json('$')"},
        "passthroughBehavior": "when_no_match",  # lower case [REC]
    }


def test_a_switchable_method_shows_its_required_header_and_its_validator(c, orders):
    document = export(c, orders.api_id)
    refund = operation(document, "/orders/{id}/refund", "post")
    assert refund["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "InvocationType", "in": "header", "required": True,
         "schema": {"type": "string"}},
    ]
    assert refund[VALIDATOR] == PARAMETERS_VALIDATOR
    assert refund[INTEGRATION]["requestParameters"] == {
        INVOCATION_TYPE_HEADER: CLIENT_INVOCATION_TYPE}
    assert document[VALIDATORS] == {
        PARAMETERS_VALIDATOR: {"validateRequestParameters": True, "validateRequestBody": False},
        BODY_VALIDATOR: {"validateRequestParameters": False, "validateRequestBody": True},
    }


def test_an_optional_parameter_is_not_marked_required(c, orders):
    document = export(c, orders.api_id)
    # [REC PETSTORE query parameters]: no "required" key at all when optional.
    assert operation(document, "/orders", "get")["parameters"] == [
        {"name": "status", "in": "query", "schema": {"type": "string"}}]
    ship = operation(document, "/orders/{id}/ship", "post")
    assert {"name": "InvocationType", "in": "header", "schema": {"type": "string"}} in ship[
        "parameters"]
    assert VALIDATOR not in ship


def test_any_proxy_and_mock_methods(c, orders):
    document = export(c, orders.api_id)
    webhooks = document["paths"]["/webhooks"]
    assert list(webhooks) == ["x-amazon-apigateway-any-method"]  # [DOC]
    assert webhooks["x-amazon-apigateway-any-method"][INTEGRATION]["type"] == "aws_proxy"
    mock = operation(document, "/health", "get")[INTEGRATION]
    assert mock == {  # no httpMethod for MOCK [REC]
        "type": "mock",
        "responses": {"default": {"statusCode": "200"}},
        "requestTemplates": {"application/json": '{"statusCode": 200}'},
        "passthroughBehavior": "when_no_match",
    }
    assert operation(document, "/catalog", "get")[INTEGRATION]["type"] == "http"


def test_integration_responses_are_keyed_by_selection_pattern(c):
    seeded = seed_rest_api(c, "jobs", [MethodSpec("/jobs", "POST", function="jobs")], stages=())
    address = {"restApiId": seeded.api_id, "resourceId": seeded.resource_ids["/jobs"],
               "httpMethod": "POST"}
    c.apigateway.put_method_response(
        **address, statusCode="500",
        responseParameters={"method.response.header.X-Error": False})
    c.apigateway.put_integration_response(
        **address, statusCode="500", selectionPattern=".*Error.*",
        responseParameters={"method.response.header.X-Error": "'yes'"},
        responseTemplates={"application/json": '{"failed": true}'})
    c.apigateway.create_deployment(restApiId=seeded.api_id, stageName="prod")
    post = operation(export(c, seeded.api_id), "/jobs", "post")
    assert post[INTEGRATION]["responses"] == {
        "default": {"statusCode": "200"},
        ".*Error.*": {"statusCode": "500",
                      "responseParameters": {"method.response.header.X-Error": "'yes'"},
                      "responseTemplates": {"application/json": '{"failed": true}'}},
    }
    assert post["responses"]["500"] == {  # method response headers [REC PETSTORE]
        "description": "500 response",
        "headers": {"X-Error": {"schema": {"type": "string"}}},
        "content": {},
    }


def test_timeout_and_content_handling_appear_only_when_set(c):
    seeded = seed_rest_api(c, "jobs", [MethodSpec("/jobs", "POST", function="jobs"),
                                       MethodSpec("/plain", "POST", function="jobs")], stages=())
    c.apigateway.update_integration(
        restApiId=seeded.api_id, resourceId=seeded.resource_ids["/jobs"], httpMethod="POST",
        patchOperations=[{"op": "replace", "path": "/timeoutInMillis", "value": "5000"},
                         {"op": "replace", "path": "/contentHandling",
                          "value": "CONVERT_TO_TEXT"}])
    c.apigateway.create_deployment(restApiId=seeded.api_id, stageName="prod")
    document = export(c, seeded.api_id)
    jobs = operation(document, "/jobs", "post")[INTEGRATION]
    assert (jobs["timeoutInMillis"], jobs["contentHandling"]) == (5000, "CONVERT_TO_TEXT")
    plain = operation(document, "/plain", "post")[INTEGRATION]
    # GetIntegration reports 29000 by default, the export leaves it out [REC].
    assert "timeoutInMillis" not in plain and "contentHandling" not in plain


def test_the_export_shows_the_deployed_snapshot_until_a_redeploy(c, orders):
    address = {"restApiId": orders.api_id, "resourceId": orders.resource_ids["/orders"],
               "httpMethod": "GET"}
    before = export(c, orders.api_id)
    c.apigateway.update_method(**address, patchOperations=[
        {"op": "add", "path": f"/requestParameters/{CLIENT_INVOCATION_TYPE}", "value": "true"},
        {"op": "replace", "path": "/requestValidatorId",
         "value": orders.validators[PARAMETERS_VALIDATOR]}])
    c.apigateway.update_integration(**address, patchOperations=[
        {"op": "add", "path": f"/requestParameters/{INVOCATION_TYPE_HEADER}",
         "value": "'Event'"}])
    c.apigateway.update_request_validator(
        restApiId=orders.api_id, requestValidatorId=orders.validators[BODY_VALIDATOR],
        patchOperations=[{"op": "replace", "path": "/name", "value": "renamed"}])
    c.apigateway.delete_method(restApiId=orders.api_id,
                               resourceId=orders.resource_ids["/catalog"], httpMethod="GET")
    assert export(c, orders.api_id) == before  # a stage serves its deployment [DOC]

    c.apigateway.create_deployment(restApiId=orders.api_id, stageName="prod")
    after = export(c, orders.api_id)
    get = operation(after, "/orders", "get")
    assert get[INTEGRATION]["requestParameters"] == {INVOCATION_TYPE_HEADER: "'Event'"}
    assert get[VALIDATOR] == PARAMETERS_VALIDATOR
    assert "renamed" in after[VALIDATORS]
    assert "/catalog" not in after["paths"]
    assert export(c, orders.api_id, stage="dev") == {  # dev still serves the first deployment
        **before, "servers": [{**before["servers"][0], "variables": {
            "basePath": {"default": "dev"}}}]}


def test_a_stage_moved_back_to_an_older_deployment_exports_that_one(c, orders):
    first = c.apigateway.get_stage(restApiId=orders.api_id, stageName="prod")["deploymentId"]
    before = export(c, orders.api_id)
    c.apigateway.update_integration(
        restApiId=orders.api_id, resourceId=orders.resource_ids["/orders"], httpMethod="GET",
        patchOperations=[{"op": "add", "path": f"/requestParameters/{INVOCATION_TYPE_HEADER}",
                          "value": "'Event'"}])
    c.apigateway.create_deployment(restApiId=orders.api_id, stageName="prod")
    assert export(c, orders.api_id) != before
    c.apigateway.update_stage(restApiId=orders.api_id, stageName="prod", patchOperations=[
        {"op": "replace", "path": "/deploymentId", "value": first}])
    assert export(c, orders.api_id) == before


def test_yaml_and_the_response_headers(c):
    api = c.apigateway.create_rest_api(name="versioned", version="1.0.0")
    c.apigateway.put_method(restApiId=api["id"], resourceId=api["rootResourceId"],
                            httpMethod="GET", authorizationType="NONE")
    c.apigateway.put_integration(restApiId=api["id"], resourceId=api["rootResourceId"],
                                 httpMethod="GET", type="MOCK")
    c.apigateway.create_deployment(restApiId=api["id"], stageName="local")
    plain = c.apigateway.get_export(restApiId=api["id"], stageName="local", exportType="oas30")
    # [REC]: octet-stream and oas30_<info.version>.json (botocore sends Accept: application/json).
    assert plain["contentType"] == "application/octet-stream"
    assert plain["contentDisposition"] == 'attachment; filename="oas30_1.0.0.json"'
    as_json = json.loads(plain["body"].read())
    assert as_json["info"] == {"title": "versioned", "version": "1.0.0"}
    as_yaml = c.apigateway.get_export(restApiId=api["id"], stageName="local", exportType="oas30",
                                      accepts="application/yaml")
    # [UNVERIFIED] the content type and file suffix for YAML.
    assert as_yaml["contentType"] == "application/octet-stream"
    assert as_yaml["contentDisposition"].endswith('.yaml"')
    assert yaml.safe_load(as_yaml["body"].read()) == as_json


def test_info_version_is_the_deployment_time_without_an_api_version(c, orders):
    version = export(c, orders.api_id)["info"]["version"]
    assert len(version) == len("2021-07-16T00:36:57Z") and version.endswith("Z")  # [COMM]


def test_binary_media_types_with_the_apigateway_extension(c):
    api = c.apigateway.create_rest_api(name="binary", binaryMediaTypes=["image/png"])
    c.apigateway.put_method(restApiId=api["id"], resourceId=api["rootResourceId"],
                            httpMethod="GET", authorizationType="NONE")
    c.apigateway.put_integration(restApiId=api["id"], resourceId=api["rootResourceId"],
                                 httpMethod="GET", type="MOCK")
    c.apigateway.create_deployment(restApiId=api["id"], stageName="local")
    assert export(c, api["id"], stage="local")[
        "x-amazon-apigateway-binary-media-types"] == ["image/png"]  # [REC]


def test_an_imported_api_exports_what_was_imported(c):
    document = {
        "openapi": "3.0.1",
        "info": {"title": "imported", "version": "2.0.0", "description": "moto needs one"},
        VALIDATORS: {"params": {"validateRequestBody": False, "validateRequestParameters": True}},
        "paths": {"/jobs": {"post": {
            "parameters": [{"name": "InvocationType", "in": "header", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "200 response"}},
            VALIDATOR: "params",
            INTEGRATION: {
                "type": "mock",
                "requestParameters": {INVOCATION_TYPE_HEADER: CLIENT_INVOCATION_TYPE},
                "requestTemplates": {"application/json": '{"statusCode": 200}'},
                "responses": {"default": {"statusCode": "200"}},
                "passthroughBehavior": "when_no_match",
            },
        }}},
    }
    api = c.apigateway.import_rest_api(body=json.dumps(document))
    c.apigateway.create_deployment(restApiId=api["id"], stageName="local")
    exported = export(c, api["id"], stage="local")
    assert exported[VALIDATORS] == document[VALIDATORS]
    post = operation(exported, "/jobs", "post")
    assert (post["parameters"], post[VALIDATOR]) == (
        document["paths"]["/jobs"]["post"]["parameters"], "params")
    assert post[INTEGRATION] == document["paths"]["/jobs"]["post"][INTEGRATION]


def test_request_models_become_a_request_body(c):
    seeded = seed_rest_api(c, "jobs", [MethodSpec("/jobs", "POST", "mock")], stages=())
    c.apigateway.create_model(
        restApiId=seeded.api_id, name="Job", contentType="application/json",
        schema=json.dumps({"$schema": "http://json-schema.org/draft-04/schema#",
                           "type": "object", "required": ["id"]}))
    c.apigateway.update_method(
        restApiId=seeded.api_id, resourceId=seeded.resource_ids["/jobs"], httpMethod="POST",
        patchOperations=[{"op": "add", "path": "/requestModels/application~1json",
                          "value": "Job"}])
    c.apigateway.create_deployment(restApiId=seeded.api_id, stageName="prod")
    document = export(c, seeded.api_id)
    assert operation(document, "/jobs", "post")["requestBody"] == {  # [REC PETSTORE]
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}},
        "required": True,
    }
    assert document["components"]["schemas"]["Job"] == {"type": "object", "required": ["id"]}


def test_an_unknown_stage_is_a_404(c, orders, aws_error):
    aws_error(lambda: c.apigateway.get_export(restApiId=orders.api_id, stageName="nope",
                                              exportType="oas30"),
              404, "NotFoundException", "Invalid stage identifier specified")  # [UNVERIFIED]
    aws_error(lambda: c.apigateway.get_export(restApiId="nope", stageName="prod",
                                              exportType="oas30"),
              404, "NotFoundException", "Invalid stage identifier specified")


def test_an_unknown_export_type_is_a_400(c, orders, aws_error):
    aws_error(lambda: c.apigateway.get_export(restApiId=orders.api_id, stageName="prod",
                                              exportType="raml"),
              400, "BadRequestException", "No API exporter for type 'raml'")  # [UNVERIFIED]

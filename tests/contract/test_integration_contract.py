"""Contract tests for GetIntegration, PutIntegration and UpdateIntegration: cases C1-C6, I2."""

from __future__ import annotations

import json
from dataclasses import dataclass

import boto3
import pytest
from asyncgw_sandbox.seed import lambda_uri
from botocore.config import Config
from botocore.exceptions import ClientError

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:jobs"
INVOCATION_TYPE = "/requestParameters/integration.request.header.X-Amz-Invocation-Type"
CLIENT_HEADER = "method.request.header.InvocationType"


def mapping_error(expression, *, parameter=False):
    detail = (
        "Invalid mapping expression parameter specified"
        if parameter
        else ("Invalid mapping expression specified")
    )
    return (
        "Invalid mapping expression specified: Validation Result: warnings : [], "
        f"errors : [{detail}: {expression}]"
    )


@dataclass(frozen=True)
class Jobs:
    """`POST /jobs` with a Lambda non-proxy integration."""

    c: object
    api_id: str
    resource_id: str

    @property
    def address(self):
        return {"restApiId": self.api_id, "resourceId": self.resource_id, "httpMethod": "POST"}

    def update(self, operations):
        response = self.c.apigateway.update_integration(**self.address, patchOperations=operations)
        assert response.pop("ResponseMetadata")["HTTPStatusCode"] == 200
        return response

    def declare(self, key, required):
        self.c.apigateway.update_method(
            **self.address,
            patchOperations=[
                {"op": "add", "path": f"/requestParameters/{key}", "value": str(required).lower()}
            ],
        )


@pytest.fixture
def jobs(c):
    api = c.apigateway.create_rest_api(name="jobs")
    resource = c.apigateway.create_resource(
        restApiId=api["id"], parentId=api["rootResourceId"], pathPart="jobs"
    )
    target = Jobs(c, api["id"], resource["id"])
    c.apigateway.put_method(**target.address, authorizationType="NONE")
    c.apigateway.put_integration(
        **target.address,
        type="AWS",
        integrationHttpMethod="POST",
        uri=lambda_uri("us-east-1", FUNCTION_ARN),
    )
    return target


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no-api", "Invalid Resource identifier specified"),
        ("no-resource", "Invalid Resource identifier specified"),
        ("no-method", "Invalid Method identifier specified"),
        ("no-integration", "Invalid Integration identifier specified"),
    ],
)
def test_c1_get_integration_when_something_is_missing(jobs, aws_error, case, message):
    jobs.c.apigateway.put_method(**{**jobs.address, "httpMethod": "GET"}, authorizationType="NONE")
    address = {
        "no-api": {**jobs.address, "restApiId": "fake-api"},
        "no-resource": {**jobs.address, "resourceId": "fake-resource"},
        "no-method": {**jobs.address, "httpMethod": "PUT"},
        "no-integration": {**jobs.address, "httpMethod": "GET"},
    }[case]
    aws_error(
        lambda: jobs.c.apigateway.get_integration(**address), 404, "NotFoundException", message
    )


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no-api", "Invalid Resource identifier specified"),
        ("no-method", "Invalid Method identifier specified"),
        ("no-integration", "Invalid Integration identifier specified"),
    ],
)
def test_update_integration_when_something_is_missing(jobs, aws_error, case, message):
    # The same texts as GetIntegration [REC C1]; for UpdateIntegration [UNVERIFIED].
    jobs.c.apigateway.put_method(**{**jobs.address, "httpMethod": "GET"}, authorizationType="NONE")
    address = {
        "no-api": {**jobs.address, "restApiId": "fake-api"},
        "no-method": {**jobs.address, "httpMethod": "PUT"},
        "no-integration": {**jobs.address, "httpMethod": "GET"},
    }[case]
    aws_error(
        lambda: jobs.c.apigateway.update_integration(**address, patchOperations=[]),
        404,
        "NotFoundException",
        message,
    )


def test_c2_replace_connection_id_on_a_vpc_link_integration(c):
    api = c.apigateway.create_rest_api(name="vpc")
    address = {"restApiId": api["id"], "resourceId": api["rootResourceId"], "httpMethod": "GET"}
    c.apigateway.put_method(**address, authorizationType="NONE")
    c.apigateway.put_integration(
        **address,
        type="HTTP_PROXY",
        integrationHttpMethod="GET",
        uri="http://example.com/",
        connectionType="VPC_LINK",
        connectionId="${stageVariables.vpcLinkId}",
    )
    response = c.apigateway.update_integration(
        **address,
        patchOperations=[
            {"op": "replace", "path": "/connectionId", "value": "${stageVariables.vpcLinkIdBeta}"}
        ],
    )
    response.pop("ResponseMetadata")
    assert response == {
        "cacheKeyParameters": [],
        "connectionId": "${stageVariables.vpcLinkIdBeta}",
        "connectionType": "VPC_LINK",
        "httpMethod": "GET",
        "passthroughBehavior": "WHEN_NO_MATCH",
        "timeoutInMillis": 29000,
        "type": "HTTP_PROXY",
        "uri": "http://example.com/",
    }
    got = c.apigateway.get_integration(**address)
    assert got["connectionId"] == "${stageVariables.vpcLinkIdBeta}"


@pytest.mark.xfail(
    reason="moto accepts a boolean integration request parameter value instead of failing "
    "with AWS's SerializationException; botocore validation refuses it client-side anyway",
    strict=True,
)
def test_c3_boolean_integration_parameter_value_is_a_serialization_error(jobs, aws_error):
    raw = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    ).client("apigateway", config=Config(parameter_validation=False))
    aws_error(
        lambda: raw.put_integration(
            **jobs.address,
            type="HTTP_PROXY",
            integrationHttpMethod="GET",
            uri="http://example.com/",
            requestParameters={"integration.request.path.testPath": True},
        ),
        400,
        "SerializationException",
        "class java.lang.Boolean can not be converted to an String",
    )


def test_c3_boolean_key_in_method_parameters_is_an_invalid_mapping_expression(jobs, aws_error):
    # json.dumps writes the boolean key True as "true", which is what AWS saw [REC C3].
    aws_error(
        lambda: jobs.c.apigateway.put_method(
            **{**jobs.address, "httpMethod": "GET"},
            authorizationType="NONE",
            requestParameters=json.loads(json.dumps({True: True})),
        ),
        400,
        "BadRequestException",
        mapping_error("true"),
    )


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        pytest.param(
            FUNCTION_ARN, "AWS ARN for integration must contain path or action", id="lambda-uri"
        ),
        pytest.param(
            "bad-arn:lambda:path/2015-03-31/functions/x/invocations",
            "Invalid ARN specified in the request",
            id="wrong-arn",
        ),
        pytest.param(
            "arn:aws:apigateway:us-east-1:lambda:test/2015-03-31/functions/x/invocations",
            "AWS ARN for integration must contain path or action",
            id="wrong-type",
        ),
        pytest.param(
            "arn:aws:apigateway:us-east-1:firehose:path/2015-03-31/functions/x/invocations",
            "Integrations of type 'AWS_PROXY' currently only supports Lambda function and "
            "Firehose stream invocations.",
            id="wrong-firehose",
        ),
        pytest.param(
            "arn:aws:apigateway:us-east-1:lambda:path/random/value/x/invocations",
            "Integrations of type 'AWS_PROXY' currently only supports Lambda function and "
            "Firehose stream invocations.",
            id="bad-lambda-arn",
        ),
    ],
)
def test_c4_aws_proxy_with_a_malformed_uri(jobs, aws_error, uri, message):
    aws_error(
        lambda: jobs.c.apigateway.put_integration(
            **jobs.address, type="AWS_PROXY", integrationHttpMethod="POST", uri=uri
        ),
        400,
        "BadRequestException",
        message,
    )


def test_c5_event_mapping_keeps_its_quotes_after_an_import(c):
    document = {
        "openapi": "3.0.1",
        "info": {"title": "imported", "description": "C5", "version": "1"},
        "paths": {
            "/test": {
                "get": {
                    "responses": {"200": {"description": "ok"}},
                    "x-amazon-apigateway-integration": {
                        "type": "mock",
                        "requestParameters": {
                            "integration.request.header.X-Amz-Invocation-Type": "'Event'"
                        },
                        "requestTemplates": {"application/json": '{"statusCode": 200}'},
                        "responses": {"default": {"statusCode": "200"}},
                        "passthroughBehavior": "when_no_match",
                    },
                }
            }
        },
    }
    api = c.apigateway.import_rest_api(body=json.dumps(document))
    resources = c.apigateway.get_resources(restApiId=api["id"])["items"]
    resource_id = next(r["id"] for r in resources if r["path"] == "/test")
    integration = c.apigateway.get_integration(
        restApiId=api["id"], resourceId=resource_id, httpMethod="GET"
    )
    assert integration["requestParameters"] == {
        "integration.request.header.X-Amz-Invocation-Type": "'Event'"
    }
    assert (integration["type"], integration["passthroughBehavior"]) == ("MOCK", "WHEN_NO_MATCH")


def test_c6_add_request_template_next_to_header_mappings(c):
    api = c.apigateway.create_rest_api(name="s3")
    address = {"restApiId": api["id"], "resourceId": api["rootResourceId"], "httpMethod": "ANY"}
    c.apigateway.put_method(
        **address,
        authorizationType="NONE",
        requestParameters={
            "method.request.header.Content-Type": False,
            "method.request.path.object_path": True,
        },
    )
    mappings = {
        "integration.request.header.Content-Type": "method.request.header.Content-Type",
        "integration.request.path.object_path": "method.request.path.object_path",
    }
    c.apigateway.put_integration(
        **address,
        type="AWS",
        integrationHttpMethod="PUT",
        uri="arn:aws:apigateway:us-east-1:s3:path/bucket/{object_path}",
        credentials="arn:aws:iam::123456789012:role/s3-access",
        requestParameters=mappings,
    )
    template = '{"data": "$input.body"}'
    c.apigateway.update_integration(
        **address,
        patchOperations=[
            {"op": "add", "path": "/requestTemplates/application~1json", "value": template}
        ],
    )
    got = c.apigateway.get_integration(**address)
    assert got["requestTemplates"] == {"application/json": template}
    assert got["requestParameters"] == mappings
    assert (got["type"], got["passthroughBehavior"], got["timeoutInMillis"]) == (
        "AWS",
        "WHEN_NO_MATCH",
        29000,
    )


def test_i2_op_outside_the_enum_is_a_validation_exception(jobs, aws_error):
    aws_error(
        lambda: jobs.update([{"op": "wrong_op", "path": INVOCATION_TYPE, "value": "'Event'"}]),
        400,
        "ValidationException",
        "1 validation error detected: Value 'wrong_op' at "
        "'updateIntegrationInput.patchOperations.1.member.op' failed to satisfy constraint: "
        "Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    )


# The asyncgw recipe [DOC re:Post KC] and the mapping rules of reference section 1.3.


def test_static_event_mapping_is_stored_with_its_quotes_and_removed_cleanly(jobs):
    added = jobs.update([{"op": "add", "path": INVOCATION_TYPE, "value": "'Event'"}])
    assert added["requestParameters"] == {
        "integration.request.header.X-Amz-Invocation-Type": "'Event'"
    }
    assert (
        jobs.c.apigateway.get_integration(**jobs.address)["requestParameters"]
        == (added["requestParameters"])
    )
    removed = jobs.update([{"op": "remove", "path": INVOCATION_TYPE}])
    assert "requestParameters" not in removed


def test_unquoted_static_value_is_an_invalid_mapping_expression(jobs, aws_error):
    aws_error(
        lambda: jobs.update([{"op": "add", "path": INVOCATION_TYPE, "value": "Event"}]),
        400,
        "BadRequestException",
        mapping_error("Event"),
    )


def test_mapping_from_an_undeclared_method_header_is_refused(jobs, aws_error):
    aws_error(
        lambda: jobs.update([{"op": "add", "path": INVOCATION_TYPE, "value": CLIENT_HEADER}]),
        400,
        "BadRequestException",
        mapping_error(CLIENT_HEADER, parameter=True),
    )


def test_mapping_from_a_declared_method_header_is_accepted(jobs):
    jobs.declare(CLIENT_HEADER, required=True)
    response = jobs.update([{"op": "add", "path": INVOCATION_TYPE, "value": CLIENT_HEADER}])
    assert response["requestParameters"] == {
        "integration.request.header.X-Amz-Invocation-Type": CLIENT_HEADER
    }


@pytest.mark.parametrize(
    "source",
    [
        "context.requestId",
        "stageVariables.invocationType",
        "method.request.body",
        "method.request.body.mode",
        "method.request.multivalueheader.InvocationType",
    ],
)
def test_other_mapping_sources_are_accepted(jobs, source):
    jobs.declare(CLIENT_HEADER, required=False)
    response = jobs.update([{"op": "add", "path": INVOCATION_TYPE, "value": source}])
    assert response["requestParameters"]["integration.request.header.X-Amz-Invocation-Type"] == (
        source
    )


@pytest.mark.parametrize("op", ["remove", "replace"])
def test_unverified_missing_mapping_is_not_found(jobs, aws_error, op):
    aws_error(
        lambda: jobs.update([{"op": op, "path": INVOCATION_TYPE, "value": "'Event'"}]),
        404,
        "NotFoundException",
        "Invalid parameter name specified",
    )


def test_replace_switches_the_mapping_in_one_call(jobs):
    jobs.declare(CLIENT_HEADER, required=True)
    jobs.update([{"op": "add", "path": INVOCATION_TYPE, "value": "'Event'"}])
    response = jobs.update([{"op": "replace", "path": INVOCATION_TYPE, "value": CLIENT_HEADER}])
    assert response["requestParameters"] == {
        "integration.request.header.X-Amz-Invocation-Type": CLIENT_HEADER
    }


def test_other_mappings_and_templates_are_left_alone(jobs):
    jobs.update(
        [
            {"op": "add", "path": "/requestTemplates/application~1json", "value": "$input.body"},
            {
                "op": "add",
                "path": "/requestParameters/integration.request.header.X-Trace",
                "value": "context.requestId",
            },
        ]
    )
    response = jobs.update([{"op": "add", "path": INVOCATION_TYPE, "value": "'Event'"}])
    assert response["requestTemplates"] == {"application/json": "$input.body"}
    assert response["requestParameters"] == {
        "integration.request.header.X-Trace": "context.requestId",
        "integration.request.header.X-Amz-Invocation-Type": "'Event'",
    }


def test_replace_timeout_stores_an_integer(jobs, aws_error):
    assert (
        jobs.update([{"op": "replace", "path": "/timeoutInMillis", "value": "5000"}])[
            "timeoutInMillis"
        ]
        == 5000
    )
    aws_error(
        lambda: jobs.update([{"op": "add", "path": "/timeoutInMillis", "value": "5000"}]),
        400,
        "BadRequestException",
        "Invalid patch operation specified. Must be one of: [replace]",
    )


@pytest.mark.parametrize(
    "path",
    ["/passthroughBehavior", "/type", "/requestParameters", "/requestTemplates/application/json"],
)
def test_paths_the_sandbox_does_not_patch_are_invalid(jobs, aws_error, path):
    aws_error(
        lambda: jobs.update([{"op": "replace", "path": path, "value": "x"}]),
        400,
        "BadRequestException",
        f"Invalid patch path {path}",
    )


def test_a_failing_operation_leaves_the_integration_unchanged(jobs):
    with pytest.raises(ClientError):
        jobs.update(
            [
                {"op": "add", "path": INVOCATION_TYPE, "value": "'Event'"},
                {"op": "add", "path": INVOCATION_TYPE, "value": "Event"},
            ]
        )
    assert "requestParameters" not in jobs.c.apigateway.get_integration(**jobs.address)

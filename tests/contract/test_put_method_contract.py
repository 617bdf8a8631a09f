"""Contract tests for PutMethod and GetMethod: recorded AWS cases B1-B3."""

from __future__ import annotations

import pytest


@pytest.fixture
def api(c):
    created = c.apigateway.create_rest_api(name="put-method")
    return c, created["id"], created["rootResourceId"]


def test_b1_required_and_optional_parameters_come_back_as_booleans(api):
    c, api_id, root = api
    parameters = {
        "method.request.querystring.q_optional": False,
        "method.request.querystring.q_required": True,
        "method.request.header.h_optional": False,
        "method.request.header.h_required": True,
    }
    put = c.apigateway.put_method(
        restApiId=api_id,
        resourceId=root,
        httpMethod="ANY",
        authorizationType="NONE",
        requestParameters=parameters,
    )
    got = c.apigateway.get_method(restApiId=api_id, resourceId=root, httpMethod="ANY")
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert put["requestParameters"] == parameters
    assert got["requestParameters"] == parameters


def test_b2_one_name_in_two_locations_is_refused(api, aws_error):
    c, api_id, root = api
    aws_error(
        lambda: c.apigateway.put_method(
            restApiId=api_id,
            resourceId=root,
            httpMethod="ANY",
            authorizationType="NONE",
            requestParameters={
                "method.request.querystring.optional": False,
                "method.request.header.optional": False,
            },
        ),
        400,
        "BadRequestException",
        "Parameter names must be unique across querystring, header and path",
    )


def test_b3_unknown_validator_id_is_a_bad_request(api, aws_error):
    c, api_id, root = api
    aws_error(
        lambda: c.apigateway.put_method(
            restApiId=api_id,
            resourceId=root,
            httpMethod="ANY",
            authorizationType="NONE",
            requestValidatorId="fake-validator",
        ),
        400,
        "BadRequestException",
        "Invalid Request Validator identifier specified",
    )


def test_b3_wrong_method_lists_the_valid_verbs(api, aws_error):
    c, api_id, root = api
    aws_error(
        lambda: c.apigateway.put_method(
            restApiId=api_id, resourceId=root, httpMethod="WRONG", authorizationType="NONE"
        ),
        400,
        "BadRequestException",
        "Invalid HttpMethod specified. "
        "Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY",
    )


@pytest.mark.parametrize("target", ["wrong-api", "wrong-resource"])
def test_b3_unknown_api_or_resource(api, aws_error, target):
    c, api_id, root = api
    aws_error(
        lambda: c.apigateway.put_method(
            restApiId="fake-api" if target == "wrong-api" else api_id,
            resourceId="fake-resource" if target == "wrong-resource" else root,
            httpMethod="GET",
            authorizationType="NONE",
        ),
        404,
        "NotFoundException",
        "Invalid Resource identifier specified",
    )


@pytest.mark.parametrize("target", ["no-api", "no-resource", "no-method"])
def test_get_method_on_a_missing_target_answers_like_get_integration(api, aws_error, target):
    # GetMethod itself was not recorded; GetIntegration's texts are [REC C1].
    c, api_id, root = api
    aws_error(
        lambda: c.apigateway.get_method(
            restApiId="fake-api" if target == "no-api" else api_id,
            resourceId="fake-resource" if target == "no-resource" else root,
            httpMethod="GET",
        ),
        404,
        "NotFoundException",
        "Invalid Method identifier specified"
        if target == "no-method"
        else "Invalid Resource identifier specified",
    )

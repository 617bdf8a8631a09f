"""Contract tests for UpdateMethodResponse: recorded AWS cases I1 and I2 and their siblings."""

# [REC] api.snapshot TestApigatewayMethodResponse: test_update_method_response,
# test_update_method_response_wrong_operations, test_update_method_response_negative_tests,
# test_update_method_lack_response_parameters_and_models (30-06-2025 to 01-07-2025).

from __future__ import annotations

import pytest

HEADER = "/responseParameters/method.response.header.my-header"
MODEL = "/responseModels/application~1json"


@pytest.fixture
def address(root_any):
    c, api_id, root_id = root_any.c, root_any.api_id, root_any.root_id
    c.apigateway.put_integration(restApiId=api_id, resourceId=root_id, httpMethod="ANY",
                                 type="MOCK")
    c.apigateway.put_method_response(
        restApiId=api_id, resourceId=root_id, httpMethod="ANY", statusCode="200",
        responseParameters={"method.response.header.my-header": False},
        responseModels={"application/json": "Empty"})
    return c, {"restApiId": api_id, "resourceId": root_id, "httpMethod": "ANY",
               "statusCode": "200"}


def test_remove_then_add_answers_201_with_the_method_response(address):
    c, where = address
    removed = c.apigateway.update_method_response(**where, patchOperations=[
        {"op": "remove", "path": HEADER, "value": "true"},
        {"op": "remove", "path": MODEL, "value": "Empty"}])
    assert removed.pop("ResponseMetadata")["HTTPStatusCode"] == 201
    assert removed == {"statusCode": "200"}  # [REC remove-update-method-response]
    added = c.apigateway.update_method_response(**where, patchOperations=[
        {"op": "add", "path": HEADER, "value": "true"},
        {"op": "add", "path": MODEL, "value": "Empty"}])
    assert added.pop("ResponseMetadata")["HTTPStatusCode"] == 201
    assert added == {"statusCode": "200", "responseModels": {"application/json": "Empty"},
                     "responseParameters": {"method.response.header.my-header": True}}
    read = c.apigateway.get_method_response(**where)
    assert read["responseParameters"] == {"method.response.header.my-header": True}


def test_ops_outside_the_enum_are_counted(address):
    c, where = address
    with pytest.raises(c.apigateway.exceptions.ClientError) as caught:
        c.apigateway.update_method_response(**where, patchOperations=[
            {"op": "wrong_op", "path": HEADER, "value": "true"},
            {"op": "add", "path": HEADER, "value": "true"},
            {"op": "wrong_op", "path": MODEL, "value": "Empty"}])
    enum = "failed to satisfy constraint: Member must satisfy enum value set: " \
           "[add, remove, move, test, replace, copy]"
    assert caught.value.response["Error"] == {  # [REC update-method-response-wrong-operation-5]
        "Code": "ValidationException",
        "Message": "2 validation errors detected: Value 'wrong_op' at "
                   f"'updateMethodResponseInput.patchOperations.1.member.op' {enum}; Value "
                   f"'wrong_op' at 'updateMethodResponseInput.patchOperations.3.member.op' {enum}"}


def test_a_status_code_outside_the_pattern_is_reported_after_the_ops(address):
    c, where = address
    with pytest.raises(c.apigateway.exceptions.ClientError) as caught:
        c.apigateway.update_method_response(**{**where, "statusCode": "600"}, patchOperations=[
            {"op": "wrong_op", "path": HEADER, "value": "true"}])
    message = caught.value.response["Error"]["Message"]
    # [REC update-method-response-invalid-statuscode-and-wrong-op], with "wrong" there.
    assert message.startswith("2 validation errors detected: Value 'wrong_op' at ")
    assert message.endswith("; Value '600' at 'statusCode' failed to satisfy constraint: Member "
                            "must satisfy regular expression pattern: [1-5]\\d\\d")


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"statusCode": "201"}, 404, "Invalid Response status code specified"),
        ({"resourceId": "fake"}, 404, "Invalid Resource identifier specified"),
        ({"httpMethod": "GET"}, 404, "Invalid Method identifier specified"),
    ],
)
def test_missing_targets(address, aws_error, change, status, message):
    c, where = address  # [REC test_update_method_response_negative_tests]
    aws_error(lambda: c.apigateway.update_method_response(**{**where, **change}, patchOperations=[
        {"op": "add", "path": HEADER, "value": "true"}]), status, "NotFoundException", message)


@pytest.mark.parametrize(
    ("operation", "status", "code", "message"),
    [
        ({"op": "replace", "path": "/responseParameters/method.response.header.other",
          "value": "true"}, 404, "NotFoundException", "Invalid parameter name specified"),
        ({"op": "remove", "path": "/responseModels/text~1plain"}, 404, "NotFoundException",
         "Content-Type specified was not found"),
        ({"op": "remove", "path": "/wrong/method.response.header.my-header"}, 400,
         "BadRequestException", "Invalid patch path /wrong/method.response.header.my-header"),
    ],
)
def test_keys_that_are_not_there_and_wrong_paths(address, aws_error, operation, status, code,
                                                  message):
    c, where = address  # [REC I1]
    aws_error(lambda: c.apigateway.update_method_response(**where, patchOperations=[operation]),
              status, code, message)

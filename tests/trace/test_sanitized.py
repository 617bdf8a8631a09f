"""What the recorder writes of a value: secrets out by field name and inside text, the rest kept."""

from __future__ import annotations

from datetime import UTC, datetime

from asyncgw.aws.trace import REDACTED, sanitized

PRESIGNED = ("https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/snapshots/123456789012/"
             "orders-jobs-1a2b?versionId=abc&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr%2F&"
             "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261203T120000Z&"
             "X-Amz-SignedHeaders=host&X-Amz-Expires=600&"
             "X-Amz-Credential=ASIAQWERTYUIOPASDFGH%2F20261203%2Fus-east-1%2Fs3%2Faws4_request&"
             "X-Amz-Signature=0123456789abcdef")
LOG_HEADERS = ("Endpoint request headers: {x-amzn-lambda-integration-tag=1, Authorization=****"
               "****ab12cd, X-Amz-Date=20261203T120000Z, x-amzn-apigateway-api-id=a1b2c3d4e5, "
               "X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr [TRUNCATED]")
SIGNED = ("Authorization: AWS4-HMAC-SHA256 Credential=AKIAQWERTYUIOPASDFGH/20261203/us-east-1/"
          "apigateway/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcdef0123")


def test_presigned_url_keeps_the_location_and_loses_the_signature() -> None:
    text = sanitized({"Code": {"Location": PRESIGNED}})["Code"]["Location"]
    assert text.startswith("https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/"
                           "snapshots/123456789012/orders-jobs-1a2b?versionId=abc&")
    for gone in ("IQoJb3JpZ2lu", "X-Amz-", "ASIAQWERTY", "0123456789abcdef"):
        assert gone not in text


def test_signing_headers_quoted_in_text_are_taken_out() -> None:
    log = sanitized(LOG_HEADERS)
    assert "x-amzn-apigateway-api-id=a1b2c3d4e5" in log
    for gone in ("Authorization", "X-Amz-Date", "X-Amz-Security-Token", "IQoJ", "ab12cd"):
        assert gone not in log
    assert sanitized(SIGNED) == REDACTED


def test_secret_fields_are_redacted_by_name() -> None:
    answer = sanitized({
        "Credentials": {"AccessKeyId": "ASIA1", "SecretAccessKey": "s", "SessionToken": "t"},
        "headers": {"Authorization": "Bearer abc", "InvocationType": "DryRun"},
        "variables": {"dbPassword": "p", "apiKey": "k", "table": "orders"},
        "Token": "abc", "AccessKeyId": "AKIA2",
    })
    assert answer == {
        "Credentials": REDACTED,
        "headers": {"Authorization": REDACTED, "InvocationType": "DryRun"},
        "variables": {"dbPassword": REDACTED, "apiKey": REDACTED, "table": "orders"},
        "Token": REDACTED, "AccessKeyId": REDACTED,
    }


def test_settings_arns_and_paging_tokens_are_kept() -> None:
    method = {"authorizationType": "AWS_IAM", "apiKeyRequired": True, "apiKeySource": "HEADER",
              "ApiKeySelectionExpression": "$request.header.x-api-key",
              "AuthorizationScopes": ["read"], "NextToken": "page-2", "position": "p2",
              "methodIntegration": {"credentials": "arn:aws:iam::123456789012:role/invoke"}}
    assert sanitized(method) == method


def test_a_functions_environment_is_redacted_but_the_forwarders_own_variables() -> None:
    mine = {"Environment": {"Variables": {"DATABASE_URL": "postgres://u:pw@db", "MODE": "x"}}}
    assert sanitized(mine) == {"Environment": {"Variables": {"DATABASE_URL": REDACTED,
                                                             "MODE": "x"}}}
    forwarder = {"Environment": {"Variables": {
        "TARGET_FUNCTION_ARN": "arn:aws:lambda:us-east-1:123456789012:function:jobs",
        "MODE": "async"}}}
    assert sanitized(forwarder) == forwarder


def test_values_become_json() -> None:
    when = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    assert sanitized({"at": when, "zip": b"PK\x03\x04\xff", "text": b"{}", "n": (1, 2)}) == {
        "at": "2026-12-03T12:00:00+00:00", "zip": {"$base64": "UEsDBP8="},
        "text": {"$text": "{}"}, "n": [1, 2]}


def test_web_identity_and_saml_credentials_are_taken_out() -> None:
    # botocore's credential STS client is made from the traced session (OIDC in CI, IRSA).
    params = sanitized({"RoleArn": "arn:aws:iam::123456789012:role/ci",
                        "WebIdentityToken": "eyJhbGciOiJSUzI1NiJ9.payload.sig",
                        "SAMLAssertion": "PHNhbWw+", "TokenCode": "123456"})
    assert params == {"RoleArn": "arn:aws:iam::123456789012:role/ci",
                      "WebIdentityToken": REDACTED, "SAMLAssertion": REDACTED,
                      "TokenCode": REDACTED}


def test_an_exported_header_mapping_loses_its_static_secret() -> None:
    export = ('{"paths": {"/a": {"post": {"x-amazon-apigateway-integration": {'
              '"requestParameters": {"integration.request.header.Authorization": '
              '"\'Bearer sk_live_123\'", "integration.request.header.x-api-key": "\'k123\'", '
              '"integration.request.header.X-Amz-Invocation-Type": "\'Event\'"}}}}}}')
    text = sanitized({"body": export.encode()})["body"]["$text"]
    for gone in ("sk_live_123", "k123"):
        assert gone not in text
    assert "'Event'" in text and "X-Amz-Invocation-Type" in text


def test_an_authorization_value_with_a_space_is_taken_out_whole() -> None:
    text = sanitized("headers: {Authorization=Bearer abc.def, x-api-key=k123, Host=h}")
    assert "abc.def" not in text and "k123" not in text
    assert "Host=h" in text

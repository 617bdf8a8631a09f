"""Lambda's Invoke as an API Gateway integration calls it, without running the function's code."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

# arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations [DOC]
LAMBDA_URI = re.compile(
    r"^arn:[^:]+:apigateway:[^:]+:lambda:path/2015-03-31/functions/(?P<function>.+)/invocations$"
)
FUNCTION_ARN = re.compile(r"^arn:[^:]+:lambda:(?P<region>[^:]+):(?P<account>\d{12}):function:.+$")
INVOCATION_TYPES = {"RequestResponse": 200, "Event": 202, "DryRun": 204}  # [MODEL lambda Invoke]
# What the stand-in function answers a synchronous call with: moto runs function code only in
# docker, so the sandbox never runs it and every function answers the same.
ANSWER = {"message": "asyncgw sandbox: the function's code is not run"}


@dataclass(frozen=True)
class LambdaAnswer:
    """Lambda's HTTP answer to API Gateway; `error` is its error message when status >= 400."""

    status: int
    payload: str
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None


def function_arn(uri: str | None) -> str | None:
    """The function ARN (with any qualifier) a Lambda integration URI names, else None."""
    match = LAMBDA_URI.match(uri or "")
    return match.group("function") if match else None


def endpoint_url(region: str, arn: str) -> str:
    """The Lambda Invoke URL API Gateway sends the request to [COMM execution logs]."""
    return f"https://lambda.{region}.amazonaws.com/2015-03-31/functions/{arn}/invocations"


def invoke(arn: str, invocation_type: str, *, proxy: bool) -> LambdaAnswer:
    """What Lambda answers: 202 and no payload for Event, 204 for DryRun, 200 for RequestResponse.

    The function must exist in moto's Lambda backend of the account and Region its ARN names
    (404 otherwise). A synchronous call answers ANSWER, wrapped as a proxy response
    ({"statusCode", "headers", "body"}) when `proxy`, since the function's code is not run.
    """
    from moto.awslambda.exceptions import UnknownFunctionException
    from moto.awslambda.models import lambda_backends

    request_id = str(uuid.uuid4())
    match = FUNCTION_ARN.match(arn)
    try:
        if match is None:
            raise UnknownFunctionException(arn)
        lambda_backends[match.group("account")][match.group("region")].get_function(arn)
    except UnknownFunctionException:
        # Lambda's text [moto; UNVERIFIED for AWS]
        return _error(404, "ResourceNotFoundException", f"Function not found: {arn}", request_id)
    status = INVOCATION_TYPES.get(invocation_type)
    if status is None:
        # [UNVERIFIED] code and text: AWS may answer a ValidationException for an enum value
        return _error(400, "InvalidParameterValueException",
                      f"Unsupported invocation type: {invocation_type}", request_id)
    payload = "" if status != 200 else json.dumps(_proxied(ANSWER) if proxy else ANSWER)
    return LambdaAnswer(status, payload, _headers(request_id, payload))


def _proxied(answer: dict[str, str]) -> dict[str, object]:
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
            "body": json.dumps(answer)}


def _error(status: int, code: str, message: str, request_id: str) -> LambdaAnswer:
    payload = json.dumps({"Type": "User", "message": message})
    headers = {**_headers(request_id, payload), "x-amzn-ErrorType": code}
    return LambdaAnswer(status, payload, headers, error=message)


def _headers(request_id: str, payload: str) -> dict[str, str]:
    # The headers real execution logs show for Lambda's answer [COMM]; values are made up.
    return {
        "Date": datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT"),
        "Content-Type": "application/json",
        "Content-Length": str(len(payload.encode())),
        "Connection": "keep-alive",
        "x-amzn-RequestId": request_id,
    }

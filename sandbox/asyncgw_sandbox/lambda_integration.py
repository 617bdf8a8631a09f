"""TestInvokeMethod through a Lambda integration (AWS or AWS_PROXY): invocation type and answer."""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Mapping
from datetime import UTC, datetime

from asyncgw_sandbox.emulated_lambda import LambdaAnswer, endpoint_url, invoke
from asyncgw_sandbox.invoke_log import headers_line
from asyncgw_sandbox.invoke_request import MethodRequest
from asyncgw_sandbox.invoke_response import (
    Call,
    Outcome,
    configuration_error,
    gateway_error,
    respond,
    succeeded,
    template_for,
)
from asyncgw_sandbox.mapping_template import render

INVOCATION_TYPE_HEADER = "x-amz-invocation-type"
HEADER_TARGET = re.compile(r"^integration\.request\.header\.(.+)$", re.IGNORECASE)
STATIC_SOURCE = re.compile(r"^'(.*)'$", re.DOTALL)
METHOD_SOURCE = re.compile(
    r"^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.(.+)$")
SINGLE_VALUED = {"multivaluequerystring": "querystring", "multivalueheader": "header"}
PROXY_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}  # [DOC]
MALFORMED = "Malformed Lambda proxy response"  # [DOC KC malformed-502-api-gateway]


def run_lambda(call: Call, function_arn: str, *, proxy: bool) -> Outcome:
    """Send the integration request to Lambda, then map its answer to the method response."""
    mapped = _mapped_headers(call.integration.request_parameters, call.request)
    # Lambda reads X-Amz-Invocation-Type; without it the call is synchronous [MODEL lambda].
    invocation_type = next((v for k, v in mapped.items()
                            if k.lower() == INVOCATION_TYPE_HEADER), "RequestResponse")
    body = _proxy_event(call) if proxy else _request_body(call)
    if isinstance(body, Outcome):
        return body
    url = endpoint_url(call.region, function_arn)
    call.log.add(f"Endpoint request URI: {url}")
    call.log.add(f"Endpoint request headers: {headers_line(_endpoint_headers(call, mapped))}")
    call.log.add(f"Endpoint request body after transformations: {body}")
    call.log.add(f"Sending request to {url}")
    started = time.monotonic()
    answer = invoke(function_arn, invocation_type, proxy=proxy)
    latency = round((time.monotonic() - started) * 1000)
    call.log.add(f"Received response. Status: {answer.status}, Integration latency: {latency} ms")
    call.log.add(f"Endpoint response headers: {headers_line(answer.headers)}")
    call.log.add(f"Endpoint response body before transformations: {answer.payload}")
    if answer.error is not None:
        call.log.add(f"Lambda invocation failed with status: {answer.status}. Lambda request "
                     f"id: {answer.headers.get('x-amzn-RequestId')}")  # [COMM]
        return configuration_error(call, answer.error)  # the detail's wording is [UNVERIFIED]
    if proxy:
        return _proxy_answer(call, answer)
    # The function did not fail, so no selectionPattern can match: the default integration
    # response applies whatever Lambda's status (202 for Event, 204 for DryRun) [MODEL].
    return respond(call, answer.payload, None, answer.status)


def mapped_value(source: str, request: MethodRequest) -> str | None:
    """The value an integration request parameter mapping yields for this request, if any."""
    static = STATIC_SOURCE.match(source)
    if static:
        return static.group(1)  # the quotes are not part of the value [MODEL requestParameters]
    method = METHOD_SOURCE.match(source)
    if method:
        return request.parameter(SINGLE_VALUED.get(method.group(1), method.group(1)),
                                 method.group(2))
    if source.startswith("stageVariables."):
        return request.stage_variables.get(source.removeprefix("stageVariables."))
    return None  # body and context sources are not emulated [UNVERIFIED]


def _mapped_headers(parameters: Mapping[str, str], request: MethodRequest) -> dict[str, str]:
    headers = {}
    for key, source in parameters.items():
        target = HEADER_TARGET.match(key)
        value = mapped_value(source, request) if target else None
        if target and value is not None:  # a source without a value sends no header [DOC]
            headers[target.group(1)] = value
    return headers


def _request_body(call: Call) -> str | Outcome:
    integration, request = call.integration, call.request
    template = template_for(integration.request_templates, request.header("Content-Type"))
    if template is not None:
        return render(template, request, call.resource.path, request.body).body
    behaviour = (integration.passthrough_behavior or "WHEN_NO_MATCH").upper()
    if behaviour == "NEVER" or (behaviour == "WHEN_NO_TEMPLATES" and
                                integration.request_templates):
        # [DOC integration-passthrough-behaviors]; the log line is [UNVERIFIED]
        call.log.add("Execution failed due to client error: Unsupported Media Type")
        return gateway_error(415, "UnsupportedMediaTypeException", "Unsupported Media Type")
    return request.body


def _proxy_event(call: Call) -> str:
    # The main fields of the Lambda proxy input [DOC set-up-lambda-proxy-integrations].
    request = call.request
    return json.dumps({
        "resource": call.resource.path,
        "path": request.path,
        "httpMethod": request.verb,
        "headers": dict(request.headers) or None,
        "queryStringParameters": dict(request.query) or None,
        "pathParameters": dict(request.path_parameters) or None,
        "stageVariables": dict(request.stage_variables) or None,
        "requestContext": {"requestId": request.request_id, "stage": "test-invoke-stage",
                           "resourcePath": call.resource.path, "httpMethod": request.verb,
                           "apiId": call.snapshot.api_id, "accountId": call.account_id},
        "body": request.body or None,
        "isBase64Encoded": False,
    })


def _proxy_answer(call: Call, answer: LambdaAnswer) -> Outcome:
    try:
        document = json.loads(answer.payload)
    except ValueError:
        document = None
    if (not isinstance(document, dict) or not set(document) <= PROXY_KEYS
            or not isinstance(document.get("statusCode"), int)):
        # An empty payload (Event, DryRun) is malformed too: 502 [REC G2; UNVERIFIED for Event].
        return configuration_error(call, MALFORMED, status=502)
    headers = {str(k): str(v) for k, v in (document.get("headers") or {}).items()}
    body = document.get("body")
    return succeeded(call, Outcome(document["statusCode"], "" if body is None else str(body),
                                   headers))


def _endpoint_headers(call: Call, mapped: Mapping[str, str]) -> dict[str, str]:
    # The headers real execution logs show API Gateway sending to Lambda, with made-up values
    # [COMM brefphp/bref#534]. The masked credentials are long, so the line is cut before the
    # mapped headers such as X-Amz-Invocation-Type; no stored AWS log shows that header
    # [UNVERIFIED whether AWS would].
    api, request = call.snapshot.api_id, call.request
    return {
        "x-amzn-lambda-integration-tag": request.request_id,
        "Authorization": "*" * 400 + secrets.token_hex(3),
        "X-Amz-Date": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        "x-amzn-apigateway-api-id": api,
        "X-Amz-Source-Arn": f"arn:aws:execute-api:{call.region}:{call.account_id}:{api}/"
                            f"test-invoke-stage/{request.verb}{call.resource.path}",
        "Accept": "application/json",
        "User-Agent": f"AmazonAPIGateway_{api}",
        "X-Amz-Security-Token": secrets.token_urlsafe(300),
        **mapped,
    }

"""TestInvokeMethod: one simulated request through a method's current, undeployed configuration."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import Any

from asyncgw_sandbox.deployment_snapshot import take_snapshot
from asyncgw_sandbox.emulated_lambda import function_arn
from asyncgw_sandbox.invoke_log import ExecutionLog, headers_line, java_map
from asyncgw_sandbox.invoke_request import missing_parameters, read_request
from asyncgw_sandbox.invoke_response import (
    Call,
    Outcome,
    configuration_error,
    gateway_error,
    respond,
    template_for,
)
from asyncgw_sandbox.lambda_integration import run_lambda
from asyncgw_sandbox.mapping_template import render, status_from_mock_template
from asyncgw_sandbox.targets import find_method

STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([^}]+)\}")


def test_invoke_method(
    self: Any, function_id: str, resource_id: str, method_type: str, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """TestInvokeMethod, bound to moto's APIGatewayBackend: the TestInvokeMethodResponse fields."""
    find_method(self, function_id, resource_id, method_type)  # AWS's 404s [REC F2]
    started = time.monotonic()
    # The current configuration, not a stage's: the recorded call ran on an API never
    # deployed [REC F1].
    snapshot = take_snapshot(self.apis[function_id])
    resource = snapshot.resource(resource_id)
    assert resource is not None
    request = read_request(resource.path, method_type, fields)
    call = Call(snapshot, resource, resource.methods[method_type], request,
                ExecutionLog(request.request_id), self.account_id, self.region_name)
    _log_method_request(call)
    outcome = _execute(call)
    call.log.add(f"Method completed with status: {outcome.status}")
    return {
        "status": outcome.status,
        "body": outcome.body,
        "headers": dict(outcome.headers),
        "multiValueHeaders": {name: [value] for name, value in outcome.headers.items()},
        "log": call.log.text(),
        "latency": max(1, round((time.monotonic() - started) * 1000)),
    }


def _log_method_request(call: Call) -> None:
    request = call.request
    call.log.add(f"Starting execution for request: {request.request_id}")
    call.log.add(f"HTTP Method: {request.verb}, Resource Path: {request.path}")
    call.log.add(f"Method request path: {java_map(request.path_parameters)}")
    call.log.add(f"Method request query string: {java_map(request.query)}")
    call.log.add(f"Method request headers: {headers_line(request.headers)}")
    call.log.add(f"Method request body before transformations: {request.body}")


def _execute(call: Call) -> Outcome:
    refused = _validate(call)
    if refused is not None:
        return refused
    integration = call.method.integration
    if integration is None:
        return configuration_error(call, "No integration defined for method")  # [UNVERIFIED]
    if integration.type == "MOCK":
        return _mock(call)
    uri = STAGE_VARIABLE.sub(lambda m: call.request.stage_variables.get(m.group(1), m.group(0)),
                             integration.uri or "")
    target = function_arn(uri) if integration.type in ("AWS", "AWS_PROXY") else None
    if target is None or "${" in target:
        # HTTP, HTTP_PROXY and AWS service integrations are not emulated: they fail as an
        # unusable endpoint does [REC F3].
        return configuration_error(call, "Invalid endpoint address")
    return run_lambda(call, target, proxy=integration.type == "AWS_PROXY")


def _validate(call: Call) -> Outcome | None:
    # Whether TestInvokeMethod applies the request validator is [UNVERIFIED] (LocalStack does);
    # the sandbox checks required parameters only, not the body against its model.
    validator = call.snapshot.validator(call.method.request_validator_id)
    if validator is None or not validator.validate_request_parameters:
        return None
    missing = missing_parameters(call.method, call.request)
    if not missing:
        return None
    # The client's message [DOC api-gateway-request-validation]; the log line is [UNVERIFIED].
    message = f"Missing required request parameters: [{', '.join(missing)}]"
    call.log.add(f"Request validation failed for request {call.request.request_id}: {message}")
    return gateway_error(400, "BadRequestException", message)


def _mock(call: Call) -> Outcome:
    request = call.request
    template = template_for(call.integration.request_templates, request.header("Content-Type"))
    rendered = render(template, request, call.resource.path, request.body) if template else None
    # A MOCK answers the statusCode its request template asks for; 200 without one [UNVERIFIED].
    status = (status_from_mock_template(rendered.body) if rendered else None) or 200
    return respond(call, "", str(status), status)

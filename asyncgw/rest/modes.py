"""The recipe as data: what each mode requires of a method, and which mode a method is in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from asyncgw.core.modes import INTEGRATION_TYPES, Mode
from asyncgw.rest.snapshot import ApiSnapshot, Integration, Method, Validator

INVOCATION_TYPE_MAPPING = "integration.request.header.X-Amz-Invocation-Type"
"""Integration request header that Lambda reads as its InvocationType."""

SELECTOR_PARAMETER = "method.request.header.InvocationType"
"""Method request header through which callers choose, in switchable mode."""

EVENT = "'Event'"
"""Static mapping value: single quotes are part of the stored string [REC C5]."""

REQUEST_RESPONSE = "'RequestResponse'"

PARAMETERS_VALIDATOR_NAME = "Validate query string parameters and headers"
BOTH_VALIDATOR_NAME = "Validate body, query string parameters, and headers"
"""The console's names for the validators switchable mode needs [DOC request-validation]."""

_LAMBDA_URI = re.compile(
    r":lambda:path/[^/]+/functions/(?P<function>.+)/(?P<action>response-streaming-invocations"
    r"|invocations)$")
"""Lambda's Invoke, and InvokeWithResponseStream for a proxy that streams [DOC
response-streaming]."""

OPTIONAL_HEADER_INFO = (
    "InvocationType header is optional: calls without it run synchronously (sync unless "
    "InvocationType: Event)")
"""What status says of the --optional-header form: information, not a half-done method."""

STREAMING_REASON = (
    "Lambda proxy integration that streams its response (responseTransferMode STREAM): "
    "an asynchronous call has no response to stream")


@dataclass(frozen=True)
class Assessment:
    """The mode a method is in, why it cannot change (if so), and what is half-done."""

    mode: Mode
    reason: str | None = None
    warnings: tuple[str, ...] = ()
    info: tuple[str, ...] = ()
    """What callers get, when it is a deliberate choice rather than a gap (the optional header)."""


def lambda_function(integration: Integration | None) -> str | None:
    """The function ARN (or name, or stage-variable expression) an integration invokes."""
    if integration is None or integration.uri is None:
        return None
    match = _LAMBDA_URI.search(integration.uri)
    return match.group("function") if match else None


def streams(integration: Integration | None) -> bool:
    """True for an integration that streams the function's response to the caller."""
    if integration is None:
        return False
    match = _LAMBDA_URI.search(integration.uri or "")
    return integration.response_transfer_mode == "STREAM" or bool(
        match and match.group("action") == "response-streaming-invocations")


def proxy_lambda(method: Method) -> bool:
    """True for a Lambda proxy (AWS_PROXY) integration, which only a conversion makes async."""
    integration = method.integration
    return (integration is not None and integration.type == "AWS_PROXY"
            and lambda_function(integration) is not None)


def ineligibility(method: Method, convert_proxy: bool = False) -> str | None:
    """Why a method cannot be made async, or None when it can (proxies only if converted)."""
    integration = method.integration
    if integration is None:
        return "no integration"
    function = lambda_function(integration)
    if proxy_lambda(method) and streams(integration):
        return STREAMING_REASON
    if proxy_lambda(method):
        return None if convert_proxy else (
            "Lambda proxy integration: API Gateway needs the function's response, "
            "so it cannot invoke it asynchronously; --convert-proxy makes it a non-proxy "
            "integration that rebuilds the proxy event"
        )
    if integration.type not in INTEGRATION_TYPES:
        return f"unknown integration type {integration.type}"
    if integration.type != "AWS" or function is None:
        return f"{integration.type} integration, not a Lambda function"
    return None


def rejects_missing_header(method: Method, snapshot: ApiSnapshot) -> bool:
    """True when calls without InvocationType get 400: the header required and validated."""
    return bool(method.request_parameters.get(SELECTOR_PARAMETER)) and validates_parameters(
        snapshot.validator(method.request_validator_id))


def validates_parameters(validator: Validator | None) -> bool:
    """True when the validator rejects calls that lack a required header."""
    return validator is not None and validator.validate_request_parameters


def assess(method: Method, snapshot: ApiSnapshot) -> Assessment:
    """Classify a method into a mode, with warnings for half-configured ones."""
    reason = ineligibility(method)
    if reason is not None:
        return Assessment(Mode.NOT_ELIGIBLE, reason)
    assert method.integration is not None
    mapping = method.integration.request_parameters.get(INVOCATION_TYPE_MAPPING)
    declared = method.request_parameters.get(SELECTOR_PARAMETER)
    validator = snapshot.validator(method.request_validator_id)
    if mapping == EVENT:
        return Assessment(Mode.ASYNC)
    if mapping is None or mapping == REQUEST_RESPONSE:
        warnings: tuple[str, ...] = ()
        if declared:
            warnings = ("InvocationType header is required but not mapped: callers must send it "
                        "and it has no effect",)
        return Assessment(Mode.SYNC, warnings=warnings)
    if mapping == SELECTOR_PARAMETER and declared is False:
        return Assessment(Mode.SWITCHABLE, info=(OPTIONAL_HEADER_INFO,))
    if mapping.startswith("method.request."):
        return Assessment(Mode.SWITCHABLE, warnings=_switchable_gaps(mapping, declared, validator))
    return Assessment(
        Mode.SYNC,
        warnings=(f"X-Amz-Invocation-Type is mapped from {mapping}, which Lambda treats as "
                  "neither Event nor RequestResponse",),
    )


def _switchable_gaps(
    mapping: str, declared: bool | None, validator: Validator | None
) -> tuple[str, ...]:
    if mapping != SELECTOR_PARAMETER:
        return (f"invocation type is chosen by {mapping}, not the InvocationType header",)
    gaps = []
    if declared is None:
        gaps.append("InvocationType header is not declared: calls without it run synchronously")
    if not validates_parameters(validator):
        gaps.append("no validator checks headers: calls without InvocationType run synchronously")
    return tuple(gaps)

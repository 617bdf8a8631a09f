"""TestInvokeMethod's answer: integration response selection, mapping, and the error answers."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from asyncgw_sandbox.deployment_snapshot import (
    ApiSnapshot,
    IntegrationCopy,
    IntegrationResponseCopy,
    MethodCopy,
    ResourceCopy,
)
from asyncgw_sandbox.invoke_log import ExecutionLog, headers_line
from asyncgw_sandbox.invoke_request import MethodRequest
from asyncgw_sandbox.mapping_template import Rendered, render

STATIC_VALUE = re.compile(r"^'(.*)'$", re.DOTALL)
RESPONSE_HEADER = re.compile(r"^method\.response\.header\.(.+)$")
DEFAULT_CONTENT_TYPE = "application/json"


@dataclass(frozen=True)
class Call:
    """One TestInvokeMethod call: what it runs against, what it was sent, where it logs."""

    snapshot: ApiSnapshot  # the API's current configuration
    resource: ResourceCopy
    method: MethodCopy
    request: MethodRequest
    log: ExecutionLog
    account_id: str
    region: str

    @property
    def integration(self) -> IntegrationCopy:
        """The method's integration; callers check there is one first."""
        assert self.method.integration is not None
        return self.method.integration


@dataclass(frozen=True)
class Outcome:
    """What the simulated client receives."""

    status: int
    body: str
    headers: Mapping[str, str] = field(default_factory=dict)


def gateway_error(status: int, error_type: str, message: str) -> Outcome:
    """An answer API Gateway makes itself: its default gateway response body and error type."""
    # The default template is {"message":$context.error.messageString} [DOC gateway responses];
    # the 500 is [REC F3].
    return Outcome(status, '{"message":' + json.dumps(message) + "}",
                   {"x-amzn-ErrorType": error_type})


def configuration_error(call: Call, detail: str, status: int = 500) -> Outcome:
    """A failure of the method's setup: 500 Internal server error and the reason in the log."""
    call.log.add(f"Execution failed due to configuration error: {detail}")  # [REC F3]
    return gateway_error(status, "InternalServerErrorException", "Internal server error")


def respond(call: Call, payload: str, selector: str | None, endpoint_status: int) -> Outcome:
    """Map a non-proxy integration's answer through the integration response it selects.

    `selector` is what selectionPattern is matched against: the endpoint status for MOCK and
    HTTP, the function error for Lambda (None when the function did not fail) [MODEL
    IntegrationResponse.selectionPattern].
    """
    chosen = _select(call.integration.responses, selector)
    if chosen is None:
        # [COMM: a frequent real log line; UNVERIFIED wording]
        return configuration_error(call, "No match for output mapping and no default output "
                                   f"mapping configured. Endpoint Response Status Code: "
                                   f"{endpoint_status}")
    if not any(r.status_code == chosen.status_code for r in call.method.responses):
        return configuration_error(  # [DOC KC api-gateway-internal-server-error]
            call, f"Output mapping refers to an invalid method response: {chosen.status_code}")
    template = _template(chosen.response_templates)
    rendered = (Rendered(body=payload) if template is None
                else render(template, call.request, call.resource.path, payload))
    headers = {"Content-Type": DEFAULT_CONTENT_TYPE}  # [REC F1]
    headers.update(_static_headers(chosen.response_parameters))
    headers.update(rendered.headers)
    return succeeded(call, Outcome(rendered.status or int(chosen.status_code), rendered.body,
                                   headers))


def succeeded(call: Call, outcome: Outcome) -> Outcome:
    """Log the method response lines of a completed execution [REC F1]."""
    call.log.add(f"Method response body after transformations: {outcome.body}")
    call.log.add(f"Method response headers: {headers_line(outcome.headers)}")
    call.log.add("Successfully completed execution")
    return outcome


def template_for(templates: Mapping[str, str | None], content_type: str | None) -> str | None:
    """The template for a content type (application/json when none is given), if there is one."""
    wanted = (content_type or DEFAULT_CONTENT_TYPE).split(";")[0].strip().lower()
    return next((t or "" for k, t in templates.items() if k.lower() == wanted), None)


def _select(responses: tuple[IntegrationResponseCopy, ...],
            selector: str | None) -> IntegrationResponseCopy | None:
    if selector is not None:
        for response in responses:
            if response.selection_pattern and re.fullmatch(response.selection_pattern, selector):
                return response
    return next((r for r in responses if not r.selection_pattern), None)


def _template(templates: Mapping[str, str | None]) -> str | None:
    # The response template is chosen by the method response's content type; the sandbox takes
    # application/json, else the first one [UNVERIFIED: AWS follows the client's Accept header].
    if not templates:
        return None
    chosen = template_for(templates, DEFAULT_CONTENT_TYPE)
    return chosen if chosen is not None else next(iter(templates.values())) or ""


def _static_headers(parameters: Mapping[str, str]) -> dict[str, str]:
    # Static values only; integration.response.* sources are not emulated [UNVERIFIED].
    headers = {}
    for key, source in parameters.items():
        name, value = RESPONSE_HEADER.match(key), STATIC_VALUE.match(source or "")
        if name and value:
            headers[name.group(1)] = value.group(1)
    return headers

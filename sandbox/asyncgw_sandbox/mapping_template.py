"""A deliberately small subset of API Gateway's mapping templates (VTL) for TestInvokeMethod."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from asyncgw_sandbox.invoke_request import MethodRequest

# What is rendered: #set($context.responseOverride.status = N) and .header.NAME = "v"
# [DOC apigateway-override-request-response-parameters; REC G1 for the status], and the
# references $input.body, $input.json('$'), $input.params('x'), $context.requestId,
# $context.httpMethod, $context.resourcePath, $context.stage and $stageVariables.x. Any other
# VTL (#if, #foreach, $util, JSONPath beyond '$') is passed through as text [UNVERIFIED: AWS
# would evaluate it]; the sandbox does not run a Velocity engine.
OVERRIDE = re.compile(
    r"^[ \t]*#set\(\s*\$context\.responseOverride\.(status|header\.([\w-]+))\s*=\s*"
    r"(?:\"([^\"]*)\"|'([^']*)'|(\d+))\s*\)[ \t]*\r?\n?",
    re.MULTILINE,
)
TOKEN = re.compile(
    r"\$input\.json\((['\"])\$\1\)"  # $input.json('$')
    r"|\$\{?input\.params\('([^']*)'\)\}?"  # $input.params('name')
    r"|\$\{([\w.]+)\}|\$([A-Za-z]\w*(?:\.[A-Za-z]\w*)*)"  # ${a.b} or $a.b
)
TEST_STAGE = "test-invoke-stage"  # the $context.stage TestInvokeMethod runs in [COMM]


@dataclass
class Rendered:
    """A template's output and the response overrides it set."""

    body: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


def render(template: str, request: MethodRequest, resource_path: str, body: str) -> Rendered:
    """Render `template`; `body` is what $input reads (the request or the endpoint response)."""
    rendered = Rendered(body="")

    def override(match: re.Match[str]) -> str:
        value = next(v for v in match.group(3, 4, 5) if v is not None)
        if match.group(1) == "status":
            rendered.status = int(value) if value.isdigit() else rendered.status
        else:
            rendered.headers[match.group(2)] = value
        return ""

    values = _references(request, resource_path, body)

    def reference(match: re.Match[str]) -> str:
        if match.group(1):
            return body or "{}"  # an empty body reads as {} [UNVERIFIED for $input.json]
        if match.group(2) is not None:
            return _param(request, match.group(2))
        return values.get(match.group(3) or match.group(4), match.group(0))

    rendered.body = TOKEN.sub(reference, OVERRIDE.sub(override, template))
    return rendered


def _param(request: MethodRequest, name: str) -> str:
    # $input.params('x') searches path, query string, then headers [DOC mapping template
    # reference]; a missing one prints as "" [REC F1: {"petId": ""} for a path that did not match].
    for location in ("path", "querystring", "header"):
        value = request.parameter(location, name)
        if value is not None:
            return value
    return ""


def _references(request: MethodRequest, resource_path: str, body: str) -> Mapping[str, str]:
    values = {
        "input.body": body or "{}",  # [REC LocalStack test_input_body_formatting]
        "context.requestId": request.request_id,
        "context.httpMethod": request.verb,
        "context.resourcePath": resource_path,
        "context.stage": TEST_STAGE,
    }
    values.update({f"stageVariables.{k}": v for k, v in request.stage_variables.items()})
    return values


def status_from_mock_template(rendered: str) -> int | None:
    """The statusCode a MOCK integration's request template asks for, if it is JSON with one."""
    try:
        document = json.loads(rendered)
    except ValueError:
        return None
    status = document.get("statusCode") if isinstance(document, dict) else None
    return int(status) if isinstance(status, int | str) and str(status).isdigit() else None

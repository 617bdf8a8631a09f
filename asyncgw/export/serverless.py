"""The Serverless Framework export: `functions:` http events, plus `resources:` for switchable."""

from __future__ import annotations

import re

from asyncgw.core.modes import Mode, function_name
from asyncgw.export import notes
from asyncgw.export.naming import pascal
from asyncgw.export.spec import ExportSpec, MethodState, ValidatorState
from asyncgw.export.yaml_text import Commented, Node, Tag, dump
from asyncgw.rest.modes import SELECTOR_PARAMETER

REST_API = "ApiGatewayRestApi"  # the logical id Serverless gives the REST API it creates
_SOURCES = {"path": "paths", "querystring": "querystrings", "header": "headers"}


def document(spec: ExportSpec) -> dict[str, Node]:
    """`functions:` (and for switchable `resources:`) as data."""
    events: dict[str, list[Node]] = {}
    for method in spec.methods:
        events.setdefault(function_name(method.function), []).append(
            Commented({"http": _event(method, spec.mode)}, _event_notes(method)))
    doc: dict[str, Node] = {"functions": {
        key: Commented({"events": listed},
                       [f"the function deployed as {key}: use its key in your file"])
        for key, listed in events.items()
    }}
    if spec.mode is Mode.SWITCHABLE:
        doc["resources"] = {"Resources": _switchable_resources(spec)}
    return doc


def render(spec: ExportSpec) -> str:
    """The fragment as YAML, to merge into serverless.yml."""
    lines = [
        *notes.header(spec, "serverless.yml fragment", responses=False),
        *_mode_notes(spec.mode),
        *notes.redeploy_note(
            "  `serverless deploy` creates a new deployment on every deploy."),
    ]
    return dump(document(spec), lines)


def method_logical_id(method: MethodState) -> str:
    """The logical id Serverless gives the AWS::ApiGateway::Method of an http event."""
    return "ApiGatewayMethod" + "".join(
        _path_part(part) for part in method.path.split("/") if part
    ) + method.http_method.capitalize()


def _path_part(part: str) -> str:
    # Serverless's own convention: lower-case after the first letter, '-' spelled Dash,
    # '{name}' becomes NameVar, other punctuation dropped.
    text = part[:1].upper() + part[1:].lower()
    text = text.replace("-", "Dash")
    text = re.sub(r"\{(.*)\}", r"\1Var", text)
    text = re.sub(r"[^0-9A-Za-z]", "", text)
    return text[:1].upper() + text[1:]


def _mode_notes(mode: Mode) -> list[str]:
    if mode is Mode.ASYNC:
        return ["`async: true` (with `integration: lambda`) makes Serverless map "
                "X-Amz-Invocation-Type from 'Event'."]
    if mode is Mode.SWITCHABLE:
        return [
            "Serverless has no switchable helper: the InvocationType header is declared below,",
            "and resources.Resources adds the validator and the mapping; Serverless deep-merges",
            "entries under the logical ids it generates (check them with `serverless package`).",
        ]
    return ["Synchronous: remove `async: true`, the InvocationType header and any "
            "resources entries that map X-Amz-Invocation-Type."]


def _event_notes(method: MethodState) -> list[str]:
    lines = notes.change_lines(method)
    if method.validator is not None and not method.changed(notes.VALIDATOR):
        lines.append(f"validator {method.validator.name!r} stays attached")
    if method.request_templates:
        lines.append("request templates are left as they are")
    return lines


def _event(method: MethodState, mode: Mode) -> dict[str, Node]:
    event: dict[str, Node] = {
        "path": method.path.strip("/") or "/",
        "method": "any" if method.http_method == "ANY" else method.http_method.lower(),
        "integration": "lambda",
    }
    if mode is Mode.ASYNC:
        event["async"] = Commented(True, notes.field_note("always asynchronous"))
    parameters: dict[str, dict[str, Node]] = {}
    for key, required in method.request_parameters.items():
        _, _, source, name = key.split(".", 3)
        value: Node = required
        if key == SELECTOR_PARAMETER and method.changed(notes.METHOD_PARAMETERS):
            value = Commented(required, notes.field_note("callers choose with this header"))
        parameters.setdefault(_SOURCES.get(source, source), {})[name] = value
    if parameters:
        event["request"] = {"parameters": dict(parameters)}
    return event


def _switchable_resources(spec: ExportSpec) -> dict[str, Node]:
    resources: dict[str, Node] = {}
    ids: dict[str, str] = {}
    for validator in spec.validators:
        ids[validator.name] = (pascal(validator.name) or "Request") + "Validator"
        resources[ids[validator.name]] = _validator(validator)
    for method in spec.methods:
        properties: dict[str, Node] = {
            "Integration": {"RequestParameters": dict(method.integration_request_parameters)},
        }
        if method.validator is not None:
            properties["RequestValidatorId"] = Tag("Ref", ids[method.validator.name])
        resources[method_logical_id(method)] = Commented(
            {"Properties": properties},
            notes.field_note(f"{method.key}: validator and X-Amz-Invocation-Type mapping"))
    return resources


def _validator(validator: ValidatorState) -> Node:
    comment = (notes.field_note("new request validator") if validator.is_new
               else [f"the existing validator {validator.existing_id}: Ref yours if "
                     "the stack already defines it"])
    return Commented({
        "Type": "AWS::ApiGateway::RequestValidator",
        "Properties": {
            "RestApiId": Tag("Ref", REST_API),
            "Name": validator.name,
            "ValidateRequestBody": validator.validate_request_body,
            "ValidateRequestParameters": validator.validate_request_parameters,
        },
    }, comment)

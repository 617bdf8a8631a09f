"""The OpenAPI export: a SAM `DefinitionBody` / PutRestApi document with API Gateway extensions."""

from __future__ import annotations

from asyncgw.export import notes
from asyncgw.export.spec import ExportSpec, MethodState
from asyncgw.export.yaml_text import Commented, Node, dump

VALIDATORS = "x-amazon-apigateway-request-validators"
VALIDATOR = "x-amazon-apigateway-request-validator"
INTEGRATION = "x-amazon-apigateway-integration"
ANY = "x-amazon-apigateway-any-method"
RESPONSE = "200"

# Method request parameter sources and where OpenAPI declares them.
_LOCATIONS = {
    "path": "path",
    "querystring": "query",
    "multivaluequerystring": "query",
    "header": "header",
    "multivalueheader": "header",
}


def document(spec: ExportSpec) -> dict[str, Node]:
    """The OpenAPI 3.0 document as data."""
    doc: dict[str, Node] = {
        "openapi": "3.0.1",
        "info": {
            "title": spec.api_name or spec.api_id,
            "description": f"Methods in {spec.mode} mode, exported by asyncgw",
            "version": "1.0",
        },
    }
    if spec.validators:
        validators: dict[str, Node] = {
            v.name: {
                "validateRequestBody": v.validate_request_body,
                "validateRequestParameters": v.validate_request_parameters,
            }
            for v in spec.validators
        }
        doc[VALIDATORS] = Commented(validators, notes.field_note(
            "validators the methods use, by name; new: "
            + (", ".join(v.name for v in spec.validators if v.is_new) or "none")))
    paths: dict[str, dict[str, Node]] = {}
    for method in spec.methods:
        verb = ANY if method.http_method == "ANY" else method.http_method.lower()
        comment = notes.change_lines(method)
        if method.authorization_type != "NONE":
            comment.append(f"authorization {method.authorization_type} is not exported: keep yours")
        paths.setdefault(method.path, {})[verb] = Commented(operation(method), comment)
    doc["paths"] = dict(paths)
    return doc


def operation(method: MethodState) -> dict[str, Node]:
    """One operation: parameters, validator, responses and the Lambda integration."""
    op: dict[str, Node] = {}
    parameters = [_parameter(key, required) for key, required in method.request_parameters.items()]
    if parameters:
        op["parameters"] = parameters
    if method.validator is not None:
        op[VALIDATOR] = method.validator.name
    op["responses"] = {RESPONSE: {"description": f"{RESPONSE} response"}}
    integration: dict[str, Node] = {
        "type": "aws",
        "httpMethod": "POST",
        "uri": method.uri,
    }
    if method.integration_request_parameters:
        integration["requestParameters"] = dict(method.integration_request_parameters)
    if method.request_templates:
        integration["requestTemplates"] = dict(method.request_templates)
    integration["responses"] = {"default": {"statusCode": RESPONSE}}
    op[INTEGRATION] = integration
    return op


def render(spec: ExportSpec) -> str:
    """The document as YAML."""
    return dump(document(spec), notes.header(spec, "OpenAPI definition"))


def _parameter(key: str, required: bool) -> dict[str, Node]:
    # key is method.request.<source>.<name>; names may contain dots (headers rarely do).
    _, _, source, name = key.split(".", 3)
    return {
        "name": name,
        "in": _LOCATIONS.get(source, source),
        "required": required,
        "schema": {"type": "string"},
    }

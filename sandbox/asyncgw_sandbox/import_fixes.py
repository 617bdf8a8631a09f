"""PutRestApi (and so ImportRestApi) keeping what moto's OpenAPI import drops or gets wrong."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from asyncgw_sandbox.errors import BadRequest

# What moto (>=5.1,<5.3) does with an OpenAPI 3 document, checked in tests/export:
# it ignores x-amazon-apigateway-request-validators and -validator, drops every operation's
# `parameters`, creates ANY as a method named "X-AMAZON-APIGATEWAY-ANY-METHOD", treats
# path-level keys such as `parameters` as methods, and in merge mode adds a second resource
# for a path that exists. AWS creates the validators and applies the root-level one [REC D10];
# the rest follows its documented OpenAPI extensions [DOC].
VALIDATORS = "x-amazon-apigateway-request-validators"
VALIDATOR = "x-amazon-apigateway-request-validator"
INTEGRATION = "x-amazon-apigateway-integration"
ANY_METHOD = "x-amazon-apigateway-any-method"
VERBS = ("get", "put", "post", "delete", "patch", "head", "options")
_SOURCES = {"path": "path", "query": "querystring", "header": "header"}

PutRestApi = Callable[..., Any]


def keeping_put_rest_api(original: PutRestApi) -> PutRestApi:
    """PutRestApi importing validators, operation parameters and ANY, merging into paths."""

    def put_rest_api(
        self: Any,
        function_id: str,
        api_doc: dict[str, Any],
        fail_on_warnings: bool,
        mode: str = "merge",
    ) -> Any:
        # moto's own checks (mode, OpenAPI version, overwrite's reset) run on the document
        # without paths; the paths are imported here.
        api = original(self, function_id, _as_openapi3({**api_doc, "paths": {}}),
                       fail_on_warnings, mode)
        validators = _put_validators(api, api_doc.get(VALIDATORS) or {})
        default_validator = api_doc.get(VALIDATOR)
        for path, item in sorted((api_doc.get("paths") or {}).items()):
            resource_id = _ensure_resource(self, function_id, path)
            shared = item.get("parameters") or []
            for key, operation in item.items():
                verb = "ANY" if key == ANY_METHOD else key.upper() if key in VERBS else None
                if verb is None:
                    continue
                name = operation.get(VALIDATOR, default_validator)
                if name is not None and name not in validators:
                    if fail_on_warnings:  # AWS's text was not recorded [UNVERIFIED]
                        raise BadRequest(f"Invalid request validator name specified: {name}")
                    # A warning otherwise: a CloudFormation Body naming an undeclared
                    # validator deploys (telemetrics-api in the corpus) [UNVERIFIED].
                    name = None
                _put_operation(self, function_id, resource_id, verb, operation, shared,
                               validators.get(name) if name else None)
        return api

    return put_rest_api


def keeping_import_rest_api(original: Callable[..., Any]) -> Callable[..., Any]:
    """ImportRestApi of a document without info.description (moto reads it unchecked)."""

    def import_rest_api(self: Any, api_doc: dict[str, Any], fail_on_warnings: bool) -> Any:
        info = api_doc.get("info")
        if not isinstance(info, dict) or not info.get("title"):
            # The API's name comes from info.title; AWS's text for its absence was not
            # recorded [UNVERIFIED].
            raise BadRequest("Invalid OpenAPI input: the document has no info.title")
        return original(self, {**api_doc, "info": {"description": None, **info}},
                        fail_on_warnings)

    return import_rest_api


def _as_openapi3(api_doc: dict[str, Any]) -> dict[str, Any]:
    # moto refuses Swagger 2.0, which AWS imports too [DOC import-api]; the paths, whose
    # x-amazon-apigateway-* extensions are the same in both, are imported here.
    if "swagger" not in api_doc:
        return api_doc
    return {**{k: v for k, v in api_doc.items() if k != "swagger"}, "openapi": "3.0.1"}


def _text(value: Any) -> str:
    # YAML reads `statusCode: 200` as a number and an unquoted template as a mapping; AWS
    # stores strings. How AWS writes a mapping given as a template is [UNVERIFIED].
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def _with_strings(integration: Mapping[str, Any]) -> dict[str, Any]:
    """The integration extension with every status code, pattern and template a string."""
    out = dict(integration)
    if isinstance(out.get("requestTemplates"), dict):
        out["requestTemplates"] = {k: _text(v) for k, v in out["requestTemplates"].items()}
    responses = {}
    for pattern, response in (out.get("responses") or {}).items():
        response = dict(response or {})
        if "statusCode" in response:
            response["statusCode"] = _text(response["statusCode"])
        if isinstance(response.get("responseTemplates"), dict):
            response["responseTemplates"] = {
                k: _text(v) for k, v in response["responseTemplates"].items()}
        responses[_text(pattern)] = response
    if responses:
        out["responses"] = responses
    return out


def _put_validators(api: Any, declared: Mapping[str, Any]) -> dict[str, str]:
    """Create the declared validators, or update the one of the same name; name -> id."""
    by_name = {v.name: v for v in api.request_validators.values()}
    ids = {}
    for name, flags in declared.items():
        body = bool(flags.get("validateRequestBody", False))
        parameters = bool(flags.get("validateRequestParameters", False))
        validator = by_name.get(name)
        if validator is None:
            validator = api.create_request_validator(
                name=name, validateRequestBody=body, validateRequestParameters=parameters
            )
        else:
            validator.validate_request_body = body
            validator.validate_request_parameters = parameters
        ids[name] = validator.id
    return ids


def _ensure_resource(backend: Any, api_id: str, path: str) -> str:
    """The id of the resource at `path`, creating it and its missing parents."""
    api = backend.get_rest_api(api_id)
    current = api.get_resource_for_path("/")
    walked = ""
    for part in (p for p in path.split("/") if p):
        walked += "/" + part
        found = api.get_resource_for_path(walked)
        current = found or backend.create_resource(api_id, current.id, part)
    return str(current.id)


def _parameters(*lists: list[dict[str, Any]]) -> dict[str, bool]:
    """OpenAPI parameters as method request parameters; operation entries override path ones."""
    declared = {}
    for entries in lists:
        for entry in entries:
            source = _SOURCES.get(entry.get("in", ""))
            if source is None:
                continue  # cookies have no method request parameter
            required = source == "path" or bool(entry.get("required", False))
            declared[f"method.request.{source}.{entry['name']}"] = required
    return declared


def _put_operation(
    backend: Any,
    api_id: str,
    resource_id: str,
    verb: str,
    operation: Mapping[str, Any],
    shared: list[dict[str, Any]],
    validator_id: str | None,
) -> None:
    backend.put_method(
        api_id,
        resource_id,
        verb,
        "NONE",
        request_parameters=_parameters(shared, operation.get("parameters") or []),
        request_validator_id=validator_id,
    )
    for code in operation.get("responses") or {}:
        backend.put_method_response(api_id, resource_id, verb, str(code), None, None)
    integration = operation.get(INTEGRATION)
    if not integration:
        return
    integration = _with_strings(integration)
    arguments = backend._build_integration_args(integration)
    backend.put_integration(
        function_id=api_id,
        resource_id=resource_id,
        method_type=verb,
        **{k: v for k, v in arguments.items() if v is not None},
    )
    for response in backend._build_integration_responses_args(integration):
        backend.put_integration_response(
            function_id=api_id,
            resource_id=resource_id,
            method_type=verb,
            **{k: v for k, v in response.items() if v is not None},
        )

"""What a stage serves: its OpenAPI export read back into modes, to compare with the current API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from asyncgw.aws.responses import mapping, parse, required, sequence
from asyncgw.core.errors import UnexpectedResponse
from asyncgw.core.modes import Mode
from asyncgw.rest.markers import default_response
from asyncgw.rest.modes import assess
from asyncgw.rest.snapshot import ApiSnapshot, Integration, Method, Validator

_VERBS = {"get", "put", "post", "delete", "options", "head", "patch"}
ANY_METHOD = "x-amazon-apigateway-any-method"
INTEGRATION = "x-amazon-apigateway-integration"
VALIDATOR = "x-amazon-apigateway-request-validator"
VALIDATORS = "x-amazon-apigateway-request-validators"
_LOCATION = {"header": "header", "query": "querystring", "path": "path"}


Wiring = tuple[str, str | None, tuple[tuple[str, str], ...], str]
"""What decides how a method invokes its function: type, URI, mappings, default template."""


def wiring(method: Method) -> Wiring:
    """The parts of a method that decide how it invokes and answers, for comparing."""
    integration = method.integration
    if integration is None:
        return ("", None, (), "")
    default = default_response(method)
    template = (default.response_templates.get("application/json") if default else None) or ""
    return (integration.type, integration.uri, tuple(sorted(integration.request_parameters
                                                            .items())), template)


@dataclass(frozen=True)
class Served:
    """The mode and wiring of each method ('VERB /path') in the deployment a stage serves."""

    stage: str
    modes: dict[str, Mode] = field(default_factory=dict)
    error: str | None = None
    wirings: dict[str, Wiring] = field(default_factory=dict)

    def differs(self, key: str, current: Mode) -> bool:
        """True when the stage serves the method in another mode, or not at all."""
        return self.error is None and self.modes.get(key) != current

    def older(self, method: Method) -> bool:
        """True when the stage serves the method's mode, but not its current wiring.

        That GetExport reproduces mappings and templates verbatim is [UNVERIFIED] beyond
        the recorded requestParameters [REC 3.3].
        """
        key = method.key
        return (self.error is None and key in self.wirings
                and self.wirings[key] != wiring(method))


def served(stage: str, export: Mapping[str, Any], current: ApiSnapshot) -> Served:
    """The modes in a GetExport (OpenAPI 3 or Swagger 2, extensions=apigateway) document.

    The export names validators, not ids, so the deployed methods are assessed against
    validators keyed by name [REC 3.3].
    """
    declared = mapping(export.get(VALIDATORS) or {}, "GetExport", f"body.{VALIDATORS}")
    validators = {}
    for name, flags in declared.items():
        at = f"body.{VALIDATORS}.{name}"
        flags = mapping(flags or {}, "GetExport", at)
        validators[name] = parse(Validator, {
            "id": name, "name": name,
            "validateRequestBody": bool(flags.get("validateRequestBody")),
            "validateRequestParameters": bool(flags.get("validateRequestParameters"))},
            "GetExport", at)
    default_validator = export.get(VALIDATOR)
    methods = []
    for path, operations in mapping(export.get("paths") or {}, "GetExport", "body.paths").items():
        operations = mapping(operations, "GetExport", f"body.paths.{path}")
        for verb, operation in operations.items():
            if verb in _VERBS or verb == ANY_METHOD:
                shared = _parameters(operations, f"body.paths.{path}")
                methods.append(_method(path, verb, operation, shared, default_validator))
    deployed = ApiSnapshot(api=current.api, region=current.region, methods=tuple(methods),
                           validators=tuple(validators.values()), stages=())
    return Served(stage, {m.key: assess(m, deployed).mode for m in methods},
                  wirings={m.key: wiring(m) for m in methods})


def _parameters(holder: Mapping[str, Any], at: str) -> dict[str, bool]:
    """The header, query and path `parameters` of a path item or operation, as a method's
    request parameters: whether each is required."""
    listed = sequence(holder.get("parameters") or [], "GetExport", f"{at}.parameters")
    found = {}
    for i, item in enumerate(listed):
        where = f"{at}.parameters[{i}]"
        parameter = mapping(item, "GetExport", where)
        location = parameter.get("in")
        if isinstance(location, str) and location in _LOCATION:
            name = required(parameter, "name", "GetExport", where)
            found[f"method.request.{_LOCATION[location]}.{name}"] = bool(
                parameter.get("required", False))
    return found


def _method(path: str, verb: str, operation: object, shared: dict[str, bool],
            default_validator: object) -> Method:
    # Each read of the export is checked where it happens, naming the field that cannot be
    # read; nothing wraps the whole method, so an error of asyncgw's own is not blamed on AWS.
    at = f"body.paths.{path}.{verb}"
    operation = mapping(operation, "GetExport", at)
    raw = operation.get(INTEGRATION)
    integration = None
    if raw is not None:
        raw = mapping(raw, "GetExport", f"{at}.{INTEGRATION}")
        default = mapping(raw.get("responses") or {}, "GetExport",
                          f"{at}.{INTEGRATION}.responses").get("default")
        responses = {}
        if default:
            default = mapping(default, "GetExport", f"{at}.{INTEGRATION}.responses.default")
            code = str(default.get("statusCode", "200"))
            responses = {code: {"statusCode": code,
                                "responseTemplates": default.get("responseTemplates", {})}}
        integration = parse(Integration, {
            "type": str(raw.get("type", "")).upper(),
            "uri": raw.get("uri"),
            "httpMethod": raw.get("httpMethod"),
            "requestParameters": raw.get("requestParameters", {}),
            "integrationResponses": responses,
        }, "GetExport", f"{at}.{INTEGRATION}")
    validator = operation.get(VALIDATOR, default_validator)
    if validator is not None and not isinstance(validator, str):
        where = f"{at}.{VALIDATOR}" if VALIDATOR in operation else f"body.{VALIDATOR}"
        raise UnexpectedResponse("GetExport", where, "not a string", validator)
    return Method(
        resource_id="",
        path=path,
        http_method="ANY" if verb == ANY_METHOD else verb.upper(),
        request_parameters={**shared, **_parameters(operation, at)},
        request_validator_id=validator,
        methodIntegration=integration,
    )

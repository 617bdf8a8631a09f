"""What a stage serves: its OpenAPI export read back into modes, to compare with the current API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from asyncgw.conversion import default_response
from asyncgw.models import ApiSnapshot, Integration, Method, Validator
from asyncgw.modes import Mode, assess
from asyncgw.responses import mapping, reading

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
        with reading("GetExport", f"body.{VALIDATORS}.{name}"):
            validators[name] = Validator(
                id=name, name=name,
                validate_request_body=bool(flags.get("validateRequestBody")),
                validate_request_parameters=bool(flags.get("validateRequestParameters")))
    default_validator = export.get(VALIDATOR)
    methods = []
    for path, operations in mapping(export.get("paths") or {}, "GetExport", "body.paths").items():
        for verb, operation in mapping(operations, "GetExport", f"body.paths.{path}").items():
            if verb in _VERBS or verb == ANY_METHOD:
                with reading("GetExport", f"body.paths.{path}.{verb}"):
                    methods.append(_method(path, verb, operation,
                                           operations.get("parameters") or [],
                                           default_validator))
    deployed = ApiSnapshot(api=current.api, region=current.region, methods=tuple(methods),
                           validators=tuple(validators.values()), stages=())
    return Served(stage, {m.key: assess(m, deployed).mode for m in methods},
                  wirings={m.key: wiring(m) for m in methods})


def _method(path: str, verb: str, operation: Mapping[str, Any],
            shared: list[Mapping[str, Any]], default_validator: str | None) -> Method:
    raw = operation.get(INTEGRATION)
    integration = None
    if raw is not None:
        default = raw.get("responses", {}).get("default")
        responses = {} if not default else {str(default.get("statusCode", "200")): {
            "statusCode": str(default.get("statusCode", "200")),
            "responseTemplates": default.get("responseTemplates", {})}}
        integration = Integration.model_validate({
            "type": str(raw.get("type", "")).upper(),
            "uri": raw.get("uri"),
            "httpMethod": raw.get("httpMethod"),
            "requestParameters": dict(raw.get("requestParameters", {})),
            "integrationResponses": responses,
        })
    parameters = {
        f"method.request.{_LOCATION[p['in']]}.{p['name']}": bool(p.get("required", False))
        for p in [*shared, *operation.get("parameters", [])]
        if p.get("in") in _LOCATION
    }
    return Method(
        resource_id="",
        path=path,
        http_method="ANY" if verb == ANY_METHOD else verb.upper(),
        request_parameters=parameters,
        request_validator_id=operation.get(VALIDATOR, default_validator),
        methodIntegration=integration,
    )

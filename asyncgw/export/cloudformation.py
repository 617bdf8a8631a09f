"""The CloudFormation export: a complete, lintable template whose comments mark the change."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from asyncgw.export import notes
from asyncgw.export.naming import pascal, path_label, unique
from asyncgw.export.spec import ExportSpec, MethodState, ValidatorState
from asyncgw.export.yaml_text import Commented, Node, Tag, dump

API = "RestApi"
RESPONSE = "200"


@dataclass(frozen=True)
class LogicalIds:
    """Logical ids derived from paths, verb+path and validator names, unique in the template."""

    resources: dict[str, str]
    methods: dict[str, str]
    validators: dict[str, str]
    stages: dict[str, str]
    deployment: str

    @classmethod
    def of(cls, spec: ExportSpec) -> LogicalIds:
        """The ids for every resource, method and validator of the export."""
        paths = spec.resource_paths
        keys = [m.key for m in spec.methods]
        names = [v.name for v in spec.validators]
        ids = iter(unique(
            [API]
            + [pascal(p) + "Resource" for p in paths]
            + [pascal(f"{m.http_method.capitalize()} {path_label(m.path)}") + "Method"
               for m in spec.methods]
            + [(pascal(n) or "Request") + "Validator" for n in names]
            + [(pascal(s) or "Unnamed") + "Stage" for s in spec.stages]
        ))
        next(ids)  # "RestApi" is listed first only so that nothing else can take it
        return cls(
            resources={path: next(ids) for path in paths},
            methods={key: next(ids) for key in keys},
            validators={name: next(ids) for name in names},
            stages={stage: next(ids) for stage in spec.stages},
            deployment="Deployment" + _digest(spec),
        )

    def resource_ref(self, path: str) -> Tag:
        """The resource id of a path: the API's root resource for '/'."""
        if path == "/":
            return Tag("GetAtt", f"{API}.RootResourceId")
        return Tag("Ref", self.resources[path])


def template(spec: ExportSpec) -> dict[str, Node]:
    """The template as data: RestApi, resources, validators, methods, deployment, stages."""
    ids = LogicalIds.of(spec)
    resources: dict[str, Node] = {
        API: _resource("AWS::ApiGateway::RestApi", {"Name": spec.api_name or spec.api_id},
                       [f"the existing API {spec.api_id}"]),
    }
    for path in spec.resource_paths:
        parent = path.rsplit("/", 1)[0] or "/"
        resources[ids.resources[path]] = _resource("AWS::ApiGateway::Resource", {
            "RestApiId": Tag("Ref", API),
            "ParentId": ids.resource_ref(parent),
            "PathPart": path.rsplit("/", 1)[1],
        })
    for validator in spec.validators:
        resources[ids.validators[validator.name]] = _validator(validator)
    for method in spec.methods:
        resources[ids.methods[method.key]] = _method(method, ids)
    resources[ids.deployment] = _deployment(spec, ids)
    for stage in spec.stages:
        resources[ids.stages[stage]] = _resource("AWS::ApiGateway::Stage", {
            "RestApiId": Tag("Ref", API),
            "StageName": stage,
            "DeploymentId": Tag("Ref", ids.deployment),
        })
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"{spec.api_name or spec.api_id}: methods in {spec.mode} mode (asyncgw)",
        "Resources": resources,
    }


def render(spec: ExportSpec) -> str:
    """The template as YAML."""
    return dump(template(spec), notes.header(spec, "CloudFormation template"))


def _resource(kind: str, properties: dict[str, Node], comment: list[str] | None = None) -> Node:
    body: dict[str, Node] = {"Type": kind, "Properties": properties}
    return Commented(body, comment) if comment else body


def _validator(validator: ValidatorState) -> Node:
    comment = (notes.field_note("new request validator") if validator.is_new
               else [f"the existing validator {validator.existing_id}"])
    return _resource("AWS::ApiGateway::RequestValidator", {
        "RestApiId": Tag("Ref", API),
        "Name": validator.name,
        "ValidateRequestBody": validator.validate_request_body,
        "ValidateRequestParameters": validator.validate_request_parameters,
    }, comment)


def _marked(method: MethodState, field: str, value: Node) -> Node:
    comment = notes.changed_note(method, field)
    return Commented(value, comment) if comment else value


def _method(method: MethodState, ids: LogicalIds) -> Node:
    properties: dict[str, Node] = {
        "RestApiId": Tag("Ref", API),
        "ResourceId": ids.resource_ref(method.path),
        "HttpMethod": method.http_method,
        "AuthorizationType": method.authorization_type,
    }
    if method.request_parameters or method.changed(notes.METHOD_PARAMETERS):
        properties["RequestParameters"] = _marked(
            method, notes.METHOD_PARAMETERS, dict(method.request_parameters))
    if method.validator is not None:
        properties["RequestValidatorId"] = _marked(
            method, notes.VALIDATOR, Tag("Ref", ids.validators[method.validator.name]))
    integration: dict[str, Node] = {
        "Type": "AWS",
        "IntegrationHttpMethod": "POST",
        "Uri": method.uri,
    }
    if method.integration_request_parameters or method.changed(notes.MAPPING):
        integration["RequestParameters"] = _marked(
            method, notes.MAPPING, dict(method.integration_request_parameters))
    if method.request_templates:
        integration["RequestTemplates"] = dict(method.request_templates)
    integration["IntegrationResponses"] = [{"StatusCode": RESPONSE}]
    properties["Integration"] = integration
    properties["MethodResponses"] = [{"StatusCode": RESPONSE}]
    return _resource("AWS::ApiGateway::Method", properties, notes.change_lines(method))


def _deployment(spec: ExportSpec, ids: LogicalIds) -> Node:
    body: dict[str, Node] = {
        "Type": "AWS::ApiGateway::Deployment",
        "DependsOn": [ids.methods[m.key] for m in spec.methods],
        "Properties": {
            "RestApiId": Tag("Ref", API),
            "Description": f"asyncgw: {spec.mode}",
        },
    }
    return Commented(body, [
        *notes.redeploy_note("  CloudFormation creates a new AWS::ApiGateway::Deployment only "
                             "under a new logical id,"),
        "  so this one ends in a digest of the methods: keep a new id for every change."])


def _digest(spec: ExportSpec) -> str:
    state = [
        [m.key, m.request_parameters, m.validator.name if m.validator else None,
         m.integration_request_parameters]
        for m in spec.methods
    ]
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:8].upper()

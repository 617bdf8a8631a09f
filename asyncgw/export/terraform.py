"""The Terraform export: aws_api_gateway_* resources, with a deployment that redeploys on change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asyncgw.export import notes
from asyncgw.export.hcl_text import Attribute, Block, Expr, dump
from asyncgw.export.naming import path_label, snake, unique
from asyncgw.export.spec import ExportSpec, MethodState, ValidatorState

API = "api"
RESPONSE = "200"
_API_ID = Expr(f"aws_api_gateway_rest_api.{API}.id")


@dataclass(frozen=True)
class Names:
    """Terraform resource names derived from paths, verb+path and validator names."""

    resources: dict[str, str]
    methods: dict[str, str]
    validators: dict[str, str]

    @classmethod
    def of(cls, spec: ExportSpec) -> Names:
        """Names for every resource, method and validator of the export."""
        paths = spec.resource_paths
        return cls(
            resources=dict(zip(paths, unique(_label(p) for p in paths), strict=True)),
            methods=dict(zip(
                [m.key for m in spec.methods],
                unique(_label(f"{m.http_method} {path_label(m.path)}") for m in spec.methods),
                strict=True,
            )),
            validators=dict(zip(
                [v.name for v in spec.validators],
                unique(_label(v.name) or "validator" for v in spec.validators),
                strict=True,
            )),
        )

    def resource_id(self, path: str) -> Expr:
        """The resource id of a path: the API's root resource for '/'."""
        if path == "/":
            return Expr(f"aws_api_gateway_rest_api.{API}.root_resource_id")
        return Expr(f"aws_api_gateway_resource.{self.resources[path]}.id")


def blocks(spec: ExportSpec) -> list[Block]:
    """Every resource block of the export, in dependency order."""
    names = Names.of(spec)
    out = [_resource("aws_api_gateway_rest_api", API,
                     [Attribute("name", spec.api_name or spec.api_id)],
                     [f"the existing API {spec.api_id}"])]
    for path in spec.resource_paths:
        parent = path.rsplit("/", 1)[0] or "/"
        out.append(_resource("aws_api_gateway_resource", names.resources[path], [
            Attribute("rest_api_id", _API_ID),
            Attribute("parent_id", names.resource_id(parent)),
            Attribute("path_part", path.rsplit("/", 1)[1]),
        ]))
    out.extend(_validator(v, names.validators[v.name]) for v in spec.validators)
    for method in spec.methods:
        out.extend(_method(method, names))
    out.append(_deployment(spec, names))
    out.extend(
        _resource("aws_api_gateway_stage", _label(stage) or "stage", [
            Attribute("rest_api_id", _API_ID),
            Attribute("stage_name", stage),
            Attribute("deployment_id", Expr("aws_api_gateway_deployment.this.id")),
        ])
        for stage in spec.stages
    )
    return out


def render(spec: ExportSpec) -> str:
    """The configuration as HCL."""
    return dump(blocks(spec), notes.header(spec, "Terraform configuration"))


def _label(text: str) -> str:
    name = snake(text)
    return f"_{name}" if name[:1].isdigit() else name


def _resource(
    kind: str, name: str, body: Sequence[Attribute | Block], comment: Sequence[str] = ()
) -> Block:
    return Block("resource", (kind, name), body, comment)


def _validator(validator: ValidatorState, name: str) -> Block:
    comment = (notes.field_note("new request validator") if validator.is_new
               else [f"the existing validator {validator.existing_id}"])
    return _resource("aws_api_gateway_request_validator", name, [
        Attribute("rest_api_id", _API_ID),
        Attribute("name", validator.name),
        Attribute("validate_request_body", validator.validate_request_body),
        Attribute("validate_request_parameters", validator.validate_request_parameters),
    ], comment)


def _method(method: MethodState, names: Names) -> list[Block]:
    name = names.methods[method.key]
    method_ref = f"aws_api_gateway_method.{name}"
    keys = [
        Attribute("rest_api_id", _API_ID),
        Attribute("resource_id", names.resource_id(method.path)),
    ]
    body: list[Attribute | Block] = [
        *keys,
        Attribute("http_method", method.http_method),
        Attribute("authorization", method.authorization_type),
        Attribute("request_parameters", dict(method.request_parameters),
                  notes.changed_note(method, notes.METHOD_PARAMETERS)),
    ]
    if method.validator is not None:
        body.append(Attribute(
            "request_validator_id",
            Expr(f"aws_api_gateway_request_validator.{names.validators[method.validator.name]}.id"),
            notes.changed_note(method, notes.VALIDATOR)))
    integration: list[Attribute | Block] = [
        *keys,
        Attribute("http_method", Expr(f"{method_ref}.http_method")),
        Attribute("type", "AWS"),
        Attribute("integration_http_method", "POST"),
        Attribute("uri", method.uri),
        Attribute("request_parameters", dict(method.integration_request_parameters),
                  notes.changed_note(method, notes.MAPPING)),
    ]
    if method.request_templates:
        integration.append(Attribute("request_templates", dict(method.request_templates)))
    response_keys = [*keys, Attribute("http_method", Expr(f"{method_ref}.http_method")),
                     Attribute("status_code", RESPONSE)]
    return [
        _resource("aws_api_gateway_method", name, body, notes.change_lines(method)),
        _resource("aws_api_gateway_integration", name, integration),
        _resource("aws_api_gateway_method_response", name, response_keys),
        _resource("aws_api_gateway_integration_response", name, [
            *response_keys,
            Attribute("depends_on", [Expr(f"aws_api_gateway_integration.{name}")]),
        ]),
    ]


def _deployment(spec: ExportSpec, names: Names) -> Block:
    # Hashing whole resources, not their ids, redeploys on in-place changes of
    # request_parameters, which keep the ids.
    watched = [f"aws_api_gateway_method.{n}" for n in names.methods.values()]
    watched += [f"aws_api_gateway_integration.{n}" for n in names.methods.values()]
    watched += [f"aws_api_gateway_request_validator.{n}" for n in names.validators.values()]
    listed = ", ".join(watched)
    return _resource("aws_api_gateway_deployment", "this", [
        Attribute("rest_api_id", _API_ID),
        Attribute("description", f"asyncgw: {spec.mode}"),
        Attribute("triggers", {"redeployment": Expr(f"sha1(jsonencode([{listed}]))")}),
        Block("lifecycle", (), [Attribute("create_before_destroy", True)]),
    ], notes.redeploy_note(
        "  the triggers hash makes Terraform replace this deployment whenever they change."))

"""The export formats by name: what each is called, its file suffix, and its renderer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from asyncgw.core.errors import UsageError
from asyncgw.export import cdk, cloudformation, openapi, serverless, terraform
from asyncgw.export.spec import ExportSpec


@dataclass(frozen=True)
class Format:
    """One export format."""

    name: str
    suffix: str
    summary: str
    render: Callable[[ExportSpec], str]


FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("cloudformation", ".yaml", "CloudFormation template (YAML)", cloudformation.render),
        Format("openapi", ".yaml", "OpenAPI 3 with API Gateway extensions (SAM DefinitionBody)",
               openapi.render),
        Format("terraform", ".tf", "Terraform aws_api_gateway_* resources (HCL)",
               terraform.render),
        Format("cdk-python", ".py", "AWS CDK v2 in Python", cdk.render_python),
        Format("cdk-typescript", ".ts", "AWS CDK v2 in TypeScript", cdk.render_typescript),
        Format("serverless", ".yml", "Serverless Framework serverless.yml fragment",
               serverless.render),
    )
}
FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)


def find(name: str) -> Format:
    """The format called `name`; UsageError listing the formats otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(
            f"unknown export format {name!r}; choose one of {', '.join(FORMAT_NAMES)}"
        ) from None

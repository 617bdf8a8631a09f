"""Infrastructure-as-code exports: the selected methods in a mode, as CloudFormation, OpenAPI,
Terraform, CDK (Python, TypeScript) or Serverless, so a stack-managed API can be changed durably."""

from asyncgw.export.exporter import export, export_data, spec_data
from asyncgw.export.formats import FORMAT_NAMES, FORMATS, Format
from asyncgw.export.spec import ExportSpec, MethodState, ValidatorState, build

__all__ = [
    "FORMATS",
    "FORMAT_NAMES",
    "ExportSpec",
    "Format",
    "MethodState",
    "ValidatorState",
    "build",
    "export",
    "export_data",
    "spec_data",
]

"""The base types of every snapshot and plan: frozen pydantic models, and one diffed field."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel, to_pascal

STACK_TAG = "aws:cloudformation:stack-name"
"""Set by CloudFormation (hence SAM, CDK, Serverless) on what it creates [REC H1]."""


class Model(BaseModel):
    """Base for every asyncgw type: immutable, camelCase on the wire, unknown AWS fields ignored."""

    model_config = ConfigDict(
        frozen=True, alias_generator=to_camel, populate_by_name=True, extra="ignore"
    )


class AwsModel(BaseModel):
    """Base for what apigatewayv2, Lambda and IAM return: immutable, PascalCase on the wire."""

    model_config = ConfigDict(
        frozen=True, alias_generator=to_pascal, populate_by_name=True, extra="ignore"
    )


class FieldChange(Model):
    """One field of a method or integration as the diff shows it."""

    field: str
    before: str | None
    after: str | None

    @property
    def marker(self) -> str:
        """'+' for a new field, '-' for a removed one, '~' for a changed one."""
        if self.before is None:
            return "+"
        if self.after is None:
            return "-"
        return "~"

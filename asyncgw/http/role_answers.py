"""IAM's answers about the forwarders' role, as the HTTP gateway reads them."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from pydantic import Field

from asyncgw.aws.responses import mapping, reading
from asyncgw.core.model import AwsModel


def policy_document(value: Any, operation: str, at: str) -> dict[str, Any]:
    """A policy document: botocore decodes IAM's URL-encoded JSON, and keeps what it cannot."""
    if isinstance(value, str):
        with reading(operation, at):
            try:
                value = json.loads(value)
            except ValueError:
                value = json.loads(unquote(value))
    return dict(mapping(value or {}, operation, at))


class Tag(AwsModel):
    """One tag of an IAM role."""

    key: str
    value: str


class Role(AwsModel):
    """The part of an IAM role asyncgw reads."""

    arn: str
    path: str = "/"
    description: str = ""
    max_session_duration: int = 3600
    assume_role_policy_document: object = None
    """A dict once botocore decodes it; the text as received when it cannot."""
    tags: list[Tag] = Field(default_factory=list)


class RoleAnswer(AwsModel):
    """GetRole."""

    role: Role


class AttachedPolicy(AwsModel):
    """One entry of ListAttachedRolePolicies."""

    policy_arn: str | None = None
    policy_name: str | None = None

    @property
    def label(self) -> str:
        """The policy's ARN, else its name: either way another policy on the role."""
        return self.policy_arn or self.policy_name or "an attached policy without a name"

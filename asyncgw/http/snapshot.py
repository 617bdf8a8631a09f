"""Frozen types of an HTTP API as read from AWS: routes, integrations, stages, forwarders."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import Field

from asyncgw.aws.responses import mapping, parse, reading, sequence
from asyncgw.core.model import STACK_TAG, AwsModel, Model
from asyncgw.core.plan import fingerprint
from asyncgw.http.recipe import (
    APIGATEWAY_PRINCIPAL,
    MODE_TAG,
    ROLE_TAG,
    ROLE_TAG_VALUE,
    TARGET_TAG,
    policy_targets,
    same_function,
)


class HttpApi(AwsModel):
    """The HTTP API itself."""

    api_id: str
    name: str = ""
    protocol_type: str = "HTTP"
    api_endpoint: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)

    @property
    def stack(self) -> str | None:
        """The CloudFormation stack that owns the API, if its tags say so [UNVERIFIED for v2]."""
        return self.tags.get(STACK_TAG)


class Route(AwsModel):
    """One route: its key ('POST /jobs', 'ANY /{proxy+}', '$default') and its target."""

    route_id: str
    route_key: str
    target: str | None = None
    authorization_type: str = "NONE"

    @property
    def integration_id(self) -> str | None:
        """The integration id out of a target 'integrations/<id>'."""
        if self.target and self.target.startswith("integrations/"):
            return self.target.removeprefix("integrations/")
        return None


class Integration(AwsModel):
    """An integration, as far as asyncgw reads and copies it."""

    integration_id: str
    integration_type: str
    integration_uri: str | None = None
    integration_subtype: str | None = None
    integration_method: str | None = None
    connection_type: str | None = None
    credentials_arn: str | None = None
    description: str | None = None
    payload_format_version: str | None = None
    timeout_in_millis: int | None = None
    request_parameters: dict[str, str] = Field(default_factory=dict)
    response_parameters: dict[str, dict[str, str]] = Field(default_factory=dict)


class Stage(AwsModel):
    """A stage: whether it deploys by itself, and what it serves."""

    stage_name: str
    auto_deploy: bool = False
    deployment_id: str | None = None
    api_gateway_managed: bool = False
    created_date: datetime | None = None
    last_updated_date: datetime | None = None


class Statement(Model):
    """One statement of a function's resource-based policy."""

    sid: str
    principal: str | None = None
    action: str | None = None
    source_arn: str | None = None


class _Environment(AwsModel):
    """A function's environment as GetFunction returns it."""

    variables: dict[str, str] = Field(default_factory=dict)


class _FunctionConfiguration(AwsModel):
    """The part of a GetFunction Configuration asyncgw reads."""

    function_name: str = Field(min_length=1)
    function_arn: str = Field(min_length=1)
    """Named in the calls that follow, so an empty one is refused here."""
    role: str = ""
    runtime: str | None = None
    handler: str | None = None
    description: str = ""
    timeout: int = 3
    memory_size: int = 128
    code_sha256: str | None = None
    environment: _Environment | None = None


class _FunctionAnswer(AwsModel):
    """GetFunction: the function's configuration and its tags."""

    configuration: _FunctionConfiguration
    tags: dict[str, str] = Field(default_factory=dict)


def policy_statements(answer: Mapping[str, Any]) -> tuple[Statement, ...]:
    """The statements of a function's resource-based policy (a GetPolicy answer), by Sid."""
    with reading("GetPolicy", "Policy"):
        document = json.loads(answer.get("Policy") or "{}")
    found = mapping(document, "GetPolicy", "Policy").get("Statement") or []
    # A policy document may hold one statement as an object instead of a list of them.
    listed = [found] if isinstance(found, Mapping) else sequence(found, "GetPolicy",
                                                                   "Policy.Statement")
    return tuple(sorted((_statement(mapping(s, "GetPolicy", f"Policy.Statement[{i}]"))
                         for i, s in enumerate(listed)), key=lambda s: s.sid))


def _statement(raw: Mapping[str, Any]) -> Statement:
    principal = raw.get("Principal")
    if isinstance(principal, Mapping):
        principal = principal.get("Service") or principal.get("AWS")
    condition = raw.get("Condition")
    source = None
    for test in ("ArnLike", "ArnEquals", "StringEquals", "StringLike"):
        source = source or _member(_member(condition, test), "AWS:SourceArn")
    action = raw.get("Action")
    return Statement(sid=str(raw.get("Sid", "")),
                     principal=str(principal) if principal is not None else None,
                     action=str(action) if action is not None else None,
                     source_arn=str(source) if source is not None else None)


def _member(value: object, key: str) -> object:
    """value[key] when value is a JSON object that has it, else None."""
    return value.get(key) if isinstance(value, Mapping) else None


class Forwarder(Model):
    """An asyncgw forwarder function: everything needed to recognise it and to re-create it."""

    function_name: str
    function_arn: str
    target: str
    mode: str
    role: str
    runtime: str | None = None
    handler: str | None = None
    description: str = ""
    timeout: int
    memory_size: int
    code_sha256: str | None = None
    environment: dict[str, str] = Field(default_factory=dict)
    tags: dict[str, str] = Field(default_factory=dict)
    statements: tuple[Statement, ...] = ()

    @classmethod
    def from_function(cls, function: dict[str, Any], statements: tuple[Statement, ...]
                      ) -> Forwarder | None:
        """The forwarder a GetFunction answer describes, or None if its tags do not say so."""
        read = parse(_FunctionAnswer, function, "GetFunction")
        tags = read.tags
        if TARGET_TAG not in tags or MODE_TAG not in tags:
            return None
        config = read.configuration
        return cls(
            function_name=config.function_name,
            function_arn=config.function_arn,
            target=tags[TARGET_TAG],
            mode=tags[MODE_TAG],
            role=config.role,
            runtime=config.runtime,
            handler=config.handler,
            description=config.description,
            timeout=config.timeout,
            memory_size=config.memory_size,
            code_sha256=config.code_sha256,
            environment=config.environment.variables if config.environment else {},
            tags=tags,
            statements=statements,
        )

    def allows(self, api_id: str) -> bool:
        """True when a statement lets API Gateway invoke this forwarder for this API."""
        return any(
            s.principal == APIGATEWAY_PRINCIPAL
            and (s.source_arn is None or f":{api_id}/" in s.source_arn)
            for s in self.statements
        )


class ForwarderRole(Model):
    """The forwarders' IAM role and the inline policy asyncgw keeps on it."""

    role_name: str
    arn: str
    path: str = "/"
    description: str = ""
    max_session_duration: int = 3600
    trust_policy: str
    tags: dict[str, str] = Field(default_factory=dict)
    invoke_policy: str | None = None
    other_policies: tuple[str, ...] = ()

    @property
    def is_asyncgw(self) -> bool:
        """True when asyncgw created the role (its tag says so)."""
        return self.tags.get(ROLE_TAG) == ROLE_TAG_VALUE

    @property
    def targets(self) -> tuple[str, ...]:
        """The functions the inline policy lets forwarders invoke."""
        return policy_targets(json.loads(self.invoke_policy) if self.invoke_policy else None)


class Account(Model):
    """The caller's account and partition (for ARNs asyncgw builds)."""

    account_id: str
    partition: str = "aws"


class HttpApiSnapshot(Model):
    """Everything asyncgw reads of one HTTP API and of the forwarders around it."""

    api: HttpApi
    region: str
    routes: tuple[Route, ...]
    integrations: tuple[Integration, ...]
    stages: tuple[Stage, ...]
    forwarders: tuple[Forwarder, ...] = ()
    missing_functions: tuple[str, ...] = ()
    occupied: dict[str, str] = Field(default_factory=dict)
    role: ForwarderRole | None = None
    account: Account | None = None
    complete: bool = False
    """True when read for a change: candidate forwarders, the role and the account included."""

    def integration(self, integration_id: str | None) -> Integration | None:
        """The integration with this id, if any."""
        return next((i for i in self.integrations if i.integration_id == integration_id), None)

    def stage(self, name: str) -> Stage | None:
        """The stage with this name, if any."""
        return next((s for s in self.stages if s.stage_name == name), None)

    def forwarder_at(self, function: str | None) -> Forwarder | None:
        """The forwarder a function reference (ARN) points at, if it is one."""
        return next((f for f in self.forwarders if same_function(f.function_arn, function)),
                    None)

    def forwarder_named(self, name: str) -> Forwarder | None:
        """The forwarder with this function name, if any."""
        return next((f for f in self.forwarders if f.function_name == name), None)

    @property
    def fingerprint_parts(self) -> dict[str, dict[str, object]]:
        """What a plan depends on, readably: routes, integrations, stages, forwarders, role.

        Each part maps a name a user knows ('POST /jobs', 'prod', a forwarder's name) to what
        was read of it, so a saved plan refused later can say what changed.
        """
        return {
            "routes": {r.route_key: r.model_dump(mode="json") for r in self.routes},
            "integrations": {i.integration_id: i.model_dump(mode="json")
                             for i in self.integrations},
            # A stage deployed by hand is pointed back at its deployment on undo: another
            # writer's deployment since the read must stop the run, as on REST APIs.
            "stages": {s.stage_name: {"autoDeploy": s.auto_deploy, "deploymentId":
                                      None if s.auto_deploy else s.deployment_id}
                       for s in self.stages},
            "forwarders": {f.function_name: f.model_dump(mode="json") for f in self.forwarders},
            "roles": {self.role.role_name: self.role.model_dump(mode="json")} if self.role
            else {},
        }

    @property
    def fingerprint(self) -> str:
        """A digest of the fingerprint parts, to notice another writer before the first write."""
        return fingerprint(self.fingerprint_parts)

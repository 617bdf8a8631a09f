"""The forwarder recipe as data: names, tags, sizes, the role's policies, the invoke permission."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from asyncgw.core.modes import Mode

PREFIX = "asyncgw-"
TARGET_TAG = "asyncgw:forwarder-target"
MODE_TAG = "asyncgw:forwarder-mode"
ROLE_TAG = "asyncgw:role"
ROLE_TAG_VALUE = "forwarder"
INVOKE_POLICY = "asyncgw-forwarder"
INVOKE_SID = "InvokeTargets"
LOGS_SID = "WriteLogs"
APIGATEWAY_PRINCIPAL = "apigateway.amazonaws.com"
LAMBDA_PRINCIPAL = "lambda.amazonaws.com"
FORWARDER_MODES = (Mode.ASYNC, Mode.SWITCHABLE)

MAX_INTEGRATION_TIMEOUT_MS = 30_000
"""HTTP API integrations time out after 30 s at most [MODEL apigatewayv2 TimeoutInMillis]."""

_NAME_LIMIT = 64  # Lambda function names: 1-64 characters of [a-zA-Z0-9-_] [DOC]
_UNSAFE = re.compile(r"[^a-zA-Z0-9-_]+")
_FUNCTION_ARN = re.compile(
    r"^arn:(?P<partition>[^:]+):lambda:(?P<region>[^:]+):(?P<account>\d+):function:"
    r"(?P<name>[^:/]+)(?::(?P<qualifier>[^:/]+))?$"
)
_REPLACES = re.compile(r"; replaces integration (\S+)$")
_INVOCATION_URI = re.compile(r":lambda:path/[^/]+/functions/(?P<function>.+)/invocations$")


@dataclass(frozen=True)
class Sizing:
    """Timeout and memory of a forwarder function."""

    timeout_s: int
    memory_mb: int


SIZING = {
    # An Event call returns as soon as Lambda has queued it; 10 s leaves room for retries.
    Mode.ASYNC: Sizing(timeout_s=10, memory_mb=128),
    # A RequestResponse call waits for the target, which the integration gives at most 30 s.
    Mode.SWITCHABLE: Sizing(timeout_s=MAX_INTEGRATION_TIMEOUT_MS // 1000, memory_mb=128),
}


@dataclass(frozen=True)
class FunctionArn:
    """The parts of a Lambda function ARN."""

    partition: str
    region: str
    account: str
    name: str
    qualifier: str | None

    @property
    def unqualified(self) -> str:
        """The ARN without version or alias."""
        return f"arn:{self.partition}:lambda:{self.region}:{self.account}:function:{self.name}"


def parse_function_arn(text: str) -> FunctionArn | None:
    """The parts of a function ARN, or None for anything else (names, stage variables)."""
    match = _FUNCTION_ARN.match(text)
    if match is None:
        return None
    return FunctionArn(**match.groupdict())


def integration_function(uri: str | None) -> str | None:
    """The function an HTTP API Lambda integration calls, from its IntegrationUri."""
    # The URI is the function ARN [MODEL apigatewayv2 IntegrationUri]; the REST-style
    # invocation URI that wraps it is accepted as well [UNVERIFIED], so both are read.
    if not uri:
        return None
    match = _INVOCATION_URI.search(uri)
    return match.group("function") if match else uri


def same_function(one: str | None, other: str | None) -> bool:
    """True when two function references name the same function and qualifier."""
    if one is None or other is None:
        return False
    return one.removesuffix(":$LATEST") == other.removesuffix(":$LATEST")


def forwarder_name(target: str, mode: Mode) -> str:
    """The one forwarder function name for (target, mode), unique per target ARN."""
    head = f"{PREFIX}{mode}-"
    parts = parse_function_arn(target)
    readable = _UNSAFE.sub("-", f"{parts.name}-{parts.qualifier}" if parts and parts.qualifier
                           else parts.name if parts else target).strip("-")
    digest = hashlib.sha256(target.encode()).hexdigest()[:8]
    name = f"{head}{readable}-{digest}"
    if len(name) > _NAME_LIMIT:
        name = f"{head}{readable[: _NAME_LIMIT - len(head) - 9].rstrip('-')}-{digest}"
    return name


def integration_description(mode: Mode, target: str, origin: str | None) -> str:
    """The description of a forwarder integration; it names the integration it replaces."""
    replaces = f"; replaces integration {origin}" if origin else ""
    return f"asyncgw forwarder ({mode}) for {target}{replaces}"


def replaced_integration(description: str | None) -> str | None:
    """The integration a forwarder integration replaces, from its description."""
    match = _REPLACES.search(description or "")
    return match.group(1) if match else None


def role_name(region: str) -> str:
    """The forwarders' IAM role: one per region, so its forwarders are all visible from there."""
    return f"{PREFIX}forwarder-{region}"


def role_arn(partition: str, account: str, region: str) -> str:
    """The ARN of role_name(region)."""
    return f"arn:{partition}:iam::{account}:role/{role_name(region)}"


def function_arn(partition: str, region: str, account: str, name: str) -> str:
    """The ARN of a function in this account and region."""
    return f"arn:{partition}:lambda:{region}:{account}:function:{name}"


def statement_id(api_id: str) -> str:
    """The Sid of the permission that lets one API invoke a forwarder."""
    return f"{PREFIX}{api_id}"


def source_arn(partition: str, region: str, account: str, api_id: str) -> str:
    """Every stage, method and route of one API, as execute-api ARNs spell them [DOC]."""
    return f"arn:{partition}:execute-api:{region}:{account}:{api_id}/*/*"


def forwarder_tags(target: str, mode: Mode) -> dict[str, str]:
    """The tags by which status recognises a forwarder and its target."""
    return {TARGET_TAG: target, MODE_TAG: str(mode)}


def forwarder_environment(target: str, mode: Mode) -> dict[str, str]:
    """The environment the handler reads."""
    return {"TARGET_FUNCTION_ARN": target, "MODE": str(mode)}


def trust_policy() -> dict[str, Any]:
    """Only Lambda may assume the forwarders' role."""
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": LAMBDA_PRINCIPAL},
                       "Action": "sts:AssumeRole"}],
    }


def invoke_policy(targets: Iterable[str], partition: str, account: str,
                  region: str) -> dict[str, Any]:
    """InvokeFunction on exactly these targets, and logs for the forwarders of this region."""
    groups = f"arn:{partition}:logs:{region}:{account}:log-group:/aws/lambda/{PREFIX}*"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": INVOKE_SID, "Effect": "Allow", "Action": "lambda:InvokeFunction",
             "Resource": sorted(set(targets))},
            {"Sid": LOGS_SID, "Effect": "Allow",
             "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": [groups, f"{groups}:*"]},
        ],
    }


def policy_targets(document: dict[str, Any] | None) -> tuple[str, ...]:
    """The targets an invoke policy allows (its InvokeTargets statement)."""
    if not document:
        return ()
    found: set[str] = set()
    for statement in _listed(document.get("Statement")):
        if isinstance(statement, dict) and statement.get("Sid") == INVOKE_SID:
            found.update(r for r in _listed(statement.get("Resource")) if isinstance(r, str))
    return tuple(sorted(found))


def _listed(value: Any) -> list[Any]:
    """A policy element that may be one value or a list of them (or absent), as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def canonical(document: dict[str, Any]) -> str:
    """A policy document as the JSON text asyncgw sends and compares."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"))

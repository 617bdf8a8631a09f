"""Small builders of HTTP API snapshots for the pure tests: plain values in, models out."""

from __future__ import annotations

from collections.abc import Sequence

from asyncgw.core.modes import Mode
from asyncgw.http.forwarder.package import HANDLER, RUNTIME, code_sha256
from asyncgw.http.recipe import (
    APIGATEWAY_PRINCIPAL,
    ROLE_TAG,
    ROLE_TAG_VALUE,
    canonical,
    forwarder_environment,
    forwarder_name,
    forwarder_tags,
    integration_description,
    invoke_policy,
    role_name,
    statement_id,
    trust_policy,
)
from asyncgw.http.snapshot import (
    Account,
    Forwarder,
    ForwarderRole,
    HttpApi,
    HttpApiSnapshot,
    Integration,
    Route,
    Stage,
    Statement,
)
from tests.support.account import ACCOUNT_ID, REGION, arn

API_ID = "a1b2c3d4e5"
ACCOUNT = Account(account_id=ACCOUNT_ID)


def integration(integration_id: str, function: str = "jobs", payload: str = "2.0",
                timeout: int = 30000, description: str | None = None,
                kind: str = "AWS_PROXY", credentials: str | None = None) -> Integration:
    """A Lambda proxy integration (or another kind) to a function of the test account."""
    return Integration(integration_id=integration_id, integration_type=kind,
                       integration_uri=arn(function) if kind == "AWS_PROXY" else
                       "https://example.com", payload_format_version=payload,
                       timeout_in_millis=timeout, description=description,
                       credentials_arn=credentials)


def via_forwarder(integration_id: str, target: str, mode: Mode, origin: str | None,
                  payload: str = "2.0") -> Integration:
    """An integration that calls the forwarder of `target` in `mode`, replacing `origin`."""
    return Integration(integration_id=integration_id, integration_type="AWS_PROXY",
                       integration_uri=arn(forwarder_name(arn(target), mode)),
                       payload_format_version=payload, timeout_in_millis=30000,
                       description=integration_description(mode, arn(target), origin))


def route(key: str, integration_id: str | None, route_id: str | None = None) -> Route:
    """A route whose target is `integrations/<integration_id>` (or none)."""
    return Route(route_id=route_id or f"r-{abs(hash(key)) % 10**6}", route_key=key,
                 target=f"integrations/{integration_id}" if integration_id else None)


def forwarder(target: str, mode: Mode, api_ids: Sequence[str] = (API_ID,)) -> Forwarder:
    """An asyncgw forwarder of `target`, allowing these APIs."""
    name = forwarder_name(arn(target), mode)
    return Forwarder(
        function_name=name, function_arn=arn(name), target=arn(target), mode=str(mode),
        role=f"arn:aws:iam::{ACCOUNT.account_id}:role/{role_name(REGION)}", runtime=RUNTIME,
        handler=HANDLER, description="asyncgw forwarder", timeout=10, memory_size=128,
        code_sha256=code_sha256(), environment=forwarder_environment(arn(target), mode),
        tags=forwarder_tags(arn(target), mode),
        statements=tuple(
            Statement(sid=statement_id(a), principal=APIGATEWAY_PRINCIPAL,
                      action="lambda:InvokeFunction",
                      source_arn=f"arn:aws:execute-api:{REGION}:{ACCOUNT.account_id}:{a}/*/*")
            for a in api_ids))


def role(targets: Sequence[str] = (), ours: bool = True,
         other_policies: Sequence[str] = ()) -> ForwarderRole:
    """The forwarders' role, with an invoke policy for these target names (if any)."""
    policy = canonical(invoke_policy([arn(t) for t in targets], "aws", ACCOUNT.account_id,
                                     REGION)) if targets else None
    return ForwarderRole(
        role_name=role_name(REGION), arn=f"arn:aws:iam::{ACCOUNT.account_id}:role/"
                                         f"{role_name(REGION)}",
        trust_policy=canonical(trust_policy()),
        tags={ROLE_TAG: ROLE_TAG_VALUE} if ours else {}, invoke_policy=policy,
        other_policies=tuple(other_policies))


def stage(name: str = "$default", auto: bool = True, deployment: str | None = "d1") -> Stage:
    """A stage, deploying automatically unless told otherwise."""
    return Stage(stage_name=name, auto_deploy=auto, deployment_id=deployment)


def snapshot(
    routes: Sequence[Route],
    integrations: Sequence[Integration],
    stages: Sequence[Stage] = (stage(),),
    forwarders: Sequence[Forwarder] = (),
    role: ForwarderRole | None = None,
    tags: dict[str, str] | None = None,
    occupied: dict[str, str] | None = None,
    complete: bool = True,
) -> HttpApiSnapshot:
    """A snapshot of API_ID, read for a change unless told otherwise."""
    return HttpApiSnapshot(
        api=HttpApi(api_id=API_ID, name="jobs", tags=tags or {}), region=REGION,
        routes=tuple(routes), integrations=tuple(integrations), stages=tuple(stages),
        forwarders=tuple(forwarders), role=role, occupied=occupied or {},
        account=ACCOUNT if complete else None, complete=complete)

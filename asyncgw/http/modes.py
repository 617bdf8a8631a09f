"""Which mode a route is in: direct (sync), through a forwarder (async, switchable), or neither."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asyncgw.core.modes import INTEGRATION_TYPES, Mode
from asyncgw.http.forwarder.package import code_sha256
from asyncgw.http.recipe import (
    forwarder_environment,
    integration_function,
    parse_function_arn,
    role_name,
)
from asyncgw.http.snapshot import Forwarder, HttpApiSnapshot, Integration, Route


@dataclass(frozen=True)
class RouteAssessment:
    """A route's mode, the function it ends at, the forwarder between, and what is wrong."""

    mode: Mode
    integration: Integration | None = None
    target: str | None = None
    forwarder: Forwarder | None = None
    reason: str | None = None
    warnings: tuple[str, ...] = ()


def lambda_target(integration: Integration | None) -> str | None:
    """The function a Lambda proxy integration invokes, or None for any other integration."""
    if integration is None or integration.integration_type != "AWS_PROXY":
        return None
    if integration.integration_subtype:
        return None
    return integration_function(integration.integration_uri)


def assess(route: Route, snapshot: HttpApiSnapshot) -> RouteAssessment:
    """Classify a route; a forwarder route names its real target."""
    if route.target is None:
        return RouteAssessment(Mode.NOT_ELIGIBLE, reason="no integration")
    integration = snapshot.integration(route.integration_id)
    if integration is None:
        return RouteAssessment(Mode.NOT_ELIGIBLE,
                               reason=f"target {route.target} is not an integration of the API")
    reason = _ineligibility(integration)
    if reason is not None:
        return RouteAssessment(Mode.NOT_ELIGIBLE, integration, reason=reason)
    function = lambda_target(integration)
    if function in snapshot.missing_functions:
        return RouteAssessment(Mode.NOT_ELIGIBLE, integration, function,
                               reason=f"function {function} does not exist (deleted?)")
    forwarder = snapshot.forwarder_at(function)
    if forwarder is None:
        return RouteAssessment(Mode.SYNC, integration, function)
    mode = Mode(forwarder.mode) if forwarder.mode in (Mode.ASYNC, Mode.SWITCHABLE) else None
    if mode is None:
        return RouteAssessment(Mode.NOT_ELIGIBLE, integration, forwarder.target, forwarder,
                               reason=f"forwarder {forwarder.function_name} has unknown mode "
                                      f"{forwarder.mode!r}")
    return RouteAssessment(mode, integration, forwarder.target, forwarder,
                           warnings=_forwarder_gaps(forwarder, snapshot))


def _ineligibility(integration: Integration) -> str | None:
    kind = integration.integration_type
    if kind not in INTEGRATION_TYPES:
        return f"unknown integration type {kind}"
    if integration.integration_subtype:
        return f"{kind} {integration.integration_subtype} integration, not a Lambda function"
    if kind != "AWS_PROXY":
        return f"{kind} integration, not a Lambda function"
    function = integration_function(integration.integration_uri)
    if function is None:
        return "Lambda integration without a function"
    if "${" in function:
        return "the function is chosen by a stage variable, so no single forwarder fits"
    if parse_function_arn(function) is None:
        return f"{function} is not a Lambda function ARN"
    return None


def _forwarder_gaps(forwarder: Forwarder, snapshot: HttpApiSnapshot) -> tuple[str, ...]:
    gaps = []
    name = forwarder.function_name
    expected = forwarder_environment(forwarder.target, Mode(forwarder.mode))
    if any(forwarder.environment.get(k) != v for k, v in expected.items()):
        gaps.append(f"forwarder {name}'s environment does not match its tags: it may invoke "
                    "another function or in another mode")
    if not forwarder.allows(snapshot.api.api_id):
        gaps.append(f"no permission lets this API invoke {name}: API Gateway cannot call it")
    role = snapshot.role
    if role is not None and forwarder.target not in role.targets:
        gaps.append(f"role {role.role_name} may not invoke {forwarder.target}: the forwarder "
                        "answers 502")
    elif role is None:
        gaps.append(f"role {role_name(snapshot.region)} is missing: {name} cannot run")
    if forwarder.code_sha256 and forwarder.code_sha256 != code_sha256():
        gaps.append(f"{name} runs another version of the forwarder code than this asyncgw")
    return tuple(gaps)


def ineligibility(route: Route, snapshot: HttpApiSnapshot) -> str | None:
    """Why a route cannot be changed, or None when it can."""
    return assess(route, snapshot).reason


def missing_header_warning(routes: Sequence[str], automatic: Sequence[str],
                           deploying: str | None, undeployed: Sequence[str]) -> str:
    """Who gets 400 from when, once routes call the switchable forwarder, for the plan's owner.

    The forwarder answers a call without InvocationType (or with a blank one) 400 itself
    (forwarder/handler.py), so this holds on every stage that serves the change.
    """
    when = ([f"at once on stage(s) {', '.join(automatic)} (they deploy automatically)"]
            if automatic else [])
    if deploying:
        when.append(f"once stage {deploying} is deployed (this plan does it)")
    if undeployed:
        when.append(f"on stage(s) {', '.join(undeployed)} at their next deployment")
    return (f"callers of {', '.join(routes)} that do not send the InvocationType header will get "
            "400 (\"Missing required request parameters: [InvocationType]\") from the "
            f"forwarder {', '.join(when) or 'at the next deployment of a stage'}; an HTTP "
            "API's switchable forwarder always requires the header (--optional-header is for "
            "REST APIs)")

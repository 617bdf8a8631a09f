"""Deploying a stage's canary release: the settings kept, the undo journaled, the read-back."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import Field

from asyncgw.core.errors import ApplyFailed, AsyncgwError, UsageError
from asyncgw.core.journal import Deployer, Journal
from asyncgw.core.model import Model


class CanaryRelease(Model):
    """A stage's canary release: the deployment it serves to a share of the stage's traffic."""

    deployment_id: str | None = None
    percent_traffic: float = 0.0
    stage_variable_overrides: dict[str, str] = Field(default_factory=dict)
    use_stage_cache: bool = False

    def deployment_settings(self, percent: float) -> dict[str, object]:
        """canarySettings of a CreateDeployment that replaces this canary's deployment.

        The overrides and the stage cache setting are sent again, so that they are kept:
        whether AWS keeps what a canary deployment leaves out is [UNVERIFIED]; a canary
        deployment with settings replaces the canary's [REC canary get-stage-1].
        """
        settings: dict[str, object] = {"percentTraffic": percent,
                                       "useStageCache": self.use_stage_cache}
        if self.stage_variable_overrides:
            settings["stageVariableOverrides"] = dict(self.stage_variable_overrides)
        return settings


def canary_release(settings: object) -> CanaryRelease | None:
    """A stage's canarySettings as GetStage returns them [REC E5], or None without a canary."""
    if not isinstance(settings, dict):
        return None
    return CanaryRelease.model_validate(settings)


@runtime_checkable
class CanaryDeployer(Deployer, Protocol):
    """What deploying into a canary needs of a gateway (REST gateways have it)."""

    def create_canary_deployment(self, api_id: str, stage: str, description: str,
                                 settings: dict[str, object]) -> str: ...

    def point_canary(self, api_id: str, stage: str, canary: CanaryRelease | None) -> None: ...

    def canary_of(self, api_id: str, stage: str) -> CanaryRelease | None: ...


def check_percent(percent: float | None, no_deploy: bool = False) -> None:
    """Raise UsageError for a share of traffic outside 0.0-100.0, or --canary with --no-deploy."""
    if percent is None:
        return
    if not 0.0 <= percent <= 100.0:
        raise UsageError(f"--canary takes a share of traffic from 0.0 to 100.0, not {percent:g}")
    if no_deploy:
        raise UsageError("--canary deploys the change as the stage's canary; it cannot go "
                         "with --no-deploy")


def refuse_http(percent: float | None) -> None:
    """Raise UsageError when --canary is asked of an HTTP API."""
    if percent is not None:
        raise UsageError("--canary works on REST APIs only: HTTP API stages have no canary "
                         "releases (apigatewayv2 has no canarySettings)")


def deploy_canary(
    journal: Journal,
    gateway: Deployer,
    api_id: str,
    stage: str,
    stage_deployment: str | None,
    previous: CanaryRelease | None,
    percent: float,
    description: str,
) -> str:
    """Deploy as the stage's canary at `percent`, journal pointing the canary back, and check.

    The check reads that the canary serves the new deployment and that the stage's own
    deployment did not move [REC E5: CreateDeployment with canarySettings leaves it].
    """
    if not isinstance(gateway, CanaryDeployer):
        raise ApplyFailed(f"API {api_id} has no canary releases")
    canaries = gateway

    def point_back() -> None:
        what = (f"point the canary of stage {stage} back at deployment "
                f"{previous.deployment_id}" if previous else f"remove the canary of stage {stage}")
        journal.record(what, lambda: canaries.point_canary(api_id, stage, previous))

    journal.wrote = True
    settings = (previous or CanaryRelease()).deployment_settings(percent)
    try:
        new_id = canaries.create_canary_deployment(api_id, stage, description, settings)
    except BaseException as failure:
        # As for a full deployment: a 4xx deployed nothing, anything else may have.
        if not (isinstance(failure, AsyncgwError) and failure.refused):
            point_back()
        raise
    point_back()
    served = canaries.stage(api_id, stage).deployment_id
    canary = canaries.canary_of(api_id, stage)
    if canary is None or canary.deployment_id != new_id:
        found = canary.deployment_id if canary else "no canary"
        raise ApplyFailed(f"the canary of stage {stage} serves {found}, not the new {new_id}")
    if served != stage_deployment:
        raise ApplyFailed(f"stage {stage} moved to deployment {served} (was "
                          f"{stage_deployment}); a canary deployment must leave it")
    return new_id

"""What a stage with a canary serves: both deployments, the traffic share, what can be known."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from asyncgw.core.canary import CanaryRelease, canary_release
from asyncgw.core.errors import AsyncgwError
from asyncgw.core.modes import Mode
from asyncgw.rest.canary_ops import DeploymentInfo
from asyncgw.rest.live import Served
from asyncgw.rest.snapshot import ApiSnapshot

if TYPE_CHECKING:
    from asyncgw.rest.gateway import Gateway

UNKNOWABLE = ("the canary's methods cannot be read: GetExport exports only the stage's own "
              "deployment, and GetDeployment's API summary has no integrations")
"""Why status cannot tell a canary's modes [MODEL GetExport takes a stage; GetDeployment
embed=apisummary holds only authorizationType and apiKeyRequired per method, 3.3]."""


@dataclass(frozen=True)
class Read:
    """A deployment as GetDeployment answered, or why it could not be read."""

    id: str | None
    info: DeploymentInfo | None = None
    error: str | None = None


@dataclass(frozen=True)
class StageCanary:
    """A stage's canary release beside what the stage itself serves."""

    stage: str
    canary: CanaryRelease
    stage_deployment: Read
    canary_deployment: Read

    @property
    def same_deployment(self) -> bool:
        """True when the canary serves the stage's own deployment (a canary at its start)."""
        return self.canary.deployment_id == self.stage_deployment.id

    def modes(self, served: Served | None) -> dict[str, Mode] | None:
        """The canary's methods' modes, when they can be known: only from the stage's own."""
        if self.same_deployment and served is not None and served.error is None:
            return dict(served.modes)
        return None


def read(gateway: Gateway, snapshot: ApiSnapshot) -> dict[str, StageCanary]:
    """For each stage with a canary release: both deployments, read with GetDeployment."""
    found = {}
    for stage in snapshot.stages:
        canary = canary_release(stage.canary_settings)
        if canary is not None:
            found[stage.stage_name] = StageCanary(
                stage.stage_name, canary, _deployment(gateway, snapshot.api.id,
                                                      stage.deployment_id),
                _deployment(gateway, snapshot.api.id, canary.deployment_id))
    return found


def _deployment(gateway: Gateway, api_id: str, deployment_id: str | None) -> Read:
    if deployment_id is None:
        return Read(None, error="no deployment id")
    try:
        return Read(deployment_id, gateway.deployment(api_id, deployment_id))
    except AsyncgwError as error:
        return Read(deployment_id, error=error.message)


def lines(found: StageCanary) -> list[str]:
    """The status header's lines under a stage with a canary."""
    canary = found.canary
    rest = f"{100 - canary.percent_traffic:g}%"
    out = [f"  canary: {canary.percent_traffic:g}% of traffic to deployment "
           f"{_shown(found.canary_deployment)}",
           f"  the other {rest} to the stage's own deployment {_shown(found.stage_deployment)}"]
    if canary.stage_variable_overrides:
        overrides = ", ".join(f"{k}={v}" for k, v in sorted(
            canary.stage_variable_overrides.items()))
        out.append(f"  canary stage variable overrides: {overrides}")
    if found.same_deployment:
        out.append("  the canary serves the stage's own deployment: its methods are the "
                   "stage's (the ON column)")
    else:
        out.append(f"  {UNKNOWABLE}; its description says what it was made for")
    return out


def _shown(found: Read) -> str:
    if found.info is None:
        return f"{found.id} (not readable: {found.error})"
    details = [repr(found.info.description)] if found.info.description else []
    if found.info.created_date is not None:
        details.append(f"created {found.info.created_date.strftime('%Y-%m-%d %H:%M %Z')}"
                       .strip())
    return f"{found.id} ({', '.join(details)})" if details else str(found.id)


def data(found: StageCanary, served: Served | None) -> dict[str, Any]:
    """The canary release of a stage as status JSON shows it."""
    modes = found.modes(served)
    return {
        "percentTraffic": found.canary.percent_traffic,
        "stageVariableOverrides": found.canary.stage_variable_overrides,
        "useStageCache": found.canary.use_stage_cache,
        "deployment": _read_json(found.canary_deployment),
        "stageDeployment": _read_json(found.stage_deployment),
        "methods": None if modes is None else {key: str(mode) for key, mode in modes.items()},
        "methodsNote": None if modes is not None else (
            "same deployment as the stage, whose export could not be read"
            if found.same_deployment else UNKNOWABLE),
    }


def _read_json(found: Read) -> dict[str, Any]:
    info = found.info
    created = info.created_date if info else None
    return {"id": found.id, "description": info.description if info else None,
            "createdDate": created.isoformat() if created else None, "error": found.error}


"""UpdateStage operations of canary releases: set a canary back, remove it, promote it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from asyncgw.core.canary import CanaryRelease
from asyncgw.core.model import Model
from asyncgw.rest.plan import StageOp

CANARY = "/canarySettings"


class DeploymentInfo(Model):
    """A deployment as GetDeployment returns it: id, description, creation date [MODEL]."""

    id: str
    description: str | None = None
    created_date: datetime | None = None


def canary_ops(canary: CanaryRelease | None) -> list[StageOp]:
    """The operations that make a stage's canary be `canary`; None removes the canary.

    A replace of a canary field on a stage without a canary creates one [REC canary
    update-stage-with-deployment, update-stage-with-percent]; `remove /canarySettings` turns
    it off [REC canary update-stage-remove-canary-settings; DOC patch-operations table].
    """
    if canary is None:
        return [StageOp(op="remove", path=CANARY)]
    ops = [StageOp(op="replace", path=f"{CANARY}/deploymentId", value=canary.deployment_id),
           StageOp(op="replace", path=f"{CANARY}/percentTraffic",
                   value=str(canary.percent_traffic)),
           StageOp(op="replace", path=f"{CANARY}/useStageCache",
                   value=str(canary.use_stage_cache).lower())]
    # Stage variable names are letters, digits and underscores [DOC stage-variables]: no key
    # here needs JSON Pointer escaping.
    ops += [StageOp(op="replace", path=f"{CANARY}/stageVariableOverrides/{name}", value=value)
            for name, value in sorted(canary.stage_variable_overrides.items())]
    return ops


def promote_ops(canary: CanaryRelease) -> list[StageOp]:
    """What the console's 'Promote canary' sends, exactly.

    The canary's share goes to 0 %, the stage takes the canary's deployment, and its
    variables take the canary's overrides (merged in, others kept) [DOC
    promote-canary-deployment, its AWS CLI example; REC canary update-stage-with-copy-2].
    The canary stays at 0 % until removed; asyncgw removes it in a second call, since
    copies and a remove in one call were never recorded.
    """
    ops = [StageOp(op="replace", path=f"{CANARY}/percentTraffic", value="0.0"),
           StageOp(op="copy", from_=f"{CANARY}/deploymentId", path="/deploymentId")]
    if canary.stage_variable_overrides:
        # Copying absent overrides is [UNVERIFIED] on AWS: only sent when there are some.
        ops.append(StageOp(op="copy", from_=f"{CANARY}/stageVariableOverrides",
                           path="/variables"))
    return ops


def unpromote_ops(deployment_id: str | None, variables: Mapping[str, str],
                  canary: CanaryRelease) -> list[StageOp]:
    """Operations that undo promote_ops: the stage's deployment, variables and canary share.

    `/variables/{variable_name}` takes replace and remove [REC E7 lists the path; the sandbox
    and moto take both]; `/deploymentId` takes replace [DOC patch-operations table].
    """
    overrides = canary.stage_variable_overrides
    ops = [StageOp(op="replace", path=f"{CANARY}/percentTraffic",
                   value=str(canary.percent_traffic)),
           StageOp(op="replace", path="/deploymentId", value=deployment_id)]
    for name in sorted(overrides):
        path = f"/variables/{name}"
        ops.append(StageOp(op="replace", path=path, value=variables[name]) if name in variables
                   else StageOp(op="remove", path=path))
    return ops


"""Canary releases on stages: canarySettings on CreateDeployment, CreateStage and UpdateStage."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from asyncgw_sandbox.errors import BadRequest
from asyncgw_sandbox.model_fixes import mark_stage_updated
from asyncgw_sandbox.patch_document import as_flag

# moto (>=5.1,<5.3) has no canary at all: it drops canarySettings everywhere. The sandbox keeps
# a stage's canary, shaped as GetStage returns it, in this attribute of moto's Stage.
CANARY = "sandbox_canary_settings"
INVALID_CONTENT = "Invalid deployment content specified."
DEPLOYMENT_MISSING = "Deployment id does not exist"  # [REC canary bad-canary-deployment-id]
NO_CANARY_TO_PROMOTE = "Promotion not available. Canary does not exist."  # [REC canary copy]
# The paths UpdateStage lists when it refuses one, as recorded [REC E7; canary
# update-stage-canary-settings-bad-path-2], its odd spacing and missing commas included.
STAGE_PATHS = (
    "/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, "
    "/accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, "
    "/{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, "
    "/{resourcePath}/{httpMethod}/logging/loglevel, "
    "/{resourcePath}/{httpMethod}/throttling/burstLimit"
    "/{resourcePath}/{httpMethod}/throttling/rateLimit"
    "/{resourcePath}/{httpMethod}/caching/ttlInSeconds, "
    "/{resourcePath}/{httpMethod}/caching/enabled, "
    "/{resourcePath}/{httpMethod}/caching/dataEncrypted, "
    "/{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, "
    "/{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, "
    "/*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, "
    "/*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, "
    "/*/*/caching/enabled, /*/*/caching/dataEncrypted, "
    "/*/*/caching/requireAuthorizationForCacheControl, "
    "/*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, "
    "/tracingEnabled"
)
PROMOTIONS = {  # copy `from` -> `path`, the only copies UpdateStage takes [REC canary copy]
    "/canarySettings/deploymentId": "/deploymentId",
    "/canarySettings/stageVariableOverrides": "/variables",
}
Handler = Callable[[Any], Any]
JsonOf = Callable[[Any], dict[str, Any]]


def canary_of(stage: Any) -> dict[str, Any] | None:
    """The stage's canarySettings as GetStage shows them, or None without a canary."""
    found: dict[str, Any] | None = getattr(stage, CANARY, None)
    return found


def full_deployment_refused(stage_name: str) -> BadRequest:
    """AWS's answer to a deployment without canarySettings onto a stage that has a canary."""
    # [DOC canary-release: no non-canary deployment while the canary is enabled] with the text
    # of a real AWS error [COMM serverless/serverless#11518]. LocalStack removes the canary.
    return BadRequest(
        f"{INVALID_CONTENT}Non canary deployment not supported on stage {stage_name} because "
        "Canary is enabled. Provide CanarySettings in deploymentInput."
    )


def stage_json(original: JsonOf) -> JsonOf:
    """Stage.to_json with the stage's canarySettings [REC canary get-stage]."""

    def to_json(self: Any) -> dict[str, Any]:
        document = original(self)
        canary = canary_of(self)
        if canary is not None:
            document["canarySettings"] = dict(canary)
        return document

    return to_json


def canary_create_deployment(original: Handler) -> Handler:
    """CreateDeployment: with canarySettings the deployment becomes the stage's canary [REC E5]."""

    def create_deployment(self: Any) -> Any:
        api_id = self.path.replace("/restapis/", "", 1).split("/")[0]
        stage_name = self._get_param("stageName")
        settings = self._get_param("canarySettings")
        api = self.backend.get_rest_api(api_id)
        stage = api.stages.get(stage_name) if stage_name else None
        if settings is None:
            if stage is not None and canary_of(stage) is not None:
                raise full_deployment_refused(stage_name)
            return original(self)
        if not stage_name:  # [REC E6]: Java prints a missing string as "null"
            shown = "null" if stage_name is None else stage_name
            raise BadRequest(f"{INVALID_CONTENT}Non null and non empty stageName must be "
                             f"provided for canary deployment. Provided value is {shown}")
        if stage is None:  # [REC E6]
            raise BadRequest(f"{INVALID_CONTENT}Stage {stage_name} must already be created "
                             "before making a canary release deployment")
        # Deployed without a stage name, so that moto leaves the stage's deploymentId alone.
        deployment = self.backend.create_deployment(api_id, None, self._get_param("description"))
        setattr(stage, CANARY, _settings(deployment.id, settings))  # [REC E5]
        mark_stage_updated(stage)  # a deployment onto the stage [MODEL Stage lastUpdatedDate]
        return 201, {"status": 201}, json.dumps(deployment.to_json())

    return create_deployment


def canary_create_stage(original: Handler) -> Handler:
    """CreateStage keeping canarySettings, whose deployment must exist [REC canary create-stage]."""

    def create_stage(self: Any) -> Any:
        settings = self._get_param("canarySettings")
        if settings is None:
            return original(self)
        api = self.backend.get_rest_api(self.path.split("/")[2])
        canary_deployment = settings.get("deploymentId")
        if canary_deployment is not None and canary_deployment not in api.deployments:
            raise BadRequest(DEPLOYMENT_MISSING)  # [REC canary bad-canary-deployment-id]
        status, headers, _ = original(self)
        stage = api.stages[self._get_param("stageName")]
        # Without a deploymentId the canary serves the stage's own deployment [UNVERIFIED].
        setattr(stage, CANARY, _settings(canary_deployment or stage.deployment_id, settings))
        return status, headers, json.dumps(stage.to_json())

    return create_stage


def canary_update_stage(original: Callable[..., Any]) -> Callable[..., Any]:
    """UpdateStage taking the canary paths and promotions moto does not know, in order."""

    def update_stage(self: Any, function_id: str, stage_name: str, patch_operations: Any) -> Any:
        stage = self.get_stage(function_id, stage_name)
        api = self.get_rest_api(function_id)
        others: list[dict[str, Any]] = []
        for operation in patch_operations or ():
            if not _about_canary(operation):
                others.append(operation)
                continue
            if others:
                original(self, function_id, stage_name, others)
                others = []
            _apply(api, stage, operation)
        if others:
            original(self, function_id, stage_name, others)
        mark_stage_updated(stage)  # [MODEL Stage lastUpdatedDate]; not reached when refused
        return stage

    return update_stage


def _about_canary(operation: Mapping[str, Any]) -> bool:
    path = str(operation.get("path") or "")
    return path.startswith("/canarySettings") or operation.get("op") == "copy"


def _apply(api: Any, stage: Any, operation: Mapping[str, Any]) -> None:
    op, path, value = operation.get("op"), str(operation.get("path")), operation.get("value")
    if op == "copy":
        _promote(stage, str(operation.get("from")), path)
    elif op == "remove" and path == "/canarySettings":
        setattr(stage, CANARY, None)  # [REC canary update-stage-remove-canary-settings]
    elif op == "remove":  # [REC canary update-stage-canary-settings-remove-overrides, bad-path]
        raise BadRequest(f"Cannot remove method setting {path[1:]} because there is no method "
                         "setting for this method ")
    elif op == "add":  # [REC canary update-stage-add-deployment]
        raise BadRequest(f"Invalid add operation with path: {path}")
    elif op == "replace":
        _replace(api, stage, path, value)
    else:
        raise _invalid_path(path)  # move and test on a canary path [UNVERIFIED]


def _replace(api: Any, stage: Any, path: str, value: Any) -> None:
    # A replace on a stage without a canary creates one at 0 % serving the stage's deployment
    # [REC canary update-stage-with-deployment, update-stage-with-percent].
    canary = dict(canary_of(stage) or _settings(stage.deployment_id, {}))
    field = path.removeprefix("/canarySettings/")
    if field == "deploymentId":
        if value not in api.deployments:
            raise BadRequest(DEPLOYMENT_MISSING)  # [REC canary update-stage-no-deployment]
        canary["deploymentId"] = value
    elif field == "percentTraffic":
        try:
            canary["percentTraffic"] = float(value)  # [REC] "50" is stored as 50.0
        except (TypeError, ValueError):
            # A 400, not moto's 500; AWS's wording for it is [UNVERIFIED].
            raise BadRequest(f"Invalid percentTraffic value: {value}") from None
    elif field == "useStageCache":
        canary["useStageCache"] = as_flag(value)  # [DOC update-canary-deployment]
    elif field.startswith("stageVariableOverrides/") and field.count("/") == 1:
        overrides = dict(canary.get("stageVariableOverrides") or {})
        overrides[field.split("/", 1)[1]] = value  # [REC canary ...-overrides]
        canary["stageVariableOverrides"] = overrides
    else:
        raise _invalid_path(path)  # [REC canary update-stage-canary-settings-*-bad-path*]
    setattr(stage, CANARY, canary)


def _promote(stage: Any, source: str, target: str) -> None:
    if PROMOTIONS.get(source) != target:  # [REC canary copy-with-bad-statement]
        raise BadRequest(
            f"Invalid copy operation with path: {target} and from {source}. Valid copy:path are "
            "[/deploymentId, /variables] and valid copy:from are [/canarySettings/deploymentId, "
            "/canarySettings/stageVariableOverrides]"
        )
    canary = canary_of(stage)
    if canary is None:
        raise BadRequest(NO_CANARY_TO_PROMOTE)  # [REC canary copy-with-no-replace]
    if target == "/deploymentId":
        stage.deployment_id = canary["deploymentId"]
    else:  # the overrides are merged into the variables [REC canary update-stage-with-copy-2]
        stage.variables = {**(stage.variables or {}), **canary.get("stageVariableOverrides", {})}


def _settings(deployment_id: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """canarySettings as GetStage shows them: overrides only when given [REC canary get-stage]."""
    canary: dict[str, Any] = {
        "deploymentId": deployment_id,
        "percentTraffic": float(settings.get("percentTraffic") or 0.0),
        "useStageCache": bool(settings.get("useStageCache", False)),
    }
    if settings.get("stageVariableOverrides"):
        canary["stageVariableOverrides"] = dict(settings["stageVariableOverrides"])
    return canary


def _invalid_path(path: str) -> BadRequest:
    return BadRequest(f"Invalid method setting path: {path}. Must be one of: [{STAGE_PATHS}]")

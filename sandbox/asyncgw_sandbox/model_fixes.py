"""Corrections to moto's Method, Integration, Deployment, Stage and RestAPI models."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from asyncgw_sandbox.errors import DEPLOYMENT_NOT_FOUND, BadRequest, NotFound

# Functions here are bound as methods of moto model classes: `self` is the model.
JsonOf = Callable[[Any], dict[str, Any]]


def integration_json(original: JsonOf) -> JsonOf:
    """Integration.to_json with the defaults AWS reports and the connectionId moto drops."""

    def to_json(self: Any) -> dict[str, Any]:
        document = original(self)
        # Defaults seen in every recorded integration [REC A15, C2, C6].
        if document.get("timeoutInMillis") is None:
            document["timeoutInMillis"] = 29000
        if document.get("passthroughBehavior") is None:
            document["passthroughBehavior"] = "WHEN_NO_MATCH"
        connection_id = getattr(self, "connection_id", None)
        if connection_id is not None:
            document["connectionId"] = connection_id  # [REC C2]
        return document

    return to_json


def method_json(original: JsonOf) -> JsonOf:
    """Method.to_json without the empty methodResponses map AWS leaves out [REC A1]."""

    def to_json(self: Any) -> dict[str, Any]:
        document = original(self)
        if not document.get("methodResponses"):
            document.pop("methodResponses", None)
        return document

    return to_json


def deployment_json(original: JsonOf) -> JsonOf:
    """Deployment.to_json without moto's extra stageName and empty description [REC E1]."""

    def to_json(self: Any) -> dict[str, Any]:
        document = original(self)
        document.pop("stageName", None)
        if not document.get("description"):
            document.pop("description", None)
        return document

    return to_json


def dated_stage_init(original: Callable[..., None]) -> Callable[..., None]:
    """Stage.__init__ that records the stage's creation as its creation and last update."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.created_date = self.last_updated_date = _now()

    return __init__


def mark_stage_updated(stage: Any) -> None:
    """Record that the stage changed now: a deployment onto it or an UpdateStage."""
    stage.last_updated_date = _now()


def _now() -> int:
    # Whole epoch seconds, as moto dates deployments [UNVERIFIED]; botocore reads them as
    # timestamps either way.
    return int(time.time())


def stage_json(original: JsonOf) -> JsonOf:
    """Stage.to_json shaped as GetStage(s) answers [REC E2, canary.snapshot get-stage]."""

    def to_json(self: Any) -> dict[str, Any]:
        document = original(self)
        # Both dates are in every recorded stage [REC E2]; moto's Stage has neither.
        for key, attribute in (("createdDate", "created_date"),
                               ("lastUpdatedDate", "last_updated_date")):
            if getattr(self, attribute, None) is not None:
                document[key] = getattr(self, attribute)
        # Without a cache AWS says NOT_AVAILABLE, and tracingEnabled false; an empty
        # description or variables map is left out, and moto's null accessLogSettings too.
        if not document.get("cacheClusterEnabled"):
            document["cacheClusterStatus"] = "NOT_AVAILABLE"
        document.setdefault("tracingEnabled", False)
        for key in ("description", "variables", "accessLogSettings"):
            if not document.get(key):
                document.pop(key, None)
        return document

    return to_json


def stage_keeping_deployment(original: Callable[..., Any]) -> Callable[..., Any]:
    """RestAPI.create_deployment that re-points an existing stage instead of replacing it."""

    def create_deployment(
        self: Any, name: str, description: str, stage_variables: Any = None
    ) -> Any:
        existing = self.stages.get(name) if name else None
        deployment = original(self, name, description, stage_variables)
        if existing is not None:
            # The stage keeps everything but its deploymentId [REC E2]; its variables survive a
            # deployment that names none [REC E5]. With variables, replacing them is [UNVERIFIED].
            existing.deployment_id = deployment.id
            mark_stage_updated(existing)
            if stage_variables:
                existing.variables = stage_variables
            self.stages[name] = existing
        return deployment

    return create_deployment


def get_deployment(self: Any, deployment_id: str) -> Any:
    """RestAPI.get_deployment: a 404 instead of moto's KeyError."""
    if deployment_id not in self.deployments:
        raise NotFound(DEPLOYMENT_NOT_FOUND)
    return self.deployments[deployment_id]


def delete_deployment(self: Any, deployment_id: str) -> Any:
    """RestAPI.delete_deployment: refused while any stage points at it [REC E3]."""
    # A deployment that only a stage's canary serves can be deleted [UNVERIFIED].
    deployment = get_deployment(self, deployment_id)
    if any(stage.deployment_id == deployment_id for stage in self.stages.values()):
        raise BadRequest("Active stages pointing to this deployment must be moved or deleted")
    del self.deployments[deployment_id]
    return deployment

"""HTTP API deployments moto lacks: CreateDeployment, Get(s)/DeleteDeployment and UpdateStage."""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.apigatewayv2.exceptions import APIGatewayV2Error, BadRequestException, StageNotFound
from moto.core.utils import iso_8601_datetime_without_milliseconds
from moto.moto_api._internal import mock_random as random

# Functions here are bound as methods of moto's ApiGatewayV2Backend (`self` is the backend) or
# of its Stage (`self` is the stage). A deployment is kept on moto's Api object, so moto's
# reset and its per-account, per-region backends apply to deployments as to everything else.
DEPLOYMENTS = "sandbox_deployments"
STAGE_DEPLOYMENT = "sandbox_deployment_id"
# What UpdateStage can set, by its JSON name, and the Stage attribute moto keeps it in [MODEL].
STAGE_SETTINGS = {
    "accessLogSettings": "access_log_settings",
    "autoDeploy": "auto_deploy",
    "clientCertificateId": "client_certificate_id",
    "defaultRouteSettings": "default_route_settings",
    "description": "description",
    "routeSettings": "route_settings",
    "stageVariables": "stage_variables",
}
JsonOf = Callable[..., dict[str, Any]]


class DeploymentNotFound(APIGatewayV2Error):
    """404 for a deployment id the API does not have."""

    code = 404

    def __init__(self, deployment_id: str) -> None:
        # [UNVERIFIED] text: moto's wording for the other apigatewayv2 ids.
        super().__init__("NotFoundException",
                         f"Invalid Deployment identifier specified {deployment_id}")


@dataclass
class HttpApiDeployment:
    """One deployment of an HTTP API."""

    deployment_id: str
    description: str | None
    created: datetime = field(default_factory=datetime.now)  # naive, as moto dates stages

    def to_json(self) -> dict[str, Any]:
        """The Deployment as AWS answers it, without `description` when none was given [DOC]."""
        # [DOC aws apigatewayv2 create-deployment example]: AutoDeployed false, CreatedDate,
        # DeploymentId, DeploymentStatus DEPLOYED; a recorded transcript shows the same keys.
        document: dict[str, Any] = {
            "autoDeployed": False,
            "createdDate": iso_8601_datetime_without_milliseconds(self.created),
            "deploymentId": self.deployment_id,
            "deploymentStatus": "DEPLOYED",
        }
        if self.description:
            document["description"] = self.description
        return document


def create_deployment(self: Any, api_id: str, description: str | None,
                      stage_name: str | None) -> HttpApiDeployment:
    """A new deployment, served by `stage_name` when one is named."""
    api = self.get_api(api_id)  # moto's 404 for an unknown API
    stage = api.get_stage(stage_name) if stage_name else None  # [UNVERIFIED] moto's stage 404
    deployment = HttpApiDeployment(_new_id(), description)
    deployments(api)[deployment.deployment_id] = deployment
    if stage is not None:
        # Onto an auto-deploying stage too: AWS's answer there is not recorded [UNVERIFIED].
        _serve(stage, deployment.deployment_id)
    return deployment


def get_deployment(self: Any, api_id: str, deployment_id: str) -> HttpApiDeployment:
    """One deployment; 404 when the API has none with this id."""
    found = deployments(self.get_api(api_id)).get(deployment_id)
    if found is None:
        raise DeploymentNotFound(deployment_id)
    return found


def get_deployments(self: Any, api_id: str) -> list[HttpApiDeployment]:
    """Every deployment of the API, oldest first, on one page [UNVERIFIED] (no NextToken)."""
    return list(deployments(self.get_api(api_id)).values())


def delete_deployment(self: Any, api_id: str, deployment_id: str) -> None:
    """Delete a deployment no stage serves."""
    api = self.get_api(api_id)
    if deployment_id not in deployments(api):
        raise DeploymentNotFound(deployment_id)
    if any(getattr(s, STAGE_DEPLOYMENT, None) == deployment_id for s in api.stages.values()):
        # REST APIs refuse it with this text [REC E3]; for HTTP APIs [UNVERIFIED].
        raise BadRequestException(
            "Active stages pointing to this deployment must be moved or deleted")
    del deployments(api)[deployment_id]


def update_stage(self: Any, api_id: str, stage_name: str, changes: Mapping[str, Any]) -> Any:
    """Apply UpdateStage's settings; a new DeploymentId must exist and the stage not auto-deploy."""
    api = self.get_api(api_id)
    stage = api.stages.get(stage_name)
    if stage is None:
        raise StageNotFound
    deployment_id = changes.get("deploymentId")
    auto_deploy = changes.get("autoDeploy", stage.auto_deploy)
    if deployment_id is not None:
        if auto_deploy:
            # "Can't be updated if autoDeploy is enabled" [MODEL UpdateStage.DeploymentId]; a
            # BadRequestException [COMM aws-controllers-k8s/apigatewayv2-controller#15]; the text
            # [UNVERIFIED].
            raise BadRequestException(
                "DeploymentId cannot be updated on a stage with autoDeploy enabled")
        if deployment_id not in deployments(api):
            raise DeploymentNotFound(deployment_id)
    for name, attribute in STAGE_SETTINGS.items():
        if name in changes:
            # A map given replaces the stage's whole map [UNVERIFIED].
            setattr(stage, attribute, changes[name])
    if deployment_id is not None:
        _serve(stage, deployment_id)
    stage.updated = datetime.now()
    return stage


def deployment_keeping_stage_init(original: Callable[..., None]) -> Callable[..., None]:
    """Stage.__init__ keeping CreateStage's DeploymentId [MODEL], which moto ignores."""

    def __init__(self: Any, api: Any, config: dict[str, Any]) -> None:
        deployment_id = config.get("deploymentId")
        if deployment_id is not None and deployment_id not in deployments(api):
            raise DeploymentNotFound(deployment_id)  # [UNVERIFIED] status and text
        original(self, api, config)
        setattr(self, STAGE_DEPLOYMENT, deployment_id)

    return __init__


def stage_json(original: JsonOf) -> JsonOf:
    """Stage.to_json with the `deploymentId` the stage serves [MODEL Stage.DeploymentId]."""

    def to_json(self: Any) -> dict[str, Any]:
        document = original(self)
        served = getattr(self, STAGE_DEPLOYMENT, None)
        if served:
            document["deploymentId"] = served
        return document

    return to_json


def deployments(api: Any) -> dict[str, HttpApiDeployment]:
    """The deployments moto's Api object holds, by id, oldest first."""
    found: dict[str, HttpApiDeployment] = api.__dict__.setdefault(DEPLOYMENTS, {})
    return found


def _serve(stage: Any, deployment_id: str) -> None:
    setattr(stage, STAGE_DEPLOYMENT, deployment_id)
    stage.updated = datetime.now()


def _new_id() -> str:
    # Six lower-case letters and digits, as AWS's ids look [DOC "53lz9l", "dty748"].
    return "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(6))

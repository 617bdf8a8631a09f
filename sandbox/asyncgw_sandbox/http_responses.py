"""HTTP handlers added to moto's ApiGatewayV2Response for deployments and UpdateStage."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

# Functions here are bound as methods of ApiGatewayV2Response: `self` is moto's request handler,
# whose `uri_match` holds the URI template fields (apiId, stageName, deploymentId) of the
# operation botocore's model routed to.
Response = tuple[int, dict[str, Any], str]

# moto routes no URL under /deployments at all (it answers 404 "Not yet implemented"): these
# join moto's apigateway and apigatewayv2 URL tables, the paths of the botocore model [MODEL].
DEPLOYMENT_URL_PATHS = (
    "{0}/v2/apis/(?P<api_id>[^/]+)/deployments$",
    "{0}/v2/apis/(?P<api_id>[^/]+)/deployments/(?P<deployment_id>[^/]+)$",
)


def create_deployment(self: Any) -> Response:
    """POST /v2/apis/{apiId}/deployments: 201 and the Deployment [MODEL, DOC]."""
    body = _body(self)
    deployment = self.apigatewayv2_backend.create_deployment(
        _field(self, "apiId"), body.get("description"), body.get("stageName"))
    return 201, {"status": 201}, json.dumps(deployment.to_json())


def get_deployment(self: Any) -> Response:
    """GET /v2/apis/{apiId}/deployments/{deploymentId}: 200 and the Deployment [MODEL]."""
    deployment = self.apigatewayv2_backend.get_deployment(
        _field(self, "apiId"), _field(self, "deploymentId"))
    return 200, {}, json.dumps(deployment.to_json())


def get_deployments(self: Any) -> Response:
    """GET /v2/apis/{apiId}/deployments: 200 and every deployment in `items` [MODEL]."""
    found = self.apigatewayv2_backend.get_deployments(_field(self, "apiId"))
    # Every deployment on one page, never a `nextToken` [UNVERIFIED] (AWS pages them).
    return 200, {}, json.dumps({"items": [d.to_json() for d in found]})


def delete_deployment(self: Any) -> Response:
    """DELETE /v2/apis/{apiId}/deployments/{deploymentId}: 204 and no body [MODEL]."""
    self.apigatewayv2_backend.delete_deployment(
        _field(self, "apiId"), _field(self, "deploymentId"))
    return 204, {"status": 204}, ""


def update_stage(self: Any) -> Response:
    """PATCH /v2/apis/{apiId}/stages/{stageName}: 200 and the whole Stage [MODEL]."""
    # The body's maps replace the stage's [UNVERIFIED]: see http_deployments.update_stage.
    stage = self.apigatewayv2_backend.update_stage(
        _field(self, "apiId"), _field(self, "stageName"), _body(self))
    return 200, {}, json.dumps(stage.to_json())


def _field(self: Any, name: str) -> str:
    # A stage named $default arrives as %24default.
    return unquote(str(self.uri_match[name]))


def _body(self: Any) -> dict[str, Any]:
    raw = self.body or "{}"
    decoded: dict[str, Any] = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
    return decoded

"""What moto's apigatewayv2 lacks, answered on one real client through botocore's events."""

# moto 5.2 answers CreateDeployment with 404 "Not yet implemented", raises NotImplementedError
# for UpdateStage, and never reports a stage's DeploymentId. These handlers answer the first
# two and add the third to GetStage(s) answers, for the clients they are attached to only.

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.http.seed import HttpClients



@dataclass
class _Response:
    """The HTTP side of a short-circuited call: botocore reads only the status code."""

    status_code: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""


@dataclass
class Deployments:
    """Deployments per (api id, stage) and the one each stage serves."""

    served: dict[tuple[str, str], str] = field(default_factory=dict)
    created: list[tuple[str, str, str]] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def attach(self, c: HttpClients) -> Deployments:
        """Answer for c.apigatewayv2 until c.detach_all()."""
        for event, handler in (
            ("before-parameter-build.apigatewayv2", self._remember_api),
            ("before-call.apigatewayv2.CreateDeployment", self._create),
            ("before-call.apigatewayv2.UpdateStage", self._update_stage),
            ("after-call.apigatewayv2.GetStage", self._add_to_stage),
            ("after-call.apigatewayv2.GetStages", self._add_to_stages),
        ):
            c.listen(c.apigatewayv2, event, handler)
        return self

    def _remember_api(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["shim-api-id"] = params.get("ApiId")

    def _create(self, params: dict[str, Any], context: dict[str, Any], **_: Any
                ) -> tuple[_Response, dict[str, Any]]:
        api_id = context["shim-api-id"]
        stage = _body(params).get("stageName")
        deployment_id = f"dep{next(self._ids):05d}"
        self.created.append((api_id, stage, deployment_id))
        if stage:
            self.served[(api_id, stage)] = deployment_id
        return _Response(201), {"DeploymentId": deployment_id, "DeploymentStatus": "DEPLOYED",
                                "ResponseMetadata": {"HTTPStatusCode": 201}}

    def _update_stage(self, params: dict[str, Any], context: dict[str, Any], **_: Any
                      ) -> tuple[_Response, dict[str, Any]]:
        api_id = context["shim-api-id"]
        stage = params["url_path"].rsplit("/", 1)[-1]
        self.served[(api_id, stage)] = _body(params)["deploymentId"]
        return _Response(200), {"StageName": stage, "ResponseMetadata": {"HTTPStatusCode": 200}}

    def _add_to_stage(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        self._fill(context["shim-api-id"], parsed)

    def _add_to_stages(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        for stage in parsed.get("Items", []):
            self._fill(context["shim-api-id"], stage)

    def _fill(self, api_id: str, stage: dict[str, Any]) -> None:
        served = self.served.get((api_id, stage.get("StageName", "")))
        if served:
            stage["DeploymentId"] = served


def _body(params: dict[str, Any]) -> dict[str, Any]:
    raw = params.get("body") or b"{}"
    decoded: dict[str, Any] = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
    return decoded

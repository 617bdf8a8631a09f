"""The module that talks to API Gateway for REST APIs: connect, read, patch, deploy (Lambda calls
are in functions.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import boto3

from asyncgw.aws import session as aws_session
from asyncgw.aws.calls import Service
from asyncgw.aws.errors import NotFound
from asyncgw.aws.pacing import Pacer
from asyncgw.aws.responses import mapping, parse, reading, required, sequence
from asyncgw.aws.together import each
from asyncgw.core.canary import CanaryRelease
from asyncgw.core.errors import AmbiguousApiName, ApiNotFound, AsyncgwError, NotARestApi
from asyncgw.rest.canary_ops import DeploymentInfo, canary_ops, canary_release
from asyncgw.rest.functions import Functions
from asyncgw.rest.metrics import Metrics
from asyncgw.rest.plan import PatchOp, StageOp
from asyncgw.rest.snapshot import ApiSnapshot, Method, RestApi, Stage, Validator

if TYPE_CHECKING:
    from mypy_boto3_apigateway import APIGatewayClient

PAGE_SIZE = 500  # GetResources' maximum; the default of 25 would cost 20 times more calls.
_PART_CALLS: dict[str, tuple[str, str | None]] = {
    "integration": ("PutIntegration", None),  # a replaced integration is put back, never deleted
    "method-response": ("PutMethodResponse", "DeleteMethodResponse"),
    "integration-response": ("PutIntegrationResponse", "DeleteIntegrationResponse"),
}
_REST_API_ID = re.compile(r"^[a-z0-9]{10}$")


def connect(
    profile: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
    max_rps: float | None = None,
    session: boto3.Session | None = None,
    max_in_flight: int = aws_session.DEFAULT_IN_FLIGHT,
) -> Gateway:
    """A paced Gateway for the account and region the AWS CLI conventions point at.

    `max_rps` lowers asyncgw's share of the account's 10 requests per second; a `session` of
    the caller's own takes the place of `profile` and `region`; at most `max_in_flight` calls
    are sent at once.
    """
    in_flight = aws_session.in_flight(max_in_flight)
    pacer = aws_session.pacer(max_rps)
    session = aws_session.open_session(profile, region, session)
    client = aws_session.client(session, "apigateway", endpoint_url, "API Gateway client")
    return Gateway(client, session=session, endpoint_url=endpoint_url, pacer=pacer,
                   in_flight=in_flight)


class Gateway:
    """API Gateway calls asyncgw makes, with botocore errors turned into asyncgw errors.

    Every call goes through asyncgw's one call wrapper (aws.calls): with a `pacer` it is
    paced to the quotas and retried; the client should then make one attempt per call
    (aws.session.CLIENT_CONFIG). Without one, calls go straight to the client, as its own
    retry configuration says.
    """

    def __init__(
        self,
        client: APIGatewayClient,
        session: boto3.Session | None = None,
        endpoint_url: str | None = None,
        pacer: Pacer | None = None,
        in_flight: int = aws_session.DEFAULT_IN_FLIGHT,
    ) -> None:
        self.client = client
        self.region: str = client.meta.region_name
        self._apigateway = Service(client, pacer)
        self._in_flight = in_flight
        self._session = session
        self._endpoint_url = endpoint_url
        self._functions: Functions | None = None
        self._metrics: Metrics | None = None

    @property
    def pacer(self) -> Pacer | None:
        """The pacer this gateway's calls (and its functions') go through, if any."""
        return self._apigateway.pacer

    @pacer.setter
    def pacer(self, pacer: Pacer | None) -> None:
        # The Lambda and apigatewayv2 clients, made later, take the pacer set by then.
        self._apigateway.pacer = pacer

    @property
    def in_flight(self) -> int:
        """At most this many of this gateway's calls are in flight at once (1: one at a time)."""
        return self._in_flight

    @in_flight.setter
    def in_flight(self, in_flight: int) -> None:
        self._in_flight = in_flight
        if self._functions is not None:
            self._functions.in_flight = in_flight

    # Reads

    def resolve(self, ref: str) -> RestApi:
        """The REST API with this id, or the only one with this name."""
        if _REST_API_ID.match(ref):
            try:
                # The id is the one asked for, should the answer leave it out.
                found = self._apigateway.call("GetRestApi", restApiId=ref)
                return parse(RestApi, {"id": ref, **found}, "GetRestApi")
            except NotFound:
                pass
        named = [api for api in self._rest_apis() if api.name == ref]
        if len(named) > 1:
            raise AmbiguousApiName(ref, [api.id for api in named])
        if named:
            return named[0]
        self._refuse_other_protocols(ref)
        raise ApiNotFound(ref, self.region)

    def rest_apis(self) -> list[RestApi]:
        """Every REST API of the region (GetRestApis, 500 a page)."""
        return list(self._rest_apis())

    def read(self, api: RestApi) -> ApiSnapshot:
        """Methods, validators and stages of an API, in as few calls as AWS allows.

        The three reads are independent, so they are sent together (at most `in_flight` at
        once); GetResources' pages can only follow one another.
        """
        methods, validators, stages = each(
            self.in_flight, lambda: list(self._methods(api.id)),
            lambda: self._validators(api.id), lambda: self._stages(api.id))
        return ApiSnapshot(
            api=api,
            region=self.region,
            methods=tuple(sorted(methods, key=lambda m: (m.path, m.http_method))),
            validators=tuple(sorted(validators, key=lambda v: v.id)),
            stages=tuple(sorted(stages, key=lambda s: s.stage_name)),
        )

    def stage(self, api_id: str, name: str) -> Stage:
        """One stage, read fresh."""
        found = self._apigateway.call("GetStage", restApiId=api_id, stageName=name)
        return parse(Stage, {"stageName": name, **found}, "GetStage")

    def export(self, api_id: str, stage: str) -> dict[str, Any]:
        """What a stage serves: GetExport as OpenAPI 3 with the apigateway extensions [DOC]."""
        response = self._apigateway.call("GetExport", restApiId=api_id, stageName=stage,
                                         exportType="oas30",
                                         parameters={"extensions": "apigateway"},
                                         accepts="application/json")
        body = required(response, "body", "GetExport")
        with reading("GetExport", "body"):
            document = json.loads(body.read() if hasattr(body, "read") else body)
        return dict(mapping(document, "GetExport", "body"))

    def test_invoke(self, api_id: str, resource_id: str, http_method: str, path: str,
                    headers: Mapping[str, str], body: str,
                    stage_variables: Mapping[str, str]) -> dict[str, Any]:
        """TestInvokeMethod: runs the current configuration, not a stage's [REC F1]."""
        return self._apigateway.call("TestInvokeMethod", restApiId=api_id,
                                     resourceId=resource_id, httpMethod=http_method,
                                     pathWithQueryString=path, headers=dict(headers), body=body,
                                     stageVariables=dict(stage_variables))

    def functions(self) -> Functions | None:
        """Lambda calls on the same session, or None when the gateway was built without one."""
        if self._functions is None and self._session is not None:
            client = aws_session.client(self._session, "lambda", self._endpoint_url,
                                        "Lambda client")
            self._functions = Functions(client, pacer=self.pacer, in_flight=self.in_flight)
        return self._functions

    def metrics(self) -> Metrics | None:
        """CloudWatch reads on the same session, or None when the gateway has no session."""
        if self._metrics is None and self._session is not None:
            client = aws_session.client(self._session, "cloudwatch", self._endpoint_url,
                                        "CloudWatch client")
            self._metrics = Metrics(client, pacer=self.pacer)
        return self._metrics

    # Writes

    def update_method(
        self, api_id: str, resource_id: str, http_method: str, ops: Sequence[PatchOp]
    ) -> None:
        """UpdateMethod with these patch operations."""
        self._apigateway.call("UpdateMethod", restApiId=api_id, resourceId=resource_id,
                              httpMethod=http_method, patchOperations=[op.wire() for op in ops])

    def update_integration(
        self, api_id: str, resource_id: str, http_method: str, ops: Sequence[PatchOp]
    ) -> None:
        """UpdateIntegration with these patch operations."""
        self._apigateway.call("UpdateIntegration", restApiId=api_id, resourceId=resource_id,
                              httpMethod=http_method, patchOperations=[op.wire() for op in ops])

    def update_integration_response(
        self, api_id: str, resource_id: str, http_method: str, status_code: str,
        ops: Sequence[PatchOp],
    ) -> None:
        """UpdateIntegrationResponse with these patch operations."""
        self._apigateway.call("UpdateIntegrationResponse", restApiId=api_id,
                              resourceId=resource_id, httpMethod=http_method,
                              statusCode=status_code, patchOperations=[op.wire() for op in ops])

    def set_part(self, api_id: str, resource_id: str, http_method: str, part: str,
                 status_code: str | None, arguments: Mapping[str, object] | None) -> None:
        """Put a whole integration, method response or integration response; None deletes it."""
        where: dict[str, Any] = {"restApiId": api_id, "resourceId": resource_id,
                                 "httpMethod": http_method}
        if part != "integration":
            where["statusCode"] = status_code
        put, delete = _PART_CALLS[part]
        if arguments is None:
            if delete is None:
                raise ValueError(f"asyncgw never deletes a whole {part}")
            self._apigateway.call(delete, **where)
        else:
            self._apigateway.call(put, **where, **arguments)

    def create_validator(self, api_id: str, name: str, body: bool, parameters: bool) -> str:
        """CreateRequestValidator; returns the new id."""
        created = self._apigateway.call("CreateRequestValidator", restApiId=api_id, name=name,
                                        validateRequestBody=body,
                                        validateRequestParameters=parameters)
        return str(required(created, "id", "CreateRequestValidator"))

    def delete_validator(self, api_id: str, validator_id: str) -> None:
        """DeleteRequestValidator."""
        self._apigateway.call("DeleteRequestValidator", restApiId=api_id,
                              requestValidatorId=validator_id)

    def create_deployment(self, api_id: str, stage: str, description: str) -> str:
        """CreateDeployment onto an existing stage; returns the deployment id."""
        created = self._apigateway.call("CreateDeployment", restApiId=api_id, stageName=stage,
                                        description=description)
        return str(required(created, "id", "CreateDeployment"))

    def point_stage(self, api_id: str, stage: str, deployment_id: str) -> None:
        """Make a stage serve an existing deployment (used to undo a deployment)."""
        self._apigateway.call("UpdateStage", restApiId=api_id, stageName=stage,
                              patchOperations=[{"op": "replace", "path": "/deploymentId",
                                                "value": deployment_id}])

    # Canary releases

    def create_canary_deployment(self, api_id: str, stage: str, description: str,
                                 settings: dict[str, object]) -> str:
        """CreateDeployment as the stage's canary; the stage's deploymentId stays [REC E5]."""
        created = self._apigateway.call("CreateDeployment", restApiId=api_id, stageName=stage,
                                        description=description, canarySettings=settings)
        return str(required(created, "id", "CreateDeployment"))

    def update_stage(self, api_id: str, stage: str, ops: Sequence[StageOp]) -> None:
        """UpdateStage with these patch operations, applied in order [MODEL]."""
        self._apigateway.call("UpdateStage", restApiId=api_id, stageName=stage,
                              patchOperations=[op.wire() for op in ops])

    def point_canary(self, api_id: str, stage: str, canary: CanaryRelease | None) -> None:
        """Make the stage's canary be `canary` again, or remove the canary with None."""
        self.update_stage(api_id, stage, canary_ops(canary))

    def canary_of(self, api_id: str, stage: str) -> CanaryRelease | None:
        """The stage's canary release, read fresh; None when it has none."""
        return canary_release(self.stage(api_id, stage).canary_settings, "GetStage")

    def deployment(self, api_id: str, deployment_id: str) -> DeploymentInfo:
        """GetDeployment: a deployment's description and creation date."""
        found = self._apigateway.call("GetDeployment", restApiId=api_id,
                                      deploymentId=deployment_id)
        return parse(DeploymentInfo, {"id": deployment_id, **found}, "GetDeployment")

    # Plumbing

    def _rest_apis(self) -> Iterator[RestApi]:
        for index, item in enumerate(self._pages("GetRestApis", "items")):
            yield parse(RestApi, item, "GetRestApis", f"items[{index}]")

    def _validators(self, api_id: str) -> list[Validator]:
        return [parse(Validator, item, "GetRequestValidators", f"items[{index}]")
                for index, item in enumerate(self._pages("GetRequestValidators", "items",
                                                         restApiId=api_id))]

    def _stages(self, api_id: str) -> list[Stage]:
        found = self._apigateway.call("GetStages", restApiId=api_id).get("item") or []
        return [parse(Stage, item, "GetStages", f"item[{index}]")
                for index, item in enumerate(sequence(found, "GetStages", "item"))]

    def _methods(self, api_id: str) -> Iterator[Method]:
        """Every method of every resource, each with its resource's id and path."""
        pages = self._pages("GetResources", "items", restApiId=api_id, embed=["methods"])
        for index, resource in enumerate(pages):
            at = f"items[{index}]"
            found = mapping(resource, "GetResources", at).get("resourceMethods") or {}
            for verb, body in mapping(found, "GetResources", f"{at}.resourceMethods").items():
                # The map key is the method; a body is a JSON object, or refused as one below.
                fields = {**body, "httpMethod": verb,
                          "resourceId": required(resource, "id", "GetResources", at),
                          "path": required(resource, "path", "GetResources", at),
                          } if isinstance(body, Mapping) else body
                yield parse(Method, fields, "GetResources", f"{at}.resourceMethods.{verb}")

    def _pages(self, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
        position: str | None = None
        while True:
            page = self._apigateway.call(operation, limit=PAGE_SIZE, **params,
                                         **({"position": position} if position else {}))
            yield from sequence(page.get(key) or [], operation, key)
            position = page.get("position")
            if not position:
                return

    def _refuse_other_protocols(self, ref: str) -> None:
        """Raise NotARestApi when ref names an HTTP or WebSocket API."""
        if self._session is None:
            return
        try:
            http_apis = Service(aws_session.client(self._session, "apigatewayv2",
                                                   self._endpoint_url, "API Gateway client"),
                                self.pacer)
            apis = http_apis.call("GetApis", MaxResults="500").get("Items", [])
        except AsyncgwError:
            return  # Best effort: the REST API lookup already failed with a clear message.
        for api in apis:
            if ref in (api.get("ApiId"), api.get("Name")):
                raise NotARestApi(str(api.get("ApiId")), str(api.get("ProtocolType", "HTTP")))

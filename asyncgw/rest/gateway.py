"""The module that talks to API Gateway for REST APIs: connect, read, patch, deploy (Lambda calls
are in functions.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoRegionError,
    ProfileNotFound,
    ReadTimeoutError,
)

from asyncgw import __version__
from asyncgw.aws import trace
from asyncgw.aws.errors import client_error, translated
from asyncgw.aws.pacing import Pacer, Retry
from asyncgw.aws.responses import mapping, parse, reading, required, sequence
from asyncgw.core.errors import (
    AmbiguousApiName,
    ApiNotFound,
    AsyncgwError,
    AwsSetupError,
    NotARestApi,
    UsageError,
)
from asyncgw.rest.models import ApiSnapshot, Method, PatchOp, RestApi, Stage, Validator

if TYPE_CHECKING:
    from mypy_boto3_apigateway import APIGatewayClient

    from asyncgw.rest.functions import Functions

PAGE_SIZE = 500  # GetResources' maximum; the default of 25 would cost 20 times more calls.
# One attempt per botocore call (total_max_attempts; botocore's max_attempts counts retries):
# the Pacer makes every retry decision. botocore's own retries ignore Retry-After and give up
# after about 3 s, less than CreateDeployment's 5 s window [DOC limits]; nested under ours they
# would multiply the attempts, hide calls from the pacer's buckets and break its bounded wait.
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 1},
    user_agent_extra=f"asyncgw/{__version__}",
)
LAMBDA_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 8},
    user_agent_extra=f"asyncgw/{__version__}",
)
_PART_CALLS: dict[str, tuple[str, str | None]] = {
    "integration": ("PutIntegration", None),  # a replaced integration is put back, never deleted
    "method-response": ("PutMethodResponse", "DeleteMethodResponse"),
    "integration-response": ("PutIntegrationResponse", "DeleteIntegrationResponse"),
}
_THROTTLED = {"TooManyRequestsException", "LimitExceededException"}
_TRANSIENT_STATUS = {500, 502, 503, 504}
_REST_API_ID = re.compile(r"^[a-z0-9]{10}$")


class NotFound(AsyncgwError):
    """A 404 from API Gateway, raised only to callers that handle it."""


def connect(
    profile: str | None = None,
    region: str | None = None,
    endpoint_url: str | None = None,
    max_rps: float | None = None,
) -> Gateway:
    """A paced Gateway for the account and region the AWS CLI conventions point at.

    `max_rps` lowers asyncgw's share of the account's 10 requests per second.
    """
    try:
        pacer = Pacer(max_rps)
    except ValueError as error:
        raise UsageError(str(error)) from None
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound:
        raise AwsSetupError(
            f"profile {profile!r} is not in your AWS config; list them with: "
            "aws configure list-profiles"
        ) from None
    if session.region_name is None:
        raise AwsSetupError(
            "no AWS region: pass --region, set AWS_REGION, or run: aws configure"
        )
    trace.attach(session)
    try:
        client = session.client("apigateway", endpoint_url=endpoint_url, config=CLIENT_CONFIG)
    except (NoRegionError, ValueError) as error:
        raise AwsSetupError(f"cannot create the API Gateway client: {error}") from None
    return Gateway(client, session=session, endpoint_url=endpoint_url, pacer=pacer)


class Gateway:
    """API Gateway calls asyncgw makes, with botocore errors turned into asyncgw errors.

    With a `pacer`, every call is paced to the quotas and throttled calls are retried; the
    client should then make one attempt per call (CLIENT_CONFIG). Without one, calls go
    straight to the client, as its own retry configuration says.
    """

    def __init__(
        self,
        client: APIGatewayClient,
        session: boto3.Session | None = None,
        endpoint_url: str | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self.client = client
        self.region: str = client.meta.region_name
        self.pacer = pacer
        self._session = session
        self._endpoint_url = endpoint_url
        self._functions: Functions | None = None

    # Reads

    def resolve(self, ref: str) -> RestApi:
        """The REST API with this id, or the only one with this name."""
        if _REST_API_ID.match(ref):
            try:
                # The id is the one asked for, should the answer leave it out.
                return parse(RestApi, {"id": ref, **self._call("GetRestApi", restApiId=ref)},
                             "GetRestApi")
            except NotFound:
                pass
        named = [api for api in self._rest_apis() if api.name == ref]
        if len(named) > 1:
            raise AmbiguousApiName(ref, [api.id for api in named])
        if named:
            return named[0]
        self._refuse_other_protocols(ref)
        raise ApiNotFound(ref, self.region)

    def read(self, api: RestApi) -> ApiSnapshot:
        """Methods, validators and stages of an API, in as few calls as AWS allows."""
        methods = sorted(self._methods(api.id), key=lambda m: (m.path, m.http_method))
        validators = [
            parse(Validator, item, "GetRequestValidators", f"items[{index}]")
            for index, item in enumerate(self._pages("GetRequestValidators", "items",
                                                     restApiId=api.id))
        ]
        found = self._call("GetStages", restApiId=api.id).get("item") or []
        stages = [parse(Stage, item, "GetStages", f"item[{index}]")
                  for index, item in enumerate(sequence(found, "GetStages", "item"))]
        return ApiSnapshot(
            api=api,
            region=self.region,
            methods=tuple(methods),
            validators=tuple(sorted(validators, key=lambda v: v.id)),
            stages=tuple(sorted(stages, key=lambda s: s.stage_name)),
        )

    def stage(self, api_id: str, name: str) -> Stage:
        """One stage, read fresh."""
        found = self._call("GetStage", restApiId=api_id, stageName=name)
        return parse(Stage, {"stageName": name, **found}, "GetStage")

    def export(self, api_id: str, stage: str) -> dict[str, Any]:
        """What a stage serves: GetExport as OpenAPI 3 with the apigateway extensions [DOC]."""
        response = self._call("GetExport", restApiId=api_id, stageName=stage,
                              exportType="oas30", parameters={"extensions": "apigateway"},
                              accepts="application/json")
        body = required(response, "body", "GetExport")
        with reading("GetExport", "body"):
            document = json.loads(body.read() if hasattr(body, "read") else body)
        return dict(mapping(document, "GetExport", "body"))

    def test_invoke(self, api_id: str, resource_id: str, http_method: str, path: str,
                    headers: Mapping[str, str], body: str,
                    stage_variables: Mapping[str, str]) -> dict[str, Any]:
        """TestInvokeMethod: runs the current configuration, not a stage's [REC F1]."""
        return self._call("TestInvokeMethod", restApiId=api_id, resourceId=resource_id,
                          httpMethod=http_method, pathWithQueryString=path,
                          headers=dict(headers), body=body,
                          stageVariables=dict(stage_variables))

    def functions(self) -> Functions | None:
        """Lambda calls on the same session, or None when the gateway was built without one."""
        if self._functions is None and self._session is not None:
            from asyncgw.rest.functions import Functions

            try:
                client = self._session.client("lambda", endpoint_url=self._endpoint_url,
                                              config=LAMBDA_CONFIG)
            except (NoRegionError, ValueError) as error:
                raise AwsSetupError(f"cannot create the Lambda client: {error}") from None
            self._functions = Functions(client)
        return self._functions

    # Writes

    def update_method(
        self, api_id: str, resource_id: str, http_method: str, ops: Sequence[PatchOp]
    ) -> None:
        """UpdateMethod with these patch operations."""
        self._call("UpdateMethod", restApiId=api_id, resourceId=resource_id,
                   httpMethod=http_method, patchOperations=[op.wire() for op in ops])

    def update_integration(
        self, api_id: str, resource_id: str, http_method: str, ops: Sequence[PatchOp]
    ) -> None:
        """UpdateIntegration with these patch operations."""
        self._call("UpdateIntegration", restApiId=api_id, resourceId=resource_id,
                   httpMethod=http_method, patchOperations=[op.wire() for op in ops])

    def update_integration_response(
        self, api_id: str, resource_id: str, http_method: str, status_code: str,
        ops: Sequence[PatchOp],
    ) -> None:
        """UpdateIntegrationResponse with these patch operations."""
        self._call("UpdateIntegrationResponse", restApiId=api_id, resourceId=resource_id,
                   httpMethod=http_method, statusCode=status_code,
                   patchOperations=[op.wire() for op in ops])

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
            self._call(delete, **where)
        else:
            self._call(put, **where, **arguments)

    def create_validator(self, api_id: str, name: str, body: bool, parameters: bool) -> str:
        """CreateRequestValidator; returns the new id."""
        created = self._call("CreateRequestValidator", restApiId=api_id, name=name,
                             validateRequestBody=body, validateRequestParameters=parameters)
        return str(required(created, "id", "CreateRequestValidator"))

    def delete_validator(self, api_id: str, validator_id: str) -> None:
        """DeleteRequestValidator."""
        self._call("DeleteRequestValidator", restApiId=api_id, requestValidatorId=validator_id)

    def create_deployment(self, api_id: str, stage: str, description: str) -> str:
        """CreateDeployment onto an existing stage; returns the deployment id."""
        created = self._call("CreateDeployment", restApiId=api_id, stageName=stage,
                             description=description)
        return str(required(created, "id", "CreateDeployment"))

    def point_stage(self, api_id: str, stage: str, deployment_id: str) -> None:
        """Make a stage serve an existing deployment (used to undo a deployment)."""
        self._call("UpdateStage", restApiId=api_id, stageName=stage, patchOperations=[
            {"op": "replace", "path": "/deploymentId", "value": deployment_id}])

    # Plumbing

    def _rest_apis(self) -> Iterator[RestApi]:
        for index, item in enumerate(self._pages("GetRestApis", "items")):
            yield parse(RestApi, item, "GetRestApis", f"items[{index}]")

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
            page = self._call(operation, limit=PAGE_SIZE, **params,
                              **({"position": position} if position else {}))
            yield from sequence(page.get(key) or [], operation, key)
            position = page.get("position")
            if not position:
                return

    def _refuse_other_protocols(self, ref: str) -> None:
        """Raise NotARestApi when ref names an HTTP or WebSocket API."""
        if self._session is None:
            return
        v2 = self._session.client("apigatewayv2", endpoint_url=self._endpoint_url,
                                  config=CLIENT_CONFIG)
        if self.pacer is not None:
            self.pacer.acquire("GetApis")
        try:
            apis = v2.get_apis(MaxResults="500").get("Items", [])
        except (ClientError, BotoCoreError):
            return  # Best effort: the REST API lookup already failed with a clear message.
        for api in apis:
            if ref in (api.get("ApiId"), api.get("Name")):
                raise NotARestApi(str(api.get("ApiId")), str(api.get("ProtocolType", "HTTP")))

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        call = getattr(self.client, xform_name(operation))
        with translated(operation, lambda error: self._translate(operation, error, params)):
            if self.pacer is None:
                response: dict[str, Any] = call(**params)
            else:
                response = self.pacer.call(operation, lambda: call(**params),
                                           lambda error: _retry(operation, error))
        response.pop("ResponseMetadata", None)
        return response

    def _translate(
        self, operation: str, error: ClientError, params: Mapping[str, Any]
    ) -> AsyncgwError:
        return client_error(operation, error, lambda: self._iam_action(operation, params),
                            NotFound, {"NotFoundException"},
                            {"TooManyRequestsException", "LimitExceededException"})

    def _iam_action(self, operation: str, params: Mapping[str, Any]) -> str:
        """'apigateway:PATCH on arn:...', the action and resource IAM evaluated."""
        model = self.client.meta.service_model.operation_model(operation)
        path = str(model.http["requestUri"]).split("?")[0]
        for name, shape in model.input_shape.members.items() if model.input_shape else ():
            if shape.serialization.get("location") == "uri":
                placeholder = "{" + str(shape.serialization.get("name", name)) + "}"
                path = path.replace(placeholder, str(params.get(name, "*")))
        return f"apigateway:{model.http['method']} on arn:aws:apigateway:{self.region}::{path}"


def _retry(operation: str, error: Exception) -> Retry | None:
    """Whether a failed call may be sent again, and how long AWS asked us to wait."""
    if isinstance(error, ClientError):
        code = str(error.response.get("Error", {}).get("Code", "Unknown"))
        message = str(error.response.get("Error", {}).get("Message", error))
        metadata = error.response.get("ResponseMetadata", {})
        status = metadata.get("HTTPStatusCode")
        if code in _THROTTLED or status == 429:
            # A throttled request was refused before AWS acted on it: safe to resend any call.
            headers = metadata.get("HTTPHeaders", {})
            return Retry(True, code, message, _seconds(headers.get("retry-after")))
        if status in _TRANSIENT_STATUS and not _creates(operation):
            return Retry(False, code, message)
        return None
    if isinstance(error, EndpointConnectionError | ConnectTimeoutError):
        return Retry(False, type(error).__name__, str(error))  # never reached AWS
    if isinstance(error, ConnectionClosedError | ReadTimeoutError) and not _creates(operation):
        return Retry(False, type(error).__name__, str(error))
    return None


def _creates(operation: str) -> bool:
    # A 5xx or a lost answer may hide a call that succeeded: sending a Create* again could
    # leave a second validator or deployment behind. Reads are safe to repeat, and a repeated
    # patch writes the same values.
    return operation.startswith("Create")


def _seconds(value: object) -> float | None:
    """A Retry-After value in seconds; None when absent or an HTTP date."""
    try:
        return max(0.0, float(str(value))) if value is not None else None
    except ValueError:
        return None


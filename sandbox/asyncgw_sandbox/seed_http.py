"""Seeding an emulated account with HTTP APIs (API Gateway v2), for `asyncgw demo` and tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

import boto3

from asyncgw_sandbox.seed import Clients, ensure_function

if TYPE_CHECKING:
    from mypy_boto3_apigatewayv2 import ApiGatewayV2Client

RouteKind = Literal["lambda", "http", "sqs", "stage-variable", "none"]
SAMPLE_NAME = "events"


class HttpSeedClients(Protocol):
    """What seeding an HTTP API needs: apigatewayv2 and the sandbox's Lambda and IAM clients."""

    @property
    def apigatewayv2(self) -> ApiGatewayV2Client:
        """The apigatewayv2 client."""

    @property
    def base(self) -> Clients:
        """The clients `asyncgw_sandbox.seed.clients` made (Lambda and IAM among them)."""


@dataclass(frozen=True)
class HttpApiClients:
    """apigatewayv2 beside the sandbox's clients, in the same account and region."""

    apigatewayv2: ApiGatewayV2Client
    base: Clients


@dataclass(frozen=True)
class RouteSpec:
    """One route to create; `kind` says what its integration is."""

    key: str  # "POST /jobs", "$default"
    kind: RouteKind = "lambda"
    function: str = "jobs"  # for kind "lambda": the function, created if missing
    payload: str = "2.0"
    timeout_ms: int = 30000


@dataclass(frozen=True)
class SeededHttpApi:
    """What seed_http_api created."""

    api_id: str
    name: str
    routes: Mapping[str, str]  # route key -> route id
    integrations: Mapping[str, str]  # route key -> integration id
    functions: Mapping[str, str] = field(default_factory=dict)  # name -> ARN
    stages: tuple[str, ...] = ()


# The sample HTTP API of `asyncgw demo` and `asyncgw sandbox serve`, the example of
# docs/http-apis.md: three Lambda routes on two functions, and one route asyncgw cannot change.
SAMPLE_ROUTES = (
    RouteSpec("POST /jobs", function="events-jobs"),
    RouteSpec("POST /reports", function="events-jobs"),
    RouteSpec("GET /jobs/{id}", function="events-api"),
    RouteSpec("ANY /legacy/{proxy+}", kind="http"),
)


def http_api_clients(base: Clients) -> HttpApiClients:
    """An apigatewayv2 client next to `base`, on the same endpoint and region."""
    session = boto3.session.Session(aws_access_key_id="testing",
                                    aws_secret_access_key="testing", region_name=base.region)
    # apigatewayv2 shares apigateway's endpoint; `base` refused real AWS when it was made.
    endpoint = base.apigateway.meta.endpoint_url
    return HttpApiClients(session.client("apigatewayv2", endpoint_url=endpoint), base)


def seed_http_api(
    c: HttpSeedClients,
    name: str,
    routes: Sequence[RouteSpec],
    stages: Sequence[tuple[str, bool]] = (("$default", True),),
    protocol: Literal["HTTP", "WEBSOCKET"] = "HTTP",
    tags: Mapping[str, str] | None = None,
) -> SeededHttpApi:
    """Create an API whose routes each have their own integration, and its (stage, auto) list."""
    v2 = c.apigatewayv2
    extra: dict[str, Any] = (
        {"RouteSelectionExpression": "$request.body.action"} if protocol != "HTTP" else {})
    api_id = v2.create_api(Name=name, ProtocolType=protocol,
                           Tags=dict(tags if tags is not None else {"team": name}),
                           **extra)["ApiId"]
    route_ids: dict[str, str] = {}
    integration_ids: dict[str, str] = {}
    functions: dict[str, str] = {}
    for spec in routes:
        target: dict[str, Any] = {}
        integration = _integration(c.base, spec, functions)
        if integration is not None:
            created = v2.create_integration(ApiId=api_id, **integration)["IntegrationId"]
            integration_ids[spec.key] = created
            target = {"Target": f"integrations/{created}"}
        route_ids[spec.key] = v2.create_route(ApiId=api_id, RouteKey=spec.key,
                                              **target)["RouteId"]
    for arn in functions.values():
        account = arn.split(":")[4]
        c.base.lambda_.add_permission(
            FunctionName=arn, StatementId=f"apigateway-{api_id}",
            Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
            SourceArn=f"arn:aws:execute-api:{c.base.region}:{account}:{api_id}/*/*")
    for stage, auto in stages:
        v2.create_stage(ApiId=api_id, StageName=stage, AutoDeploy=auto)
    return SeededHttpApi(api_id, name, route_ids, integration_ids, functions,
                         tuple(stage for stage, _ in stages))


def seed_sample_http_api(c: HttpSeedClients) -> SeededHttpApi:
    """The sample HTTP API "events" (SAMPLE_ROUTES) with a stage $default that auto-deploys."""
    return seed_http_api(c, SAMPLE_NAME, SAMPLE_ROUTES)


def _integration(base: Clients, spec: RouteSpec, functions: dict[str, str]
                 ) -> dict[str, Any] | None:
    if spec.kind == "none":
        return None
    if spec.kind == "http":
        return {"IntegrationType": "HTTP_PROXY", "IntegrationUri": "https://example.com/",
                "IntegrationMethod": "ANY", "PayloadFormatVersion": "1.0"}
    if spec.kind == "sqs":
        return {"IntegrationType": "AWS_PROXY", "IntegrationSubtype": "SQS-SendMessage",
                "PayloadFormatVersion": "1.0",
                "RequestParameters": {"QueueUrl": "https://sqs.example/q",
                                      "MessageBody": "$request.body"}}
    if spec.kind == "stage-variable":
        return {"IntegrationType": "AWS_PROXY", "PayloadFormatVersion": spec.payload,
                "IntegrationUri": f"arn:aws:lambda:{base.region}:123456789012:function:"
                                  "${stageVariables.fn}"}
    if spec.function not in functions:
        functions[spec.function] = ensure_function(base, spec.function)
    return {"IntegrationType": "AWS_PROXY", "IntegrationUri": functions[spec.function],
            "PayloadFormatVersion": spec.payload, "TimeoutInMillis": spec.timeout_ms}

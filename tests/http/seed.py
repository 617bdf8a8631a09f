"""HTTP APIs seeded into the emulated account, and clients for every service the forwarder uses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3
from asyncgw_sandbox.seed import Clients, ensure_function

from asyncgw.http.gateway import HttpGateway


@dataclass(frozen=True)
class HttpClients:
    """boto3 clients of the emulated account, as the forwarder package uses them."""

    apigatewayv2: Any
    lambda_: Any
    iam: Any
    sts: Any
    base: Clients
    _detach: list[Callable[[], None]] = field(default_factory=list)

    def gateway(self) -> HttpGateway:
        """asyncgw's HTTP gateway on these (real, injectable) clients."""
        return HttpGateway(self.apigatewayv2, self.lambda_, self.iam, self.sts)

    def listen(self, client: Any, event: str, handler: Callable[..., Any],
               first: bool = False) -> None:
        """Register a botocore event handler until detach_all() (the clients outlive tests)."""
        events = client.meta.events
        (events.register_first if first else events.register)(event, handler)
        self._detach.append(lambda: events.unregister(event, handler))

    def detach_all(self) -> None:
        """Remove every handler listen() added."""
        while self._detach:
            self._detach.pop()()


def http_clients(base: Clients) -> HttpClients:
    """Add apigatewayv2 and STS clients to the sandbox's clients."""
    session = boto3.session.Session(aws_access_key_id="testing",
                                    aws_secret_access_key="testing", region_name=base.region)
    return HttpClients(session.client("apigatewayv2"), base.lambda_, base.iam,
                       session.client("sts"), base)


@dataclass(frozen=True)
class RouteSpec:
    """One route to create; `kind` says what its integration is."""

    key: str
    kind: str = "lambda"  # lambda | http | sqs | stage-variable | none
    function: str = "jobs"
    payload: str = "2.0"
    timeout_ms: int = 30000


@dataclass(frozen=True)
class SeededHttpApi:
    """What seed_http_api created."""

    api_id: str
    routes: dict[str, str]  # route key -> route id
    integrations: dict[str, str]  # route key -> integration id
    functions: dict[str, str] = field(default_factory=dict)  # name -> ARN


def seed_http_api(
    c: HttpClients,
    name: str,
    routes: Sequence[RouteSpec],
    stages: Sequence[tuple[str, bool]] = (("$default", True),),
    protocol: str = "HTTP",
) -> SeededHttpApi:
    """Create an HTTP API whose routes each have their own integration, and its stages."""
    v2 = c.apigatewayv2
    extra = {"RouteSelectionExpression": "$request.body.action"} if protocol != "HTTP" else {}
    api_id = v2.create_api(Name=name, ProtocolType=protocol, Tags={"team": "jobs"},
                           **extra)["ApiId"]
    route_ids: dict[str, str] = {}
    integration_ids: dict[str, str] = {}
    functions: dict[str, str] = {}
    for spec in routes:
        target: dict[str, str] = {}
        integration = _integration(c, spec, functions)
        if integration is not None:
            created = v2.create_integration(ApiId=api_id, **integration)["IntegrationId"]
            integration_ids[spec.key] = created
            target = {"Target": f"integrations/{created}"}
        route_ids[spec.key] = v2.create_route(ApiId=api_id, RouteKey=spec.key,
                                              **target)["RouteId"]
    for arn in functions.values():
        c.lambda_.add_permission(
            FunctionName=arn, StatementId=f"apigateway-{api_id}",
            Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
            SourceArn=f"arn:aws:execute-api:{c.base.region}:123456789012:{api_id}/*/*")
    for stage, auto in stages:
        v2.create_stage(ApiId=api_id, StageName=stage, AutoDeploy=auto)
    return SeededHttpApi(api_id, route_ids, integration_ids, functions)


def _integration(c: HttpClients, spec: RouteSpec, functions: dict[str, str]
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
                "IntegrationUri": "arn:aws:lambda:us-east-1:123456789012:function:"
                                  "${stageVariables.fn}"}
    if spec.function not in functions:
        functions[spec.function] = ensure_function(c.base, spec.function)
    return {"IntegrationType": "AWS_PROXY", "IntegrationUri": functions[spec.function],
            "PayloadFormatVersion": spec.payload, "TimeoutInMillis": spec.timeout_ms}

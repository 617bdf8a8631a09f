"""Seeding an emulated account with Lambda-backed REST APIs, for tests and `asyncgw demo`."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import boto3

from asyncgw_sandbox.seed_metrics import seed_orders_metrics

if TYPE_CHECKING:
    from mypy_boto3_apigateway import APIGatewayClient
    from mypy_boto3_apigateway.literals import IntegrationTypeType
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_lambda import LambdaClient

IntegrationKind = Literal["aws", "aws_proxy", "mock", "http", "none"]

LAMBDA_INTEGRATIONS = ("aws", "aws_proxy")
INTEGRATION_TYPES: Mapping[str, IntegrationTypeType] = {
    "aws": "AWS",
    "aws_proxy": "AWS_PROXY",
    "mock": "MOCK",
    "http": "HTTP",
}
LAMBDA_ROLE = "asyncgw-sandbox-lambda"
LAMBDA_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
LAMBDA_SOURCE = "def handler(event, context):\n    return {'received': event}\n"

# The names the async recipe uses [DOC re:Post KC "api-gateway-invoke-lambda"].
INVOCATION_TYPE_HEADER = "integration.request.header.X-Amz-Invocation-Type"
CLIENT_INVOCATION_TYPE = "method.request.header.InvocationType"
PARAMETERS_VALIDATOR = "Validate query string parameters and headers"
BODY_VALIDATOR = "Validate body"


@dataclass(frozen=True)
class Clients:
    """boto3 clients for one account and region."""

    apigateway: APIGatewayClient
    lambda_: LambdaClient
    iam: IAMClient

    @property
    def region(self) -> str:
        """The region the clients talk to."""
        return self.apigateway.meta.region_name


@dataclass(frozen=True)
class MethodSpec:
    """One method to create; non-proxy methods also get method and integration response 200."""

    path: str  # "/orders/{id}"
    verb: str  # "POST", "ANY", ...
    integration: IntegrationKind = "aws"
    function: str | None = None  # Lambda function name for aws/aws_proxy, created if missing
    request_parameters: Mapping[str, bool] = field(default_factory=dict)
    integration_request_parameters: Mapping[str, str] = field(default_factory=dict)
    request_templates: Mapping[str, str] = field(default_factory=dict)
    validator: str | None = None  # a ValidatorSpec name
    authorization_type: str = "NONE"
    uri: str = "https://example.com/"  # for http integrations

    def __post_init__(self) -> None:
        if self.integration in LAMBDA_INTEGRATIONS and not self.function:
            raise ValueError(f"{self.verb} {self.path}: a Lambda integration needs a function")
        if not self.path.startswith("/"):
            raise ValueError(f"{self.path!r}: a resource path starts with '/'")


@dataclass(frozen=True)
class ValidatorSpec:
    """One request validator to create."""

    name: str
    validate_request_body: bool
    validate_request_parameters: bool


@dataclass(frozen=True)
class SeededApi:
    """What `seed_rest_api` created."""

    api_id: str
    name: str
    region: str
    resource_ids: Mapping[str, str]  # path -> resource id, "/" and every parent included
    functions: Mapping[str, str]  # function name -> ARN
    validators: Mapping[str, str]  # validator name -> id
    stages: tuple[str, ...]


def clients(region: str = "us-east-1", endpoint_url: str | None = None) -> Clients:
    """Clients for the emulated account, with the fake credentials 'testing'."""
    if endpoint_url is None and not os.environ.get("AWS_ENDPOINT_URL"):
        _refuse_real_aws()
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    )
    return Clients(
        apigateway=session.client("apigateway", endpoint_url=endpoint_url),
        lambda_=session.client("lambda", endpoint_url=endpoint_url),
        iam=session.client("iam", endpoint_url=endpoint_url),
    )


def ensure_function(c: Clients, name: str) -> str:
    """The ARN of Lambda function `name`, created (with its IAM role) if missing."""
    try:
        return c.lambda_.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    except c.lambda_.exceptions.ResourceNotFoundException:
        pass
    created = c.lambda_.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=_ensure_lambda_role(c),  # moto refuses a role that does not exist
        Handler="index.handler",
        Code={"ZipFile": _handler_zip()},
        Description="asyncgw sandbox function",
    )
    return created["FunctionArn"]


def seed_rest_api(
    c: Clients,
    name: str,
    methods: Sequence[MethodSpec],
    validators: Sequence[ValidatorSpec] = (),
    stages: Sequence[str] = ("prod",),
    tags: Mapping[str, str] | None = None,
) -> SeededApi:
    """Create a REST API with these methods and validators, then deploy it to each stage."""
    api = c.apigateway.create_rest_api(name=name, tags=dict(tags or {}))
    api_id = api["id"]
    resource_ids = {"/": api["rootResourceId"]}
    validator_ids = {
        v.name: c.apigateway.create_request_validator(
            restApiId=api_id,
            name=v.name,
            validateRequestBody=v.validate_request_body,
            validateRequestParameters=v.validate_request_parameters,
        )["id"]
        for v in validators
    }
    functions: dict[str, str] = {}
    for spec in methods:
        resource_id = _ensure_resource(c, api_id, resource_ids, spec.path)
        _put_method(c, api_id, resource_id, spec, validator_ids)
        if spec.function is not None and spec.integration in LAMBDA_INTEGRATIONS:
            if spec.function not in functions:
                functions[spec.function] = ensure_function(c, spec.function)
            _put_integration(c, api_id, resource_id, spec, functions[spec.function])
        elif spec.integration != "none":
            _put_integration(c, api_id, resource_id, spec, None)
    for function_arn in functions.values():
        _allow_api_to_invoke(c, api_id, function_arn)
    for stage in stages:
        c.apigateway.create_deployment(restApiId=api_id, stageName=stage)
    return SeededApi(
        api_id=api_id,
        name=name,
        region=c.region,
        resource_ids=resource_ids,
        functions=functions,
        validators=validator_ids,
        stages=tuple(stages),
    )


# The sample "orders" API: one method in each state asyncgw tells apart.
ORDERS_METHODS: tuple[MethodSpec, ...] = (
    # sync: a plain Lambda non-proxy method with an optional query parameter.
    MethodSpec(
        "/orders",
        "GET",
        function="orders-api",
        request_parameters={"method.request.querystring.status": False},
    ),
    # async already: the static 'Event' mapping; it validates the body only.
    MethodSpec(
        "/orders",
        "POST",
        function="orders-jobs",
        validator=BODY_VALIDATOR,
        integration_request_parameters={INVOCATION_TYPE_HEADER: "'Event'"},
        request_templates={"application/json": "$input.json('$')"},
    ),
    # sync, with a required path parameter used by the request template.
    MethodSpec(
        "/orders/{id}",
        "GET",
        function="orders-api",
        request_parameters={"method.request.path.id": True},
        request_templates={"application/json": '{"id": "$input.params(\'id\')"}'},
    ),
    # sync, with a validator that checks only the body (to be strengthened, never weakened).
    MethodSpec(
        "/orders/{id}",
        "PUT",
        function="orders-api",
        validator=BODY_VALIDATOR,
        request_parameters={"method.request.path.id": True},
    ),
    # sync, explicitly: the mapping exists but says 'RequestResponse'.
    MethodSpec(
        "/orders/{id}",
        "DELETE",
        function="orders-api",
        request_parameters={"method.request.path.id": True},
        integration_request_parameters={INVOCATION_TYPE_HEADER: "'RequestResponse'"},
    ),
    # switchable: required InvocationType header, parameters validator, header mapped through.
    MethodSpec(
        "/orders/{id}/refund",
        "POST",
        function="orders-jobs",
        validator=PARAMETERS_VALIDATOR,
        request_parameters={"method.request.path.id": True, CLIENT_INVOCATION_TYPE: True},
        integration_request_parameters={INVOCATION_TYPE_HEADER: CLIENT_INVOCATION_TYPE},
    ),
    # half-configured: header mapped through, but optional and no validator attached.
    MethodSpec(
        "/orders/{id}/ship",
        "POST",
        function="orders-jobs",
        request_parameters={"method.request.path.id": True, CLIENT_INVOCATION_TYPE: False},
        integration_request_parameters={INVOCATION_TYPE_HEADER: CLIENT_INVOCATION_TYPE},
    ),
    # not eligible: Lambda proxy, MOCK and HTTP integrations.
    MethodSpec("/webhooks", "ANY", integration="aws_proxy", function="orders-webhooks"),
    MethodSpec(
        "/health",
        "GET",
        integration="mock",
        request_templates={"application/json": '{"statusCode": 200}'},
    ),
    MethodSpec("/catalog", "GET", integration="http", uri="https://example.com/catalog"),
)
ORDERS_VALIDATORS: tuple[ValidatorSpec, ...] = (
    ValidatorSpec(
        PARAMETERS_VALIDATOR, validate_request_body=False, validate_request_parameters=True
    ),
    ValidatorSpec(BODY_VALIDATOR, validate_request_body=True, validate_request_parameters=False),
)


def seed_orders_api(c: Clients, figures: bool = True) -> SeededApi:
    """The sample "orders" API (ORDERS_METHODS), deployed to stages dev and prod, with a few
    days of CloudWatch figures (asyncgw_sandbox.seed_metrics) unless `figures` is False.

    Without figures no CloudWatch or function-configuration call is made: another emulator
    (LocalStack without CloudWatch, whose functions never become Active) can take the rest.
    """
    seeded = seed_rest_api(
        c,
        "orders",
        ORDERS_METHODS,
        ORDERS_VALIDATORS,
        stages=("dev", "prod"),
        tags={"team": "orders"},
    )
    if figures:
        seed_orders_metrics(c, seeded)
    return seeded


def seed_wide_api(c: Clients, methods: int, name: str = "wide") -> SeededApi:
    """`methods` sync Lambda non-proxy methods, 2-3 per resource, all calling one function."""
    specs: list[MethodSpec] = []
    resource = 0
    while len(specs) < methods:
        verbs = ("GET", "POST", "PUT") if resource % 2 == 0 else ("GET", "DELETE")
        path = f"/group{resource // 20}/item{resource}"
        specs.extend(MethodSpec(path, verb, function=f"{name}-handler") for verb in verbs)
        resource += 1
    return seed_rest_api(c, name, specs[:methods])


def lambda_uri(region: str, function_arn: str) -> str:
    """The integration URI API Gateway uses to invoke a Lambda function [DOC]."""
    return (
        f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations"
    )


def _ensure_resource(c: Clients, api_id: str, resource_ids: dict[str, str], path: str) -> str:
    parent = "/"
    for part in (p for p in path.split("/") if p):
        child = f"{parent.rstrip('/')}/{part}"
        if child not in resource_ids:
            resource_ids[child] = c.apigateway.create_resource(
                restApiId=api_id, parentId=resource_ids[parent], pathPart=part
            )["id"]
        parent = child
    return resource_ids[parent]


def _put_method(
    c: Clients, api_id: str, resource_id: str, spec: MethodSpec, validator_ids: Mapping[str, str]
) -> None:
    options: dict[str, Any] = {}
    if spec.validator is not None:
        options["requestValidatorId"] = validator_ids[spec.validator]
    c.apigateway.put_method(
        restApiId=api_id,
        resourceId=resource_id,
        httpMethod=spec.verb,
        authorizationType=spec.authorization_type,
        requestParameters=dict(spec.request_parameters),
        **options,
    )


def _put_integration(
    c: Clients, api_id: str, resource_id: str, spec: MethodSpec, function_arn: str | None
) -> None:
    options: dict[str, Any] = {}
    if function_arn is not None:
        options.update(integrationHttpMethod="POST", uri=lambda_uri(c.region, function_arn))
    elif spec.integration == "http":
        verb = "GET" if spec.verb == "ANY" else spec.verb
        options.update(integrationHttpMethod=verb, uri=spec.uri)
    c.apigateway.put_integration(
        restApiId=api_id,
        resourceId=resource_id,
        httpMethod=spec.verb,
        type=INTEGRATION_TYPES[spec.integration],
        requestParameters=dict(spec.integration_request_parameters),
        requestTemplates=dict(spec.request_templates),
        **options,
    )
    if spec.integration == "aws_proxy":
        return  # a proxy integration passes the function's answer through
    c.apigateway.put_method_response(
        restApiId=api_id,
        resourceId=resource_id,
        httpMethod=spec.verb,
        statusCode="200",
        responseModels={"application/json": "Empty"},
    )
    c.apigateway.put_integration_response(
        restApiId=api_id,
        resourceId=resource_id,
        httpMethod=spec.verb,
        statusCode="200",
        selectionPattern="",
    )


def _allow_api_to_invoke(c: Clients, api_id: str, function_arn: str) -> None:
    account = function_arn.split(":")[4]
    c.lambda_.add_permission(
        FunctionName=function_arn,
        StatementId=f"apigateway-{api_id}",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:{c.region}:{account}:{api_id}/*",
    )


def _ensure_lambda_role(c: Clients) -> str:
    try:
        return c.iam.get_role(RoleName=LAMBDA_ROLE)["Role"]["Arn"]
    except c.iam.exceptions.NoSuchEntityException:
        pass
    return c.iam.create_role(
        RoleName=LAMBDA_ROLE, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST_POLICY)
    )["Role"]["Arn"]


def _handler_zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("index.py", LAMBDA_SOURCE)
    return archive.getvalue()


def _refuse_real_aws() -> None:
    # Without an endpoint the clients would reach real AWS unless moto's mock is active.
    from moto.core.models import botocore_stubber

    if not botocore_stubber.enabled:
        raise RuntimeError(
            "asyncgw_sandbox.seed needs the emulated account: pass endpoint_url (or set "
            "AWS_ENDPOINT_URL) or run inside asyncgw_sandbox.emulated_account()"
        )

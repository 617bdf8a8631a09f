"""The least-privilege IAM policy for asyncgw: REST APIs from rest/gateway.py's and
rest/functions.py's calls, advise from rest/metrics.py's and rest/advisor.py's, HTTP APIs from
http/gateway.py's and the ones http/steps.py plans (apigatewayv2, Lambda, IAM and STS); all of
them go through aws/calls.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

API = "{api}"
"""Placeholder for the API id in Permission.path."""


@dataclass(frozen=True)
class Permission:
    """One API Gateway operation asyncgw calls and the IAM action and resource path that allow it.

    API Gateway authorises management calls by HTTP verb (`apigateway:PATCH`) on the request
    path as an ARN (`arn:aws:apigateway:REGION::/restapis/ID/...`); the path here is
    botocore's request URI with the API id as {api} and every other id as `*` (for HTTP APIs,
    apigatewayv2, without botocore's `/v2` prefix).
    """

    operation: str
    service: str
    verb: str
    path: str
    purpose: str


PERMISSIONS: tuple[Permission, ...] = (
    # Finding the API by name, and telling an HTTP API's id or name from a REST API's.
    Permission("GetRestApis", "apigateway", "GET", "/restapis", "FindApi"),
    Permission("GetApis", "apigatewayv2", "GET", "/apis", "FindApi"),
    # status, and the snapshot every other command reads first and after applying.
    Permission("GetRestApi", "apigateway", "GET", f"/restapis/{API}", "ReadApi"),
    Permission("GetResources", "apigateway", "GET", f"/restapis/{API}/resources", "ReadApi"),
    Permission("GetRequestValidators", "apigateway", "GET",
               f"/restapis/{API}/requestvalidators", "ReadApi"),
    Permission("GetStages", "apigateway", "GET", f"/restapis/{API}/stages", "ReadApi"),
    Permission("GetStage", "apigateway", "GET", f"/restapis/{API}/stages/*", "ReadApi"),
    # status: the deployments a stage with a canary release serves, described.
    Permission("GetDeployment", "apigateway", "GET", f"/restapis/{API}/deployments/*",
               "ReadApi"),
    # status and verify: the mode each stage serves, from its OpenAPI export.
    Permission("GetExport", "apigateway", "GET", f"/restapis/{API}/stages/*/exports/*",
               "ReadDeployed"),
    # enable-async, enable-switchable, disable.
    Permission("UpdateMethod", "apigateway", "PATCH",
               f"/restapis/{API}/resources/*/methods/*", "ChangeMethods"),
    Permission("UpdateIntegration", "apigateway", "PATCH",
               f"/restapis/{API}/resources/*/methods/*/integration", "ChangeMethods"),
    # enable-switchable and disable: InvocationType in the OPTIONS method's allowed headers.
    Permission("UpdateIntegrationResponse", "apigateway", "PATCH",
               f"/restapis/{API}/resources/*/methods/*/integration/responses/*",
               "ChangeMethods"),
    Permission("CreateRequestValidator", "apigateway", "POST",
               f"/restapis/{API}/requestvalidators", "CreateValidator"),
    # redeploy, and the deployment after a change.
    Permission("CreateDeployment", "apigateway", "POST",
               f"/restapis/{API}/deployments", "Deploy"),
    # Undo after a failed apply: delete the validator it created, re-point the stage; and
    # promote and cancel-canary, which only update the stage.
    Permission("DeleteRequestValidator", "apigateway", "DELETE",
               f"/restapis/{API}/requestvalidators/*", "UndoValidator"),
    Permission("UpdateStage", "apigateway", "PATCH", f"/restapis/{API}/stages/*", "UndoDeploy"),
    # --convert-proxy and --respond-202 put whole parts; disable and undo put back what they
    # replaced and delete what they added.
    Permission("PutIntegration", "apigateway", "PUT",
               f"/restapis/{API}/resources/*/methods/*/integration", "ReplaceParts"),
    Permission("PutMethodResponse", "apigateway", "PUT",
               f"/restapis/{API}/resources/*/methods/*/responses/*", "ReplaceParts"),
    Permission("PutIntegrationResponse", "apigateway", "PUT",
               f"/restapis/{API}/resources/*/methods/*/integration/responses/*",
               "ReplaceParts"),
    Permission("DeleteMethodResponse", "apigateway", "DELETE",
               f"/restapis/{API}/resources/*/methods/*/responses/*", "RemoveParts"),
    Permission("DeleteIntegrationResponse", "apigateway", "DELETE",
               f"/restapis/{API}/resources/*/methods/*/integration/responses/*",
               "RemoveParts"),
    # verify: TestInvokeMethod runs a method's current configuration.
    Permission("TestInvokeMethod", "apigateway", "POST",
               f"/restapis/{API}/resources/*/methods/*", "Verify"),
)
"""REST APIs; every command on an HTTP API starts with these reads too (asyncgw.library.find)."""

HTTP_PERMISSIONS: tuple[Permission, ...] = (
    # status, and the snapshot every other command reads before, during and after applying.
    Permission("GetApi", "apigatewayv2", "GET", f"/apis/{API}", "HttpReadApi"),
    Permission("GetRoutes", "apigatewayv2", "GET", f"/apis/{API}/routes", "HttpReadApi"),
    Permission("GetIntegrations", "apigatewayv2", "GET", f"/apis/{API}/integrations",
               "HttpReadApi"),
    Permission("GetStages", "apigatewayv2", "GET", f"/apis/{API}/stages", "HttpReadApi"),
    Permission("GetStage", "apigatewayv2", "GET", f"/apis/{API}/stages/*", "HttpReadApi"),
    # Re-pointing routes at the forwarder's integration and back.
    Permission("UpdateRoute", "apigatewayv2", "PATCH", f"/apis/{API}/routes/*",
               "HttpChangeRoutes"),
    Permission("CreateIntegration", "apigatewayv2", "POST", f"/apis/{API}/integrations",
               "HttpCreateIntegrations"),
    Permission("DeleteIntegration", "apigatewayv2", "DELETE", f"/apis/{API}/integrations/*",
               "HttpDeleteIntegrations"),
    # Stages that do not deploy automatically; undo points the stage back.
    Permission("CreateDeployment", "apigatewayv2", "POST", f"/apis/{API}/deployments",
               "HttpDeploy"),
    Permission("UpdateStage", "apigatewayv2", "PATCH", f"/apis/{API}/stages/*",
               "HttpUndoDeploy"),
)
"""HTTP APIs, on top of PERMISSIONS (GetApis is there already)."""

# The names asyncgw.http.recipe gives what it creates, spelled out so that printing the
# policy imports no models (tests/export/test_iam_policy.py checks they agree).
PREFIX = "asyncgw-"
FORWARDER_PREFIXES = ("asyncgw-async-", "asyncgw-switchable-")
ROLE_PREFIX = "asyncgw-forwarder-"
APIGATEWAY_PRINCIPAL = "apigateway.amazonaws.com"
LAMBDA_PRINCIPAL = "lambda.amazonaws.com"

FUNCTIONS = "functions"
"""Every function named asyncgw-*: asyncgw reads any integration target with that prefix."""
FORWARDERS = "forwarders"
"""The functions asyncgw creates: asyncgw-async-* and asyncgw-switchable-*."""
ROLE = "role"
"""The forwarders' IAM role, asyncgw-forwarder-REGION."""
TARGETS = "targets"
"""Any function: the functions a REST API's methods invoke are the user's, named anyhow."""
ANY = "*"
"""No resource-level permissions (sts:GetCallerIdentity)."""


@dataclass(frozen=True)
class Grant:
    """One Lambda, IAM or STS action asyncgw needs, and the call that needs it.

    `action` is `service:operation` for the call itself; for an action AWS checks on behalf of
    another call (lambda:ListTags for GetFunction's tags, lambda:TagResource and iam:PassRole
    for CreateFunction, iam:TagRole for CreateRole) it names that action, and `operation` is
    the call that needs it. Grants of one purpose share one statement, so they share
    `resource` and `condition`.
    """

    action: str
    service: str
    operation: str
    resource: str
    purpose: str
    condition: tuple[tuple[str, str, str], ...] = ()
    """(operator, key, value) tests, all of which must hold."""


FUNCTION_GRANTS: tuple[Grant, ...] = (
    # status (and enable-* with the flags below): what Lambda does with failed async events.
    Grant("lambda:GetFunctionConfiguration", "lambda", "GetFunctionConfiguration", TARGETS,
          "ReadFunctions"),
    Grant("lambda:GetFunctionEventInvokeConfig", "lambda", "GetFunctionEventInvokeConfig",
          TARGETS, "ReadFunctions"),
    Grant("lambda:GetFunctionConcurrency", "lambda", "GetFunctionConcurrency", TARGETS,
          "ReadFunctions"),
    # enable-* with --on-failure, --max-retries or --max-event-age, and undoing them. No grant
    # on the destination: Lambda sends to it with the function's execution role [DOC
    # invocation-async]; that it checks that role when the destination is set is [UNVERIFIED].
    Grant("lambda:PutFunctionEventInvokeConfig", "lambda", "PutFunctionEventInvokeConfig",
          TARGETS, "ConfigureFunctions"),
    Grant("lambda:UpdateFunctionEventInvokeConfig", "lambda", "UpdateFunctionEventInvokeConfig",
          TARGETS, "ConfigureFunctions"),
    Grant("lambda:DeleteFunctionEventInvokeConfig", "lambda", "DeleteFunctionEventInvokeConfig",
          TARGETS, "ConfigureFunctions"),
)
"""REST APIs: the Lambda calls asyncgw.rest.functions makes on the functions methods invoke."""

METRIC_GRANTS: tuple[Grant, ...] = (
    # advise: the API's and its functions' CloudWatch figures. CloudWatch's read actions take
    # no resource but "*" [DOC CloudWatch permissions-reference-cw].
    Grant("cloudwatch:GetMetricData", "cloudwatch", "GetMetricData", ANY, "ReadMetrics"),
)
"""REST APIs: the CloudWatch call of asyncgw.rest.metrics (advise); its API Gateway and
Lambda reads (GetStage, GetFunctionConfiguration) are in PERMISSIONS and FUNCTION_GRANTS."""

ONLY_APIGATEWAY = (("StringEquals", "lambda:Principal", APIGATEWAY_PRINCIPAL),)
ONLY_TO_LAMBDA = (("StringEquals", "iam:PassedToService", LAMBDA_PRINCIPAL),)

GRANTS: tuple[Grant, ...] = (
    # Recognising forwarders: their configuration, tags and resource-based policy.
    Grant("lambda:GetFunction", "lambda", "GetFunction", FUNCTIONS, "HttpReadForwarders"),
    # GetFunction returns a function's tags only to callers allowed lambda:ListTags [MODEL
    # lambda GetFunction Tags]; without them asyncgw cannot tell a forwarder from a function.
    Grant("lambda:ListTags", "lambda", "GetFunction", FUNCTIONS, "HttpReadForwarders"),
    Grant("lambda:GetPolicy", "lambda", "GetPolicy", FUNCTIONS, "HttpReadForwarders"),
    Grant("lambda:GetFunctionConfiguration", "lambda", "GetFunctionConfiguration", FUNCTIONS,
          "HttpReadForwarders"),
    # Creating and removing forwarders (and re-creating one when undoing).
    Grant("lambda:CreateFunction", "lambda", "CreateFunction", FORWARDERS,
          "HttpChangeForwarders"),
    Grant("lambda:TagResource", "lambda", "CreateFunction", FORWARDERS, "HttpChangeForwarders"),
    Grant("lambda:DeleteFunction", "lambda", "DeleteFunction", FORWARDERS,
          "HttpChangeForwarders"),
    # The resource-based permission that lets the API invoke a forwarder: for API Gateway only.
    Grant("lambda:AddPermission", "lambda", "AddPermission", FORWARDERS, "HttpAllowApi",
          ONLY_APIGATEWAY),
    Grant("lambda:RemovePermission", "lambda", "RemovePermission", FORWARDERS, "HttpAllowApi",
          ONLY_APIGATEWAY),
    # The forwarders' role and its inline policy (InvokeFunction on the targets, logs).
    Grant("iam:GetRole", "iam", "GetRole", ROLE, "HttpReadRole"),
    Grant("iam:GetRolePolicy", "iam", "GetRolePolicy", ROLE, "HttpReadRole"),
    Grant("iam:ListRolePolicies", "iam", "ListRolePolicies", ROLE, "HttpReadRole"),
    Grant("iam:ListAttachedRolePolicies", "iam", "ListAttachedRolePolicies", ROLE,
          "HttpReadRole"),
    Grant("iam:CreateRole", "iam", "CreateRole", ROLE, "HttpChangeRole"),
    Grant("iam:TagRole", "iam", "CreateRole", ROLE, "HttpChangeRole"),
    Grant("iam:DeleteRole", "iam", "DeleteRole", ROLE, "HttpChangeRole"),
    Grant("iam:PutRolePolicy", "iam", "PutRolePolicy", ROLE, "HttpChangeRole"),
    Grant("iam:DeleteRolePolicy", "iam", "DeleteRolePolicy", ROLE, "HttpChangeRole"),
    # CreateFunction hands the role to Lambda, and to nothing else.
    Grant("iam:PassRole", "lambda", "CreateFunction", ROLE, "HttpPassRole", ONLY_TO_LAMBDA),
    # The account id in the ARNs asyncgw builds; AWS allows this call to everyone anyway.
    Grant("sts:GetCallerIdentity", "sts", "GetCallerIdentity", ANY, "HttpAccount"),
)
"""HTTP APIs: the Lambda, IAM and STS calls of asyncgw.http."""


def policy(
    api_id: str | None, region: str | None, account: str | None = None, http: bool = True
) -> dict[str, Any]:
    """The IAM policy document for asyncgw on one API (every API when api_id is None).

    The statements whose Sid starts with AsyncgwHttp serve HTTP APIs only: `http=False` leaves
    them out. They let the holder create Lambda functions named asyncgw-async-* and
    asyncgw-switchable-*, give them the asyncgw-forwarder-REGION role, and write that role's
    inline policy. The REST statements include reading and setting the async invocation
    configuration of any function, and CloudWatch's GetMetricData for advise. `account`
    narrows the Lambda and IAM ARNs (API Gateway's carry none).
    """
    statements = _apigateway_statements(PERMISSIONS, api_id, region)
    statements += _grant_statements(FUNCTION_GRANTS, region, account)
    statements += _grant_statements(METRIC_GRANTS, region, account)
    if http:
        statements += _apigateway_statements(HTTP_PERMISSIONS, api_id, region)
        statements += _grant_statements(GRANTS, region, account)
    return {"Version": "2012-10-17", "Statement": statements}


def resources(kind: str, region: str | None, account: str | None) -> list[str]:
    """The ARNs a Grant's resource kind stands for."""
    arn = partition(region)
    if kind == ANY:
        return ["*"]
    if kind == ROLE:
        return [f"arn:{arn}:iam::{account or '*'}:role/{ROLE_PREFIX}{region or '*'}"]
    functions = f"arn:{arn}:lambda:{region or '*'}:{account or '*'}:function:"
    if kind == TARGETS:
        return [f"{functions}*"]
    if kind == FUNCTIONS:
        return [f"{functions}{PREFIX}*"]
    if kind == FORWARDERS:
        return [f"{functions}{prefix}*" for prefix in FORWARDER_PREFIXES]
    raise ValueError(f"unknown resource kind {kind!r}")


def _apigateway_statements(
    permissions: tuple[Permission, ...], api_id: str | None, region: str | None
) -> list[dict[str, Any]]:
    arn = f"arn:{partition(region)}:apigateway:{region or '*'}::"
    # One statement per purpose and verb: an Action list would grant every verb on every path.
    statements: dict[tuple[str, str], dict[str, Any]] = {}
    for permission in permissions:
        statement = statements.setdefault((permission.purpose, permission.verb), {
            "Sid": f"Asyncgw{permission.purpose}",
            "Effect": "Allow",
            "Action": f"apigateway:{permission.verb}",
            "Resource": [],
        })
        resource = arn + permission.path.replace(API, api_id or "*")
        if resource not in statement["Resource"]:
            statement["Resource"].append(resource)
    return list(statements.values())


def _grant_statements(grants: tuple[Grant, ...], region: str | None,
                      account: str | None) -> list[dict[str, Any]]:
    statements: dict[str, dict[str, Any]] = {}
    for grant in grants:
        statement = statements.setdefault(grant.purpose, {
            "Sid": f"Asyncgw{grant.purpose}",
            "Effect": "Allow",
            "Action": [],
            "Resource": resources(grant.resource, region, account),
        })
        if grant.action not in statement["Action"]:
            statement["Action"].append(grant.action)
        for operator, key, value in grant.condition:
            statement.setdefault("Condition", {}).setdefault(operator, {})[key] = value
    return list(statements.values())


def partition(region: str | None) -> str:
    """The ARN partition of a region: aws-cn for China, aws-us-gov for GovCloud, else aws."""
    if region is None:
        return "aws"
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"

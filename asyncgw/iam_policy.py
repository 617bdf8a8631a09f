"""The least-privilege IAM policy for asyncgw's REST API commands, from gateway.py's calls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

API = "{api}"
"""Placeholder for the REST API id in Permission.path."""


@dataclass(frozen=True)
class Permission:
    """One AWS operation asyncgw calls and the IAM action and resource path that allow it.

    API Gateway authorises management calls by HTTP verb (`apigateway:PATCH`) on the request
    path as an ARN (`arn:aws:apigateway:REGION::/restapis/ID/...`); the path here is
    botocore's request URI with the REST API id as {api} and every other id as `*`.
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
    # enable-async, enable-switchable, disable.
    Permission("UpdateMethod", "apigateway", "PATCH",
               f"/restapis/{API}/resources/*/methods/*", "ChangeMethods"),
    Permission("UpdateIntegration", "apigateway", "PATCH",
               f"/restapis/{API}/resources/*/methods/*/integration", "ChangeMethods"),
    Permission("CreateRequestValidator", "apigateway", "POST",
               f"/restapis/{API}/requestvalidators", "CreateValidator"),
    # redeploy, and the deployment after a change.
    Permission("CreateDeployment", "apigateway", "POST",
               f"/restapis/{API}/deployments", "Deploy"),
    # Undo after a failed apply: delete the validator it created, re-point the stage.
    Permission("DeleteRequestValidator", "apigateway", "DELETE",
               f"/restapis/{API}/requestvalidators/*", "UndoValidator"),
    Permission("UpdateStage", "apigateway", "PATCH", f"/restapis/{API}/stages/*", "UndoDeploy"),
)


def policy(api_id: str | None, region: str | None, account: str | None = None) -> dict[str, Any]:
    """The IAM policy document for asyncgw on one REST API (every API when api_id is None).

    API Gateway resource ARNs carry no account id, so `account` does not change this policy;
    it is accepted for statements that will need one (the HTTP API forwarder has none yet).
    """
    arn = f"arn:{partition(region)}:apigateway:{region or '*'}::"
    # One statement per purpose and verb: an Action list would grant every verb on every path.
    statements: dict[tuple[str, str], dict[str, Any]] = {}
    for permission in PERMISSIONS:
        statement = statements.setdefault((permission.purpose, permission.verb), {
            "Sid": f"Asyncgw{permission.purpose}",
            "Effect": "Allow",
            "Action": f"apigateway:{permission.verb}",
            "Resource": [],
        })
        resource = arn + permission.path.replace(API, api_id or "*")
        if resource not in statement["Resource"]:
            statement["Resource"].append(resource)
    return {"Version": "2012-10-17", "Statement": list(statements.values())}


def partition(region: str | None) -> str:
    """The ARN partition of a region: aws-cn for China, aws-us-gov for GovCloud, else aws."""
    if region is None:
        return "aws"
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"

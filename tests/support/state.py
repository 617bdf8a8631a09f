"""Full read-backs through plain boto3 calls, to prove what a change did and did not touch.

A REST API's state is the API alone; an HTTP API's takes in the whole account, since its
forwarders and their role live beside the API as Lambda functions and an IAM role.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from typing import Any

from asyncgw.rest.modes import INVOCATION_TYPE_MAPPING, SELECTOR_PARAMETER
from tests.support.clients import HttpClients

VOLATILE_STAGE_FIELDS = ("deploymentId",)
# When a stage last changed is no setting of it: any write to the stage moves it, pointing the
# stage back at the deployment it served included [MODEL Stage lastUpdatedDate].
STAGE_TIMESTAMPS = ("lastUpdatedDate",)
HTTP_TIMESTAMPS = ("CreatedDate", "LastUpdatedDate")
VOLATILE_FUNCTION_FIELDS = ("LastModified", "RevisionId", "LastUpdateStatus", "State")
VOLATILE_ROLE_FIELDS = ("RoleId", "CreateDate", "RoleLastUsed")


def full_state(client: Any, api_id: str) -> dict[str, Any]:
    """Every method, integration, response, validator and stage of a REST API, one call each."""
    methods: dict[str, Any] = {}
    # GetResources pages (25 by default, moto 5.2 too): follow every page.
    pages = client.get_paginator("get_resources").paginate(
        restApiId=api_id, embed=["methods"], PaginationConfig={"PageSize": 500})
    for resource in (item for page in pages for item in page["items"]):
        for verb in resource.get("resourceMethods", {}):
            method = client.get_method(restApiId=api_id, resourceId=resource["id"],
                                       httpMethod=verb)
            method.pop("ResponseMetadata")
            methods[f"{verb} {resource['path']}"] = _without_empty_maps(method)
    validators = client.get_request_validators(restApiId=api_id)["items"]
    stages = [_without(stage, STAGE_TIMESTAMPS)
              for stage in client.get_stages(restApiId=api_id)["item"]]
    return {"methods": methods, "validators": sorted(validators, key=lambda v: v["id"]),
            "stages": sorted(stages, key=lambda s: s["stageName"])}


def _without_empty_maps(method: dict[str, Any]) -> dict[str, Any]:
    # AWS drops a map once it is empty [REC A3]; moto's PutIntegration stores empty maps.
    # Both mean "no entries", so compare them as one.
    for holder in (method, method.get("methodIntegration", {})):
        for key in ("requestParameters", "requestTemplates", "requestModels"):
            if holder.get(key) == {}:
                del holder[key]
    return method


def without_owned_fields(state: dict[str, Any], deployed_stage: str | None) -> dict[str, Any]:
    """A REST API's state minus what asyncgw owns: the mapping, the header, the validator id."""
    out = copy.deepcopy(state)
    for method in out["methods"].values():
        params = method.get("requestParameters", {})
        params.pop(SELECTOR_PARAMETER, None)
        if not params:
            method.pop("requestParameters", None)
        method.pop("requestValidatorId", None)
        integration = method.get("methodIntegration", {})
        mapping = integration.get("requestParameters", {})
        mapping.pop(INVOCATION_TYPE_MAPPING, None)
        if not mapping:
            integration.pop("requestParameters", None)
    for stage in out["stages"]:
        if stage["stageName"] == deployed_stage:
            for name in VOLATILE_STAGE_FIELDS:
                stage.pop(name, None)
    return out


def account_state(c: HttpClients, api_id: str) -> dict[str, Any]:
    """An HTTP API's routes, integrations, stages; every function with tags and permissions;
    every role."""
    v2 = c.apigatewayv2
    routes = {r["RouteKey"]: _without(r, HTTP_TIMESTAMPS)
              for r in v2.get_routes(ApiId=api_id)["Items"]}
    integrations = {i["IntegrationId"]: _without(i, HTTP_TIMESTAMPS)
                    for i in v2.get_integrations(ApiId=api_id)["Items"]}
    stages = {s["StageName"]: _without(s, HTTP_TIMESTAMPS)
              for s in v2.get_stages(ApiId=api_id)["Items"]}
    functions = {}
    for listed in c.lambda_.list_functions()["Functions"]:
        name = listed["FunctionName"]
        got = c.lambda_.get_function(FunctionName=name)
        functions[name] = {"configuration": _without(got["Configuration"],
                                                     VOLATILE_FUNCTION_FIELDS),
                           "tags": got.get("Tags", {}), "permissions": _permissions(c, name)}
    roles = {}
    for role in c.iam.list_roles()["Roles"]:
        name = role["RoleName"]
        details = c.iam.get_role(RoleName=name)["Role"]
        inline = {p: c.iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
                  for p in c.iam.list_role_policies(RoleName=name)["PolicyNames"]}
        attached = c.iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
        roles[name] = {"role": _without(details, VOLATILE_ROLE_FIELDS), "inline": inline,
                       "attached": attached, "id": details["RoleId"]}
    return {"routes": routes, "integrations": integrations, "stages": stages,
            "functions": functions, "roles": roles}


def _permissions(c: HttpClients, name: str) -> list[dict[str, Any]]:
    try:
        policy = c.lambda_.get_policy(FunctionName=name)["Policy"]
    except c.lambda_.exceptions.ResourceNotFoundException:
        return []
    statements: list[dict[str, Any]] = json.loads(policy)["Statement"]
    return sorted(statements, key=lambda s: s["Sid"])


def without_ids(state: dict[str, Any]) -> dict[str, Any]:
    """An account's state with generated ids replaced by content: what undoing a deletion can
    restore.

    Re-creating a deleted integration or role gives it a new id; everything else is the same.
    """
    out = copy.deepcopy(state)
    by_id = out.pop("integrations")
    for route in out["routes"].values():
        target = route.get("Target", "")
        if target.startswith("integrations/"):
            integration = dict(by_id.get(target.removeprefix("integrations/"), {"missing": target}))
            integration.pop("IntegrationId", None)
            route["Target"] = integration
    out["integrations"] = sorted(
        json.dumps({k: v for k, v in i.items() if k != "IntegrationId"}, sort_keys=True)
         for i in by_id.values())
    for role in out["roles"].values():
        role.pop("id")
    return out


def _without(item: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The item without these fields: times and revisions that move on any write."""
    dropped = set(fields)
    return {k: v for k, v in item.items() if k not in dropped}

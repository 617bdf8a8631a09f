"""Everything asyncgw could touch, read back through plain boto3 calls, to compare before/after."""

from __future__ import annotations

import copy
import json
from typing import Any

VOLATILE_FUNCTION_FIELDS = ("LastModified", "RevisionId", "LastUpdateStatus", "State")
VOLATILE_ROLE_FIELDS = ("RoleId", "CreateDate", "RoleLastUsed")


def account_state(c: Any, api_id: str) -> dict[str, Any]:
    """Routes, integrations, stages of the API; every function with tags and permissions; roles."""
    v2 = c.apigatewayv2
    routes = {r["RouteKey"]: _plain(r) for r in v2.get_routes(ApiId=api_id)["Items"]}
    integrations = {i["IntegrationId"]: _plain(i)
                    for i in v2.get_integrations(ApiId=api_id)["Items"]}
    stages = {s["StageName"]: _plain(s) for s in v2.get_stages(ApiId=api_id)["Items"]}
    functions = {}
    for listed in c.lambda_.list_functions()["Functions"]:
        name = listed["FunctionName"]
        got = c.lambda_.get_function(FunctionName=name)
        config = {k: v for k, v in got["Configuration"].items()
                  if k not in VOLATILE_FUNCTION_FIELDS}
        functions[name] = {"configuration": config, "tags": got.get("Tags", {}),
                           "permissions": _permissions(c, name)}
    roles = {}
    for role in c.iam.list_roles()["Roles"]:
        name = role["RoleName"]
        details = c.iam.get_role(RoleName=name)["Role"]
        inline = {p: c.iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
                  for p in c.iam.list_role_policies(RoleName=name)["PolicyNames"]}
        attached = c.iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
        roles[name] = {"role": {k: v for k, v in details.items() if k not in VOLATILE_ROLE_FIELDS},
                       "inline": inline, "attached": attached, "id": details["RoleId"]}
    return {"routes": routes, "integrations": integrations, "stages": stages,
            "functions": functions, "roles": roles}


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in ("CreatedDate", "LastUpdatedDate")}


def _permissions(c: Any, name: str) -> list[dict[str, Any]]:
    try:
        policy = c.lambda_.get_policy(FunctionName=name)["Policy"]
    except c.lambda_.exceptions.ResourceNotFoundException:
        return []
    statements: list[dict[str, Any]] = json.loads(policy)["Statement"]
    return sorted(statements, key=lambda s: s["Sid"])


def without_ids(state: dict[str, Any]) -> dict[str, Any]:
    """The state with generated ids replaced by content: what undoing a deletion can restore.

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

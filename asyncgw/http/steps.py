"""Each write asyncgw makes for a forwarder, as a Step holding the call and the call undoing it."""

from __future__ import annotations

from typing import Any

from asyncgw.core.bindings import placeholder
from asyncgw.core.model import FieldChange
from asyncgw.core.modes import Mode, function_name
from asyncgw.http.forwarder.package import HANDLER, RUNTIME
from asyncgw.http.modes import lambda_target
from asyncgw.http.plan import ApiCall, Step
from asyncgw.http.recipe import (
    APIGATEWAY_PRINCIPAL,
    INVOKE_POLICY,
    LAMBDA_PRINCIPAL,
    ROLE_TAG,
    ROLE_TAG_VALUE,
    SIZING,
    canonical,
    forwarder_environment,
    forwarder_tags,
    role_name,
    statement_id,
    trust_policy,
)
from asyncgw.http.snapshot import Forwarder, ForwarderRole, Integration, Route

ZIP_PLACEHOLDER = "${forwarder-zip}"
"""Stands for package.forwarder_zip() in a CreateFunction call; the executor fills it in."""


INTEGRATION = "integration"
"""The kind of placeholder that stands for an integration id."""


def integration_placeholder(key: str) -> str:
    """Stands for the id of an integration created (or re-created) while applying."""
    return placeholder(INTEGRATION, key)


def create_role(region: str) -> Step:
    """CreateRole for the forwarders, trusted by Lambda only; undone by DeleteRole."""
    name = role_name(region)
    params: dict[str, Any] = {
        "RoleName": name,
        "AssumeRolePolicyDocument": canonical(trust_policy()),
        "Description": f"asyncgw forwarders of HTTP APIs in {region}",
        "Tags": [{"Key": ROLE_TAG, "Value": ROLE_TAG_VALUE}],
    }
    return Step(
        kind="create-role", marker="+", subject=f"IAM role {name}",
        changes=(FieldChange(field="trusted by", before=None, after=LAMBDA_PRINCIPAL),),
        call=ApiCall(service="iam", operation="CreateRole", params=params),
        undo=ApiCall(service="iam", operation="DeleteRole", params={"RoleName": name}),
    )


def delete_role(role: ForwarderRole) -> Step:
    """DeleteRole; undone by CreateRole with the same name, trust policy and tags."""
    params: dict[str, Any] = {
        "RoleName": role.role_name,
        "Path": role.path,
        "AssumeRolePolicyDocument": role.trust_policy,
        "MaxSessionDuration": role.max_session_duration,
        "Tags": [{"Key": k, "Value": v} for k, v in sorted(role.tags.items())],
    }
    if role.description:
        params["Description"] = role.description
    return Step(
        kind="delete-role", marker="-", subject=f"IAM role {role.role_name}",
        changes=(FieldChange(field="trusted by", before=LAMBDA_PRINCIPAL, after=None),),
        call=ApiCall(service="iam", operation="DeleteRole", params={"RoleName": role.role_name}),
        undo=ApiCall(service="iam", operation="CreateRole", params=params),
    )


def _policy_changes(added: set[str], removed: set[str]) -> tuple[FieldChange, ...]:
    return tuple(
        [FieldChange(field="lambda:InvokeFunction", before=None, after=t) for t in sorted(added)]
        + [FieldChange(field="lambda:InvokeFunction", before=t, after=None)
           for t in sorted(removed)])


def put_policy(region: str, before: str | None, after: str, added: set[str],
               removed: set[str]) -> Step:
    """PutRolePolicy of the invoke policy; undone by the previous one, or by deleting it."""
    name = role_name(region)
    where = {"RoleName": name, "PolicyName": INVOKE_POLICY}
    undo = (ApiCall(service="iam", operation="PutRolePolicy",
                    params={**where, "PolicyDocument": before}) if before is not None
            else ApiCall(service="iam", operation="DeleteRolePolicy", params=where))
    changes = _policy_changes(added, removed)
    if before is None:
        changes += (FieldChange(field="logs", before=None,
                                after="CreateLogGroup, CreateLogStream, PutLogEvents on "
                                      "/aws/lambda/asyncgw-*"),)
    return Step(
        kind="put-role-policy", marker="+" if before is None else "~",
        subject=f"IAM policy {INVOKE_POLICY} of role {name}", changes=changes,
        call=ApiCall(service="iam", operation="PutRolePolicy",
                     params={**where, "PolicyDocument": after}),
        undo=undo,
    )


def delete_policy(region: str, before: str, removed: set[str]) -> Step:
    """DeleteRolePolicy of the invoke policy; undone by putting it back."""
    name = role_name(region)
    where = {"RoleName": name, "PolicyName": INVOKE_POLICY}
    return Step(
        kind="delete-role-policy", marker="-",
        subject=f"IAM policy {INVOKE_POLICY} of role {name}",
        changes=_policy_changes(set(), removed),
        call=ApiCall(service="iam", operation="DeleteRolePolicy", params=where),
        undo=ApiCall(service="iam", operation="PutRolePolicy",
                     params={**where, "PolicyDocument": before}),
    )


def _function_params(name: str, role: str, runtime: str, handler: str, description: str,
                     timeout: int, memory: int, environment: dict[str, str],
                     tags: dict[str, str]) -> dict[str, Any]:
    return {
        "FunctionName": name, "Runtime": runtime, "Role": role, "Handler": handler,
        "Code": {"ZipFile": ZIP_PLACEHOLDER}, "Description": description,
        "Timeout": timeout, "MemorySize": memory,
        "Environment": {"Variables": environment}, "Tags": tags,
    }


def create_forwarder(name: str, target: str, mode: Mode, role: str) -> Step:
    """CreateFunction of a forwarder sized for its mode; undone by DeleteFunction."""
    size = SIZING[mode]
    params = _function_params(
        name, role, RUNTIME, HANDLER,
        f"asyncgw forwarder: invokes {function_name(target)} ({mode})",
        size.timeout_s, size.memory_mb, forwarder_environment(target, mode),
        forwarder_tags(target, mode))
    return Step(
        kind="create-forwarder", marker="+", subject=f"Lambda function {name} (forwarder)",
        changes=(
            FieldChange(field="target", before=None, after=target),
            FieldChange(field="mode", before=None, after=str(mode)),
            FieldChange(field="runtime", before=None, after=f"{RUNTIME}, {HANDLER}"),
            FieldChange(field="memory", before=None, after=f"{size.memory_mb} MB"),
            FieldChange(field="timeout", before=None, after=f"{size.timeout_s} s"),
        ),
        call=ApiCall(service="lambda", operation="CreateFunction", params=params),
        undo=ApiCall(service="lambda", operation="DeleteFunction",
                     params={"FunctionName": name}),
    )


def delete_forwarder(forwarder: Forwarder) -> Step:
    """DeleteFunction; undone by CreateFunction with the configuration read before."""
    params = _function_params(
        forwarder.function_name, forwarder.role, forwarder.runtime or RUNTIME,
        forwarder.handler or HANDLER, forwarder.description, forwarder.timeout,
        forwarder.memory_size, forwarder.environment, forwarder.tags)
    return Step(
        kind="delete-forwarder", marker="-",
        subject=f"Lambda function {forwarder.function_name} (forwarder)",
        changes=(FieldChange(field="target", before=forwarder.target, after=None),
                 FieldChange(field="mode", before=forwarder.mode, after=None)),
        call=ApiCall(service="lambda", operation="DeleteFunction",
                     params={"FunctionName": forwarder.function_name}),
        undo=ApiCall(service="lambda", operation="CreateFunction", params=params),
    )


def _permission_params(name: str, sid: str, source: str | None, action: str | None
                       ) -> dict[str, Any]:
    params: dict[str, Any] = {"FunctionName": name, "StatementId": sid,
                              "Action": action or "lambda:InvokeFunction",
                              "Principal": APIGATEWAY_PRINCIPAL}
    if source:
        params["SourceArn"] = source
    return params


def add_permission(name: str, api_id: str, source: str) -> Step:
    """AddPermission letting one API invoke a forwarder; undone by RemovePermission."""
    sid = statement_id(api_id)
    return Step(
        kind="add-permission", marker="+", subject=f"permission {sid} on {name}",
        changes=(FieldChange(field="lambda:InvokeFunction", before=None,
                             after=f"{APIGATEWAY_PRINCIPAL} from {source}"),),
        call=ApiCall(service="lambda", operation="AddPermission",
                     params=_permission_params(name, sid, source, None)),
        undo=ApiCall(service="lambda", operation="RemovePermission",
                     params={"FunctionName": name, "StatementId": sid}),
    )


def remove_permission(forwarder: Forwarder, sid: str, source: str | None,
                      action: str | None) -> Step:
    """RemovePermission of one API's statement; undone by adding it again."""
    name = forwarder.function_name
    return Step(
        kind="remove-permission", marker="-", subject=f"permission {sid} on {name}",
        changes=(FieldChange(field="lambda:InvokeFunction",
                             before=f"{APIGATEWAY_PRINCIPAL} from {source or 'any source'}",
                             after=None),),
        call=ApiCall(service="lambda", operation="RemovePermission",
                     params={"FunctionName": name, "StatementId": sid}),
        undo=ApiCall(service="lambda", operation="AddPermission",
                     params=_permission_params(name, sid, source, action)),
    )


def _integration_params(api_id: str, integration: Integration) -> dict[str, Any]:
    params: dict[str, Any] = {
        "ApiId": api_id,
        "IntegrationType": integration.integration_type,
        "IntegrationUri": integration.integration_uri,
    }
    optional = {
        "IntegrationMethod": integration.integration_method,
        "PayloadFormatVersion": integration.payload_format_version,
        "TimeoutInMillis": integration.timeout_in_millis,
        "Description": integration.description,
        "CredentialsArn": integration.credentials_arn,
        "RequestParameters": integration.request_parameters or None,
        "ResponseParameters": integration.response_parameters or None,
    }
    params.update({k: v for k, v in optional.items() if v is not None})
    return params


def _integration_changes(integration: Integration, marker: str) -> tuple[FieldChange, ...]:
    function = lambda_target(integration) or integration.integration_uri or "?"
    values = {
        "function": function,
        "payload format": integration.payload_format_version,
        "timeout": f"{integration.timeout_in_millis} ms" if integration.timeout_in_millis
        else None,
    }
    return tuple(
        FieldChange(field=k, before=v if marker == "-" else None,
                    after=v if marker == "+" else None)
        for k, v in values.items() if v is not None)


def create_integration(api_id: str, key: str, model: Integration, label: str) -> Step:
    """CreateIntegration, its id filling ${integration:KEY}; undone by deleting it."""
    return Step(
        kind="create-integration", marker="+",
        subject=f"integration {key} (AWS_PROXY -> {label})",
        changes=_integration_changes(model, "+"),
        call=ApiCall(service="apigatewayv2", operation="CreateIntegration",
                     params=_integration_params(api_id, model)),
        undo=ApiCall(service="apigatewayv2", operation="DeleteIntegration",
                     params={"ApiId": api_id, "IntegrationId": integration_placeholder(key)}),
        binds=key,
    )


def delete_integration(api_id: str, integration: Integration,
                       forwarder: Forwarder | None) -> Step:
    """DeleteIntegration; undone by re-creating it (the new id replaces the old)."""
    label = forwarder.function_name if forwarder else "?"
    return Step(
        kind="delete-integration", marker="-",
        subject=f"integration {integration.integration_id} (AWS_PROXY -> {label})",
        changes=_integration_changes(integration, "-"),
        call=ApiCall(service="apigatewayv2", operation="DeleteIntegration",
                     params={"ApiId": api_id, "IntegrationId": integration.integration_id}),
        undo=ApiCall(service="apigatewayv2", operation="CreateIntegration",
                     params=_integration_params(api_id, integration)),
        undo_binds=integration.integration_id,
    )


def retarget_route(api_id: str, route: Route, after: str, before: str,
                   change: FieldChange) -> Step:
    """UpdateRoute pointing a route at another integration; undone by pointing it back."""
    return Step(
        kind="retarget-route", marker="~", subject=f"route {route.route_key}",
        changes=(change,),
        call=ApiCall(service="apigatewayv2", operation="UpdateRoute",
                     params={"ApiId": api_id, "RouteId": route.route_id, "Target": after}),
        undo=ApiCall(service="apigatewayv2", operation="UpdateRoute",
                     params={"ApiId": api_id, "RouteId": route.route_id, "Target": before}),
    )

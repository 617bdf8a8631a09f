"""Pure presentation of HTTP APIs: snapshots, plans and outcomes as rich renderables and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from asyncgw.core.modes import Mode, function_name
from asyncgw.core.render import MODE_STYLE, marked
from asyncgw.http.forwarder.package import HANDLER, RUNTIME, code_sha256, forwarder_zip
from asyncgw.http.models import HttpApiSnapshot, HttpPlan, Route, Stage, Step
from asyncgw.http.modes import RouteAssessment, assess, lambda_target

if TYPE_CHECKING:
    from asyncgw.core.apply import Outcome



def _stage_line(stage: Stage) -> str:
    served = f"deployment {stage.deployment_id}" if stage.deployment_id else "no deployment"
    how = "deploys automatically" if stage.auto_deploy else "deployed by hand"
    return f"stage {stage.stage_name}: {served} ({how})"


def _header(snapshot: HttpApiSnapshot) -> Text:
    api = snapshot.api
    text = Text.assemble((api.name or "(unnamed)", "bold"),
                         f" ({api.api_id}), HTTP API in {snapshot.region}")
    if api.stack:
        text.append(f"\nmanaged by CloudFormation stack {api.stack}: hand changes drift from "
                    "its template", style="yellow")
    if not snapshot.stages:
        text.append("\nno stages: nothing is deployed")
    for stage in snapshot.stages:
        text.append("\n" + _stage_line(stage))
    return text


def _function_cell(found: RouteAssessment) -> str:
    if found.target:
        return function_name(found.target)
    function = lambda_target(found.integration)
    return function_name(function) if function else "-"


def _counts(modes: list[Mode]) -> str:
    parts = [f"{modes.count(mode)} {mode}" for mode in Mode if modes.count(mode)]
    return f"{len(modes)} route{'s' * (len(modes) != 1)}: {', '.join(parts)}"


def status(snapshot: HttpApiSnapshot) -> RenderableType:
    """The status report: header, one row per route, then reasons and warnings."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in ("ROUTE", "TYPE", "FUNCTION", "MODE", "FORWARDER"):
        table.add_column(column, no_wrap=True)
    notes: list[Text] = []
    modes: list[Mode] = []
    for route in snapshot.routes:
        found = assess(route, snapshot)
        modes.append(found.mode)
        table.add_row(
            route.route_key,
            found.integration.integration_type if found.integration else "-",
            _function_cell(found),
            Text(found.mode, style=MODE_STYLE[found.mode]),
            found.forwarder.function_name if found.forwarder else "-",
        )
        if found.reason:
            notes.append(Text(f"  {route.route_key}: not eligible, {found.reason}", style="dim"))
        notes += [Text(f"  {route.route_key}: {w}", style="yellow") for w in found.warnings]
    parts: list[RenderableType] = [_header(snapshot)]
    parts.append(table if snapshot.routes else Text("The API has no routes."))
    if snapshot.routes:
        parts.append(Text(_counts(modes)))
    if notes:
        parts += [Text("Notes:"), *notes]
    return Group(*parts)


def _route_json(route: Route, snapshot: HttpApiSnapshot) -> dict[str, Any]:
    found = assess(route, snapshot)
    verb, _, path = route.route_key.partition(" ")
    integration = found.integration
    return {
        "routeKey": route.route_key,
        "routeId": route.route_id,
        "httpMethod": verb if path else None,
        "path": path or None,
        "integrationId": route.integration_id,
        "integrationType": integration.integration_type if integration else None,
        "payloadFormatVersion": integration.payload_format_version if integration else None,
        "function": found.target or lambda_target(integration),
        "mode": str(found.mode),
        "forwarder": found.forwarder.function_name if found.forwarder else None,
        "reason": found.reason,
        "warnings": list(found.warnings),
    }


def status_json(snapshot: HttpApiSnapshot) -> dict[str, Any]:
    """The status report as one JSON object."""
    api = snapshot.api
    return {
        "api": {"id": api.api_id, "name": api.name, "region": snapshot.region,
                "protocol": api.protocol_type, "endpoint": api.api_endpoint, "tags": api.tags,
                "stack": api.stack},
        "stages": [
            {
                "name": s.stage_name,
                "deploymentId": s.deployment_id,
                "autoDeploy": s.auto_deploy,
                "createdDate": s.created_date.isoformat() if s.created_date else None,
                "lastUpdatedDate": s.last_updated_date.isoformat() if s.last_updated_date
                else None,
            }
            for s in snapshot.stages
        ],
        "routes": [_route_json(r, snapshot) for r in snapshot.routes],
        "forwarders": [
            {"name": f.function_name, "arn": f.function_arn, "target": f.target,
             "mode": f.mode, "timeout": f.timeout, "memorySize": f.memory_size,
             "currentCode": f.code_sha256 == code_sha256(),
             "permissions": [s.sid for s in f.statements]}
            for f in snapshot.forwarders
        ],
        "role": None if snapshot.role is None else {
            "name": snapshot.role.role_name, "arn": snapshot.role.arn,
            "targets": list(snapshot.role.targets)},
    }


def _step_lines(step: Step) -> list[Text]:
    lines = [marked(step.marker, step.subject)]
    for change in step.changes:
        if change.marker == "+":
            detail = f"{change.field} = {change.after}"
        elif change.marker == "-":
            detail = f"{change.field} = {change.before}"
        else:
            detail = f"{change.field}: {change.before} => {change.after}"
        lines.append(marked(change.marker, detail, indent=6))
    return lines


def plan(plan: HttpPlan) -> RenderableType:
    """The diff: each write, the deployment, the clean-up, costs and limits, then a summary."""
    parts: list[RenderableType] = []
    title = f"{plan.api_name or plan.api_id} ({plan.api_id}) in {plan.region}"
    if plan.is_empty:
        parts.append(Text(f"No changes to {title}."))
    else:
        parts.append(Text(f"asyncgw will make these changes to {title}:"))
        for step in plan.steps:
            parts.extend(_step_lines(step))
        if plan.deployment is not None:
            d = plan.deployment
            was = f", replacing {d.previous_deployment_id}" if d.previous_deployment_id else ""
            parts.append(marked("+", f"deployment of stage {d.stage}{was}: {d.description!r}"))
        if plan.cleanup:
            parts.append(Text("  then, as nothing uses them any more:"))
            for step in plan.cleanup:
                parts.extend(_step_lines(step))
    parts += [Text(f"  = {n.route}: {n.reason}", style="dim") for n in plan.unchanged]
    parts += [Text(f"  skipped {n.route}: {n.reason}", style="dim") for n in plan.skipped]
    if plan.limits:
        parts.append(Text("Costs and limits:"))
        parts += [Text(f"  - {line}") for line in plan.limits]
    parts += [Text(f"Note: {note}") for note in plan.notes]
    parts += [Text(f"Warning: {w}", style="yellow") for w in plan.warnings]
    parts.append(Text(summary(plan), style="bold"))
    return Group(*parts)


_COUNTED = (
    ("create-role", "IAM role to create", "IAM roles to create"),
    ("put-role-policy", "role policy to write", "role policies to write"),
    ("create-forwarder", "forwarder to create", "forwarders to create"),
    ("add-permission", "permission to add", "permissions to add"),
    ("create-integration", "integration to create", "integrations to create"),
    ("delete-integration", "integration to delete", "integrations to delete"),
    ("remove-permission", "permission to remove", "permissions to remove"),
    ("delete-forwarder", "forwarder to delete", "forwarders to delete"),
    ("delete-role-policy", "role policy to delete", "role policies to delete"),
    ("delete-role", "IAM role to delete", "IAM roles to delete"),
)


def summary(plan: HttpPlan) -> str:
    """'1 route to change, 1 forwarder to create, 1 deployment to stage prod.'"""
    if plan.is_empty:
        return "Nothing to do: no change, no deployment."
    parts = []
    if plan.changed_routes:
        count = len(plan.changed_routes)
        parts.append(f"{count} route{'s' * (count != 1)} to change")
    kinds: list[str] = [s.kind for s in plan.writes]
    for kind, one, many in _COUNTED:
        count = kinds.count(kind)
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    if plan.deployment is not None:
        parts.append(f"1 deployment to stage {plan.deployment.stage}")
    else:
        parts.append("no deployment")
    return ", ".join(parts) + "."


def plan_json(plan: HttpPlan) -> dict[str, Any]:
    """The plan as JSON, with every AWS call in the order it would be made."""
    data: dict[str, Any] = plan.model_dump(mode="json", by_alias=True)
    calls = [s.call.wire() for s in plan.steps]
    if plan.deployment is not None:
        calls.append({"service": "apigatewayv2", "operation": "CreateDeployment",
                      "params": {"ApiId": plan.api_id, "StageName": plan.deployment.stage,
                                 "Description": plan.deployment.description}})
    calls += [s.call.wire() for s in plan.cleanup]
    data["calls"] = calls
    data["forwarderCode"] = {"runtime": RUNTIME, "handler": HANDLER, "codeSha256": code_sha256(),
                             "size": len(forwarder_zip())}
    data["summary"] = summary(plan)
    return data


def outcome(plan: HttpPlan, done: Outcome) -> Text:
    """One line saying what was applied and what is live."""
    count = len(plan.changed_routes)
    if plan.deployment is not None and done.deployment_id:
        if plan.mode == "redeploy":
            return Text(f"Done: stage {plan.deployment.stage} now serves deployment "
                        f"{done.deployment_id}.", style="green")
        return Text(f"Done: {count} route(s) now {plan.mode}, live on stage "
                    f"{plan.deployment.stage} (deployment {done.deployment_id}).",
                    style="green")
    if plan.undeployed_stages:
        return Text(f"Done: {count} route(s) now {plan.mode}; not live on stage(s) "
                    f"{', '.join(plan.undeployed_stages)} until you run: asyncgw redeploy "
                    f"{plan.api_id} --stage STAGE", style="yellow")
    return Text(f"Done: {count} route(s) now {plan.mode}.", style="green")

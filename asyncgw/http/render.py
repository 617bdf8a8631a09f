"""Pure presentation of HTTP APIs: snapshots, plans and outcomes as rich renderables and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.text import Text

from asyncgw.core import plan_render
from asyncgw.core import render as shared
from asyncgw.core.modes import Mode, function_name
from asyncgw.http.forwarder.package import HANDLER, RUNTIME, code_sha256, forwarder_zip
from asyncgw.http.modes import RouteAssessment, assess, lambda_target
from asyncgw.http.plan import HttpPlan, Step
from asyncgw.http.snapshot import HttpApiSnapshot, Route, Stage

if TYPE_CHECKING:
    from asyncgw.core.apply import Outcome


def _stage_line(stage: Stage) -> str:
    served = f"deployment {stage.deployment_id}" if stage.deployment_id else "no deployment"
    how = "deploys automatically" if stage.auto_deploy else "deployed by hand"
    return f"stage {stage.stage_name}: {served} ({how})"


def _header(snapshot: HttpApiSnapshot) -> Text:
    api = snapshot.api
    return shared.api_header(api.name, api.api_id, f", HTTP API in {snapshot.region}",
                             api.stack, [_stage_line(stage) for stage in snapshot.stages])


def _function_cell(found: RouteAssessment) -> str:
    if found.target:
        return function_name(found.target)
    function = lambda_target(found.integration)
    return function_name(function) if function else "-"


def status(snapshot: HttpApiSnapshot) -> RenderableType:
    """The status report: header, one row per route, then reasons and warnings."""
    table = shared.status_table(["ROUTE", "TYPE", "FUNCTION", "MODE", "FORWARDER"])
    notes: list[Text] = []
    modes: list[Mode] = []
    for route in snapshot.routes:
        found = assess(route, snapshot)
        modes.append(found.mode)
        table.add_row(
            route.route_key,
            found.integration.integration_type if found.integration else "-",
            _function_cell(found),
            shared.mode_text(found.mode),
            found.forwarder.function_name if found.forwarder else "-",
        )
        notes += shared.row_notes(route.route_key, found.reason, found.warnings)
    return shared.status_report(_header(snapshot), table, "route", modes, notes)


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
                **shared.stage_dates(s.created_date, s.last_updated_date),
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
    return [shared.marked(step.marker, step.subject), *shared.change_lines(step.changes)]


def plan(plan: HttpPlan) -> RenderableType:
    """The diff: each write, the deployment, the clean-up, costs and limits, then a summary."""
    after = [line for step in plan.cleanup for line in _step_lines(step)]
    if after:
        after.insert(0, Text("  then, as nothing uses them any more:"))
    legend = plan_render.Legend(unchanged=[(n.route, n.reason) for n in plan.unchanged],
                                skipped=[(n.route, n.reason) for n in plan.skipped],
                                sections=[("Costs and limits", plan.limits)],
                                notes=plan.notes, warnings=plan.warnings)
    steps = [line for step in plan.steps for line in _step_lines(step)]
    return plan_render.plan_diff(plan, steps, plan.deployment, after, legend, summary(plan))


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
    kinds: list[str] = [s.kind for s in plan.writes]
    counts = [(kinds.count(kind), one, many) for kind, one, many in _COUNTED]
    return plan_render.summary_line((len(plan.changed_routes), "route"), counts,
                                    plan.deployment, plan.is_empty)


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
    changed = shared.counted(len(plan.changed_routes), "route")
    if plan.deployment is not None and done.deployment_id:
        if plan.mode == "redeploy":
            return plan_render.redeployed_outcome(plan.deployment.stage, done.deployment_id)
        return plan_render.live_outcome(changed, plan.mode, plan.deployment, done.deployment_id)
    if plan.undeployed_stages:
        return plan_render.not_live_outcome(changed, plan.mode, plan.api_id, plan.undeployed_stages)
    return Text(f"Done: {changed} now {plan.mode}.", style="green")

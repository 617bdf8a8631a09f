"""Pure presentation: snapshots, plans and outcomes as rich renderables and as JSON data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.text import Text

from asyncgw.core import plan_render
from asyncgw.core import render as shared
from asyncgw.core.modes import Mode, function_name
from asyncgw.rest import canary, canary_status, function_report, markers
from asyncgw.rest.canary_status import StageCanary
from asyncgw.rest.modes import SELECTOR_PARAMETER, Assessment, assess, lambda_function
from asyncgw.rest.plan import (
    ConfigureFunction,
    CreateValidator,
    PatchIntegration,
    PatchIntegrationResponse,
    PatchMethod,
    Plan,
    SetPart,
    Step,
    UpdateStage,
)
from asyncgw.rest.snapshot import ApiSnapshot, Method, Stage

if TYPE_CHECKING:
    from asyncgw.core.apply import Outcome
    from asyncgw.rest.live import Served


def _when(stage: Stage) -> list[str]:
    moment = stage.last_updated_date or stage.created_date
    return [f"updated {moment.strftime('%Y-%m-%d %H:%M %Z').strip()}"] if moment else []


def _stage_line(stage: Stage) -> str:
    details = _when(stage) + (["canary release"] if stage.canary_settings else [])
    shown = f" ({', '.join(details)})" if details else ""
    return f"stage {stage.stage_name}: deployment {stage.deployment_id}{shown}"


def _header(snapshot: ApiSnapshot, canaries: Mapping[str, StageCanary]) -> Text:
    api = snapshot.api
    lines = []
    for stage in snapshot.stages:
        lines.append(_stage_line(stage))
        found = canaries.get(stage.stage_name)
        lines += canary_status.lines(found) if found else []
    return shared.api_header(api.name, api.id, f" in {snapshot.region}", api.stack, lines)


def _validator_cell(method: Method, snapshot: ApiSnapshot) -> str:
    validator = snapshot.validator(method.request_validator_id)
    if validator is None:
        return "-"
    checks = [name for flag, name in ((validator.validate_request_parameters, "params"),
                                      (validator.validate_request_body, "body")) if flag]
    return "+".join(checks) or "nothing"


def status(snapshot: ApiSnapshot, served: Sequence[Served] = (),
           canaries: Mapping[str, StageCanary] | None = None) -> RenderableType:
    """The status report: header, one row per method, then reasons and warnings.

    With `served`, one more column per stage shows the mode that stage serves; `canaries`
    are the stages' canary releases, shown under their stages.
    """
    table = shared.status_table(["METHOD", "TYPE", "FUNCTION", "MODE", "CHECKS",
                                 *(f"ON {stage.stage}" for stage in served)])
    notes: list[Text] = [Text(f"  stage {stage.stage}: cannot tell what it serves "
                              f"({stage.error})", style="yellow")
                         for stage in served if stage.error]
    modes: list[Mode] = []
    for method in snapshot.methods:
        found = assess(method, snapshot)
        modes.append(found.mode)
        function = lambda_function(method.integration)
        table.add_row(
            method.key,
            _type_cell(method),
            function_name(function) if function else "-",
            shared.mode_text(found.mode),
            _validator_cell(method, snapshot),
            *(_served_cell(stage, method, found.mode) for stage in served),
        )
        warnings = _warnings(method, found, snapshot, served)
        notes += shared.row_notes(method.key, found.reason, warnings)
    functions = function_report.table(snapshot)
    return shared.status_report(_header(snapshot, canaries or {}), table, "method", modes, notes,
                                [functions] if functions is not None else [])


def _warnings(method: Method, found: Assessment, snapshot: ApiSnapshot,
              served: Sequence[Served]) -> list[str]:
    broken = markers.damaged(method)
    return [*found.warnings, *function_report.warnings(method, found.mode, snapshot),
            *_not_live(snapshot, served, method, found.mode), *([broken] if broken else [])]


def _type_cell(method: Method) -> str:
    if method.integration is None:
        return "-"
    if markers.converted(method) is not None:
        return f"{method.integration.type} (from proxy)"
    return method.integration.type


def _served_cell(stage: Served, method: Method, current: Mode) -> Text:
    if stage.error is not None:
        return Text("?", style="dim")
    deployed = stage.modes.get(method.key)
    if deployed is None:
        return Text("not deployed", style="yellow")
    if deployed != current or stage.older(method):
        return Text(f"{deployed} *", style="yellow")
    return shared.mode_text(deployed)


def _not_live(snapshot: ApiSnapshot, served: Sequence[Served], method: Method,
              current: Mode) -> list[str]:
    """'async, not yet deployed to prod (it serves sync)' for each stage that lags."""
    invoking = (Mode.ASYNC, Mode.SWITCHABLE)
    key, notes = method.key, []
    for stage in served:
        deployed = stage.modes.get(key)
        fix = f"asyncgw redeploy {snapshot.api.id} --stage {stage.stage}"
        settings = snapshot.stage(stage.stage)
        if settings is not None and settings.canary_settings is not None:
            # AWS refuses a full deployment onto a stage with a canary [DOC canary-release];
            # a canary on another deployment may carry the change, which status cannot read.
            fix = f"{fix} --canary PERCENT (it has a canary release)"
            if settings.canary_settings.get("deploymentId") != settings.deployment_id:
                fix = (f"asyncgw promote {snapshot.api.id} --stage {stage.stage} if its canary "
                       f"carries the change, else {fix}")
        if stage.differs(key, current) and (current in invoking or deployed in invoking):
            notes.append(f"{current}, not yet deployed to {stage.stage} (it serves "
                         f"{deployed or 'no such method'}): {fix}")
        elif current in invoking and stage.older(method):
            notes.append(f"{current} on {stage.stage} too, but {stage.stage} serves an older "
                         f"mapping or response template: {fix}")
    return notes


def _method_json(method: Method, snapshot: ApiSnapshot,
                 served: Sequence[Served]) -> dict[str, Any]:
    found: Assessment = assess(method, snapshot)
    validator = snapshot.validator(method.request_validator_id)
    declared = method.request_parameters.get(SELECTOR_PARAMETER)
    return {
        "path": method.path,
        "httpMethod": method.http_method,
        "resourceId": method.resource_id,
        "integrationType": method.integration.type if method.integration else None,
        "convertedFromProxy": markers.converted(method) is not None,
        "answers202": markers.answers_202(method),
        "function": lambda_function(method.integration),
        "mode": str(found.mode),
        "reason": found.reason,
        "invocationTypeHeader": None if declared is None else (
            "required" if declared else "optional"),
        "validator": validator.model_dump(by_alias=True) if validator else None,
        "failedEventsKept": function_report.keeps_failures(snapshot, method),
        "deployed": {stage.stage: (None if stage.error else stage.modes.get(method.key))
                     for stage in served},
        "warnings": _warnings(method, found, snapshot, served),
    }


def status_json(snapshot: ApiSnapshot, served: Sequence[Served] = (),
                canaries: Mapping[str, StageCanary] | None = None) -> dict[str, Any]:
    """The status report as one JSON object."""
    api = snapshot.api
    errors = {stage.stage: stage.error for stage in served}
    by_stage = {stage.stage: stage for stage in served}
    found = canaries or {}
    return {
        "api": {"id": api.id, "name": api.name, "region": snapshot.region, "tags": api.tags,
                "stack": api.stack},
        "stages": [
            {
                "name": s.stage_name,
                "deploymentId": s.deployment_id,
                **shared.stage_dates(s.created_date, s.last_updated_date),
                "canary": s.canary_settings is not None,
                "canaryRelease": canary_status.data(found[s.stage_name],
                                                    by_stage.get(s.stage_name))
                if s.stage_name in found else None,
                "exportError": errors.get(s.stage_name),
            }
            for s in snapshot.stages
        ],
        "methods": [_method_json(m, snapshot, served) for m in snapshot.methods],
        "functions": [function_report.function_json(f) for f in snapshot.functions],
    }


def _step_lines(step: Step) -> list[Text]:
    match step:
        case CreateValidator():
            checks = "body and parameters" if step.validate_request_body else "parameters"
            return [shared.marked("+", f"validator {step.name!r} (validates {checks})")]
        case PatchMethod() | PatchIntegration() | PatchIntegrationResponse():
            part = {"patch-method": "method request", "patch-integration": "integration request",
                    "patch-integration-response": "CORS preflight response"}[step.kind]
            shown = [change.model_copy(update={"field": change.field.removeprefix(
                "requestParameters.").removeprefix("responseParameters.")})
                     for change in step.changes]
            return [shared.marked("~", f"{step.http_method} {step.path}  {part}"),
                    *shared.change_lines(shown)]
        case SetPart():
            parts = {"integration": "integration request",
                     "method-response": f"method response {step.status_code}",
                     "integration-response": f"integration response {step.status_code}"}
            marker = "+" if step.before is None else "-" if step.after is None else "~"
            where = f"{step.http_method} {step.path}  {parts[step.part]}"
            return [shared.marked(marker, where), *shared.change_lines(step.changes)]
        case ConfigureFunction():
            return [shared.marked("~", f"function {function_name(step.function)}  "
                                       "asynchronous invocation configuration"),
                    *shared.change_lines(step.changes)]
        case UpdateStage():
            return [shared.marked("~", f"stage {step.stage}  {step.what}"),
                    *shared.change_lines(step.changes)]


def plan(plan: Plan) -> RenderableType:
    """The diff: every step, the deployment, notes, warnings and a closing summary."""
    legend = plan_render.Legend(unchanged=[(n.method, n.reason) for n in plan.unchanged],
                                skipped=[(n.method, n.reason) for n in plan.skipped],
                                notes=plan.notes, warnings=plan.warnings, advice=plan.advice)
    steps = [line for step in plan.steps for line in _step_lines(step)]
    return plan_render.plan_diff(plan, steps, plan.deployment, (), legend, summary(plan))


def summary(plan: Plan) -> str:
    """'2 methods to change, 1 validator to create, 1 deployment to stage prod.'"""
    ending = canary.summary(plan)
    if ending is not None:
        return ending
    counts = [
        (sum(isinstance(s, ConfigureFunction) for s in plan.steps), "function to configure",
         "functions to configure"),
        (sum(isinstance(s, CreateValidator) for s in plan.steps), "validator to create",
         "validators to create"),
    ]
    return plan_render.summary_line((len(plan.changed_methods), "method"), counts,
                                    plan.deployment, plan.is_empty)


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan as JSON, patch operations exactly as they would be sent."""
    data: dict[str, Any] = plan.model_dump(mode="json", by_alias=True, exclude_none=False)
    for step in data["steps"]:
        for key in ("ops", "undo"):
            if key in step:
                step[key] = [{k: v for k, v in op.items() if v is not None} for op in step[key]]
    data["summary"] = summary(plan)
    return data


def outcome(plan: Plan, done: Outcome) -> Text:
    """One line saying what was applied and what is live."""
    ended = canary.outcome(plan, done.deployment_id)
    if ended is not None:
        return Text(ended, style="green")
    changed = shared.counted(len(plan.changed_methods), "method")
    if plan.steps and not plan.changed_methods:
        return Text("Done: async configuration set; the API itself needed no change.",
                    style="green")
    if plan.steps and done.deployment_id and plan.deployment:
        return plan_render.live_outcome(changed, plan.mode, plan.deployment, done.deployment_id)
    if plan.steps:
        return plan_render.not_live_outcome(changed, plan.mode, plan.api_id)
    return plan_render.redeployed_outcome(plan.deployment.stage if plan.deployment else "?",
                                          done.deployment_id)

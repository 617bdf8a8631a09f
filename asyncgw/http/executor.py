"""Apply an HTTP API plan: check freshness, journal every write's undo, deploy, clean up, verify."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from asyncgw.core.errors import (
    ApplyFailed,
    AsyncgwError,
    AwsCallFailed,
    StaleSnapshot,
)
from asyncgw.core.journal import Journal, deploy, unwind
from asyncgw.http.forwarder.package import forwarder_zip
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.models import ApiCall, HttpApiSnapshot, HttpPlan, Step
from asyncgw.http.steps import ZIP_PLACEHOLDER

Progress = Callable[[str], None]
Sleep = Callable[[float], None]

ROLE_RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 8.0)
"""A role new to IAM cannot be passed to Lambda for some seconds [COMM, eventual consistency]."""
ACTIVE_POLLS = 60
_PLACEHOLDER = re.compile(r"\$\{integration:([^}]+)\}")


@dataclass(frozen=True)
class HttpOutcome:
    """What an apply did."""

    steps_applied: int
    deployment_id: str | None
    created_integrations: dict[str, str]
    created_forwarders: tuple[str, ...]
    removed_forwarders: tuple[str, ...]


@dataclass
class _Journal(Journal):
    """The undo journal, plus the integration ids bound and created so far."""

    bindings: dict[str, str] = field(default_factory=dict)
    created: dict[str, str] = field(default_factory=dict)


def apply(
    plan: HttpPlan,
    base: HttpApiSnapshot,
    gateway: HttpGateway,
    replan: Callable[[HttpApiSnapshot], HttpPlan],
    progress: Progress = lambda _: None,
    sleep: Sleep = time.sleep,
) -> HttpOutcome:
    """Run the plan against AWS; on any failure or Ctrl-C undo everything and raise."""
    journal = _Journal(bindings={i.integration_id: i.integration_id for i in base.integrations})
    writes = plan.writes
    if writes:
        _check_fresh(plan, base, gateway)
    deployment_id: str | None = None
    try:
        for number, step in enumerate(plan.steps, 1):
            progress(f"[{number}/{len(writes)}] {_describe(step)}")
            _run(step, gateway, journal, sleep)
        deployment_id = _deploy(plan, gateway, journal, progress)
        for number, step in enumerate(plan.cleanup, len(plan.steps) + 1):
            progress(f"[{number}/{len(writes)}] {_describe(step)}")
            _run(step, gateway, journal, sleep)
        if writes:
            progress("verifying: reading the API back")
            _verify(plan, base, gateway, replan)
    except BaseException as failure:  # anything, even a bug of ours, must not leave it half-done
        _undo(journal, plan, base, gateway, failure, progress)
    return HttpOutcome(
        steps_applied=len(writes),
        deployment_id=deployment_id,
        created_integrations=dict(journal.created),
        created_forwarders=tuple(s.call.params["FunctionName"] for s in writes
                                 if s.kind == "create-forwarder"),
        removed_forwarders=tuple(s.call.params["FunctionName"] for s in writes
                                 if s.kind == "delete-forwarder"),
    )


def _check_fresh(plan: HttpPlan, base: HttpApiSnapshot, gateway: HttpGateway) -> None:
    fresh = gateway.read(base.api, for_change=True)
    if fresh.fingerprint != plan.base_fingerprint:
        raise StaleSnapshot(
            f"API {plan.api_id} or its forwarders changed since they were read (another "
            "writer?); nothing was changed, run the command again to plan from the current state"
        )


def _describe(step: Step) -> str:
    verb = {"+": "creating", "~": "updating", "-": "deleting"}[step.marker]
    return f"{verb} {step.subject}"


def _run(step: Step, gateway: HttpGateway, journal: _Journal, sleep: Sleep) -> None:
    journal.wrote = True
    response = _invoke(gateway, step.call, journal.bindings, sleep)
    if step.binds:
        created = str(response["IntegrationId"])
        journal.bindings[step.binds] = created
        journal.created[step.binds] = created

    def undo() -> None:
        """Make the step's undo call, re-binding a re-created integration's new id."""
        answer = _invoke(gateway, step.undo, journal.bindings, sleep)
        if step.undo_binds:
            journal.bindings[step.undo_binds] = str(answer["IntegrationId"])

    journal.record(_undo_text(step), undo)


_UNDO_VERBS = {
    "create-role": "delete", "delete-role": "re-create", "delete-role-policy": "restore",
    "create-forwarder": "delete", "delete-forwarder": "re-create", "add-permission": "remove",
    "remove-permission": "re-add", "create-integration": "delete",
    "delete-integration": "re-create",
}


def _undo_text(step: Step) -> str:
    """What undoing a step does, as the progress and the leftovers say it."""
    if step.kind == "retarget-route":
        return f"point {step.subject} back at {step.undo.params.get('Target')}"
    if step.kind == "put-role-policy":
        verb = "restore" if step.undo.operation == "PutRolePolicy" else "delete"
        return f"{verb} {step.subject}"
    return f"{_UNDO_VERBS[step.kind]} {step.subject}"


def _invoke(gateway: HttpGateway, call: ApiCall, bindings: dict[str, str],
            sleep: Sleep) -> dict[str, Any]:
    params = _resolve(call.params, bindings)
    if call.operation != "CreateFunction":
        return gateway.send(call, params)
    created = _create_function(gateway, call, params, sleep)
    _wait_active(gateway, str(params["FunctionName"]), sleep)
    return created


def _create_function(gateway: HttpGateway, call: ApiCall, params: dict[str, Any],
                     sleep: Sleep) -> dict[str, Any]:
    for delay in ROLE_RETRY_DELAYS:
        try:
            return gateway.send(call, params)
        except AwsCallFailed as error:
            if not _role_not_ready(error):
                raise
        sleep(delay)
    return gateway.send(call, params)


def _role_not_ready(error: AwsCallFailed) -> bool:
    return error.code == "InvalidParameterValueException" and "assumed" in error.message


def _wait_active(gateway: HttpGateway, name: str, sleep: Sleep) -> None:
    # A new function is Pending until Lambda can run it, and invoking it then fails [DOC
    # Lambda function states]: wait before any route can reach it.
    for _ in range(ACTIVE_POLLS):
        state, reason = gateway.function_state(name)
        if state == "Active":
            return
        if state == "Failed":
            raise AwsCallFailed("CreateFunction", "FunctionFailed", f"{name}: {reason}")
        sleep(1.0)
    raise AwsCallFailed("CreateFunction", "FunctionPending",
                        f"{name} still not active after {ACTIVE_POLLS} s")


def _resolve(value: Any, bindings: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _resolve(v, bindings) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, bindings) for v in value]
    if value == ZIP_PLACEHOLDER:
        return forwarder_zip()
    if isinstance(value, str) and "${integration:" in value:
        return _PLACEHOLDER.sub(lambda m: bindings[m.group(1)], value)
    return value


def _deploy(plan: HttpPlan, gateway: HttpGateway, journal: _Journal,
            progress: Progress) -> str | None:
    deployment = plan.deployment
    if deployment is None:
        return None
    progress(f"deploying stage {deployment.stage}")
    return deploy(journal, gateway, plan.api_id, deployment.stage,
                  deployment.previous_deployment_id, deployment.description)


def _verify(plan: HttpPlan, base: HttpApiSnapshot, gateway: HttpGateway,
            replan: Callable[[HttpApiSnapshot], HttpPlan]) -> None:
    again = replan(gateway.read(base.api, for_change=True))
    if again.steps or again.cleanup:
        left = ", ".join(s.subject for s in again.writes)
        raise ApplyFailed(f"read-back shows work left for {plan.mode}: {left}")


def _undo(
    journal: _Journal,
    plan: HttpPlan,
    base: HttpApiSnapshot,
    gateway: HttpGateway,
    failure: BaseException,
    progress: Progress,
) -> None:
    unwind(journal, plan.api_id, failure, lambda: _left_over(plan, base, gateway), progress)


def _left_over(plan: HttpPlan, base: HttpApiSnapshot, gateway: HttpGateway) -> list[str]:
    """What still differs from the snapshot taken before the apply (ids of re-created aside)."""
    try:
        now = gateway.read(base.api, for_change=True)
    except AsyncgwError as error:
        return [f"could not read API {plan.api_id} back to check it ({error.message})"]
    left = _differences("route", _routes(base), _routes(now))
    left += _differences("integration", _integrations(base), _integrations(now))
    left += _differences("forwarder", {f.function_name: f.model_dump(mode="json")
                                       for f in base.forwarders},
                         {f.function_name: f.model_dump(mode="json") for f in now.forwarders})
    role_before = base.role.model_dump(mode="json") if base.role else None
    role_after = now.role.model_dump(mode="json") if now.role else None
    role = base.role or now.role
    if role is not None and role_before != role_after:
        left.append(f"IAM role {role.role_name} or its policy differs from before")
    if plan.deployment is not None and plan.deployment.previous_deployment_id:
        stage = now.stage(plan.deployment.stage)
        if stage and stage.deployment_id != plan.deployment.previous_deployment_id:
            left.append(f"stage {plan.deployment.stage} serves {stage.deployment_id}, "
                        f"was {plan.deployment.previous_deployment_id}")
    return left


def _content(snapshot: HttpApiSnapshot, integration_id: str | None) -> Any:
    integration = snapshot.integration(integration_id)
    if integration is None:
        return integration_id
    return integration.model_dump(mode="json", exclude={"integration_id"})


def _routes(snapshot: HttpApiSnapshot) -> dict[str, Any]:
    return {r.route_key: _content(snapshot, r.integration_id) if r.integration_id else r.target
            for r in snapshot.routes}


def _integrations(snapshot: HttpApiSnapshot) -> dict[str, Any]:
    counted: dict[str, Any] = {}
    for integration in snapshot.integrations:
        content = _content(snapshot, integration.integration_id)
        key = f"{integration.integration_type} -> {integration.integration_uri}"
        counted.setdefault(key, []).append(content)
    return {k: sorted(v, key=repr) for k, v in counted.items()}


def _differences(kind: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(before.keys() | after.keys()):
        if key not in after:
            out.append(f"{kind} {key} is gone")
        elif key not in before:
            out.append(f"{kind} {key} was created and is still there")
        elif before[key] != after[key]:
            out.append(f"{kind} {key} differs from before")
    return out

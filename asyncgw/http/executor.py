"""The HTTP half of the apply loop: AWS calls with bindings, deployed before the clean-up."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from asyncgw.core import apply as core
from asyncgw.core.apply import Outcome
from asyncgw.core.bindings import Bindings
from asyncgw.core.errors import AwsCallFailed
from asyncgw.core.writer import Lane, Progress
from asyncgw.http.forwarder.package import forwarder_zip
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.plan import ApiCall, HttpPlan, Step
from asyncgw.http.snapshot import HttpApiSnapshot
from asyncgw.http.steps import INTEGRATION, ZIP_PLACEHOLDER

Sleep = Callable[[float], None]

ROLE_RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 8.0)
"""A role new to IAM cannot be passed to Lambda for some seconds [COMM, eventual consistency]."""
ACTIVE_POLLS = 60


def apply(
    plan: HttpPlan,
    base: HttpApiSnapshot,
    gateway: HttpGateway,
    replan: Callable[[HttpApiSnapshot], HttpPlan],
    progress: Progress = lambda _: None,
    sleep: Sleep = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Outcome:
    """Run the plan against AWS, up to the gateway's `in_flight` writes at once; on any
    failure or Ctrl-C undo everything and raise."""
    return core.apply(HttpWriter(plan, base, gateway, replan, sleep), progress, clock,
                      gateway.in_flight)


def created_forwarders(plan: HttpPlan) -> tuple[str, ...]:
    """The forwarder functions the plan creates, by name."""
    return _forwarders(plan, "create-forwarder")


def removed_forwarders(plan: HttpPlan) -> tuple[str, ...]:
    """The forwarder functions the plan deletes, by name."""
    return _forwarders(plan, "delete-forwarder")


def _forwarders(plan: HttpPlan, kind: str) -> tuple[str, ...]:
    return tuple(str(s.call.params["FunctionName"]) for s in plan.writes if s.kind == kind)


@dataclass(frozen=True)
class HttpWriter:
    """An HTTP API plan bound to its snapshot and gateway, as the apply loop drives it."""

    plan: HttpPlan
    base: HttpApiSnapshot
    gateway: HttpGateway
    replan: Callable[[HttpApiSnapshot], HttpPlan]
    sleep: Sleep

    @property
    def cleanup(self) -> Sequence[Step]:
        """Removing the old integrations and forwarders: in use until the stage stops serving
        them, so only after the deployment."""
        return self.plan.cleanup

    @property
    def verifies_before_deploy(self) -> bool:
        """False: the clean-up runs after the deployment, and the read-back must cover it."""
        return False

    @property
    def stale_message(self) -> str:
        """The plan also depends on the forwarders and their role, so the message says so."""
        return (f"API {self.plan.api_id} or its forwarders changed since they were read "
                "(another writer?); nothing was changed, run the command again to plan from "
                "the current state")

    def bindings(self) -> Bindings:
        """Integration ids by key; an existing integration is its own key (an undo that
        re-creates it binds its new id)."""
        return Bindings(INTEGRATION, {i.integration_id: i.integration_id
                                      for i in self.base.integrations})

    def read(self) -> HttpApiSnapshot:
        """The API again, with the forwarders, role and account a change needs."""
        return self.gateway.read(self.base.api, for_change=True)

    def describe(self, step: Step) -> str:
        """The progress line of a step: 'creating Lambda function ...'."""
        verb = {"+": "creating", "~": "updating", "-": "deleting"}[step.marker]
        return f"{verb} {step.subject}"

    def lane(self, step: Step) -> Lane:
        """One phase per kind of step, in the plan's order (role, policy, forwarders,
        permissions, integrations, routes; the clean-up the reverse), so that whatever a write
        uses exists and is settled before it is sent; one lane per subject."""
        return Lane(step.kind, step.subject)

    def run(self, step: Step, bindings: Bindings) -> Mapping[str, str]:
        """Make the step's call; a created integration's id fills its placeholder."""
        response = _invoke(self.gateway, step.call, bindings, self.sleep, wait=False)
        return {step.binds: str(response["IntegrationId"])} if step.binds else {}

    def settle(self, step: Step) -> None:
        """A new forwarder must be Active before a route points at it [DOC Lambda function
        states]; the wait comes after its deletion is journaled."""
        if step.call.operation == "CreateFunction":
            _wait_active(self.gateway, str(step.call.params["FunctionName"]), self.sleep)

    def undo(self, step: Step, bindings: Bindings) -> Mapping[str, str]:
        """Make the step's undo call; a re-created integration's new id re-binds its key."""
        answer = _invoke(self.gateway, step.undo, bindings, self.sleep)
        return {step.undo_binds: str(answer["IntegrationId"])} if step.undo_binds else {}

    def undo_text(self, step: Step, bindings: Bindings) -> str:
        """What undoing the step does, with the ids of integrations created on the way."""
        return bindings.resolve_text(_undo_text(step))

    def unfinished(self, snapshot: HttpApiSnapshot) -> str | None:
        """The subjects a plan from the read-back still has to write."""
        again = self.replan(snapshot)
        if not again.steps and not again.cleanup:
            return None
        return f"work left for {self.plan.mode}: " + ", ".join(s.subject for s in again.writes)

    def left_over(self, snapshot: HttpApiSnapshot) -> list[str]:
        """What still differs from the snapshot taken before (ids of re-created aside)."""
        return _left_over(self.plan, self.base, snapshot)

    def repair(self, snapshot: HttpApiSnapshot, left: list[str],
               progress: Progress) -> list[str]:
        """Only list what is left: no restore recipe exists for HTTP APIs.

        What differs after the undo cannot be put back by id: a re-created integration or
        forwarder has a new id or ARN, so it needs a plan from the read-back to the snapshot
        (matching by content, as `left_over` does), which the HTTP planner does not make.
        """
        return left


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


def _invoke(gateway: HttpGateway, call: ApiCall, bindings: Bindings, sleep: Sleep,
            wait: bool = True) -> dict[str, Any]:
    """Make one call; a created function is waited for unless `wait` is False."""
    params = _with_zip(bindings.resolve(call.params))
    if call.operation != "CreateFunction":
        return gateway.send(call, params)
    created = _create_function(gateway, call, params, sleep)
    if wait:
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


def _with_zip(value: Any) -> Any:
    """The call's parameters with the forwarder's package where the plan says ${forwarder-zip}."""
    if isinstance(value, dict):
        return {k: _with_zip(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_zip(v) for v in value]
    return forwarder_zip() if value == ZIP_PLACEHOLDER else value


def _left_over(plan: HttpPlan, base: HttpApiSnapshot, now: HttpApiSnapshot) -> list[str]:
    """What still differs from the snapshot taken before the apply (ids of re-created aside)."""
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

"""The HTTP half of the apply loop: AWS calls with bindings, deployed before the clean-up."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from asyncgw.core import apply as core
from asyncgw.core.apply import Outcome
from asyncgw.core.bindings import Bindings
from asyncgw.core.errors import AsyncgwError, AwsCallFailed
from asyncgw.core.journal_file import Journals
from asyncgw.core.writer import Lane, Progress
from asyncgw.http.forwarder.package import forwarder_zip
from asyncgw.http.gateway import HttpGateway
from asyncgw.http.plan import ApiCall, HttpPlan, Step
from asyncgw.http.restore import Restoration, restore
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
    journals: Journals | None = None,
) -> Outcome:
    """Run the plan against AWS, up to the gateway's `in_flight` writes at once; on any
    failure or Ctrl-C undo everything and raise."""
    return core.apply(HttpWriter(plan, base, gateway, replan, sleep), progress, clock,
                      gateway.in_flight, journals)


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

    def saved(self) -> dict[str, Any]:
        """The plan and the before-snapshot as JSON, for the durable journal."""
        return {"kind": "http", "apiId": self.plan.api_id, "apiName": self.plan.api_name,
                "region": self.plan.region,
                "plan": self.plan.model_dump(mode="json", by_alias=True),
                "snapshot": self.base.model_dump(mode="json", by_alias=True)}

    def repair(self, snapshot: HttpApiSnapshot, left: list[str],
               progress: Progress) -> list[str]:
        """Restore from the snapshot: the journal cannot know of writes whose answer was lost.

        Depends only on the plan, the snapshot taken before, the gateway and the read-back,
        so that a recovery after the process died can make the same restore.
        """
        progress("read-back differs from before: restoring from the snapshot")
        return _restore(self, snapshot, progress)


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


# Restoring from the snapshot

RESTORE_PASSES = 2
"""A write of the first pass may fail or lose its answer: the second plans from a new read."""


def _restore(writer: HttpWriter, snapshot: HttpApiSnapshot, progress: Progress) -> list[str]:
    """Plan from the read-back to the snapshot, write, read back; what still differs."""
    plan, base = writer.plan, writer.base
    now = _read_back(writer, snapshot)
    failure: str | None = None
    notes: tuple[str, ...] = ()
    for _ in range(RESTORE_PASSES):
        restoration = restore(base, now)
        notes = notes or restoration.left
        if restoration.is_empty and _stage_back(plan, now) is None:
            break
        try:
            _run_restoration(writer, restoration, now, progress)
            failure = None
        except AsyncgwError as error:
            failure = f"restoring from the snapshot failed too ({error.message})"
        try:
            now = _read_back(writer, writer.read())
        except AsyncgwError as error:
            return [*_left_over(plan, base, now),
                    f"could not read API {plan.api_id} back to check it ({error.message})"]
    left = _left_over(plan, base, now)
    if not left:
        return []
    return [*left, *notes, *([failure] if failure else [])]


def _read_back(writer: HttpWriter, snapshot: HttpApiSnapshot) -> HttpApiSnapshot:
    """The read-back, with every forwarder the snapshot or the plan names, found or not by it."""
    named = {f.function_name for f in writer.base.forwarders} | set(
        created_forwarders(writer.plan))
    extra = [found for name in sorted(named - {f.function_name for f in snapshot.forwarders})
             if (found := writer.gateway.forwarder(name)) is not None]
    if not extra:
        return snapshot
    forwarders = sorted((*snapshot.forwarders, *extra), key=lambda f: f.function_name)
    return snapshot.model_copy(update={"forwarders": tuple(forwarders)})


def _run_restoration(writer: HttpWriter, restoration: Restoration, now: HttpApiSnapshot,
                     progress: Progress) -> None:
    """The writes, the stage pointed back, then the removals: nothing served loses its user."""
    bindings = Bindings(INTEGRATION, {})
    for step in restoration.steps:
        _restore_step(writer, step, bindings, progress)
    automatic = [s.stage_name for s in writer.base.stages if s.auto_deploy]
    if automatic and any(s.kind == "retarget-route" for s in restoration.steps):
        progress(f"restoring: stage(s) {', '.join(automatic)} deploy automatically: the "
                 "restored routes are live there at once")
    back = _stage_back(writer.plan, now)
    if back is not None:
        stage, deployment_id = back
        progress(f"restoring: pointing stage {stage} back at deployment {deployment_id}")
        writer.gateway.point_stage(writer.plan.api_id, stage, deployment_id)
    for step in restoration.cleanup:
        _restore_step(writer, step, bindings, progress)


def _restore_step(writer: HttpWriter, step: Step, bindings: Bindings,
                  progress: Progress) -> None:
    progress(f"restoring: {writer.describe(step)}")
    answer = _invoke(writer.gateway, step.call, bindings, writer.sleep)
    if step.binds:
        bindings.create({step.binds: str(answer["IntegrationId"])})


def _stage_back(plan: HttpPlan, now: HttpApiSnapshot) -> tuple[str, str] | None:
    """The stage the plan deploys and the deployment it served, if it now serves another."""
    deployment = plan.deployment
    if deployment is None or not deployment.previous_deployment_id:
        return None
    stage = now.stage(deployment.stage)
    if stage is None or stage.deployment_id == deployment.previous_deployment_id:
        return None
    return deployment.stage, deployment.previous_deployment_id

"""The REST half of the apply loop: typed steps on a REST API, verified before deploying."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from asyncgw.core import apply as core
from asyncgw.core.apply import Outcome
from asyncgw.core.bindings import Bindings
from asyncgw.core.errors import AsyncgwError
from asyncgw.core.modes import function_name
from asyncgw.core.writer import Lane, Progress
from asyncgw.rest.functions import Functions
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.plan import (
    NEW_VALIDATOR,
    ConfigureFunction,
    CreateValidator,
    PatchIntegration,
    PatchIntegrationResponse,
    PatchMethod,
    PatchOp,
    Plan,
    SetPart,
    Step,
)
from asyncgw.rest.planner import restore
from asyncgw.rest.snapshot import ApiSnapshot


def apply(
    plan: Plan,
    base: ApiSnapshot,
    gateway: Gateway,
    replan: Callable[[ApiSnapshot], Plan],
    progress: Progress = lambda _: None,
    clock: Callable[[], float] = time.monotonic,
) -> Outcome:
    """Run the plan against AWS, up to the gateway's `in_flight` writes at once; on any
    failure undo everything and raise."""
    functions = gateway.functions() if base.functions else None
    return core.apply(RestWriter(plan, base, gateway, replan, functions), progress, clock,
                      gateway.in_flight)


@dataclass(frozen=True)
class RestWriter:
    """A REST API plan bound to its snapshot and gateway, as the apply loop drives it."""

    plan: Plan
    base: ApiSnapshot
    gateway: Gateway
    replan: Callable[[ApiSnapshot], Plan]
    functions: Functions | None
    """Lambda, when the plan sets or must put back a function's async configuration."""

    @property
    def cleanup(self) -> Sequence[Step]:
        """None: a REST deployment snapshots the API, so nothing replaced stays in use."""
        return ()

    @property
    def verifies_before_deploy(self) -> bool:
        """True: a deployment snapshots the API, so prove the change before it goes live."""
        return True

    @property
    def stale_message(self) -> str:
        """The plan depends on the API (and the function sides it read) only."""
        return (f"API {self.plan.api_id} changed since it was read (another writer?); "
                "nothing was changed, run the command again to plan from its current state")

    def bindings(self) -> Bindings:
        """Validators created in the plan, by name; none exist before."""
        return Bindings(NEW_VALIDATOR)

    def read(self) -> ApiSnapshot:
        """The API again, with the function sides the snapshot had."""
        fresh = self.gateway.read(self.base.api)
        if not self.base.functions:
            return fresh
        functions = self.gateway.functions()
        assert functions is not None
        return fresh.model_copy(update={
            "functions": functions.read_all(f.function for f in self.base.functions)})

    def describe(self, step: Step) -> str:
        """The progress line of a step."""
        return _describe(step)

    def lane(self, step: Step) -> Lane:
        """Functions' async configurations, then validators, then methods, each phase fenced
        from the next (no method goes async before its failed events have somewhere to go, and
        a method may use a new validator); one lane per function, validator and method."""
        match step:
            case ConfigureFunction():
                return Lane("functions", step.function)
            case CreateValidator():
                return Lane("validators", step.name)
            case _:
                return Lane("methods", f"{step.http_method} {step.resource_id}")

    def run(self, step: Step, bindings: Bindings) -> Mapping[str, str]:
        """Make the step's one call; a created validator's id fills its placeholder."""
        api_id = self.plan.api_id
        match step:
            case CreateValidator():
                return {step.name: self.gateway.create_validator(
                    api_id, step.name, step.validate_request_body,
                    step.validate_request_parameters)}
            case SetPart():
                _set(step, api_id, self.gateway, step.after)
            case ConfigureFunction():
                assert self.functions is not None
                self.functions.update(step.function, step.update,
                                      exists=step.before is not None)
            case _:
                _send(step, api_id, self.gateway, _resolved(step.ops, bindings))
        return {}

    def settle(self, step: Step) -> None:
        """Nothing to wait for: API Gateway's writes take effect as they answer."""

    def undo(self, step: Step, bindings: Bindings) -> Mapping[str, str]:
        """Make the call planned to undo the step (nothing is re-created with a new id)."""
        api_id = self.plan.api_id
        match step:
            case CreateValidator():
                self.gateway.delete_validator(api_id, bindings.id(step.name))
            case SetPart():
                _set(step, api_id, self.gateway, step.before)
            case ConfigureFunction():
                assert self.functions is not None
                self.functions.put_back(step.function, step.before)
            case _:
                _send(step, api_id, self.gateway, _resolved(step.undo, bindings))
        return {}

    def undo_text(self, step: Step, bindings: Bindings) -> str:
        """What undoing the step does."""
        match step:
            case CreateValidator():
                return f"delete validator {step.name!r} ({bindings.id(step.name)})"
            case SetPart():
                return f"{step.http_method} {step.path} {_part_name(step)}: put back"
            case ConfigureFunction():
                return f"put back the async configuration of {function_name(step.function)}"
            case _:
                return (f"{step.http_method} {step.path} {_PARTS[step.kind]}: "
                        f"{_ops_text(step.undo)}")

    def unfinished(self, snapshot: ApiSnapshot) -> str | None:
        """Methods still not in the plan's mode, and function sides not as asked."""
        again = self.replan(snapshot)
        if not again.steps:
            return None
        methods = [f"{', '.join(again.changed_methods)} still not {self.plan.mode}"
                   ] if again.changed_methods else []
        functions = [f"the async configuration of {function_name(step.function)} not as asked"
                     for step in again.steps if isinstance(step, ConfigureFunction)]
        return "; ".join(methods + functions)

    def left_over(self, snapshot: ApiSnapshot) -> list[str]:
        """What still differs from the snapshot taken before the apply."""
        return _left_over(self.plan, self.base, snapshot)

    def repair(self, snapshot: ApiSnapshot, left: list[str], progress: Progress) -> list[str]:
        """Restore from the snapshot: the journal cannot know of writes whose answer was lost."""
        progress("read-back differs from before: restoring from the snapshot")
        plan, base, gateway, now = self.plan, self.base, self.gateway, snapshot
        try:
            for step in restore(base, now):
                if isinstance(step, SetPart):
                    _set(step, plan.api_id, gateway, step.after)
                elif not isinstance(step, CreateValidator | ConfigureFunction):
                    _send(step, plan.api_id, gateway, step.ops)
            _put_functions_back(base, now, self.functions)
            now = self.read()
            _drop_stray_validators(plan, base, now, gateway)
            _point_stage_back(plan, now, gateway)
            now = self.read()
        except AsyncgwError as error:
            return [*_left_over(plan, base, now),
                    f"restoring from the snapshot failed too ({error.message})"]
        return _left_over(plan, base, now)


def _describe(step: Step) -> str:
    match step:
        case CreateValidator():
            return f"creating validator {step.name!r}"
        case PatchMethod():
            return f"updating method request of {step.http_method} {step.path}"
        case PatchIntegration():
            return f"updating integration request of {step.http_method} {step.path}"
        case PatchIntegrationResponse():
            return f"updating CORS headers of {step.http_method} {step.path}"
        case ConfigureFunction():
            return f"setting the async configuration of {function_name(step.function)}"
        case SetPart():
            verb = "removing" if step.after is None else "putting"
            return f"{verb} {_part_name(step)} of {step.http_method} {step.path}"


def _part_name(step: SetPart) -> str:
    return {"integration": "the integration",
            "method-response": f"method response {step.status_code}",
            "integration-response": f"integration response {step.status_code}"}[step.part]


Patch = PatchMethod | PatchIntegration | PatchIntegrationResponse
_PARTS = {"patch-method": "method request", "patch-integration": "integration request",
          "patch-integration-response": "integration response"}


def _send(step: Patch, api_id: str, gateway: Gateway, ops: Sequence[PatchOp]) -> None:
    """The one UpdateMethod, UpdateIntegration or UpdateIntegrationResponse call of a step."""
    match step:
        case PatchMethod():
            gateway.update_method(api_id, step.resource_id, step.http_method, ops)
        case PatchIntegration():
            gateway.update_integration(api_id, step.resource_id, step.http_method, ops)
        case PatchIntegrationResponse():
            gateway.update_integration_response(api_id, step.resource_id, step.http_method,
                                                step.status_code, ops)


def _set(step: SetPart, api_id: str, gateway: Gateway,
         arguments: dict[str, object] | None) -> None:
    """The one Put or Delete call of a whole-part step, with `after` or (to undo) `before`."""
    gateway.set_part(api_id, step.resource_id, step.http_method, step.part, step.status_code,
                     arguments)


def _resolved(ops: Sequence[PatchOp], bindings: Bindings) -> list[PatchOp]:
    """The operations with a new validator's placeholder replaced by its id."""
    return [op.model_copy(update={"value": bindings.resolve_text(op.value)})
            if op.value is not None else op for op in ops]


def _ops_text(ops: tuple[PatchOp, ...]) -> str:
    return "; ".join(f"{op.op} {op.path}" + (f" = {op.value}" if op.value else "") for op in ops)


def _put_functions_back(base: ApiSnapshot, now: ApiSnapshot,
                        functions: Functions | None) -> None:
    for side in base.functions:
        changed = now.function(side.function)
        if functions is not None and changed is not None and changed.config != side.config:
            functions.put_back(side.function, side.config)


def _drop_stray_validators(plan: Plan, base: ApiSnapshot, now: ApiSnapshot,
                           gateway: Gateway) -> None:
    known = {v.id for v in base.validators}
    used = {m.request_validator_id for m in now.methods}
    for validator in now.validators:
        if validator.id not in known and validator.id not in used:
            gateway.delete_validator(plan.api_id, validator.id)


def _point_stage_back(plan: Plan, now: ApiSnapshot, gateway: Gateway) -> None:
    deployment = plan.deployment
    if deployment is None or not deployment.previous_deployment_id:
        return
    stage = now.stage(deployment.stage)
    if stage is not None and stage.deployment_id != deployment.previous_deployment_id:
        gateway.point_stage(plan.api_id, deployment.stage, deployment.previous_deployment_id)


def _left_over(plan: Plan, base: ApiSnapshot, now: ApiSnapshot) -> list[str]:
    """What still differs from the snapshot taken before the apply."""
    before = {m.key: m for m in base.methods}
    after = {m.key: m for m in now.methods}
    left = [f"{key} differs from before" for key in sorted(before.keys() | after.keys())
            if before.get(key) != after.get(key)]
    left += [f"async configuration of {function_name(side.function)} differs from before"
             for side in base.functions
             if (changed := now.function(side.function)) and changed.config != side.config]
    extra = {v.id for v in now.validators} - {v.id for v in base.validators}
    left += [f"validator {vid} was created and is still there" for vid in sorted(extra)]
    if plan.deployment is not None and plan.deployment.previous_deployment_id:
        stage = now.stage(plan.deployment.stage)
        if stage and stage.deployment_id != plan.deployment.previous_deployment_id:
            left.append(f"stage {plan.deployment.stage} serves {stage.deployment_id}, "
                        f"was {plan.deployment.previous_deployment_id}")
    return left

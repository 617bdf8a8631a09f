"""Apply a plan: check freshness, run each step with its undo journaled, verify, deploy."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from asyncgw.core.errors import ApplyFailed, AsyncgwError, StaleSnapshot
from asyncgw.core.journal import Journal, deploy, unwind
from asyncgw.core.modes import function_name
from asyncgw.rest.functions import Functions
from asyncgw.rest.gateway import Gateway
from asyncgw.rest.models import (
    ApiSnapshot,
    ConfigureFunction,
    CreateValidator,
    PatchIntegration,
    PatchIntegrationResponse,
    PatchMethod,
    PatchOp,
    Plan,
    SetPart,
    Step,
    new_validator_id,
)
from asyncgw.rest.planner import restore

Progress = Callable[[str], None]
Reader = Callable[[ApiSnapshot], ApiSnapshot]
"""Reads the API again, with the same parts (function sides included) as the snapshot given."""


@dataclass(frozen=True)
class Outcome:
    """What an apply did."""

    steps_applied: int
    deployment_id: str | None
    created_validators: dict[str, str]


@dataclass
class _Journal(Journal):
    """The undo journal, plus the ids of the validators created so far."""

    validator_ids: dict[str, str] = field(default_factory=dict)
    functions: Functions | None = None


def reader(gateway: Gateway) -> Reader:
    """Read an API again with the function sides its snapshot had."""

    def read(base: ApiSnapshot) -> ApiSnapshot:
        fresh = gateway.read(base.api)
        if not base.functions:
            return fresh
        functions = gateway.functions()
        assert functions is not None
        return fresh.model_copy(update={
            "functions": functions.read_all(f.function for f in base.functions)})

    return read


def apply(
    plan: Plan,
    base: ApiSnapshot,
    gateway: Gateway,
    replan: Callable[[ApiSnapshot], Plan],
    progress: Progress = lambda _: None,
    clock: Callable[[], float] = time.monotonic,
) -> Outcome:
    """Run the plan against AWS; on any failure undo everything and raise."""
    read = reader(gateway)
    journal = _Journal(functions=gateway.functions() if base.functions else None)
    if plan.steps:
        _check_fresh(plan, base, read)
    total = len(plan.steps)
    started = clock()
    try:
        for number, step in enumerate(plan.steps, 1):
            progress(f"[{number}/{total}] {_describe(step)}"
                     f"{_time_left(number - 1, total, clock() - started)}")
            _run(step, plan.api_id, gateway, journal)
        if plan.steps:
            progress("verifying: reading the API back")
            _verify(plan, base, read, replan)
        deployment_id = _deploy(plan, gateway, journal, progress)
    except BaseException as failure:  # anything, even a bug of ours, must not leave it half-done
        _undo(journal, plan, base, gateway, read, failure, progress)
    return Outcome(len(plan.steps), deployment_id, dict(journal.validator_ids))


def _time_left(done: int, total: int, elapsed: float) -> str:
    """' (about 40 s left)' once enough steps ran to estimate; '' for short applies."""
    if total < 20 or done < 5:
        return ""
    return f" (about {elapsed / done * (total - done):.0f} s left)"


def _check_fresh(plan: Plan, base: ApiSnapshot, read: Reader) -> None:
    fresh = read(base)
    if fresh.fingerprint != plan.base_fingerprint:
        raise StaleSnapshot(
            f"API {plan.api_id} changed since it was read (another writer?); "
            "nothing was changed, run the command again to plan from its current state"
        )


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


def _resolved(ops: Sequence[PatchOp], journal: _Journal) -> list[PatchOp]:
    placeholders = {new_validator_id(n): i for n, i in journal.validator_ids.items()}
    return [
        op.model_copy(update={"value": placeholders[op.value]})
        if op.value in placeholders else op
        for op in ops
    ]


Patch = PatchMethod | PatchIntegration | PatchIntegrationResponse
_PARTS = {"patch-method": "method request", "patch-integration": "integration request",
          "patch-integration-response": "integration response"}


def _run(step: Step, api_id: str, gateway: Gateway, journal: _Journal) -> None:
    journal.wrote = True
    if isinstance(step, CreateValidator):
        created = gateway.create_validator(
            api_id, step.name, step.validate_request_body, step.validate_request_parameters)
        journal.validator_ids[step.name] = created
        journal.record(f"delete validator {step.name!r} ({created})",
                       lambda: gateway.delete_validator(api_id, created))
        return
    if isinstance(step, SetPart):
        _set(step, api_id, gateway, step.after)
        journal.record(f"{step.http_method} {step.path} {_part_name(step)}: put back",
                       lambda: _set(step, api_id, gateway, step.before))
        return
    if isinstance(step, ConfigureFunction):
        functions = journal.functions
        assert functions is not None
        functions.update(step.function, step.update, exists=step.before is not None)
        journal.record(f"put back the async configuration of {function_name(step.function)}",
                       lambda: functions.put_back(step.function, step.before))
        return
    _send(step, api_id, gateway, _resolved(step.ops, journal))
    journal.record(f"{step.http_method} {step.path} {_PARTS[step.kind]}: "
                   f"{_ops_text(step.undo)}",
                   lambda: _send(step, api_id, gateway, step.undo))


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


def _ops_text(ops: tuple[PatchOp, ...]) -> str:
    return "; ".join(f"{op.op} {op.path}" + (f" = {op.value}" if op.value else "") for op in ops)


def _verify(
    plan: Plan, base: ApiSnapshot, read: Reader, replan: Callable[[ApiSnapshot], Plan]
) -> None:
    again = replan(read(base))
    if again.steps:
        methods = [f"{', '.join(again.changed_methods)} still not {plan.mode}"
                   ] if again.changed_methods else []
        functions = [f"the async configuration of {function_name(step.function)} not as asked"
                     for step in again.steps if isinstance(step, ConfigureFunction)]
        raise ApplyFailed(f"read-back shows {'; '.join(methods + functions)}")


def _deploy(plan: Plan, gateway: Gateway, journal: _Journal, progress: Progress) -> str | None:
    deployment = plan.deployment
    if deployment is None:
        return None
    progress(f"deploying stage {deployment.stage}")
    return deploy(journal, gateway, plan.api_id, deployment.stage,
                  deployment.previous_deployment_id, deployment.description)


def _undo(
    journal: _Journal,
    plan: Plan,
    base: ApiSnapshot,
    gateway: Gateway,
    read: Reader,
    failure: BaseException,
    progress: Progress,
) -> None:
    unwind(journal, plan.api_id, failure,
           lambda: _repaired(plan, base, gateway, read, journal.functions, progress), progress)


def _repaired(plan: Plan, base: ApiSnapshot, gateway: Gateway, read: Reader,
              functions: Functions | None, progress: Progress) -> list[str]:
    """Read back; put back what the journal could not know about; list what still differs."""
    try:
        now = read(base)
    except AsyncgwError as error:
        return [f"could not read API {plan.api_id} back to check it ({error.message})"]
    if not _left_over(plan, base, now):
        return []
    progress("read-back differs from before: restoring from the snapshot")
    try:
        for step in restore(base, now):
            if isinstance(step, SetPart):
                _set(step, plan.api_id, gateway, step.after)
            elif not isinstance(step, CreateValidator | ConfigureFunction):
                _send(step, plan.api_id, gateway, step.ops)
        _put_functions_back(base, now, functions)
        now = read(base)
        _drop_stray_validators(plan, base, now, gateway)
        _point_stage_back(plan, now, gateway)
        now = read(base)
    except AsyncgwError as error:
        return [*_left_over(plan, base, now),
                f"restoring from the snapshot failed too ({error.message})"]
    return _left_over(plan, base, now)


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

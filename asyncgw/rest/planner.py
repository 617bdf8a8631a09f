"""Pure planning: snapshot, selection and wanted mode in; an ordered Plan with its undo out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from asyncgw.core.errors import UsageError
from asyncgw.core.model import FieldChange
from asyncgw.core.modes import Mode
from asyncgw.rest import async_config, conversion, cors, proxy_templates
from asyncgw.rest.models import (
    ApiSnapshot,
    AsyncConfig,
    ConfigureFunction,
    CreateValidator,
    Deployment,
    Method,
    MethodNote,
    PatchIntegration,
    PatchMethod,
    PatchOp,
    Plan,
    Step,
    Validator,
    new_validator_id,
)
from asyncgw.rest.modes import (
    BOTH_VALIDATOR_NAME,
    EVENT,
    INVOCATION_TYPE_MAPPING,
    PARAMETERS_VALIDATOR_NAME,
    REQUEST_RESPONSE,
    SELECTOR_PARAMETER,
    assess,
    proxy_lambda,
    validates_parameters,
)
from asyncgw.rest.selection import Selection


def choose_stage(
    snapshot: ApiSnapshot, requested: str | None, no_deploy: bool, offer_no_deploy: bool = True
) -> str | None:
    """The stage to redeploy after a change, or None with --no-deploy."""
    names = [s.stage_name for s in snapshot.stages]
    if no_deploy:
        if requested is not None:
            raise UsageError("--stage and --no-deploy contradict each other; pass only one")
        return None
    if requested is not None:
        if requested not in names:
            listed = ", ".join(names) if names else "none"
            raise UsageError(
                f"no stage {requested!r} in API {snapshot.api.id} (stages: {listed})"
            )
        return requested
    if len(names) == 1:
        return names[0]
    if not names:
        raise UsageError(
            f"API {snapshot.api.id} has no stage to redeploy; pass --no-deploy "
            "and deploy it yourself"
        )
    raise UsageError(
        f"API {snapshot.api.id} has {len(names)} stages ({', '.join(names)}); "
        "choose one with --stage" + (", or pass --no-deploy" if offer_no_deploy else "")
    )


REMOVE_CANARY = '[{"op":"remove","path":"/canarySettings"}]'
"""UpdateStage patch that turns a canary release off [DOC delete-canary-deployment]."""


def refuse_canary(snapshot: ApiSnapshot, stage: str, offer_no_deploy: bool) -> None:
    """Raise UsageError when `stage` has a canary release: AWS refuses to deploy onto it.

    A CreateDeployment without canary settings on such a stage is a 400 [DOC canary-release;
    COMM the AWS error quoted in serverless/serverless#11518], so asyncgw stops before its
    first write rather than apply the change and undo it when the deployment fails.
    """
    current = snapshot.stage(stage)
    canary = current.canary_settings if current else None
    if canary is None:
        return
    percent = canary.get("percentTraffic")
    serving = f"deployment {canary.get('deploymentId', '?')}" + (
        f", {percent:g}% of traffic" if isinstance(percent, int | float) else "")
    remove = (f"aws apigateway update-stage --rest-api-id {snapshot.api.id} --stage-name "
              f"{stage} --patch-operations '{REMOVE_CANARY}'")
    raise UsageError(
        f"stage {stage} has a canary release ({serving}) and AWS refuses a deployment "
        "without canary settings onto it; asyncgw does not deploy into a canary yet: promote "
        f"the canary if its deployment should stay, then remove it ({remove})"
        + (", or pass --no-deploy and redeploy once the canary is gone" if offer_no_deploy
           else "")
        + "; nothing was changed"
    )


def refuse_managed(snapshot: ApiSnapshot) -> None:
    """Raise UsageError when a CloudFormation stack owns the API (for --refuse-managed)."""
    if snapshot.api.stack:
        raise UsageError(
            f"API {snapshot.api.id} is managed by CloudFormation stack "
            f"{snapshot.api.stack!r} and --refuse-managed is set: change the stack's "
            "template instead; nothing was changed"
        )


def plan(
    snapshot: ApiSnapshot,
    selection: Selection,
    mode: Mode,
    stage: str | None,
    want: AsyncConfig | None = None,
    respond_202: bool | None = None,
) -> Plan:
    """Steps that take every selected method to `mode`, then a deployment of `stage`.

    With `want`, the target functions' async configuration is set first, so that no
    method goes async before its failed events have somewhere to go. `respond_202` turns
    202 Accepted for async calls on or off (None keeps what each method does). Lambda proxy
    methods in the selection are converted (the selection only holds them when asked to).
    """
    pool = _ValidatorPool(snapshot, respond_202)
    steps: list[Step] = []
    changed: list[str] = []
    unchanged: list[MethodNote] = []
    notes: list[str] = []
    skipped = list(selection.skipped)
    taken: list[Method] = []  # the selected methods minus those refused under --all
    for method in selection.methods:
        try:
            method_steps, method_notes = _method_steps(method, mode, snapshot, pool)
        except conversion.Refused as refused:
            if method.key in selection.named:
                raise  # named with -m: an error that says why, nothing is changed
            skipped.append(MethodNote(method=method.key, reason=refused.reason))
            continue
        taken.append(method)
        notes.extend(method_notes)
        if method_steps:
            steps.extend(method_steps)
            changed.append(method.key)
        else:
            unchanged.append(MethodNote(method=method.key, reason=f"already {mode}"))
    preflights = cors.preflight_steps(snapshot, _switchable_after(snapshot, taken, mode))
    steps.extend(preflights)
    changed.extend(f"{step.http_method} {step.path}" for step in preflights)
    steps[:0] = pool.created
    deployment = _deployment(snapshot, stage, changed, mode) if steps else None
    if want is not None and mode is not Mode.SYNC:
        functions = async_config.steps(snapshot, async_config.targets(taken), want)
        steps[:0] = functions
    return Plan(
        api_id=snapshot.api.id,
        api_name=snapshot.api.name,
        region=snapshot.region,
        mode=str(mode),
        base_fingerprint=snapshot.fingerprint,
        steps=tuple(steps),
        deployment=deployment,
        changed_methods=tuple(changed),
        unchanged=tuple(unchanged),
        skipped=tuple(skipped),
        warnings=_warnings(snapshot, deployment, not _only_functions(steps), stage),
        notes=tuple(notes),
        advice=_advice(snapshot, mode, bool(want and want.on_failure)) if changed else (),
    )


def _only_functions(steps: Sequence[Step]) -> bool:
    return all(isinstance(step, ConfigureFunction) for step in steps)


def _switchable_after(snapshot: ApiSnapshot, taken: Sequence[Method], mode: Mode
                      ) -> dict[str, bool]:
    """For each path the plan touches: will any of its methods be switchable afterwards?"""
    chosen = {m.key for m in taken}
    after: dict[str, bool] = {m.path: False for m in taken}
    for method in snapshot.methods:
        if method.path in after:
            mode_after = mode if method.key in chosen else assess(method, snapshot).mode
            after[method.path] |= mode_after is Mode.SWITCHABLE
    return after


def plan_redeploy(snapshot: ApiSnapshot, stage: str, description: str | None) -> Plan:
    """A plan that only creates a new deployment of `stage`."""
    refuse_canary(snapshot, stage, offer_no_deploy=False)
    current = snapshot.stage(stage)
    deployment = Deployment(
        stage=stage,
        previous_deployment_id=current.deployment_id if current else None,
        description=description or "asyncgw: redeploy",
    )
    return Plan(
        api_id=snapshot.api.id,
        api_name=snapshot.api.name,
        region=snapshot.region,
        mode="redeploy",
        base_fingerprint=snapshot.fingerprint,
        steps=(),
        deployment=deployment,
        changed_methods=(),
        warnings=_warnings(snapshot, deployment, False, stage),
    )


@dataclass
class _ValidatorPool:
    """Validators for switchable mode: reuse any with matching flags, create each at most once."""

    snapshot: ApiSnapshot
    respond_202: bool | None = None
    created: list[CreateValidator] = field(default_factory=list)

    def parameters_validator(self, current: Validator | None) -> tuple[str, str]:
        """(id or placeholder, display name) of a validator that checks parameters."""
        body = current.validate_request_body if current else False
        for validator in self.snapshot.validators:
            if validator.validate_request_parameters and validator.validate_request_body == body:
                return validator.id, f"{validator.name or '(unnamed)'} ({validator.id})"
        for step in self.created:
            if step.validate_request_body == body:
                return new_validator_id(step.name), f"{step.name} (new)"
        name = self._free_name(BOTH_VALIDATOR_NAME if body else PARAMETERS_VALIDATOR_NAME)
        self.created.append(
            CreateValidator(name=name, validate_request_body=body, validate_request_parameters=True)
        )
        return new_validator_id(name), f"{name} (new)"

    def _free_name(self, name: str) -> str:
        taken = {v.name for v in self.snapshot.validators} | {s.name for s in self.created}
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name} ({n})", n + 1
        return candidate


def _validator_label(validator: Validator | None) -> str | None:
    if validator is None:
        return None
    return f"{validator.name or '(unnamed)'} ({validator.id})"


def _method_steps(
    method: Method, mode: Mode, snapshot: ApiSnapshot, pool: _ValidatorPool
) -> tuple[list[Step], list[str]]:
    assert method.integration is not None
    broken = conversion.damaged(method)
    if broken is not None:
        raise conversion.Refused(method, broken)
    validator = snapshot.validator(method.request_validator_id)
    if proxy_lambda(method):
        return _proxy_steps(method, mode, snapshot, pool, validator)
    mapping = method.integration.request_parameters.get(INVOCATION_TYPE_MAPPING)
    declared = method.request_parameters.get(SELECTOR_PARAMETER)
    binary = snapshot.api.binary_media_types
    notes: list[str] = []
    if mode is Mode.SWITCHABLE:
        responses = conversion.respond(method, mode, pool.respond_202, binary)  # may refuse
        method_change = _switchable_method_patch(method, declared, validator, pool)
        integration_change = _integration_patch(method, mapping, SELECTOR_PARAMETER)
        return _ordered(method_change, integration_change, method_first=True) + list(
            responses), notes
    converted = conversion.converted(method)
    wanted_mapping = EVENT if mode is Mode.ASYNC else _sync_mapping(mapping)
    integration_change = None if converted and mode is Mode.SYNC else _integration_patch(
        method, mapping, wanted_mapping)
    method_change = None
    if declared is not None:
        if _selector_used_elsewhere(method):
            notes.append(
                f"{method.key}: InvocationType header kept, another integration "
                "parameter maps it"
            )
        else:
            method_change = _method_patch(method, [_parameter(declared, None)])
    if validator is not None and (method_change or integration_change or converted):
        notes.append(
            f"{method.key}: validator {_validator_label(validator)} stays attached"
        )
    if mode is Mode.ASYNC:
        responses = conversion.respond(method, mode, pool.respond_202, binary)
    elif converted:
        responses = conversion.restore(method, converted)
    else:
        responses = conversion.undo_accepted(method)
    return _ordered(method_change, integration_change, method_first=False, between=responses
                    ), notes


def _proxy_steps(method: Method, mode: Mode, snapshot: ApiSnapshot, pool: _ValidatorPool,
                 validator: Validator | None) -> tuple[list[Step], list[str]]:
    """A Lambda proxy method: converted for async or switchable, left alone for sync."""
    if mode is Mode.SYNC:
        return [], []  # synchronous already, and none of its fields are asyncgw's
    binary = snapshot.api.binary_media_types
    notes = [_conversion_note(method, binary)]
    if mode is Mode.ASYNC:
        return list(conversion.convert(method, mode, bool(pool.respond_202), EVENT,
                                       binary)), notes
    # Converted first: a method it refuses must not leave a validator in the pool.
    converted = conversion.convert(method, mode, bool(pool.respond_202), SELECTOR_PARAMETER,
                                   binary)
    declared = method.request_parameters.get(SELECTOR_PARAMETER)
    method_change = _switchable_method_patch(method, declared, validator, pool)
    return _ordered(method_change, None, method_first=True) + list(converted), notes


def _conversion_note(method: Method, binary: tuple[str, ...]) -> str:
    types = ", ".join(conversion.content_types(binary))
    return (f"{method.key}: converted, the function gets the same proxy event for requests "
            f"with Content-Type {types} (or none), except that "
            f"{proxy_templates.EVENT_DIFFERENCES}; other types are refused with 415, as the "
            "proxy integration did not")


def _switchable_method_patch(method: Method, declared: bool | None, validator: Validator | None,
                             pool: _ValidatorPool) -> PatchMethod | None:
    edits = [_parameter(declared, True)]
    if not validates_parameters(validator):
        edits.append(_validator(validator, *pool.parameters_validator(validator)))
    return _method_patch(method, edits)


def _sync_mapping(mapping: str | None) -> str | None:
    # 'RequestResponse' is already synchronous: leave a user's explicit mapping alone.
    return REQUEST_RESPONSE if mapping == REQUEST_RESPONSE else None


def _selector_used_elsewhere(method: Method) -> bool:
    assert method.integration is not None
    return any(
        value == SELECTOR_PARAMETER
        for key, value in method.integration.request_parameters.items()
        if key != INVOCATION_TYPE_MAPPING
    )


def _ordered(
    method_step: PatchMethod | None,
    integration_step: PatchIntegration | None,
    method_first: bool,
    between: Sequence[Step] = (),
) -> list[Step]:
    # AWS rejects a mapping from an undeclared parameter: declare before mapping,
    # unmap before undeclaring. Whole parts (`between`) go after the integration patch.
    pair: list[Step | None] = (
        [method_step, integration_step, *between] if method_first
        else [integration_step, *between, method_step]
    )
    return [step for step in pair if step is not None]


_Edit = tuple[FieldChange, PatchOp, PatchOp] | None


def _parameter(current: bool | None, wanted: bool | None) -> _Edit:
    if current == wanted:
        return None
    path = f"/requestParameters/{SELECTOR_PARAMETER}"
    change = FieldChange(
        field=f"requestParameters.{SELECTOR_PARAMETER}",
        before=_required_label(current),
        after=_required_label(wanted),
    )
    return (change, *_patch_pair(path, _bool_text(current), _bool_text(wanted)))


def _validator(current: Validator | None, new_id: str, label: str) -> _Edit:
    change = FieldChange(field="requestValidator", before=_validator_label(current), after=label)
    undo = PatchOp(op="replace", path="/requestValidatorId", value=current.id if current else None)
    return change, PatchOp(op="replace", path="/requestValidatorId", value=new_id), undo


def _method_patch(method: Method, edits: Sequence[_Edit]) -> PatchMethod | None:
    real = [edit for edit in edits if edit is not None]
    if not real:
        return None
    return PatchMethod(
        resource_id=method.resource_id,
        path=method.path,
        http_method=method.http_method,
        changes=tuple(e[0] for e in real),
        ops=tuple(e[1] for e in real),
        undo=tuple(e[2] for e in reversed(real)),
    )


def _integration_patch(
    method: Method, current: str | None, wanted: str | None
) -> PatchIntegration | None:
    if current == wanted:
        return None
    path = f"/requestParameters/{INVOCATION_TYPE_MAPPING}"
    op, undo = _patch_pair(path, current, wanted)
    return PatchIntegration(
        resource_id=method.resource_id,
        path=method.path,
        http_method=method.http_method,
        changes=(FieldChange(field=f"requestParameters.{INVOCATION_TYPE_MAPPING}",
                             before=current, after=wanted),),
        ops=(op,),
        undo=(undo,),
    )


def _patch_pair(path: str, before: str | None, after: str | None) -> tuple[PatchOp, PatchOp]:
    """The operation from `before` to `after` on a map key, and its inverse."""
    if before is None:
        return PatchOp(op="add", path=path, value=after), PatchOp(op="remove", path=path)
    if after is None:
        return PatchOp(op="remove", path=path), PatchOp(op="add", path=path, value=before)
    return (PatchOp(op="replace", path=path, value=after),
            PatchOp(op="replace", path=path, value=before))


def _bool_text(value: bool | None) -> str | None:
    # Patch values are strings; AWS stores "true"/"false" as booleans [REC A1].
    return None if value is None else str(value).lower()


def _required_label(value: bool | None) -> str | None:
    return None if value is None else ("required" if value else "optional")


def _deployment(
    snapshot: ApiSnapshot, stage: str | None, changed: Sequence[str], mode: Mode
) -> Deployment | None:
    if stage is None:
        return None
    refuse_canary(snapshot, stage, offer_no_deploy=True)
    current = snapshot.stage(stage)
    shown = ", ".join(changed[:3])
    if len(changed) > 3:
        shown += f" and {len(changed) - 3} more"
    return Deployment(
        stage=stage,
        previous_deployment_id=current.deployment_id if current else None,
        description=f"asyncgw: {shown} -> {mode}",
    )


def _warnings(
    snapshot: ApiSnapshot, deployment: Deployment | None, writes: bool, stage: str | None
) -> tuple[str, ...]:
    warnings = []
    stack = snapshot.api.stack
    if stack and writes:
        warnings.append(
            f"API is managed by CloudFormation stack {stack!r}: the next stack update "
            "may revert this change; make it in the template too"
        )
    if writes and stage is None:
        warnings.append("--no-deploy: nothing is live until the stage is redeployed "
                        "(asyncgw redeploy)")
    return tuple(warnings)


def _advice(snapshot: ApiSnapshot, mode: Mode, keeps_failures: bool) -> tuple[str, ...]:
    if mode is Mode.SYNC:
        return ()
    advice = [
        "async invocations take payloads up to 1 MB (synchronous: 6 MB, API Gateway: 10 MB); "
        "larger requests will fail at Lambda",
        "by default Lambda retries a failed async event twice, then drops it, and may deliver "
        "an event more than once: make the function idempotent" + (
            "" if keeps_failures else " and give it an on-failure destination"),
    ]
    if {"REGIONAL", "PRIVATE"} & set(snapshot.api.endpoint_types):
        advice.append(
            "if the only reason is the 29 s integration timeout, a Regional or private REST "
            "API can have it raised by a Service Quotas request instead"
        )
    return tuple(advice)


def restore(base: ApiSnapshot, now: ApiSnapshot) -> list[Step]:
    """Steps that put the fields asyncgw owns back to `base` wherever `now` differs."""
    current = {m.key: m for m in now.methods}
    steps: list[Step] = []
    for original in base.methods:
        changed = current.get(original.key)
        if changed is None or changed.integration is None or original.integration is None:
            continue
        was = original.request_parameters.get(SELECTOR_PARAMETER)
        edits = [_parameter(changed.request_parameters.get(SELECTOR_PARAMETER), was)]
        if changed.request_validator_id != original.request_validator_id:
            edits.append(_validator_back(now.validator(changed.request_validator_id),
                                         original.request_validator_id))
        method_step = _method_patch(changed, edits)
        whole_parts, whole_integration = conversion.repairs(original, changed)
        integration_step = None if whole_integration else _integration_patch(
            changed,
            changed.integration.request_parameters.get(INVOCATION_TYPE_MAPPING),
            original.integration.request_parameters.get(INVOCATION_TYPE_MAPPING),
        )
        steps += _ordered(method_step, integration_step, method_first=was is not None,
                          between=whole_parts)
    return steps + list(cors.restore_steps(base, now))


def _validator_back(current: Validator | None, original_id: str | None) -> _Edit:
    change = FieldChange(field="requestValidator", before=_validator_label(current),
                         after=original_id)
    undo = PatchOp(op="replace", path="/requestValidatorId", value=current.id if current else None)
    return change, PatchOp(op="replace", path="/requestValidatorId", value=original_id), undo


def assessments(snapshot: ApiSnapshot) -> dict[str, Mode]:
    """Each method's current mode, keyed 'VERB /path' (used to verify an apply)."""
    return {m.key: assess(m, snapshot).mode for m in snapshot.methods}

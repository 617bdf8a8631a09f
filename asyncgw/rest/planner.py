"""Pure planning: snapshot, selection and wanted mode in; an ordered Plan with its undo out."""

from __future__ import annotations

from collections.abc import Sequence

from asyncgw.core import plan as shared
from asyncgw.core.canary import canary_release
from asyncgw.core.errors import UsageError
from asyncgw.core.modes import Mode
from asyncgw.core.plan import (
    REDEPLOY_DESCRIPTION,
    Deployment,
    deployment_description,
    stack_warning,
)
from asyncgw.rest import async_config, conversion, cors, repairs
from asyncgw.rest.method_steps import ValidatorPool, method_steps
from asyncgw.rest.modes import INVOCATION_TYPE_MAPPING, SELECTOR_PARAMETER, assess
from asyncgw.rest.patches import (
    attach_validator,
    integration_patch,
    method_patch,
    ordered,
    selector_parameter,
)
from asyncgw.rest.plan import ConfigureFunction, MethodNote, Plan, Step
from asyncgw.rest.selection import Selection
from asyncgw.rest.snapshot import ApiSnapshot, AsyncConfig, Method


def choose_stage(
    snapshot: ApiSnapshot, requested: str | None, no_deploy: bool, offer_no_deploy: bool = True
) -> str | None:
    """The stage to redeploy after a change, or None with --no-deploy."""
    names = [s.stage_name for s in snapshot.stages]
    chosen = shared.requested_stage(snapshot.api.id, names, requested, no_deploy)
    if no_deploy or chosen is not None:
        return chosen
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
    api = snapshot.api.id
    raise UsageError(
        f"stage {stage} has a canary release ({serving}) and AWS refuses a deployment "
        "without canary settings onto it: pass --canary PERCENT to deploy into the canary, "
        f"or end the canary first with 'asyncgw promote {api} --stage {stage}' (its deployment "
        f"then serves all traffic) or 'asyncgw cancel-canary {api} --stage {stage}' (the stage "
        "keeps its own)"
        + (", or pass --no-deploy and redeploy once the canary is gone" if offer_no_deploy
           else "")
        + "; nothing was changed"
    )


def new_deployment(snapshot: ApiSnapshot, stage: str, description: str,
                   canary: float | None, offer_no_deploy: bool) -> Deployment:
    """The deployment of `stage` a plan ends with: of the stage itself, or of its canary."""
    if canary is None:
        refuse_canary(snapshot, stage, offer_no_deploy)
    current = snapshot.stage(stage)
    return Deployment(
        stage=stage,
        previous_deployment_id=current.deployment_id if current else None,
        description=description,
        canary_percent=canary,
        previous_canary=canary_release(current.canary_settings) if current else None,
    )


def refuse_managed(snapshot: ApiSnapshot) -> None:
    """Raise UsageError when a CloudFormation stack owns the API (for --refuse-managed)."""
    shared.refuse_managed(snapshot.api.id, snapshot.api.stack)


def plan(
    snapshot: ApiSnapshot,
    selection: Selection,
    mode: Mode,
    stage: str | None,
    want: AsyncConfig | None = None,
    respond_202: bool | None = None,
    canary: float | None = None,
) -> Plan:
    """Steps that take every selected method to `mode`, then a deployment of `stage`.

    With `want`, the target functions' async configuration is set first, so that no
    method goes async before its failed events have somewhere to go. `respond_202` turns
    202 Accepted for async calls on or off (None keeps what each method does). Lambda proxy
    methods in the selection are converted (the selection only holds them when asked to).
    With `canary`, the deployment is the stage's canary at that share of traffic.
    """
    pool = ValidatorPool(snapshot, respond_202)
    steps: list[Step] = []
    changed: list[str] = []
    unchanged: list[MethodNote] = []
    notes: list[str] = []
    skipped = list(selection.skipped)
    taken: list[Method] = []  # the selected methods minus those refused under --all
    for method in selection.methods:
        try:
            steps_of_method, method_notes = method_steps(method, mode, snapshot, pool)
        except conversion.Refused as refused:
            if method.key in selection.named:
                raise  # named with -m: an error that says why, nothing is changed
            skipped.append(MethodNote(method=method.key, reason=refused.reason))
            continue
        taken.append(method)
        notes.extend(method_notes)
        if steps_of_method:
            steps.extend(steps_of_method)
            changed.append(method.key)
        else:
            unchanged.append(MethodNote(method=method.key, reason=f"already {mode}"))
    preflights = cors.preflight_steps(snapshot, _switchable_after(snapshot, taken, mode))
    steps.extend(preflights)
    changed.extend(f"{step.http_method} {step.path}" for step in preflights)
    steps[:0] = pool.created
    deployment = new_deployment(snapshot, stage, deployment_description(changed, mode), canary,
                                offer_no_deploy=True) if steps and stage else None
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


def plan_redeploy(snapshot: ApiSnapshot, stage: str, description: str | None,
                  canary: float | None = None) -> Plan:
    """A plan that only creates a new deployment of `stage` (of its canary, with `canary`)."""
    deployment = new_deployment(snapshot, stage, description or REDEPLOY_DESCRIPTION, canary,
                                offer_no_deploy=False)
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


def _warnings(
    snapshot: ApiSnapshot, deployment: Deployment | None, writes: bool, stage: str | None
) -> tuple[str, ...]:
    warnings = []
    stack = snapshot.api.stack
    if stack and writes:
        warnings.append(stack_warning(stack))
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
        edits = [selector_parameter(changed.request_parameters.get(SELECTOR_PARAMETER), was)]
        if changed.request_validator_id != original.request_validator_id:
            back = original.request_validator_id
            edits.append(attach_validator(now.validator(changed.request_validator_id), back,
                                          back))
        method_step = method_patch(changed, edits)
        whole_parts, whole_integration = repairs.repairs(original, changed)
        integration_step = None if whole_integration else integration_patch(
            changed,
            changed.integration.request_parameters.get(INVOCATION_TYPE_MAPPING),
            original.integration.request_parameters.get(INVOCATION_TYPE_MAPPING),
        )
        steps += ordered(method_step, integration_step, method_first=was is not None,
                          between=whole_parts)
    return steps + list(cors.restore_steps(base, now))


def assessments(snapshot: ApiSnapshot) -> dict[str, Mode]:
    """Each method's current mode, keyed 'VERB /path' (used to verify an apply)."""
    return {m.key: assess(m, snapshot).mode for m in snapshot.methods}

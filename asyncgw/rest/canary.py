"""Plans that end a stage's canary release: promote it, or cancel it, each with its undo."""

from __future__ import annotations

from typing import Literal

from asyncgw.core.canary import CanaryRelease, canary_release
from asyncgw.core.errors import UsageError
from asyncgw.core.model import FieldChange
from asyncgw.core.plan import requested_stage, stack_warning
from asyncgw.rest.canary_ops import canary_ops, promote_ops, unpromote_ops
from asyncgw.rest.plan import Plan, UpdateStage
from asyncgw.rest.snapshot import ApiSnapshot, Stage

Ending = Literal["promote", "cancel-canary"]
"""How a canary release ends: its deployment serves all traffic, or it is dropped."""
ENDINGS: tuple[Ending, ...] = ("promote", "cancel-canary")


def plan_ending(snapshot: ApiSnapshot, stage: str | None, ending: Ending) -> Plan:
    """The plan of `asyncgw promote` or `asyncgw cancel-canary` on one stage.

    Raises UsageError (exit 2, one line) without --stage, for a stage the API does not have,
    and for a stage without a canary release.
    """
    current, canary = _stage_with_canary(snapshot, stage, ending)
    steps = (_promote(current, canary), _remove(current, canary)) if ending == "promote" \
        else (_remove(current, canary),)
    stack = snapshot.api.stack
    return Plan(
        api_id=snapshot.api.id,
        api_name=snapshot.api.name,
        region=snapshot.region,
        mode=ending,
        base_fingerprint=snapshot.fingerprint,
        steps=steps,
        deployment=None,
        changed_methods=(),
        warnings=(stack_warning(stack),) if stack else (),
        notes=_notes(current, canary, ending),
    )


def remaining(planned: Plan, snapshot: ApiSnapshot) -> Plan:
    """The plan with no steps when the stage reads back as it should end; else unchanged.

    The apply loop verifies by re-planning to nothing; a promote is done when the stage
    serves the canary's deployment, has the overrides among its variables and no canary;
    a cancel when the stage has no canary and still serves its own deployment.
    """
    first = planned.steps[0]
    assert isinstance(first, UpdateStage)
    now = snapshot.stage(first.stage)
    wanted = {change.field: change.after for step in planned.steps
              if isinstance(step, UpdateStage) for change in step.changes}
    done = now is not None and now.canary_settings is None and all(
        _read(now, field) == after for field, after in wanted.items() if field != "canary")
    return planned.model_copy(update={"steps": ()}) if done else planned


def _read(stage: Stage, field: str) -> str | None:
    if field == "deploymentId":
        return stage.deployment_id
    return stage.variables.get(field.removeprefix("variables."))


def _stage_with_canary(snapshot: ApiSnapshot, stage: str | None, ending: Ending
                       ) -> tuple[Stage, CanaryRelease]:
    names = [s.stage_name for s in snapshot.stages]
    if stage is None:
        raise UsageError(f"{ending} needs --stage STAGE (stages of API {snapshot.api.id}: "
                         f"{', '.join(names) or 'none'})")
    requested_stage(snapshot.api.id, names, stage, no_deploy=False)
    current = snapshot.stage(stage)
    assert current is not None  # requested_stage raises for a stage the API does not have
    canary = canary_release(current.canary_settings)
    if canary is None:
        raise UsageError(f"stage {stage} of API {snapshot.api.id} has no canary release: "
                         f"nothing to {'promote' if ending == 'promote' else 'cancel'}")
    return current, canary


def _promote(stage: Stage, canary: CanaryRelease) -> UpdateStage:
    """The console's promotion: the stage takes the canary's deployment and overrides."""
    changes = [FieldChange(field="deploymentId", before=stage.deployment_id,
                           after=canary.deployment_id)]
    changes += [FieldChange(field=f"variables.{name}", before=stage.variables.get(name),
                            after=value)
                for name, value in sorted(canary.stage_variable_overrides.items())
                if stage.variables.get(name) != value]
    return UpdateStage(stage=stage.stage_name, what="promote the canary",
                       changes=tuple(changes), ops=tuple(promote_ops(canary)),
                       undo=tuple(unpromote_ops(stage.deployment_id, stage.variables, canary)))


def _remove(stage: Stage, canary: CanaryRelease) -> UpdateStage:
    """Remove the canary; undone by creating it again with all its settings."""
    was = f"deployment {canary.deployment_id}, {canary.percent_traffic:g}% of traffic"
    return UpdateStage(stage=stage.stage_name, what="remove the canary",
                       changes=(FieldChange(field="canary", before=was, after=None),),
                       ops=tuple(canary_ops(None)), undo=tuple(canary_ops(canary)))


def _notes(stage: Stage, canary: CanaryRelease, ending: Ending) -> tuple[str, ...]:
    share = f"{100 - canary.percent_traffic:g}%"
    if ending == "promote":
        notes = [f"stage {stage.stage_name} will serve deployment {canary.deployment_id} to all "
                 f"traffic (it serves it to {canary.percent_traffic:g}% now); deployment "
                 f"{stage.deployment_id} stops serving the other {share}"]
        if canary.stage_variable_overrides:
            notes.append("the canary's stage variable overrides become the stage's variables "
                         "(the others stay), as the console's promotion does")
        return tuple(notes)
    return (f"all traffic goes back to stage {stage.stage_name}'s own deployment "
            f"{stage.deployment_id} (it serves {share} now); deployment {canary.deployment_id} "
            "stays in the API's deployment history",)


def summary(plan: Plan) -> str | None:
    """The closing line of a promote or cancel-canary plan; None for other plans."""
    if plan.mode not in ENDINGS or not plan.steps:
        return None
    first = plan.steps[0]
    assert isinstance(first, UpdateStage)
    if plan.mode == "promote":
        moved = next(c for c in first.changes if c.field == "deploymentId")
        return (f"Stage {first.stage} to serve deployment {moved.after} to all traffic, its "
                "canary removed; no deployment.")
    return f"Stage {first.stage}'s canary to be removed; no deployment."


def outcome(plan: Plan, deployment_id: str | None) -> str | None:
    """What is live after a promote, a cancel-canary or a redeploy into a canary; else None."""
    deployment = plan.deployment
    if plan.mode in ENDINGS and plan.steps:
        first = plan.steps[0]
        assert isinstance(first, UpdateStage)
        if plan.mode == "promote":
            moved = next(c for c in first.changes if c.field == "deploymentId")
            return (f"Done: stage {first.stage} serves deployment {moved.after} to all "
                    "traffic; its canary is removed.")
        return f"Done: stage {first.stage}'s canary is removed; all traffic is on its own " \
               "deployment."
    if not plan.steps and deployment is not None and deployment.canary_percent is not None:
        return (f"Done: stage {deployment.stage}'s canary serves deployment {deployment_id} to "
                f"{deployment.canary_percent:g}% of traffic; deployment "
                f"{deployment.previous_deployment_id} serves the rest.")
    return None

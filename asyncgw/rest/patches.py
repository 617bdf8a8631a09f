"""The patch operations asyncgw sends to a method or its integration, each with its inverse."""

from __future__ import annotations

from collections.abc import Sequence

from asyncgw.core.model import FieldChange
from asyncgw.rest.modes import INVOCATION_TYPE_MAPPING, SELECTOR_PARAMETER
from asyncgw.rest.plan import PatchIntegration, PatchMethod, PatchOp, Step
from asyncgw.rest.snapshot import Method, Validator

Edit = tuple[FieldChange, PatchOp, PatchOp] | None
"""One field's change as the diff shows it, the operation that makes it, and its undo."""


def ordered(
    method_step: PatchMethod | None,
    integration_step: PatchIntegration | None,
    method_first: bool,
    between: Sequence[Step] = (),
) -> list[Step]:
    """The patches of one method in an order AWS accepts, whole parts after the integration's."""
    # AWS rejects a mapping from an undeclared parameter: declare before mapping,
    # unmap before undeclaring. Whole parts (`between`) go after the integration patch.
    pair: list[Step | None] = (
        [method_step, integration_step, *between] if method_first
        else [integration_step, *between, method_step]
    )
    return [step for step in pair if step is not None]


def selector_parameter(current: bool | None, wanted: bool | None) -> Edit:
    """Declare, drop or change the InvocationType header of the method request."""
    if current == wanted:
        return None
    path = f"/requestParameters/{SELECTOR_PARAMETER}"
    change = FieldChange(
        field=f"requestParameters.{SELECTOR_PARAMETER}",
        before=_required_label(current),
        after=_required_label(wanted),
    )
    return (change, *patch_pair(path, _bool_text(current), _bool_text(wanted)))


def validator_label(validator: Validator | None) -> str | None:
    """'name (id)' of a validator as the diff shows it."""
    if validator is None:
        return None
    return f"{validator.name or '(unnamed)'} ({validator.id})"


def attach_validator(current: Validator | None, new_id: str | None, label: str | None
                     ) -> Edit:
    """Point the method at another validator (`new_id`, shown as `label`); undone by the old."""
    change = FieldChange(field="requestValidator", before=validator_label(current), after=label)
    undo = PatchOp(op="replace", path="/requestValidatorId", value=current.id if current else None)
    return change, PatchOp(op="replace", path="/requestValidatorId", value=new_id), undo


def method_patch(method: Method, edits: Sequence[Edit]) -> PatchMethod | None:
    """UpdateMethod with these edits (None when none is real), undone in reverse order."""
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


def integration_patch(
    method: Method, current: str | None, wanted: str | None
) -> PatchIntegration | None:
    """UpdateIntegration of the X-Amz-Invocation-Type mapping, None when it is as wanted."""
    if current == wanted:
        return None
    path = f"/requestParameters/{INVOCATION_TYPE_MAPPING}"
    op, undo = patch_pair(path, current, wanted)
    return PatchIntegration(
        resource_id=method.resource_id,
        path=method.path,
        http_method=method.http_method,
        changes=(FieldChange(field=f"requestParameters.{INVOCATION_TYPE_MAPPING}",
                             before=current, after=wanted),),
        ops=(op,),
        undo=(undo,),
    )


def patch_pair(path: str, before: str | None, after: str | None) -> tuple[PatchOp, PatchOp]:
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

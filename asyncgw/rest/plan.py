"""Frozen types of a REST plan: its steps, each with its undo, and what to tell the user."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from asyncgw.core.bindings import placeholder
from asyncgw.core.model import FieldChange, Model
from asyncgw.core.plan import Deployment, PlanHead
from asyncgw.rest.snapshot import AsyncConfig


class PatchOp(Model):
    """One JSON-patch operation exactly as sent to UpdateMethod or UpdateIntegration."""

    op: Literal["add", "replace", "remove"]
    path: str
    value: str | None = None

    def wire(self) -> dict[str, str]:
        """The operation in the shape botocore sends (values are always strings)."""
        out = {"op": self.op, "path": self.path}
        if self.value is not None:
            out["value"] = self.value
        return out


class CreateValidator(Model):
    """Create a request validator; its id fills the new_validator_id(name) placeholder."""

    kind: Literal["create-validator"] = "create-validator"
    name: str
    validate_request_body: bool
    validate_request_parameters: bool


class _Patch(Model):
    """One patch call on a method's part, with the operations that undo it."""

    resource_id: str
    path: str
    http_method: str
    changes: tuple[FieldChange, ...]
    ops: tuple[PatchOp, ...]
    undo: tuple[PatchOp, ...]


class PatchMethod(_Patch):
    """UpdateMethod on one method, with the operations that undo it."""

    kind: Literal["patch-method"] = "patch-method"


class PatchIntegration(_Patch):
    """UpdateIntegration on one method's integration, with the operations that undo it."""

    kind: Literal["patch-integration"] = "patch-integration"


class PatchIntegrationResponse(_Patch):
    """UpdateIntegrationResponse on an OPTIONS method's CORS headers, with its undo."""

    kind: Literal["patch-integration-response"] = "patch-integration-response"
    status_code: str


class ConfigureFunction(Model):
    """Set fields of a function's async configuration; undone by putting `before` back."""

    kind: Literal["configure-function"] = "configure-function"
    function: str
    changes: tuple[FieldChange, ...]
    update: AsyncConfig
    """The fields to change, sent with UpdateFunctionEventInvokeConfig (or Put when none)."""
    before: AsyncConfig | None
    """The whole configuration before, or None when the function had none."""


class StageOp(Model):
    """One JSON-patch operation exactly as sent to UpdateStage (which also takes copy)."""

    op: Literal["replace", "remove", "copy"]
    path: str
    value: str | None = None
    from_: str | None = Field(default=None, alias="from")

    def wire(self) -> dict[str, str]:
        """The operation in the shape botocore sends (values are always strings)."""
        out = {"op": self.op, "path": self.path}
        if self.value is not None:
            out["value"] = self.value
        if self.from_ is not None:
            out["from"] = self.from_
        return out


class UpdateStage(Model):
    """UpdateStage on one stage (promoting or removing its canary), with the ops undoing it."""

    kind: Literal["update-stage"] = "update-stage"
    stage: str
    what: str
    """What the call does, as progress lines say it: 'promoting the canary of stage prod'."""
    changes: tuple[FieldChange, ...]
    ops: tuple[StageOp, ...]
    undo: tuple[StageOp, ...]


Part = Literal["integration", "method-response", "integration-response"]


class SetPart(Model):
    """Put a whole integration, method response or integration response, or delete one.

    `after` and `before` are the arguments of PutIntegration, PutMethodResponse or
    PutIntegrationResponse exactly as sent; None means the part is absent (deleted).
    Undone by setting `before` again.
    """

    kind: Literal["set-part"] = "set-part"
    resource_id: str
    path: str
    http_method: str
    part: Part
    status_code: str | None = None
    changes: tuple[FieldChange, ...]
    after: dict[str, object] | None
    before: dict[str, object] | None


Step = Annotated[
    CreateValidator | PatchMethod | PatchIntegration | PatchIntegrationResponse
    | ConfigureFunction | SetPart | UpdateStage,
    Field(discriminator="kind"),
]


class MethodNote(Model):
    """A method the plan leaves alone, and why."""

    method: str
    reason: str


class Plan(PlanHead):
    """Ordered steps that take the selected methods to a mode, and what to tell the user."""

    steps: tuple[Step, ...]
    deployment: Deployment | None
    changed_methods: tuple[str, ...]
    unchanged: tuple[MethodNote, ...] = ()
    skipped: tuple[MethodNote, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when no write and no deployment is planned."""
        return not self.steps and self.deployment is None


NEW_VALIDATOR = "new-validator"
"""The kind of placeholder that stands for a validator created in the same plan."""


def new_validator_id(name: str) -> str:
    """Placeholder in a /requestValidatorId patch for the id that CreateValidator(name) returns."""
    return placeholder(NEW_VALIDATOR, name)

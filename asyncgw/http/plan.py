"""Frozen types of an HTTP plan: AWS calls as sent, each step with its undo, then clean-up."""

from __future__ import annotations

from typing import Any, Literal

from asyncgw.core.model import FieldChange, Model
from asyncgw.core.plan import Deployment, PlanHead

Service = Literal["apigatewayv2", "lambda", "iam"]

StepKind = Literal[
    "create-role", "delete-role", "put-role-policy", "delete-role-policy",
    "create-forwarder", "delete-forwarder", "add-permission", "remove-permission",
    "create-integration", "delete-integration", "retarget-route",
]


class ApiCall(Model):
    """One AWS call exactly as sent: placeholders ${integration:KEY} and ${forwarder-zip} aside."""

    service: Service
    operation: str
    params: dict[str, Any]

    def wire(self) -> dict[str, Any]:
        """The call as plan JSON shows it."""
        return {"service": self.service, "operation": self.operation, "params": self.params}


class Step(Model):
    """One write and the write that undoes it."""

    kind: StepKind
    marker: Literal["+", "~", "-"]
    subject: str
    changes: tuple[FieldChange, ...] = ()
    call: ApiCall
    undo: ApiCall
    binds: str | None = None
    """Placeholder KEY that the id this call returns fills (${integration:KEY})."""
    undo_binds: str | None = None
    """Placeholder KEY that the id the undo returns fills (a deleted integration re-created)."""


class RouteNote(Model):
    """A route the plan leaves alone, and why."""

    route: str
    reason: str


class HttpPlan(PlanHead):
    """Ordered writes, an optional deployment, then the clean-up of what nothing uses any more."""

    steps: tuple[Step, ...]
    deployment: Deployment | None
    cleanup: tuple[Step, ...] = ()
    changed_routes: tuple[str, ...] = ()
    unchanged: tuple[RouteNote, ...] = ()
    skipped: tuple[RouteNote, ...] = ()
    limits: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    undeployed_stages: tuple[str, ...] = ()
    """Stages deployed by hand that will not serve the changed routes after this plan."""

    @property
    def is_empty(self) -> bool:
        """True when no write and no deployment is planned."""
        return not self.steps and not self.cleanup and self.deployment is None

    @property
    def writes(self) -> tuple[Step, ...]:
        """Every step, in the order they run (the deployment goes between the two parts)."""
        return self.steps + self.cleanup

"""What every plan holds whatever the kind of API, and the rules both planners apply alike."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

from asyncgw.core.canary import CanaryRelease
from asyncgw.core.errors import UsageError
from asyncgw.core.model import Model
from asyncgw.core.selection import check_deploy_flags


class PlanHead(Model):
    """What every plan starts with: the API it changes, the mode, what it was planned from."""

    api_id: str
    api_name: str
    region: str
    mode: str
    base_fingerprint: str

    @property
    def title(self) -> str:
        """'orders (a1b2c3d4e5) in us-east-1': the API as the plan's first line names it."""
        return f"{self.api_name or self.api_id} ({self.api_id}) in {self.region}"


class Deployment(Model):
    """The new deployment of a stage that makes the change live."""

    stage: str
    previous_deployment_id: str | None
    description: str
    canary_percent: float | None = None
    """Deploy as the stage's canary at this share of traffic; None deploys the stage itself."""
    previous_canary: CanaryRelease | None = None
    """The stage's canary that a canary deployment replaces (its other settings are kept)."""


REDEPLOY_DESCRIPTION = "asyncgw: redeploy"
"""The description of a deployment `asyncgw redeploy` makes without --description."""


def deployment_description(changed: Sequence[str], mode: str) -> str:
    """'asyncgw: POST /a, GET /b, PUT /c and 2 more -> async': what a deployment is for."""
    shown = ", ".join(changed[:3])
    if len(changed) > 3:
        shown += f" and {len(changed) - 3} more"
    return f"asyncgw: {shown} -> {mode}"


def fingerprint(parts: Mapping[str, object]) -> str:
    """A digest of what a plan depends on, to notice another writer before the first write."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def requested_stage(api_id: str, names: Sequence[str], requested: str | None,
                    no_deploy: bool) -> str | None:
    """The --stage asked for, checked against the API's stages; None when none was asked for.

    Raises UsageError for --stage with --no-deploy, and for a stage the API does not have.
    """
    check_deploy_flags(requested, no_deploy)
    if requested is not None and requested not in names:
        listed = ", ".join(names) if names else "none"
        raise UsageError(f"no stage {requested!r} in API {api_id} (stages: {listed})")
    return requested


def refuse_managed(api_id: str, stack: str | None) -> None:
    """Raise UsageError when a CloudFormation stack owns the API (for --refuse-managed)."""
    if stack:
        raise UsageError(
            f"API {api_id} is managed by CloudFormation stack {stack!r} and --refuse-managed "
            "is set: change the stack's template instead; nothing was changed"
        )


def stack_warning(stack: str) -> str:
    """The warning a plan that writes to a stack's API carries."""
    return (f"API is managed by CloudFormation stack {stack!r}: the next stack update may "
            "revert this change; make it in the template too")

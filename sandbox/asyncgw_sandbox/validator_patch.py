"""UpdateRequestValidator: replace-only patches of a moto RequestValidator, with AWS's errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from asyncgw_sandbox.errors import BadRequest
from asyncgw_sandbox.patch_document import PatchOperation, as_flag

# moto attribute behind each patchable path, in the order AWS lists them [REC D5].
VALIDATOR_PATHS = {
    "/name": "name",
    "/validateRequestParameters": "validate_request_parameters",
    "/validateRequestBody": "validate_request_body",
}


def apply_validator_patch(validator: Any, operations: Sequence[PatchOperation]) -> None:
    """Apply `operations` to `validator` all together, or raise and change nothing."""
    # All-or-nothing is [UNVERIFIED], as for UpdateMethod.
    changes: dict[str, Any] = {}
    for operation in operations:
        attribute, value = _change(operation)
        changes[attribute] = value
    for attribute, value in changes.items():
        setattr(validator, attribute, value)


def _change(operation: PatchOperation) -> tuple[str, Any]:
    path = operation.path or ""
    # Both texts really have two spaces after "path" [REC D4, D5].
    if operation.op != "replace":
        raise BadRequest(
            f"Invalid patch path  '{path}' specified for op '{operation.op}'. "
            "Please choose supported operations"
        )
    if path not in VALIDATOR_PATHS:
        raise BadRequest(
            f"Invalid patch path  '{path}' specified for op 'replace'. "
            f"Must be one of: [{', '.join(VALIDATOR_PATHS)}]"
        )
    if path == "/name":
        if not operation.value:
            raise BadRequest("Request Validator name cannot be blank")  # [REC D5]
        return "name", operation.value
    return VALIDATOR_PATHS[path], as_flag(operation.value)  # no value: false [REC D2]

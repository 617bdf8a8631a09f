"""PatchOperation lists as API Gateway reads them: op enum check, JSON Pointer paths."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from asyncgw_sandbox.errors import InputValidationError, NotFound, invalid_patch_operation

# The order AWS prints the enum in [REC I2].
OP_ENUM = ("add", "remove", "move", "test", "replace", "copy")
MAP_OPS = ("add", "remove", "replace")  # what a path into a map takes [REC A1-A3, C6]


@dataclass(frozen=True)
class PatchOperation:
    """One patch operation; `value` is None when the request carried none."""

    op: str
    path: str | None
    value: str | None

    @property
    def segments(self) -> tuple[str, ...]:
        """The path split into unescaped JSON Pointer tokens, without the leading empty one."""
        if not self.path or not self.path.startswith("/"):
            return ()
        return tuple(_unescape(token) for token in self.path[1:].split("/"))

    def require(self, *allowed: str) -> None:
        """Raise the AWS error unless this op is one of `allowed` [REC A7, A8]."""
        if self.op not in allowed:
            raise invalid_patch_operation(allowed)


def read_operations(
    raw: Sequence[Mapping[str, Any]] | None, input_name: str, more: Sequence[str] = ()
) -> list[PatchOperation]:
    """Parse the wire list, raising AWS's ValidationException for ops outside the enum [REC I2].

    `more` holds the operation's other constraint violations, reported after the ops' [REC
    update-method-response-invalid-statuscode-and-wrong-op].
    """
    operations = [
        PatchOperation(op=str(item.get("op")), path=item.get("path"), value=item.get("value"))
        for item in raw or ()
    ]
    violations = [
        f"Value '{operation.op}' at '{input_name}.patchOperations.{index}.member.op' failed to "
        f"satisfy constraint: Member must satisfy enum value set: [{', '.join(OP_ENUM)}]"
        for index, operation in enumerate(operations, start=1)
        if operation.op not in OP_ENUM
    ] + list(more)
    if violations:
        noun = "error" if len(violations) == 1 else "errors"
        # [REC I2] for one violation; joining several with "; " is [UNVERIFIED].
        raise InputValidationError(
            f"{len(violations)} validation {noun} detected: " + "; ".join(violations)
        )
    return operations


def patch_map_entry(
    mapping: dict[str, Any], operation: PatchOperation, key: str, value: Any, missing: str
) -> None:
    """Apply an add/remove/replace to `mapping[key]`; remove/replace of a missing key is a 404."""
    # The 404 mirrors MethodResponse [REC I1]; elsewhere it is [UNVERIFIED]. An add of an
    # existing key overwrites it, as JSON Patch does [UNVERIFIED].
    if operation.op != "add" and key not in mapping:
        raise NotFound(missing)
    if operation.op == "remove":
        del mapping[key]  # a value on remove is ignored [REC A3]
    else:
        mapping[key] = value


def as_flag(value: str | None) -> bool:
    """AWS reads "true" as true and any other string, or none, as false [REC A12, D2]."""
    return (value or "").lower() == "true"


def _unescape(token: str) -> str:
    # RFC 6901 order: "~1" before "~0". AWS decoding "~0" is [UNVERIFIED].
    return token.replace("~1", "/").replace("~0", "~")

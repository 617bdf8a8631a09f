"""UpdateIntegration: applying patch operations to a moto Integration the way AWS does."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from asyncgw_sandbox.errors import (
    CONTENT_TYPE_NOT_FOUND,
    PARAMETER_NOT_FOUND,
    BadRequest,
    invalid_mapping_expression,
    invalid_patch_path,
)
from asyncgw_sandbox.mapping_expression import check_integration_source
from asyncgw_sandbox.patch_document import MAP_OPS, PatchOperation, as_flag, patch_map_entry

INTEGRATION_PARAMETER = re.compile(r"^integration\.request\.(header|querystring|path)\..+$")


@dataclass
class IntegrationDraft:
    """The editable part of an Integration; committed only when every operation succeeded."""

    request_parameters: dict[str, str]
    request_templates: dict[str, str]
    tls_config: dict[str, Any]
    scalars: dict[str, Any] = field(default_factory=dict)  # moto attribute name -> new value


def apply_integration_patch(
    method: Any, integration: Any, operations: Sequence[PatchOperation]
) -> None:
    """Apply `operations` to `method`'s integration all together, or raise and change nothing."""
    # All-or-nothing is [UNVERIFIED], as for UpdateMethod.
    draft = IntegrationDraft(
        request_parameters=dict(integration.request_parameters or {}),
        request_templates=dict(integration.request_templates or {}),
        tls_config=dict(integration.tls_config or {}),
    )
    declared = method.request_parameters or {}
    for operation in operations:
        _apply(draft, operation, declared)
    integration.request_parameters = draft.request_parameters or None
    integration.request_templates = draft.request_templates or None
    integration.tls_config = draft.tls_config or None
    for attribute, value in draft.scalars.items():
        setattr(integration, attribute, value)


def _apply(
    draft: IntegrationDraft, operation: PatchOperation, declared: Mapping[str, bool]
) -> None:
    segments = operation.segments
    set_scalar = SCALAR_PATHS.get(operation.path or "")
    if len(segments) == 2 and segments[0] == "requestParameters":
        _patch_parameter(draft.request_parameters, operation, segments[1], declared)
    elif len(segments) == 2 and segments[0] == "requestTemplates":
        operation.require(*MAP_OPS)  # add [REC C6]; remove and replace [DOC patch-operations]
        patch_map_entry(
            draft.request_templates,
            operation,
            segments[1],
            operation.value or "",
            CONTENT_TYPE_NOT_FOUND,
        )
    elif set_scalar is not None:
        operation.require("replace")  # [REC C2; DOC]; the text for other ops as A7 [UNVERIFIED]
        set_scalar(draft, operation.value)
    else:
        # AWS's table has no op for /type and lists no /credentials [DOC patch-operations].
        # /httpMethod, /passthroughBehavior, /cacheKeyParameters, /integrationTarget and
        # /responseTransferMode, which it lists, are refused too: the sandbox is narrower than
        # AWS here, deliberately (asyncgw never patches them), and so differs.
        raise invalid_patch_path(operation.path)


def _patch_parameter(
    parameters: dict[str, str], operation: PatchOperation, key: str, declared: Mapping[str, bool]
) -> None:
    operation.require(*MAP_OPS)  # [DOC patch-operations; COMM terraform integration.go]
    if operation.op != "remove":
        if not INTEGRATION_PARAMETER.match(key):
            raise invalid_mapping_expression(key)  # [UNVERIFIED] text for a bad key
        check_integration_source(operation.value, declared)
    patch_map_entry(parameters, operation, key, operation.value, PARAMETER_NOT_FOUND)


def _setter(attribute: str) -> Callable[[IntegrationDraft, str | None], None]:
    def set_value(draft: IntegrationDraft, value: str | None) -> None:
        draft.scalars[attribute] = value

    return set_value


def _set_timeout(draft: IntegrationDraft, value: str | None) -> None:
    try:
        draft.scalars["timeout_in_millis"] = int(value or "")
    except ValueError:
        raise BadRequest(f"Invalid timeout specified: {value}") from None  # [UNVERIFIED] text


def _set_insecure_skip_verification(draft: IntegrationDraft, value: str | None) -> None:
    draft.tls_config["insecureSkipVerification"] = as_flag(value)


# Scalar paths AWS replaces [DOC patch-operations; COMM terraform]; /connectionId [REC C2].
SCALAR_PATHS: Mapping[str, Callable[[IntegrationDraft, str | None], None]] = {
    "/uri": _setter("uri"),
    "/timeoutInMillis": _set_timeout,
    "/contentHandling": _setter("content_handling"),
    "/connectionType": _setter("connection_type"),
    "/connectionId": _setter("connection_id"),  # moto's Integration lacks it: see integration_json
    "/cacheNamespace": _setter("cache_namespace"),
    "/tlsConfig/insecureSkipVerification": _set_insecure_skip_verification,
}

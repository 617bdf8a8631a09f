"""UpdateIntegrationResponse: patching an integration response's header mappings and templates."""

from __future__ import annotations

import re
from typing import Any

from asyncgw_sandbox.errors import (
    CONTENT_TYPE_NOT_FOUND,
    PARAMETER_NOT_FOUND,
    BadRequest,
    NotFound,
)
from asyncgw_sandbox.patch_document import MAP_OPS, patch_map_entry, read_operations
from asyncgw_sandbox.targets import find_integration

# [REC api.snapshot TestApigatewayIntegrationResponse get-integration-response-wrong-status-code,
# TestApigatewayMethodResponse update-method-response-wrong-statuscode]
RESPONSE_NOT_FOUND = "Invalid Response status code specified"
RESPONSE_PARAMETER = re.compile(r"^method\.response\.header\.[^.]+$")
# Scalar fields UpdateIntegrationResponse replaces [DOC patch-operations], as model attributes.
SCALARS = {"selectionPattern": "selection_pattern", "contentHandling": "content_handling"}


def update_integration_response(
    self: Any,
    function_id: str,
    resource_id: str,
    method_type: str,
    status_code: str,
    patch_operations: Any,
) -> Any:
    """Patch mappings, templates, selectionPattern and contentHandling; all or nothing."""
    # Bound as a method of moto's APIGatewayBackend. The paths and ops are AWS's table [DOC
    # patch-operations]; `replace /selectionPattern` is [REC api.snapshot
    # test_lifecycle_integration_response]. The map-entry errors follow the ones recorded for
    # MethodResponse [REC I1]; here they are [UNVERIFIED], as is all-or-nothing.
    operations = read_operations(patch_operations, "updateIntegrationResponseInput")
    integration = find_integration(self, function_id, resource_id, method_type)
    response = (integration.integration_responses or {}).get(status_code)
    if response is None:
        raise NotFound(RESPONSE_NOT_FOUND)
    parameters = dict(response.response_parameters or {})
    templates = dict(response.response_templates or {})
    scalars: dict[str, str | None] = {}
    for operation in operations:
        segments = operation.segments
        if len(segments) == 1 and segments[0] in SCALARS:
            operation.require("replace")
            # Any contentHandling value is stored; AWS's answer to one outside
            # CONVERT_TO_BINARY and CONVERT_TO_TEXT [MODEL] is [UNVERIFIED].
            scalars[SCALARS[segments[0]]] = operation.value
        elif len(segments) == 2 and segments[0] == "responseParameters":
            operation.require(*MAP_OPS)
            if not RESPONSE_PARAMETER.match(segments[1]):
                raise BadRequest(f"Invalid patch path {operation.path}")
            patch_map_entry(parameters, operation, segments[1], operation.value,
                            PARAMETER_NOT_FOUND)
        elif len(segments) == 2 and segments[0] == "responseTemplates":
            operation.require(*MAP_OPS)
            patch_map_entry(templates, operation, segments[1], operation.value,
                            CONTENT_TYPE_NOT_FOUND)
        else:
            raise BadRequest(f"Invalid patch path {operation.path}")
    response.response_parameters = parameters or None
    response.response_templates = templates or None
    for attribute, value in scalars.items():
        setattr(response, attribute, value)
    return response

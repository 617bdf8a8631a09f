"""UpdateMethodResponse: patching a method response's header declarations and models."""

from __future__ import annotations

import re
from typing import Any

from asyncgw_sandbox.errors import (
    CONTENT_TYPE_NOT_FOUND,
    PARAMETER_NOT_FOUND,
    BadRequest,
    NotFound,
)
from asyncgw_sandbox.integration_response_patch import RESPONSE_NOT_FOUND, RESPONSE_PARAMETER
from asyncgw_sandbox.patch_document import MAP_OPS, as_flag, patch_map_entry, read_operations
from asyncgw_sandbox.targets import find_method

STATUS_CODE = re.compile(r"^[1-5]\d\d$")  # [MODEL], refused as recorded below


def update_method_response(
    self: Any,
    function_id: str,
    resource_id: str,
    method_type: str,
    status_code: str,
    patch_operations: Any,
) -> Any:
    """Patch responseParameters and responseModels [REC I1, I2], all together or not at all."""
    # Bound as a method of moto's APIGatewayBackend, which has no UpdateMethodResponse.
    # All-or-nothing is [UNVERIFIED], as for UpdateMethod.
    more = [] if STATUS_CODE.match(status_code) else [  # [REC update-method-response-invalid-*]
        f"Value '{status_code}' at 'statusCode' failed to satisfy constraint: Member must "
        "satisfy regular expression pattern: [1-5]\\d\\d"]
    operations = read_operations(patch_operations, "updateMethodResponseInput", more)
    method = find_method(self, function_id, resource_id, method_type)  # [REC ...-wrong-*]
    response = method.method_responses.get(status_code)
    if response is None:
        raise NotFound(RESPONSE_NOT_FOUND)  # [REC update-method-response-wrong-statuscode]
    parameters = dict(response.response_parameters or {})
    models = dict(response.response_models or {})
    for operation in operations:
        segments = operation.segments
        if len(segments) == 2 and segments[0] == "responseParameters":
            operation.require(*MAP_OPS)
            if not RESPONSE_PARAMETER.match(segments[1]):
                # [REC I1] gives this text for a wrong prefix; for a bad name [UNVERIFIED]
                raise BadRequest(f"Invalid patch path {operation.path}")
            # "true" declares the header required, as PutMethodResponse's booleans [REC]
            patch_map_entry(parameters, operation, segments[1], as_flag(operation.value),
                            PARAMETER_NOT_FOUND)
        elif len(segments) == 2 and segments[0] == "responseModels":
            operation.require(*MAP_OPS)
            patch_map_entry(models, operation, segments[1], operation.value,
                            CONTENT_TYPE_NOT_FOUND)
        else:
            raise BadRequest(f"Invalid patch path {operation.path}")  # [REC I1]
    response.response_parameters = parameters
    response.response_models = models
    return response

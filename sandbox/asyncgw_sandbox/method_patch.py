"""UpdateMethod: applying patch operations to a moto Method the way AWS does."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from asyncgw_sandbox.errors import (
    CONTENT_TYPE_NOT_FOUND,
    DUPLICATE_PARAMETER_NAMES,
    INVALID_AUTHORIZER,
    PARAMETER_NOT_FOUND,
    VALIDATOR_NOT_FOUND,
    BadRequest,
    invalid_mapping_expression,
    invalid_patch_path,
)
from asyncgw_sandbox.patch_document import MAP_OPS, PatchOperation, as_flag, patch_map_entry

METHOD_PARAMETER = re.compile(r"^method\.request\.(querystring|header|path)\.(.+)$")
AUTHORIZER_TYPES = ("CUSTOM", "COGNITO_USER_POOLS")


@dataclass
class MethodDraft:
    """The editable part of a Method; committed only when every operation succeeded."""

    request_parameters: dict[str, bool]
    request_models: dict[str, str]
    scalars: dict[str, Any] = field(default_factory=dict)  # moto attribute name -> new value
    authorizer_id: str | None = None  # from /authorizerId, applied only with an authorizer type


def apply_method_patch(api: Any, method: Any, operations: Sequence[PatchOperation]) -> None:
    """Apply `operations` to `method` of `api` all together, or raise and change nothing."""
    # All-or-nothing is [UNVERIFIED]: no recording shows a failing op after a good one.
    draft = MethodDraft(
        request_parameters=dict(method.request_parameters or {}),
        request_models=dict(method.request_models or {}),
    )
    for operation in operations:
        _apply(api, draft, operation)
    _settle_authorizer(api, method, draft)
    check_method_parameters(draft.request_parameters)
    method.request_parameters = draft.request_parameters or None  # [REC A3] key disappears
    method.request_models = draft.request_models or None  # [REC A3]
    for attribute, value in draft.scalars.items():
        setattr(method, attribute, value)


def _apply(api: Any, draft: MethodDraft, operation: PatchOperation) -> None:
    segments = operation.segments
    set_scalar = SCALAR_PATHS.get(operation.path or "")
    if len(segments) == 2 and segments[0] == "requestParameters":
        _patch_parameter(draft.request_parameters, operation, segments[1])
    elif len(segments) == 2 and segments[0] == "requestModels":
        _patch_model(draft.request_models, operation, segments[1])
    elif set_scalar is not None:
        operation.require("replace")  # [REC A7, A8]
        set_scalar(api, draft, operation.value)
    else:
        raise invalid_patch_path(operation.path)  # [REC A9, A10, A11]


def _patch_parameter(parameters: dict[str, bool], operation: PatchOperation, key: str) -> None:
    operation.require(*MAP_OPS)  # the error text for other ops is [UNVERIFIED]
    # "true"/"false" become booleans [REC A1, A2]; other strings false [UNVERIFIED, as A12].
    patch_map_entry(parameters, operation, key, as_flag(operation.value), PARAMETER_NOT_FOUND)


def _patch_model(models: dict[str, str], operation: PatchOperation, content_type: str) -> None:
    operation.require(*MAP_OPS)
    patch_map_entry(models, operation, content_type, operation.value or "", CONTENT_TYPE_NOT_FOUND)


def _set_validator(api: Any, draft: MethodDraft, value: str | None) -> None:
    if value is None:
        draft.scalars["request_validator_id"] = None  # no value clears it [COMM terraform]
    elif value in api.request_validators:
        draft.scalars["request_validator_id"] = value
    else:
        # An unknown id is a 400, not a 404 [REC A13]. "" is refused too: Terraform reports
        # that an empty value makes AWS fail [COMM terraform method.go].
        raise BadRequest(VALIDATOR_NOT_FOUND)


def _set_operation_name(api: Any, draft: MethodDraft, value: str | None) -> None:
    draft.scalars["operation_name"] = value  # [REC A2]


def _set_api_key_required(api: Any, draft: MethodDraft, value: str | None) -> None:
    draft.scalars["api_key_required"] = as_flag(value)  # [REC A2, A12]


def _set_authorization_type(api: Any, draft: MethodDraft, value: str | None) -> None:
    draft.scalars["authorization_type"] = value or "NONE"  # a missing value [UNVERIFIED]


def _set_authorizer_id(api: Any, draft: MethodDraft, value: str | None) -> None:
    draft.authorizer_id = value


SCALAR_PATHS: Mapping[str, Callable[[Any, MethodDraft, str | None], None]] = {
    "/requestValidatorId": _set_validator,
    "/operationName": _set_operation_name,
    "/apiKeyRequired": _set_api_key_required,
    "/authorizationType": _set_authorization_type,
    "/authorizerId": _set_authorizer_id,
}


def _settle_authorizer(api: Any, method: Any, draft: MethodDraft) -> None:
    authorization_type = draft.scalars.get("authorization_type", method.authorization_type)
    if authorization_type not in AUTHORIZER_TYPES:
        return  # /authorizerId alone on a NONE method is accepted and ignored [REC A14]
    authorizer_id = draft.authorizer_id or method.authorizer_id
    if authorizer_id not in api.authorizers:
        raise BadRequest(INVALID_AUTHORIZER)  # [REC A14]
    draft.scalars["authorizer_id"] = authorizer_id


def check_method_parameters(parameters: Mapping[str, Any]) -> None:
    """Refuse keys other than method.request.{querystring|header|path}.NAME, and repeated names."""
    names = []
    for key in parameters:
        match = METHOD_PARAMETER.match(key)
        if match is None:
            # [REC C3] for PutMethod (a boolean key arrives as "true"); UpdateMethod [UNVERIFIED].
            raise invalid_mapping_expression(key)
        names.append(match.group(2))
    if len(names) != len(set(names)):
        # [REC B2] for PutMethod; that UpdateMethod checks it too is [UNVERIFIED].
        raise BadRequest(DUPLICATE_PARAMETER_NAMES)

"""Finding the API, resource, method, integration or validator a call names, with AWS's errors."""

from __future__ import annotations

from typing import Any

from asyncgw_sandbox.errors import (
    INTEGRATION_NOT_FOUND,
    METHOD_NOT_FOUND,
    RESOURCE_NOT_FOUND,
    VALIDATOR_NOT_FOUND,
    NotFound,
)

# moto's models are untyped at the attribute level: these functions take and return them as Any.


def find_resource(backend: Any, api_id: str, resource_id: str) -> Any:
    """The resource; an unknown API gives the same error as an unknown resource [REC A4, A5, C1]."""
    api = backend.apis.get(api_id)
    if api is None or resource_id not in api.resources:
        raise NotFound(RESOURCE_NOT_FOUND)
    return api.resources[resource_id]


def find_method(backend: Any, api_id: str, resource_id: str, verb: str) -> Any:
    """The method; a verb not on the resource is a 404 [REC A6, C1]."""
    method = find_resource(backend, api_id, resource_id).resource_methods.get(verb)
    if method is None:
        raise NotFound(METHOD_NOT_FOUND)
    return method


def find_integration(backend: Any, api_id: str, resource_id: str, verb: str) -> Any:
    """The method's integration; a method without one is a 404 [REC C1]."""
    integration = find_method(backend, api_id, resource_id, verb).method_integration
    if integration is None:
        raise NotFound(INTEGRATION_NOT_FOUND)
    return integration


def find_validator(backend: Any, api_id: str, validator_id: str) -> Any:
    """The request validator; an unknown API gives the validator's error [REC D7]."""
    api = backend.apis.get(api_id)
    validator = api.request_validators.get(validator_id) if api is not None else None
    if validator is None:
        raise NotFound(VALIDATOR_NOT_FOUND)
    return validator

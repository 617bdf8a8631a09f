"""The immutable copy of a REST API that a deployment records and a stage serves."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Attribute of moto's Deployment holding its ApiSnapshot. moto's deployments record nothing,
# while on AWS "a deployment is an immutable snapshot of the RestApi" [DOC set-up-deployments].
SNAPSHOT = "sandbox_snapshot"
MOTO_DEFAULT_VERSION = "V1"  # moto's RestAPI invents this version; AWS leaves it unset


@dataclass(frozen=True)
class IntegrationResponseCopy:
    """An IntegrationResponse as it was at the deployment."""

    status_code: str
    selection_pattern: str | None
    response_parameters: Mapping[str, str]
    response_templates: Mapping[str, str | None]
    content_handling: str | None


@dataclass(frozen=True)
class IntegrationCopy:
    """An Integration as it was; None where it was not set (defaults are not filled in)."""

    type: str
    uri: str | None
    http_method: str | None
    request_parameters: Mapping[str, str]
    request_templates: Mapping[str, str]
    passthrough_behavior: str | None
    timeout_in_millis: int | None
    content_handling: str | None
    credentials: str | None
    cache_key_parameters: tuple[str, ...]
    connection_type: str | None
    connection_id: str | None
    responses: tuple[IntegrationResponseCopy, ...]


@dataclass(frozen=True)
class MethodResponseCopy:
    """A MethodResponse as it was."""

    status_code: str
    response_parameters: Mapping[str, bool]
    response_models: Mapping[str, str]


@dataclass(frozen=True)
class MethodCopy:
    """A Method as it was, with its integration."""

    verb: str
    authorization_type: str | None
    authorizer_id: str | None
    api_key_required: bool
    operation_name: str | None
    request_parameters: Mapping[str, bool]
    request_models: Mapping[str, str]
    request_validator_id: str | None
    responses: tuple[MethodResponseCopy, ...]
    integration: IntegrationCopy | None


@dataclass(frozen=True)
class ResourceCopy:
    """A resource and its methods, keyed by verb."""

    id: str
    path: str
    methods: Mapping[str, MethodCopy]


@dataclass(frozen=True)
class ValidatorCopy:
    """A request validator as it was."""

    id: str
    name: str
    validate_request_body: bool
    validate_request_parameters: bool


@dataclass(frozen=True)
class ApiSnapshot:
    """Everything of a REST API that a deployment freezes and GetExport or a stage reads."""

    api_id: str
    name: str
    description: str | None
    version: str | None
    taken_at: float  # seconds since the epoch
    binary_media_types: tuple[str, ...]
    resources: tuple[ResourceCopy, ...]
    validators: tuple[ValidatorCopy, ...]
    models: Mapping[str, str | None] = field(default_factory=dict)  # name -> JSON schema text

    def resource(self, resource_id: str) -> ResourceCopy | None:
        """The resource with this id, if the API had it."""
        return next((r for r in self.resources if r.id == resource_id), None)

    def validator(self, validator_id: str | None) -> ValidatorCopy | None:
        """The validator with this id, if the API had it."""
        return next((v for v in self.validators if v.id == validator_id), None)


def take_snapshot(api: Any) -> ApiSnapshot:
    """A deep copy of moto RestAPI `api` as it is now."""
    version = api.version if api.version != MOTO_DEFAULT_VERSION else None
    return ApiSnapshot(
        api_id=api.id,
        name=api.name,
        description=api.description or None,
        version=version,
        taken_at=time.time(),
        binary_media_types=tuple(api.binaryMediaTypes or ()),
        resources=tuple(_resource(r) for r in api.resources.values()),
        validators=tuple(
            ValidatorCopy(v.id, v.name, bool(v.validate_request_body),
                          bool(v.validate_request_parameters))
            for v in api.request_validators.values()
        ),
        models={m.name: m.schema for m in api.models.values()},
    )


def snapshotting_create_deployment(original: Callable[..., Any]) -> Callable[..., Any]:
    """RestAPI.create_deployment that records the API's snapshot on the new deployment."""

    def create_deployment(self: Any, *args: Any, **kwargs: Any) -> Any:
        deployment = original(self, *args, **kwargs)
        setattr(deployment, SNAPSHOT, take_snapshot(self))
        return deployment

    return create_deployment


def deployed_snapshot(api: Any, deployment_id: str) -> ApiSnapshot:
    """The snapshot deployment `deployment_id` of `api` recorded."""
    deployment = api.deployments.get(deployment_id)
    snapshot: ApiSnapshot | None = getattr(deployment, SNAPSHOT, None)
    if snapshot is None:
        # A deployment made before `install`, or a stage moto let point at no deployment: the
        # best available stand-in is the API as it is now [UNVERIFIED: an emulator detail].
        snapshot = take_snapshot(api)
        if deployment is not None:
            setattr(deployment, SNAPSHOT, snapshot)
    return snapshot


def _resource(resource: Any) -> ResourceCopy:
    return ResourceCopy(
        id=resource.id,
        path=resource.get_path(),
        methods={verb: _method(m) for verb, m in resource.resource_methods.items()},
    )


def _method(method: Any) -> MethodCopy:
    return MethodCopy(
        verb=method.http_method,
        authorization_type=method.authorization_type,
        authorizer_id=method.authorizer_id,
        api_key_required=bool(method.api_key_required),
        operation_name=method.operation_name,
        request_parameters=_copied(method.request_parameters),
        request_models=_copied(method.request_models),
        request_validator_id=method.request_validator_id,
        responses=tuple(
            MethodResponseCopy(str(r.status_code), _copied(r.response_parameters),
                               _copied(r.response_models))
            for r in method.method_responses.values()
        ),
        integration=_integration(method.method_integration),
    )


def _integration(integration: Any) -> IntegrationCopy | None:
    if integration is None:
        return None
    timeout = integration.timeout_in_millis
    return IntegrationCopy(
        type=str(integration.integration_type).upper(),
        uri=integration.uri or None,
        http_method=integration.http_method,
        request_parameters=_copied(integration.request_parameters),
        request_templates=_copied(integration.request_templates),
        passthrough_behavior=integration.passthrough_behaviour,
        timeout_in_millis=int(timeout) if timeout is not None else None,
        content_handling=integration.content_handling,
        credentials=integration.credentials,
        cache_key_parameters=tuple(integration.cache_key_parameters or ()),
        connection_type=integration.connection_type,
        connection_id=getattr(integration, "connection_id", None),
        responses=tuple(
            IntegrationResponseCopy(
                status_code=str(r.status_code),
                selection_pattern=r.selection_pattern,
                response_parameters=_copied(r.response_parameters),
                response_templates=_copied(r.response_templates),
                content_handling=r.content_handling,
            )
            for r in (integration.integration_responses or {}).values()
        ),
    )


def _copied(mapping: Mapping[str, Any] | None) -> dict[str, Any]:
    return copy.deepcopy(dict(mapping or {}))

"""Frozen types of a REST API as read from AWS: methods, validators, stages, function sides."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, field_validator

from asyncgw.core.model import STACK_TAG, Model
from asyncgw.core.plan import fingerprint


def _keyed(value: object, member: str) -> object:
    """A map of structures with each key copied into `member` where AWS left it out."""
    if not isinstance(value, dict):
        return value
    return {key: {member: key, **item} if isinstance(item, dict) else item
            for key, item in value.items()}


class IntegrationResponse(Model):
    """One integration response: the status it picks, and its header mappings and templates."""

    status_code: str
    selection_pattern: str | None = None
    response_parameters: dict[str, str] = Field(default_factory=dict)
    response_templates: dict[str, str | None] = Field(default_factory=dict)
    content_handling: str | None = None


class Integration(Model):
    """The integration request of a method: every field PutIntegration takes back."""

    type: str
    uri: str | None = None
    http_method: str | None = None
    request_parameters: dict[str, str] = Field(default_factory=dict)
    request_templates: dict[str, str | None] = Field(default_factory=dict)
    passthrough_behavior: str | None = None
    content_handling: str | None = None
    timeout_in_millis: int | None = None
    credentials: str | None = None
    cache_namespace: str | None = None
    cache_key_parameters: tuple[str, ...] = ()
    connection_type: str | None = None
    connection_id: str | None = None
    tls_config: dict[str, object] | None = None
    response_transfer_mode: str | None = None
    integration_target: str | None = None
    integration_responses: dict[str, IntegrationResponse] = Field(default_factory=dict)

    @field_validator("integration_responses", mode="before")
    @classmethod
    def _status_codes(cls, value: object) -> object:
        return _keyed(value, "statusCode")


class MethodResponse(Model):
    """One method response: a status code and the headers and models it declares."""

    status_code: str
    response_parameters: dict[str, bool] = Field(default_factory=dict)
    response_models: dict[str, str] = Field(default_factory=dict)


class Method(Model):
    """One method of a resource, with the path of its resource."""

    resource_id: str
    path: str
    http_method: str
    authorization_type: str = "NONE"
    request_parameters: dict[str, bool] = Field(default_factory=dict)
    request_validator_id: str | None = None
    integration: Integration | None = Field(default=None, alias="methodIntegration")
    method_responses: dict[str, MethodResponse] = Field(default_factory=dict)

    @field_validator("method_responses", mode="before")
    @classmethod
    def _status_codes(cls, value: object) -> object:
        return _keyed(value, "statusCode")

    @property
    def key(self) -> str:
        """The method as users write it: 'POST /orders'."""
        return f"{self.http_method} {self.path}"


class Validator(Model):
    """A request validator of the API."""

    id: str
    name: str = ""
    validate_request_body: bool = False
    validate_request_parameters: bool = False


class Stage(Model):
    """A stage and the deployment it serves."""

    stage_name: str
    deployment_id: str | None = None
    created_date: datetime | None = None
    last_updated_date: datetime | None = None
    canary_settings: dict[str, object] | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    variables: dict[str, str] = Field(default_factory=dict)


class RestApi(Model):
    """The REST API itself."""

    id: str
    name: str = ""
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    endpoint_configuration: dict[str, object] = Field(default_factory=dict)
    """Passed through as received: AWS adds members (ipAddressType, a string) over time."""
    binary_media_types: tuple[str, ...] = ()

    @property
    def endpoint_types(self) -> tuple[str, ...]:
        """EDGE, REGIONAL or PRIVATE."""
        types = self.endpoint_configuration.get("types")
        return tuple(str(t) for t in types) if isinstance(types, list) else ()

    @property
    def stack(self) -> str | None:
        """The CloudFormation stack that owns the API, if its tags say so."""
        return self.tags.get(STACK_TAG)


DEFAULT_RETRIES = 2
DEFAULT_EVENT_AGE = 21600
"""What Lambda does without an asynchronous invocation configuration [MODEL lambda]."""


class AsyncConfig(Model):
    """The fields of a function's asynchronous invocation configuration asyncgw reads or sets."""

    maximum_retry_attempts: int | None = None
    maximum_event_age_in_seconds: int | None = None
    on_success: str | None = None
    on_failure: str | None = None

    def wire(self) -> dict[str, object]:
        """The configuration as PutFunctionEventInvokeConfig takes it."""
        out: dict[str, object] = {}
        if self.maximum_retry_attempts is not None:
            out["MaximumRetryAttempts"] = self.maximum_retry_attempts
        if self.maximum_event_age_in_seconds is not None:
            out["MaximumEventAgeInSeconds"] = self.maximum_event_age_in_seconds
        destinations = {name: {"Destination": arn} for name, arn in
                        (("OnSuccess", self.on_success), ("OnFailure", self.on_failure)) if arn}
        if destinations:
            out["DestinationConfig"] = destinations
        return out


class StageResolution(Model):
    """A stage-variable expression of an integration URI and the stages resolving it."""

    expression: str
    stages: tuple[str, ...]


class FunctionSide(Model):
    """What Lambda will do with a function's async events, as read from Lambda."""

    function: str
    error: str | None = None
    config: AsyncConfig | None = None
    dead_letter: str | None = None
    reserved_concurrency: int | None = None
    named: bool = True
    """Whether an integration URI names this function itself, not only by a stage variable."""
    resolutions: tuple[StageResolution, ...] = ()
    """The integration URIs' stage-variable expressions whose stages resolve to this function
    (or, on the side of an expression some stages leave unset, those stages)."""

    @property
    def stages(self) -> tuple[str, ...]:
        """The stages whose variables resolve an expression to this function, each once."""
        return tuple(dict.fromkeys(s for r in self.resolutions for s in r.stages))

    def resolved_from(self, expression: str) -> StageResolution | None:
        """How this stage-variable expression comes to this function, if it does."""
        return next((r for r in self.resolutions if r.expression == expression), None)

    @property
    def keeps_failures(self) -> bool | None:
        """Whether failed events go somewhere; None when Lambda could not be read."""
        if self.error is not None:
            return None
        return bool(self.dead_letter or (self.config and self.config.on_failure))

    @property
    def retries(self) -> int:
        """Retries Lambda makes after a failed async invocation."""
        configured = self.config.maximum_retry_attempts if self.config else None
        return DEFAULT_RETRIES if configured is None else configured

    @property
    def event_age(self) -> int:
        """Seconds Lambda keeps an async event before dropping it."""
        configured = self.config.maximum_event_age_in_seconds if self.config else None
        return DEFAULT_EVENT_AGE if configured is None else configured


class ApiSnapshot(Model):
    """Everything asyncgw reads of one REST API, in a stable order."""

    api: RestApi
    region: str
    methods: tuple[Method, ...]
    validators: tuple[Validator, ...]
    stages: tuple[Stage, ...]
    functions: tuple[FunctionSide, ...] = ()
    """Read only when a command needs the function side (status, or a change that sets it)."""

    def function(self, ref: str) -> FunctionSide | None:
        """The function side of a function as the integration URI names it, if read."""
        return next((f for f in self.functions if f.function == ref), None)

    def validator(self, validator_id: str | None) -> Validator | None:
        """The validator with this id, if any."""
        return next((v for v in self.validators if v.id == validator_id), None)

    def stage(self, name: str) -> Stage | None:
        """The stage with this name, if any."""
        return next((s for s in self.stages if s.stage_name == name), None)

    @property
    def fingerprint_parts(self) -> dict[str, dict[str, object]]:
        """What a plan depends on, readably: methods, validators, stage deployments, canaries.

        Each part maps a name a user knows ('POST /orders', 'x5u0pp (Validate body)', 'prod')
        to what was read of it, so a saved plan refused later can say what changed.
        """
        parts: dict[str, dict[str, object]] = {
            "methods": {m.key: m.model_dump(mode="json") for m in self.methods},
            "validators": {f"{v.id} ({v.name})" if v.name else v.id: v.model_dump(mode="json")
                           for v in self.validators},
            "stages": {s.stage_name: {"deploymentId": s.deployment_id,
                                      "canarySettings": s.canary_settings}
                       for s in self.stages},
        }
        if self.functions:
            parts["functions"] = {f.function: f.model_dump(mode="json") for f in self.functions}
        return parts

    @property
    def fingerprint(self) -> str:
        """A digest of the fingerprint parts, to notice another writer before the first write."""
        return fingerprint(self.fingerprint_parts)

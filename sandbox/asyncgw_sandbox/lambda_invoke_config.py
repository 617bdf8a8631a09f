"""Lambda's asynchronous invocation configuration (event invoke config) as AWS keeps it."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from asyncgw_sandbox.lambda_destinations import check_constraints, check_destinations
from asyncgw_sandbox.lambda_errors import (
    FUNCTION_NOT_FOUND,
    NO_SETTINGS,
    invalid_parameter,
    no_event_invoke_config,
    resource_not_found,
)
from asyncgw_sandbox.lambda_targets import Target, find_target

# moto keeps a list on each function and appends to it; the sandbox keeps one configuration per
# qualifier in this attribute of the function's $LATEST object, so deleting the function drops them.
CONFIGS = "sandbox_event_invoke_configs"
SETTINGS = ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig")
MAX_ITEMS = 50  # [MODEL MaxFunctionEventInvokeConfigListItems]

# Every function here is bound as a method of moto's LambdaBackend: `self` is that backend.


@dataclass(frozen=True)
class EventInvokeConfig:
    """One function's, version's or alias's configuration; None means the setting is not set."""

    function_arn: str
    last_modified: float
    maximum_retry_attempts: int | None
    maximum_event_age_in_seconds: int | None
    on_success: str | None
    on_failure: str | None

    def to_wire(self) -> dict[str, Any]:
        """FunctionEventInvokeConfig: unset numbers left out, both destinations always present."""
        # [REC lambda TestLambdaEventInvokeConfig: put_invokeconfig_retries_0 and the others]
        document: dict[str, Any] = {"LastModified": self.last_modified,
                                    "FunctionArn": self.function_arn}
        if self.maximum_retry_attempts is not None:
            document["MaximumRetryAttempts"] = self.maximum_retry_attempts
        if self.maximum_event_age_in_seconds is not None:
            document["MaximumEventAgeInSeconds"] = self.maximum_event_age_in_seconds
        document["DestinationConfig"] = {
            "OnSuccess": _destination(self.on_success),
            "OnFailure": _destination(self.on_failure),
        }
        return document


def put_function_event_invoke_config(
    self: Any, function_name: str, qualifier: str | None, config: Mapping[str, Any]
) -> dict[str, Any]:
    """PutFunctionEventInvokeConfig: replace the whole configuration; settings left out go."""
    target = _writable_target(self, function_name, qualifier, config)
    stored = _from_request(target.arn, config)
    _configs(target.function)[target.qualifier] = stored
    return stored.to_wire()


def update_function_event_invoke_config(
    self: Any, function_name: str, qualifier: str | None, config: Mapping[str, Any]
) -> dict[str, Any]:
    """UpdateFunctionEventInvokeConfig: change only the settings given; 404 if there is none."""
    target = _writable_target(self, function_name, qualifier, config)
    existing = _configs(target.function).get(target.qualifier)
    if existing is None:
        raise no_event_invoke_config(target.arn)  # [REC update_eventinvokeconfig_config_*]
    given = _from_request(target.arn, config)
    changes: dict[str, Any] = {"last_modified": given.last_modified}
    if "MaximumRetryAttempts" in config:
        changes["maximum_retry_attempts"] = given.maximum_retry_attempts
    if "MaximumEventAgeInSeconds" in config:
        changes["maximum_event_age_in_seconds"] = given.maximum_event_age_in_seconds
    if "DestinationConfig" in config:
        # A DestinationConfig replaces the stored one as a whole, OnSuccess and OnFailure both:
        # the model and the docs do not say whether they merge [UNVERIFIED; LocalStack replaces].
        changes.update(on_success=given.on_success, on_failure=given.on_failure)
    updated = replace(existing, **changes)
    _configs(target.function)[target.qualifier] = updated
    return updated.to_wire()


def get_function_event_invoke_config(
    self: Any, function_name: str, qualifier: str | None
) -> dict[str, Any]:
    """GetFunctionEventInvokeConfig: 404 naming the qualified ARN when there is none [REC]."""
    return _existing(self, function_name, qualifier)[1].to_wire()


def delete_function_event_invoke_config(
    self: Any, function_name: str, qualifier: str | None
) -> None:
    """DeleteFunctionEventInvokeConfig: the same 404 as Get when there is none [REC]."""
    target, _ = _existing(self, function_name, qualifier)
    del _configs(target.function)[target.qualifier]


def list_function_event_invoke_configs(
    self: Any, function_name: str, marker: str | None, max_items: int | None
) -> dict[str, Any]:
    """ListFunctionEventInvokeConfigs: every qualifier's configuration, paged by Marker."""
    target = find_target(self, function_name, None)
    if target.function is None:
        raise resource_not_found(FUNCTION_NOT_FOUND)  # [REC list_function_doesnotexist]
    configs = [c.to_wire() for c in _configs(target.function).values()]
    # The marker is the FunctionArn of the first item of the next page [UNVERIFIED]: AWS's is
    # opaque.
    start = next((i for i, c in enumerate(configs) if c["FunctionArn"] == marker), 0)
    size = max_items or MAX_ITEMS
    page: dict[str, Any] = {"FunctionEventInvokeConfigs": configs[start : start + size]}
    if start + size < len(configs):
        page["NextMarker"] = configs[start + size]["FunctionArn"]
    return page


def _writable_target(
    backend: Any, function_name: str, qualifier: str | None, config: Mapping[str, Any]
) -> Target:
    # The order AWS checks in: model constraints, then "no settings" (even for a function that
    # does not exist), then the function, then the destinations [REC TestLambdaEventInvokeConfig].
    check_constraints(config)
    if all(config.get(setting) is None for setting in SETTINGS):
        raise invalid_parameter(NO_SETTINGS)
    target = find_target(backend, function_name, qualifier)
    function = target.require_function()
    check_destinations(backend, function.function_name, config.get("DestinationConfig") or {})
    return target


def _existing(backend: Any, function_name: str, qualifier: str | None) -> tuple[Target,
                                                                               EventInvokeConfig]:
    target = find_target(backend, function_name, qualifier)
    found = _configs(target.function).get(target.qualifier) if target.function else None
    if found is None:
        raise no_event_invoke_config(target.arn)
    return target, found


def _from_request(function_arn: str, config: Mapping[str, Any]) -> EventInvokeConfig:
    destinations = config.get("DestinationConfig") or {}
    return EventInvokeConfig(
        function_arn=function_arn,
        last_modified=round(time.time(), 3),
        maximum_retry_attempts=config.get("MaximumRetryAttempts"),
        maximum_event_age_in_seconds=config.get("MaximumEventAgeInSeconds"),
        on_success=(destinations.get("OnSuccess") or {}).get("Destination") or None,
        on_failure=(destinations.get("OnFailure") or {}).get("Destination") or None,
    )


def _configs(function: Any) -> dict[str, EventInvokeConfig]:
    configs: dict[str, EventInvokeConfig] = vars(function).setdefault(CONFIGS, {})
    return configs


def _destination(arn: str | None) -> dict[str, str]:
    return {"Destination": arn} if arn else {}

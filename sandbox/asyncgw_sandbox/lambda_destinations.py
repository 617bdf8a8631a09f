"""Checking an asynchronous invocation configuration's fields the way Lambda refuses them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from asyncgw_sandbox.lambda_errors import invalid_parameter, validation_error

# The model's Destination pattern, as the recorded error prints it [REC lambda
# put_destination_invalid_arn_pattern; MODEL OnSuccess/OnFailure.Destination].
DESTINATION_PATTERN = (
    r"$|kafka://([^.]([a-zA-Z0-9\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:"
    r"((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1})?:(\d{12})?:(.*)"
)
# Constraint name, wire field, minimum, maximum [MODEL MaximumRetryAttempts,
# MaximumEventAgeInSeconds].
RANGES = (
    ("maximumRetryAttempts", "MaximumRetryAttempts", 0, 2),
    ("maximumEventAgeInSeconds", "MaximumEventAgeInSeconds", 60, 21600),
)
DESTINATIONS = (("onSuccess", "OnSuccess"), ("onFailure", "OnFailure"))
# Services a destination may be [DOC invocation-async-retain-records]; S3 only on failure [MODEL].
SERVICES = {"OnSuccess": ("lambda", "sqs", "sns", "events"),
            "OnFailure": ("lambda", "sqs", "sns", "events", "s3")}


def check_constraints(config: Mapping[str, Any]) -> None:
    """The model's range and pattern constraints: a ValidationException listing every violation."""
    # ValidationException, not InvalidParameterValueException: AWS's front end refuses model
    # constraint violations this way, as recorded for the Destination pattern; for the ranges the
    # text is [UNVERIFIED] (botocore refuses values below the minimum before sending).
    violations = []
    for constraint, field, low, high in RANGES:
        value = config.get(field)
        if value is None:
            continue
        if value > high:
            violations.append(_violation(value, constraint,
                                         f"Member must have value less than or equal to {high}"))
        elif value < low:
            violations.append(_violation(
                value, constraint, f"Member must have value greater than or equal to {low}"))
    destinations = config.get("DestinationConfig") or {}
    for constraint, field in DESTINATIONS:
        arn = (destinations.get(field) or {}).get("Destination")
        if arn and not re.fullmatch(DESTINATION_PATTERN, arn):
            violations.append(_violation(
                arn, f"destinationConfig.{constraint}.destination",
                f"Member must satisfy regular expression pattern: {DESTINATION_PATTERN}"))
    if violations:
        raise validation_error(violations)


def check_destinations(backend: Any, function_name: str, destinations: Mapping[str, Any]) -> None:
    """Refuse a destination Lambda does not accept: unknown function, itself, wrong service."""
    # Lambda also checks that the execution role may send to the destination; the sandbox does
    # not [UNVERIFIED which error AWS gives].
    arns = {field: (destinations.get(field) or {}).get("Destination") for _, field in DESTINATIONS}
    for field, arn in arns.items():
        if not arn:
            continue
        service = arn.split(":")[2]
        if service not in SERVICES[field]:
            raise invalid_parameter(
                f"The provided destination config {_java_config(arns)} is invalid.")  # [REC]
        if service == "lambda":
            _check_function_destination(backend, function_name, arn)


def _check_function_destination(backend: Any, function_name: str, arn: str) -> None:
    from moto.awslambda.exceptions import UnknownFunctionException

    try:
        destination = backend.get_function(arn)
    except UnknownFunctionException:
        raise invalid_parameter(f"The destination ARN {arn} is invalid.") from None  # [REC]
    if destination.function_name == function_name:
        raise invalid_parameter(
            "You can't specify the function as a destination for itself.")  # [REC]


def _java_config(arns: Mapping[str, str | None]) -> str:
    # Java's toString of the request object, as the recorded message prints it [REC
    # put_destination_invalid_service_arn]; the OnFailure part's spelling is [UNVERIFIED].
    success, failure = arns["OnSuccess"], arns["OnFailure"]
    on_success = f"OnSuccess(destination={success})" if success else "null"
    on_failure = f"OnFailure(destination={failure})" if failure else "null"
    return f"DestinationConfig(onSuccess={on_success}, onFailure={on_failure})"


def _violation(value: object, constraint: str, rule: str) -> str:
    return f"Value '{value}' at '{constraint}' failed to satisfy constraint: {rule}"

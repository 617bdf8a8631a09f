"""The function side of a change: validating --on-failure and friends, and the steps they need."""

from __future__ import annotations

import re
from collections.abc import Iterable

from asyncgw.core.errors import UsageError
from asyncgw.core.model import FieldChange
from asyncgw.core.modes import function_name
from asyncgw.rest.modes import lambda_function
from asyncgw.rest.plan import ConfigureFunction
from asyncgw.rest.snapshot import (
    DEFAULT_EVENT_AGE,
    DEFAULT_RETRIES,
    ApiSnapshot,
    AsyncConfig,
    Method,
)

RETRIES_RANGE = range(0, 3)
EVENT_AGE_RANGE = range(60, 21601)
"""Lambda's limits for MaximumRetryAttempts and MaximumEventAgeInSeconds [MODEL lambda]."""

_ARN = re.compile(r"^arn:(?P<partition>aws[a-z-]*):(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*)"
                  r":(?P<account>\d{12}|):(?P<resource>.+)$")
_RESOURCE = {  # what the resource part of a destination ARN looks like, per service
    "sqs": re.compile(r"^[^:/]+$"),
    "sns": re.compile(r"^[^:/]+$"),
    "lambda": re.compile(r"^function:[^:/]+(:[^:/]+)?$"),
    "events": re.compile(r"^event-bus/.+$"),
    "s3": re.compile(r"^[^:/]+$"),
}
_WANTED = "an SQS queue, SNS topic, Lambda function, EventBridge bus or S3 bucket"


def wanted(on_failure: str | None, max_retries: int | None, max_event_age: int | None,
           region: str) -> AsyncConfig | None:
    """The fields the user asked to set, checked before any AWS call; None when none."""
    if max_retries is not None and max_retries not in RETRIES_RANGE:
        raise UsageError(f"--max-retries {max_retries}: Lambda allows 0, 1 or 2")
    if max_event_age is not None and max_event_age not in EVENT_AGE_RANGE:
        raise UsageError(f"--max-event-age {max_event_age}: Lambda allows 60 to 21600 seconds")
    if on_failure is not None:
        check_destination(on_failure, region)
    if on_failure is None and max_retries is None and max_event_age is None:
        return None
    return AsyncConfig(maximum_retry_attempts=max_retries,
                       maximum_event_age_in_seconds=max_event_age, on_failure=on_failure)


def check_destination(arn: str, region: str) -> None:
    """Raise UsageError unless `arn` is an on-failure destination Lambda accepts here."""
    match = _ARN.match(arn)
    if match is None:
        raise UsageError(f"--on-failure {arn!r} is not an ARN; pass the ARN of {_WANTED}")
    service, resource = match.group("service"), match.group("resource")
    if service not in _RESOURCE or not _RESOURCE[service].match(resource):
        raise UsageError(f"--on-failure {arn}: Lambda sends failed events only to {_WANTED}")
    if service == "s3":
        return  # bucket ARNs carry no Region
    if match.group("region") != region:
        raise UsageError(f"--on-failure {arn} is in {match.group('region') or 'no Region'}, "
                         f"the API in {region}; use a destination in {region}")


def targets(methods: Iterable[Method]) -> list[str]:
    """The distinct functions the methods invoke, as their integration URIs name them."""
    found = {lambda_function(m.integration) for m in methods}
    return sorted(f for f in found if f is not None)


def steps(snapshot: ApiSnapshot, functions: Iterable[str],
          want: AsyncConfig) -> list[ConfigureFunction]:
    """One step per function whose configuration differs from what was asked."""
    out = []
    for function in functions:
        side = snapshot.function(function)
        if side is None or side.error is not None:
            reason = side.error if side else "not read"
            raise UsageError(f"cannot set the async configuration of "
                             f"{function_name(function)}: {reason}")
        step = _step(function, side.config, want)
        if step is not None:
            out.append(step)
    return out


def _step(function: str, before: AsyncConfig | None,
          want: AsyncConfig) -> ConfigureFunction | None:
    current = before or AsyncConfig()
    fields = [
        ("maximumRetryAttempts", current.maximum_retry_attempts, want.maximum_retry_attempts,
         DEFAULT_RETRIES),
        ("maximumEventAgeInSeconds", current.maximum_event_age_in_seconds,
         want.maximum_event_age_in_seconds, DEFAULT_EVENT_AGE),
        ("onFailure", current.on_failure, want.on_failure, None),
    ]
    changes = [
        FieldChange(field=name, before=_shown(now, default), after=str(after))
        for name, now, after, default in fields
        if after is not None and after != (default if now is None else now)
    ]
    if not changes:
        return None
    changed = {c.field for c in changes}
    update = AsyncConfig(
        maximum_retry_attempts=want.maximum_retry_attempts
        if "maximumRetryAttempts" in changed else None,
        maximum_event_age_in_seconds=want.maximum_event_age_in_seconds
        if "maximumEventAgeInSeconds" in changed else None,
        # Only what changes: Functions.update sends the on-success destination along, as
        # Lambda has it just before the write.
        on_failure=want.on_failure if "onFailure" in changed else None,
    )
    return ConfigureFunction(function=function, changes=tuple(changes), update=update,
                             before=before)


def _shown(value: object, default: object) -> str | None:
    if value is not None:
        return str(value)
    return None if default is None else f"{default} (default)"

"""The function side of a plan: flag validation, and the steps that set only what differs."""

from __future__ import annotations

import pytest

from asyncgw.core.errors import UsageError
from asyncgw.core.modes import Mode
from asyncgw.core.selection import MethodPattern
from asyncgw.rest import async_config, planner
from asyncgw.rest.plan import ConfigureFunction, PatchMethod
from asyncgw.rest.selection import select
from asyncgw.rest.snapshot import AsyncConfig, FunctionSide
from tests.support.rest_builders import FUNCTION_ARN, asynchronous, method, snapshot

QUEUE = "arn:aws:sqs:us-east-1:123456789012:orders-failed"


@pytest.mark.parametrize("arn", [
    QUEUE,
    "arn:aws:sns:us-east-1:123456789012:alerts",
    "arn:aws:lambda:us-east-1:123456789012:function:on-failure",
    "arn:aws:lambda:us-east-1:123456789012:function:on-failure:live",
    "arn:aws:events:us-east-1:123456789012:event-bus/default",
    "arn:aws:s3:::failed-events-bucket",
])
def test_each_destination_kind_lambda_accepts_is_accepted(arn: str) -> None:
    assert async_config.wanted(arn, None, None, "us-east-1") == AsyncConfig(on_failure=arn)


@pytest.mark.parametrize(("arn", "says"), [
    ("orders-failed", "is not an ARN"),
    ("arn:aws:dynamodb:us-east-1:123456789012:table/orders", "only to an SQS queue"),
    ("arn:aws:lambda:us-east-1:123456789012:layer:x:1", "only to an SQS queue"),
    ("arn:aws:sqs:eu-west-1:123456789012:orders-failed", "use a destination in us-east-1"),
    ("arn:aws:s3:::bucket/prefix", "only to an SQS queue"),
])
def test_a_destination_lambda_would_refuse_is_a_usage_error(arn: str, says: str) -> None:
    with pytest.raises(UsageError, match=says):
        async_config.wanted(arn, None, None, "us-east-1")


@pytest.mark.parametrize(("retries", "age"), [(3, None), (-1, None), (None, 59), (None, 21601)])
def test_out_of_range_numbers_are_refused_with_lambdas_limits(
    retries: int | None, age: int | None
) -> None:
    with pytest.raises(UsageError, match="Lambda allows"):
        async_config.wanted(None, retries, age, "us-east-1")


def test_no_flags_means_no_function_side() -> None:
    assert async_config.wanted(None, None, None, "us-east-1") is None


def _plan(side: FunctionSide, want: AsyncConfig, key: str = "POST /orders") -> list[object]:
    snap = snapshot([asynchronous(), method("GET /orders")]).model_copy(
        update={"functions": (side,)})
    chosen = select(snap, (MethodPattern.parse(key),), False)
    return list(planner.plan(snap, chosen, Mode.ASYNC, "prod", want).steps)


def test_without_a_configuration_the_step_puts_only_the_asked_fields() -> None:
    steps = _plan(FunctionSide(function=FUNCTION_ARN),
                  AsyncConfig(maximum_retry_attempts=0, on_failure=QUEUE))
    assert len(steps) == 1
    step = steps[0]
    assert isinstance(step, ConfigureFunction)
    assert step.before is None
    assert step.update == AsyncConfig(maximum_retry_attempts=0, on_failure=QUEUE)
    assert [(c.field, c.before, c.after) for c in step.changes] == [
        ("maximumRetryAttempts", "2 (default)", "0"), ("onFailure", None, QUEUE)]


def test_fields_already_as_asked_are_left_out_and_the_update_holds_only_changes() -> None:
    current = AsyncConfig(maximum_retry_attempts=1, maximum_event_age_in_seconds=600,
                          on_success="arn:aws:sqs:us-east-1:123456789012:done")
    steps = _plan(FunctionSide(function=FUNCTION_ARN, config=current),
                  AsyncConfig(maximum_retry_attempts=1, maximum_event_age_in_seconds=900,
                              on_failure=QUEUE))
    step = steps[0]
    assert isinstance(step, ConfigureFunction)
    assert step.before == current
    # The on-success destination is sent along from a fresh read at the write, not from here.
    assert step.update == AsyncConfig(maximum_event_age_in_seconds=900, on_failure=QUEUE)


def test_asking_for_the_defaults_lambda_already_applies_changes_nothing() -> None:
    steps = _plan(FunctionSide(function=FUNCTION_ARN),
                  AsyncConfig(maximum_retry_attempts=2, maximum_event_age_in_seconds=21600))
    assert steps == []


def test_function_steps_come_before_the_api_changes() -> None:
    snap = snapshot([method("GET /orders")]).model_copy(
        update={"functions": (FunctionSide(function=FUNCTION_ARN),)})
    chosen = select(snap, (MethodPattern.parse("GET /orders"),), False)
    plan = planner.plan(snap, chosen, Mode.ASYNC, "prod", AsyncConfig(on_failure=QUEUE))
    assert isinstance(plan.steps[0], ConfigureFunction)
    assert not any(isinstance(s, ConfigureFunction) for s in plan.steps[1:])
    assert plan.changed_methods == ("GET /orders",)


def test_a_function_that_cannot_be_read_stops_the_plan() -> None:
    with pytest.raises(UsageError, match="function not found"):
        _plan(FunctionSide(function=FUNCTION_ARN, error="function not found"),
              AsyncConfig(on_failure=QUEUE))


def test_only_function_changes_plan_no_deployment() -> None:
    steps = _plan(FunctionSide(function=FUNCTION_ARN), AsyncConfig(on_failure=QUEUE))
    assert not any(isinstance(s, PatchMethod) for s in steps)
    snap = snapshot([asynchronous()]).model_copy(
        update={"functions": (FunctionSide(function=FUNCTION_ARN),)})
    plan = planner.plan(snap, select(snap, (), True), Mode.ASYNC, "prod",
                        AsyncConfig(on_failure=QUEUE))
    assert plan.deployment is None
    assert not plan.is_empty

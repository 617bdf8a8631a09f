"""Which mode a method is in, and the warnings for half-configured ones."""

from __future__ import annotations

import pytest

from asyncgw.core.modes import Mode, function_name
from asyncgw.rest.modes import (
    EVENT,
    REQUEST_RESPONSE,
    SELECTOR_PARAMETER,
    assess,
    ineligibility,
    lambda_function,
)
from asyncgw.rest.snapshot import Integration
from tests.support.rest_builders import (
    FUNCTION_ARN,
    asynchronous,
    lambda_integration,
    method,
    snapshot,
    switchable,
)


@pytest.mark.parametrize(
    ("subject", "mode"),
    [
        (method(), Mode.SYNC),
        (method(integration=lambda_integration(REQUEST_RESPONSE)), Mode.SYNC),
        (asynchronous(), Mode.ASYNC),
        (switchable(), Mode.SWITCHABLE),
        (method(integration=lambda_integration(type_="AWS_PROXY")), Mode.NOT_ELIGIBLE),
        (method(integration=Integration(type="MOCK")), Mode.NOT_ELIGIBLE),
        (method(integration=Integration(type="HTTP", uri="https://example.com")),
         Mode.NOT_ELIGIBLE),
    ],
)
def test_assess_reports_the_mode(subject, mode) -> None:
    found = assess(subject, snapshot([subject]))
    assert found.mode is mode
    assert found.warnings == ()
    assert (found.reason is None) == (mode is not Mode.NOT_ELIGIBLE)


def test_method_without_integration_is_not_eligible() -> None:
    bare = method().model_copy(update={"integration": None})
    assert assess(bare, snapshot([bare])).reason == "no integration"


def test_proxy_reason_explains_why() -> None:
    proxy = method(integration=lambda_integration(type_="AWS_PROXY"))
    reason = assess(proxy, snapshot([proxy])).reason
    assert reason is not None and "proxy" in reason


@pytest.mark.parametrize("validator", [None, "v-par"])
def test_switchable_with_optional_header_is_information_not_a_warning(validator) -> None:
    optional = method(integration=lambda_integration(SELECTOR_PARAMETER),
                      params={SELECTOR_PARAMETER: False}, validator=validator)
    found = assess(optional, snapshot([optional]))
    assert found.mode is Mode.SWITCHABLE
    assert found.warnings == ()
    assert found.info == ("InvocationType header is optional: calls without it run "
                          "synchronously (sync unless InvocationType: Event)",)


@pytest.mark.parametrize("validator", [None, "v-body"])
def test_switchable_without_parameter_validation_warns(validator) -> None:
    half = method(integration=lambda_integration(SELECTOR_PARAMETER),
                  params={SELECTOR_PARAMETER: True}, validator=validator)
    found = assess(half, snapshot([half]))
    assert found.mode is Mode.SWITCHABLE
    assert any("no validator checks headers" in w for w in found.warnings)


def test_required_header_without_mapping_is_sync_with_warning() -> None:
    leftover = method(params={SELECTOR_PARAMETER: True})
    found = assess(leftover, snapshot([leftover]))
    assert found.mode is Mode.SYNC
    assert "not mapped" in found.warnings[0]


def test_async_ignores_a_leftover_header() -> None:
    subject = method(integration=lambda_integration(EVENT), params={SELECTOR_PARAMETER: True})
    assert assess(subject, snapshot([subject])).mode is Mode.ASYNC


def test_lambda_function_reads_the_arn_out_of_the_uri() -> None:
    assert lambda_function(lambda_integration()) == FUNCTION_ARN
    assert function_name(FUNCTION_ARN) == "orders"
    assert function_name(FUNCTION_ARN + ":live") == "orders:live"
    assert function_name("${stageVariables.fn}") == "${stageVariables.fn}"
    assert lambda_function(Integration(type="HTTP", uri="https://x/y")) is None


STREAMING_URI = ("arn:aws:apigateway:us-east-1:lambda:path/2021-11-15/functions/"
                 "arn:aws:lambda:us-east-1:123456789012:function:Story/"
                 "response-streaming-invocations")


@pytest.mark.parametrize("transfer_mode", [None, "STREAM"])
def test_a_streaming_proxy_is_a_lambda_method_that_cannot_go_async(transfer_mode) -> None:
    streaming = method(integration=Integration(
        type="AWS_PROXY", http_method="POST", uri=STREAMING_URI,
        response_transfer_mode=transfer_mode))
    assessment = assess(streaming, snapshot([streaming]))
    assert lambda_function(streaming.integration) == \
        "arn:aws:lambda:us-east-1:123456789012:function:Story"
    assert assessment.mode is Mode.NOT_ELIGIBLE
    assert assessment.reason is not None
    assert "streams its response" in assessment.reason
    assert "no response to stream" in assessment.reason
    assert ineligibility(streaming, convert_proxy=True) == assessment.reason

"""The forwarder handler as a pure function: both payload formats, both modes, every error path."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from asyncgw.http.forwarder import handler as forwarder
from asyncgw.http.forwarder.handler import MISSING_SELECTOR, invocation_type, make_handler

TARGET = "arn:aws:lambda:us-east-1:123456789012:function:jobs"
ASYNC_ENV = {"TARGET_FUNCTION_ARN": TARGET, "MODE": "async"}
SWITCHABLE_ENV = {"TARGET_FUNCTION_ARN": TARGET, "MODE": "switchable"}
TARGET_ANSWER = {"statusCode": 201, "headers": {"x-job": "7"}, "body": "{\"job\": 7}"}


@dataclass
class FakeLambda:
    """Answers Invoke as Lambda does: 202 and an empty payload for Event, the payload otherwise."""

    payload: bytes = json.dumps(TARGET_ANSWER).encode()
    function_error: str | None = None
    error: Exception | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)

    def invoke(self, **call: Any) -> dict[str, Any]:
        self.calls.append(call)
        if self.error is not None:
            raise self.error
        if call["InvocationType"] == "Event":
            return {"StatusCode": 202, "Payload": io.BytesIO(b""),
                    "ResponseMetadata": {"RequestId": "event-request-id"}}
        answer: dict[str, Any] = {"StatusCode": 200, "Payload": io.BytesIO(self.payload),
                                  "ResponseMetadata": {"RequestId": "sync-request-id"}}
        if self.function_error:
            answer["FunctionError"] = self.function_error
        return answer


def event_v2(headers: dict[str, str] | None = None) -> dict[str, Any]:
    """A payload format 2.0 event: header names arrive lowercased."""
    event: dict[str, Any] = {
        "version": "2.0", "routeKey": "POST /jobs", "rawPath": "/jobs", "rawQueryString": "",
        "requestContext": {"http": {"method": "POST", "path": "/jobs"}, "requestId": "r2"},
        "body": "{\"size\": 3}", "isBase64Encoded": False,
    }
    if headers is not None:
        event["headers"] = headers
    return event


def event_v1(headers: dict[str, str] | None = None,
             multi: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """A payload format 1.0 event: headers and multiValueHeaders."""
    return {
        "version": "1.0", "resource": "/jobs", "path": "/jobs", "httpMethod": "POST",
        "headers": headers, "multiValueHeaders": multi, "queryStringParameters": None,
        "requestContext": {"requestId": "r1"}, "body": "{\"size\": 3}", "isBase64Encoded": False,
    }


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def client_error(code: str, message: str, status: int) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message},
                        "ResponseMetadata": {"HTTPStatusCode": status, "RequestId": "lambda-id"}},
                       "Invoke")


@pytest.mark.parametrize("event", [event_v1({"Content-Type": "application/json"}),
                                   event_v2({"content-type": "application/json"})],
                         ids=["1.0", "2.0"])
def test_async_answers_202_with_lambdas_request_id_and_forwards_the_event_unchanged(
    event: dict[str, Any],
) -> None:
    fake = FakeLambda()
    response = make_handler(fake, ASYNC_ENV)(event, None)
    assert response["statusCode"] == 202
    assert response["headers"] == {"content-type": "application/json"}
    assert body(response) == {"requestId": "event-request-id"}
    [call] = fake.calls
    assert call["FunctionName"] == TARGET
    assert call["InvocationType"] == "Event"
    assert json.loads(call["Payload"]) == event


def test_async_ignores_an_invocation_type_header() -> None:
    fake = FakeLambda()
    response = make_handler(fake, ASYNC_ENV)(event_v2({"invocationtype": "RequestResponse"}),
                                             None)
    assert response["statusCode"] == 202
    assert fake.calls[0]["InvocationType"] == "Event"


HEADER_CASES = {
    "1.0 headers, canonical": event_v1({"InvocationType": "Event"}),
    "1.0 headers, lower": event_v1({"invocationtype": "Event"}),
    "1.0 headers, upper": event_v1({"INVOCATIONTYPE": "Event"}),
    "1.0 headers, mixed": event_v1({"invocationType": "Event"}),
    "1.0 multiValueHeaders only": event_v1(None, {"Invocationtype": ["Event"]}),
    "1.0 both": event_v1({"InvocationType": "Event"}, {"InvocationType": ["Event"]}),
    "2.0 lowercased": event_v2({"invocationtype": "Event"}),
    "2.0 repeated header": event_v2({"invocationtype": "Event,Event"}),
    "2.0 padded value": event_v2({"invocationtype": " Event "}),
}


@pytest.mark.parametrize("event", HEADER_CASES.values(), ids=HEADER_CASES.keys())
def test_switchable_finds_the_header_in_any_case_and_either_format(event: dict[str, Any]) -> None:
    fake = FakeLambda()
    response = make_handler(fake, SWITCHABLE_ENV)(event, None)
    assert response["statusCode"] == 202
    assert body(response) == {"requestId": "event-request-id"}
    assert fake.calls[0]["InvocationType"] == "Event"
    assert json.loads(fake.calls[0]["Payload"]) == event


@pytest.mark.parametrize("event", [event_v1({"InvocationType": "RequestResponse"}),
                                   event_v1(None, {"invocationtype": ["RequestResponse"]}),
                                   event_v2({"invocationtype": "RequestResponse"})],
                         ids=["1.0", "1.0 multi", "2.0"])
def test_switchable_request_response_returns_the_targets_answer_untouched(
    event: dict[str, Any],
) -> None:
    fake = FakeLambda()
    response = make_handler(fake, SWITCHABLE_ENV)(event, None)
    assert response == TARGET_ANSWER
    assert fake.calls[0]["InvocationType"] == "RequestResponse"
    assert json.loads(fake.calls[0]["Payload"]) == event


@pytest.mark.parametrize(("payload", "expected"), [
    (b'"plain string"', "plain string"),
    (b"null", None),
    (b"", None),
    (b"not json", "not json"),
])
def test_request_response_passes_other_payloads_through(payload: bytes, expected: Any) -> None:
    fake = FakeLambda(payload=payload)
    handler = make_handler(fake, SWITCHABLE_ENV)
    assert handler(event_v2({"invocationtype": "RequestResponse"}), None) == expected


MISSING = {
    "1.0 no headers": event_v1(None, None),
    "1.0 other headers": event_v1({"Accept": "*/*"}, {"Accept": ["*/*"]}),
    "1.0 blank value": event_v1({"InvocationType": "  "}),
    "1.0 empty multi": event_v1(None, {"InvocationType": []}),
    "2.0 no headers key": event_v2(None),
    "2.0 other headers": event_v2({"accept": "*/*"}),
    "2.0 empty value": event_v2({"invocationtype": ""}),
    "not a mapping": [],  # type: ignore[dict-item]
}


@pytest.mark.parametrize("event", MISSING.values(), ids=MISSING.keys())
def test_switchable_without_the_header_answers_400_like_api_gateway(event: Any) -> None:
    fake = FakeLambda()
    response = make_handler(fake, SWITCHABLE_ENV)(event, None)
    assert response["statusCode"] == 400
    assert body(response) == {"message": MISSING_SELECTOR}
    assert body(response)["message"] == "Missing required request parameters: [InvocationType]"
    assert fake.calls == []


@pytest.mark.parametrize("value", ["event", "DryRun", "Async", "Event,RequestResponse"])
def test_switchable_with_an_unknown_value_answers_400_naming_the_allowed_ones(
    value: str,
) -> None:
    fake = FakeLambda()
    response = make_handler(fake, SWITCHABLE_ENV)(event_v2({"invocationtype": value}), None)
    assert response["statusCode"] == 400
    message = body(response)["message"]
    assert "Event" in message and "RequestResponse" in message and value in message
    assert fake.calls == []


def test_a_failing_target_gives_502_without_its_stack_trace(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error = {"errorMessage": "boom", "errorType": "ValueError",
             "stackTrace": ["  File \"/var/task/app.py\", line 3, in handler\n"]}
    fake = FakeLambda(payload=json.dumps(error).encode(), function_error="Unhandled")
    response = make_handler(fake, SWITCHABLE_ENV)(event_v1({"InvocationType": "RequestResponse"}),
                                                  None)
    assert response["statusCode"] == 502
    assert response["headers"]["content-type"] == "application/json"
    assert body(response) == {"message": "The target function failed",
                              "requestId": "sync-request-id"}
    assert "stackTrace" not in response["body"] and "boom" not in response["body"]
    assert "boom" in capsys.readouterr().out  # kept for CloudWatch Logs


@pytest.mark.parametrize("env", [ASYNC_ENV, SWITCHABLE_ENV], ids=["async", "switchable"])
def test_payload_too_large_gives_502_naming_the_limit(env: dict[str, str]) -> None:
    fake = FakeLambda(error=client_error(
        "RequestEntityTooLargeException",
        "Request must be smaller than 1048576 bytes for the InvokeAsync operation", 413))
    response = make_handler(fake, env)(event_v2({"invocationtype": "Event"}), None)
    assert response["statusCode"] == 502
    assert body(response)["errorCode"] == "RequestEntityTooLargeException"
    assert "1 MB" in body(response)["message"]


@pytest.mark.parametrize(("code", "message", "status"), [
    ("ResourceNotFoundException", "Function not found: " + TARGET, 404),
    ("AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/x is not "
                              "authorized to perform: lambda:InvokeFunction", 403),
    ("TooManyRequestsException", "Rate Exceeded.", 429),
    ("ServiceException", "internal", 500),
])
def test_lambda_errors_give_502_without_account_details(
    code: str, message: str, status: int, capsys: pytest.CaptureFixture[str],
) -> None:
    fake = FakeLambda(error=client_error(code, message, status))
    response = make_handler(fake, SWITCHABLE_ENV)(
        event_v2({"invocationtype": "RequestResponse"}), None)
    assert response["statusCode"] == 502
    assert body(response)["errorCode"] == code
    assert "123456789012" not in response["body"]
    assert code in capsys.readouterr().out


@pytest.mark.parametrize("error", [
    EndpointConnectionError(endpoint_url="https://lambda.us-east-1.amazonaws.com"),
    ReadTimeoutError(endpoint_url="https://lambda.us-east-1.amazonaws.com"),
], ids=["connection", "read-timeout"])
def test_unreachable_lambda_gives_502(error: Exception) -> None:
    response = make_handler(FakeLambda(error=error), ASYNC_ENV)(event_v2({}), None)
    assert response["statusCode"] == 502
    assert "message" in body(response)


@pytest.mark.parametrize("env", [{}, {"TARGET_FUNCTION_ARN": TARGET},
                                 {"TARGET_FUNCTION_ARN": TARGET, "MODE": "sync"},
                                 {"MODE": "async"}])
def test_a_misconfigured_forwarder_answers_500_and_invokes_nothing(env: dict[str, str]) -> None:
    fake = FakeLambda()
    response = make_handler(fake, env)(event_v2({"invocationtype": "Event"}), None)
    assert response["statusCode"] == 500
    assert "misconfigured" in body(response)["message"]
    assert fake.calls == []


@pytest.mark.parametrize("status", [202, 400, 500, 502])
def test_every_answer_is_a_valid_proxy_response_for_both_formats(status: int) -> None:
    response = forwarder.answer(status, {"message": "x"})
    assert set(response) == {"statusCode", "headers", "body", "isBase64Encoded"}
    assert isinstance(response["body"], str) and response["isBase64Encoded"] is False


def test_the_module_entry_point_reads_the_environment_and_creates_no_client_early(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TARGET_FUNCTION_ARN", raising=False)
    monkeypatch.delenv("MODE", raising=False)
    assert forwarder.handler(event_v2({}), None)["statusCode"] == 500


def test_invocation_type_prefers_single_headers_over_multi_value_ones() -> None:
    event = event_v1({"InvocationType": "Event"}, {"InvocationType": ["RequestResponse"]})
    assert invocation_type(event) == "Event"


@pytest.mark.parametrize(("invocation", "attempts"), [("Event", 3), ("RequestResponse", 1)])
def test_the_default_client_calls_the_targets_region_and_never_retries_a_sync_call(
    invocation: str, attempts: int
) -> None:
    client = forwarder._default_client(invocation, "eu-west-1")
    assert client.meta.region_name == "eu-west-1"
    assert client.meta.config.retries["total_max_attempts"] == attempts

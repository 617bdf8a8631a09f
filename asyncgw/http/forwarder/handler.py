"""The forwarder Lambda: invokes TARGET_FUNCTION_ARN with the unchanged event, async or as asked."""

# This file is shipped on its own as lambda_function.py (see asyncgw.http.forwarder.package): it may
# import only the standard library and what the Lambda Python runtime provides (boto3, botocore).

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

Handler = Callable[[Any, Any], Any]

EVENT = "Event"
REQUEST_RESPONSE = "RequestResponse"
ALLOWED = (EVENT, REQUEST_RESPONSE)
MODES = ("async", "switchable")
SELECTOR = "invocationtype"
MISSING_SELECTOR = "Missing required request parameters: [InvocationType]"
"""API Gateway's words for a missing or blank required header (REST validators) [REC D8]."""

JSON_HEADERS = {"content-type": "application/json"}


def make_handler(client: Any = None, environ: Mapping[str, str] | None = None) -> Handler:
    """A Lambda handler invoking through `client` (a boto3 Lambda client; made on first use)."""
    settings = os.environ if environ is None else environ
    made: dict[str, Any] = {}

    def lambda_client(invocation: str, target: str) -> Any:
        """The injected client, or one made once per invocation type and region."""
        if client is not None:
            return client
        # Lambda is invoked in the target's own region, named by its ARN.
        parts = target.split(":")
        region = parts[3] if len(parts) > 3 and parts[0] == "arn" else None
        key = f"{invocation}@{region}"
        if key not in made:
            made[key] = _default_client(invocation, region)
        return made[key]

    def handler(event: Any, context: Any) -> Any:
        """Answer one API Gateway proxy event."""
        target = settings.get("TARGET_FUNCTION_ARN", "")
        mode = settings.get("MODE", "")
        if not target or mode not in MODES:
            _log("misconfigured", target=target, mode=mode)
            return answer(500, {"message": "Forwarder misconfigured: TARGET_FUNCTION_ARN and "
                                           "MODE (async or switchable) must be set"})
        invocation = EVENT
        if mode == "switchable":
            chosen = invocation_type(event)
            if chosen is None:
                return answer(400, {"message": MISSING_SELECTOR})
            if chosen not in ALLOWED:
                return answer(400, {"message": f"Invalid InvocationType {chosen!r}: "
                                               f"use {' or '.join(ALLOWED)}"})
            invocation = chosen
        return forward(lambda_client(invocation, target), target, invocation, event)

    return handler


def invocation_type(event: Any) -> str | None:
    """The InvocationType request header of a payload 1.0 or 2.0 event, in any case, or None."""
    if not isinstance(event, Mapping):
        return None
    found: str | None = None
    for name, value in (event.get("headers") or {}).items():
        if str(name).lower() == SELECTOR and isinstance(value, str):
            found = value
    for name, values in (event.get("multiValueHeaders") or {}).items():
        if found is None and str(name).lower() == SELECTOR and values:
            found = str(values[-1])
    if found is None or not found.strip():
        return None
    # Payload 2.0 joins repeated headers with commas; the same value repeated is still one choice.
    distinct = {part.strip() for part in found.split(",")}
    return distinct.pop() if len(distinct) == 1 else found.strip()


def forward(client: Any, target: str, invocation: str, event: Any) -> Any:
    """Invoke the target; 202 with Lambda's request id for Event, the target's answer otherwise."""
    try:
        response = client.invoke(FunctionName=target, InvocationType=invocation,
                                 Payload=json.dumps(event).encode())
    except ClientError as error:
        return _lambda_refused(error)
    except BotoCoreError as error:
        _log("invoke-failed", error=type(error).__name__, detail=str(error))
        return answer(502, {"message": "Bad Gateway: the target function could not be reached"})
    request_id = response.get("ResponseMetadata", {}).get("RequestId")
    if invocation == EVENT:
        return answer(202, {"requestId": request_id})
    payload = response.get("Payload")
    raw = payload.read() if hasattr(payload, "read") else (payload or b"")
    if response.get("FunctionError"):
        # The error payload carries the target's stack trace: log it, never send it to callers.
        _log("target-failed", requestId=request_id, error=_text(raw))
        return answer(502, {"message": "The target function failed", "requestId": request_id})
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return _text(raw)


def answer(status: int, body: Mapping[str, Any]) -> dict[str, Any]:
    """A Lambda proxy response that both payload format versions (1.0 and 2.0) accept."""
    return {"statusCode": status, "headers": dict(JSON_HEADERS), "body": json.dumps(body),
            "isBase64Encoded": False}


def _lambda_refused(error: ClientError) -> dict[str, Any]:
    code = str(error.response.get("Error", {}).get("Code", "Unknown"))
    detail = str(error.response.get("Error", {}).get("Message", ""))
    request_id = error.response.get("ResponseMetadata", {}).get("RequestId")
    # Lambda's message can name the account, role and function: it goes to the log only.
    _log("invoke-refused", code=code, detail=detail, requestId=request_id)
    message = "Bad Gateway: Lambda refused the invocation"
    if code == "RequestEntityTooLargeException":
        message = ("Bad Gateway: the request is too large for Lambda (1 MB for asynchronous, "
                   "6 MB for synchronous invocations)")
    return answer(502, {"message": message, "errorCode": code})


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw


def _log(what: str, **fields: Any) -> None:
    # One JSON line per problem: CloudWatch Logs keeps what callers must not see.
    print(json.dumps({"forwarder": what, **fields}, default=str))


def _default_client(invocation: str, region: str | None) -> Any:
    import boto3
    from botocore.config import Config

    # A synchronous call that times out may still be running: retrying it would run the target
    # twice, so only Event calls (queued by Lambda, answered at once) are retried.
    attempts = 3 if invocation == EVENT else 1
    # total_max_attempts counts the first call too; botocore's max_attempts counts only retries.
    return boto3.client("lambda", region_name=region, config=Config(
        connect_timeout=3, read_timeout=35,
        retries={"mode": "standard", "total_max_attempts": attempts}))


handler = make_handler()
"""The entry point Lambda calls: lambda_function.handler."""

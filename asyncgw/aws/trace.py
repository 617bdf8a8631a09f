"""--trace FILE: every AWS call a command makes, as JSON lines, with credentials never written."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import botocore
from botocore.response import StreamingBody

from asyncgw import __version__
from asyncgw.core.errors import UsageError

if TYPE_CHECKING:
    import boto3

FORMAT = 1
"""The trace format's version, in the first line of every trace."""

REDACTED = "<redacted>"
_SECRET_NAME = re.compile(
    r"secret|password|passwd|passphrase|credential|authorization|signature|privatekey|"
    r"private_key|apikey|api_key|sessiontoken|session_token|securitytoken|accesstoken|"
    r"access_token|authtoken|refreshtoken|idtoken|^token$|tokencode|webidentitytoken|"
    r"samlassertion|assertion|cookie",
    re.IGNORECASE,
)
_ACCESS_KEY_NAME = re.compile(r"accesskey|access_key", re.IGNORECASE)
# authorizationType, apiKeyRequired, ApiKeySelectionExpression...: settings, not secrets.
_SETTING_NAME = re.compile(r"(type|types|required|source|scopes|expression|arn|enabled)$",
                           re.IGNORECASE)
# Signing and credential fields that AWS may echo inside text: presigned URLs (Lambda's
# GetFunction Code.Location), TestInvokeMethod's log of the endpoint request headers, and
# SignatureDoesNotMatch messages that quote the canonical request.
_SECRET_TEXT = re.compile(
    r"(?i)\bAuthorization\s*[=:]\s*AWS4-HMAC-SHA256\s+Credential=[^,\s]*,\s*"
    r"SignedHeaders=[^,\s]*,\s*Signature=[0-9a-f]*"
    # An Authorization or API key value may hold spaces ("Bearer abc"): up to the delimiter.
    r"|\b(?:Proxy-)?(?:Authorization|X-Api-Key)\s*[=:]\s*[^,&}\"'\r\n]*"
    r"|\b(?:X-Amz-Security-Token|X-Amz-Date|X-Amz-Signature|X-Amz-Credential|"
    r"X-Amz-Algorithm|X-Amz-SignedHeaders|X-Amz-Expires|X-Amz-Content-Sha256)\s*[=:]\s*"
    r"[^,&}\s\"']*"
    r"|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"
)
_SAFE_HEADERS = frozenset({"content-type", "retry-after", "x-amzn-errortype",
                           "x-amzn-requestid", "x-amz-request-id", "x-amz-apigw-id"})
"""Response headers worth keeping: none of them carries a credential."""

_FORWARDER_VARIABLES = frozenset({"TARGET_FUNCTION_ARN", "MODE"})
"""asyncgw.http.recipe.forwarder_environment's names: the only values of a function's
environment that are kept (a user's function may keep any secret in its own)."""

Observer = Callable[["boto3.Session"], None]
_observers: list[Observer] = []


def attach(session: boto3.Session) -> None:
    """Let whatever observes this command's AWS calls (--trace) see the session's clients.

    Call it right after creating the session: botocore copies a session's handlers into each
    client when the client is made, so clients made earlier are not seen.
    """
    for observe in list(_observers):
        observe(session)


@contextmanager
def observing(observe: Observer) -> Iterator[None]:
    """Hand every session created inside the block to `observe`."""
    _observers.append(observe)
    try:
        yield
    finally:
        _observers.remove(observe)


@contextmanager
def recording(path: str, command: str, options: Mapping[str, Any],
              warn: Callable[[str], None]) -> Iterator[Recorder]:
    """Write every AWS call made inside the block to `path`; UsageError when it cannot start.

    A write that fails midway does not change the command's outcome (it may have changed the
    API already): `warn` is told, once the command has ended, that the trace is incomplete.
    """
    recorder = Recorder.open(path, {"command": command, "options": sanitized(dict(options))})
    try:
        with observing(recorder.attach):
            yield recorder
    finally:
        recorder.close()
        if recorder.failure is not None:
            warn(f"Warning: the trace file {path} is incomplete: {recorder.failure} (the "
                 "command itself ran to its end)")


class Recorder:
    """Writes one JSON line per AWS call: what was asked and what came back."""

    def __init__(self, path: str, descriptor: int) -> None:
        self.path = path
        self.failure: str | None = None
        self._descriptor = descriptor
        self._written = 0  # bytes of whole lines: a failed write is cut back to them
        self._lock = threading.Lock()
        self._count = 0

    @classmethod
    def open(cls, path: str, header: Mapping[str, Any]) -> Recorder:
        """A recorder writing to a new file at `path`, readable by its owner only."""
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as error:
            raise UsageError(f"cannot write the trace file {path}: "
                             f"{error.strerror or error}") from None
        recorder = cls(path, descriptor)
        recorder._write({"trace": FORMAT, "asyncgw": __version__,
                         "botocore": botocore.__version__, "started": _now(), **header})
        if recorder.failure is not None:
            recorder.close()
            raise UsageError(f"cannot write the trace file {path}: {recorder.failure}")
        return recorder

    def attach(self, session: boto3.Session) -> None:
        """Record the calls of every client made from now on from `session`."""
        events = session.events
        events.register("provide-client-params", self._asked, unique_id="asyncgw-trace-ask")
        events.register("after-call", self._answered, unique_id="asyncgw-trace-answer")
        events.register("after-call-error", self._failed, unique_id="asyncgw-trace-fail")

    def close(self) -> None:
        """Close the file."""
        try:
            os.close(self._descriptor)
        except OSError as error:
            self.failure = self.failure or (error.strerror or str(error))

    def _asked(self, params: Mapping[str, Any], model: Any, context: dict[str, Any],
               **_: Any) -> None:
        # Copied now: botocore's own handlers add to the parameters after this event.
        context["asyncgw_trace"] = {
            "service": model.service_model.service_name,
            "operation": model.name,
            "params": sanitized(dict(params)),
        }

    def _answered(self, http_response: Any, parsed: dict[str, Any], model: Any,
                  context: dict[str, Any], **_: Any) -> None:
        call = context.pop("asyncgw_trace", None)
        if call is None:
            return
        answer = {**_without_headers(parsed), **_keep_streams_readable(parsed)}
        entry = {**call, "status": http_response.status_code, "response": sanitized(answer)}
        if http_response.status_code >= 300:
            error = parsed.get("Error", {})
            entry["error"] = sanitized({"code": error.get("Code"),
                                        "message": error.get("Message")})
        self._write(entry)

    def _failed(self, exception: BaseException, context: dict[str, Any], **_: Any) -> None:
        call = context.pop("asyncgw_trace", None)
        if call is None:
            return
        kwargs = getattr(exception, "kwargs", None)
        self._write({**call, "status": None, "exception": sanitized({
            "type": type(exception).__name__,
            "message": str(exception),
            "kwargs": {k: str(v) for k, v in kwargs.items()} if isinstance(kwargs, dict) else {},
        })})

    def _write(self, entry: dict[str, Any]) -> None:
        with self._lock:
            if self.failure is not None:
                return
            if "service" in entry:
                self._count += 1
                entry = {"call": self._count, "at": _now(), **entry}
            line = (json.dumps(entry) + "\n").encode("utf-8")
            try:
                # Unbuffered, each line whole: a crash still leaves every call made before it.
                done = 0
                while done < len(line):
                    done += os.write(self._descriptor, line[done:])
                self._written += done
            except OSError as error:
                # Not raised here: that would fail the AWS call, and an undo in progress with it.
                self.failure = error.strerror or str(error)
                with contextlib.suppress(OSError):
                    os.ftruncate(self._descriptor, self._written)


def sanitized(value: Any, name: str = "") -> Any:
    """`value` as JSON-ready data with secrets replaced: by field name, and inside text."""
    if name and _secret(name, value):
        return REDACTED
    if isinstance(value, Mapping):
        if name == "Environment" and isinstance(value.get("Variables"), Mapping):
            value = {**value, "Variables": _environment(value["Variables"])}
        return {str(key): sanitized(item, str(key)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [sanitized(item) for item in value]
    if isinstance(value, str):
        return _SECRET_TEXT.sub(REDACTED, value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        try:
            return {"$text": _sanitized_text(bytes(value).decode("utf-8"))}
        except UnicodeDecodeError:
            return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    return _SECRET_TEXT.sub(REDACTED, str(value))


def _sanitized_text(text: str) -> str:
    """A body as text with secrets replaced; a JSON body (GetExport's) by field name too."""
    try:
        document = json.loads(text)
    except ValueError:
        return _SECRET_TEXT.sub(REDACTED, text)
    # An export holds header mappings such as "integration.request.header.Authorization":
    # "'Bearer ...'", which only their names give away.
    return json.dumps(sanitized(document), indent=2)


def _secret(name: str, value: Any) -> bool:
    """Whether a field of this name holds a credential (ARNs and settings never do)."""
    if value in (None, "", {}, []) or (isinstance(value, str) and value.startswith("arn:")):
        return False
    plain = name.replace("-", "")
    if _ACCESS_KEY_NAME.search(plain):
        return True
    return bool(_SECRET_NAME.search(plain)) and not _SETTING_NAME.search(plain)


def _environment(variables: Mapping[str, Any]) -> dict[str, Any]:
    """A Lambda function's environment with every value redacted but the forwarder's own."""
    return {name: value if name in _FORWARDER_VARIABLES or str(value).startswith("arn:")
            else REDACTED for name, value in variables.items()}


def _without_headers(parsed: Mapping[str, Any]) -> dict[str, Any]:
    """The parsed answer with only the safe response headers left in ResponseMetadata."""
    answer = dict(parsed)
    metadata = answer.get("ResponseMetadata")
    if isinstance(metadata, Mapping):
        headers = metadata.get("HTTPHeaders", {})
        answer["ResponseMetadata"] = {
            **{k: v for k, v in metadata.items() if k != "HTTPHeaders"},
            "HTTPHeaders": {k: v for k, v in headers.items() if k.lower() in _SAFE_HEADERS},
        }
    return answer


def _keep_streams_readable(parsed: dict[str, Any]) -> dict[str, bytes]:
    """Each streamed body (GetExport's) read, with an unread copy put back for the caller."""
    contents = {}
    for key, value in list(parsed.items()):
        if isinstance(value, StreamingBody):
            contents[key] = value.read()
            parsed[key] = StreamingBody(io.BytesIO(contents[key]), len(contents[key]))
    return contents


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")

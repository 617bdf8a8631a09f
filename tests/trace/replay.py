"""Running the CLI against a --trace file: each AWS call it makes is answered by the next entry.

The CLI runs in this process with its own connect() functions, so every boto3 session it
creates goes through asyncgw.aws.trace.attach, the seam --trace records through; the replay hooks
there instead. Each call's service, operation and parameters (sanitised as the recorder
sanitises them) must equal the next recorded entry's; the answer is the recorded one, rebuilt
into what botocore would have returned (datetimes, bytes, a streamed body, IAM's encoded
policy documents). No request leaves
the process: botocore's before-call event answers before anything is signed or sent.
"""

from __future__ import annotations

import base64
import io
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import boto3
import botocore.exceptions
from botocore.awsrequest import AWSResponse
from botocore.response import StreamingBody
from rich.console import Console

from asyncgw.aws import trace
from asyncgw.cli import Runtime, run

FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "replay",
    "AWS_SECRET_ACCESS_KEY": "replay",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
"""Nothing is signed in a replay; these keep the developer's own AWS setup out of it."""


class ReplayMismatch(BaseException):
    """The CLI asked for something the trace does not hold (a BaseException, so that no
    `except Exception` in the CLI turns it into an ordinary error and carries on)."""


@dataclass(frozen=True)
class Trace:
    """A trace file: its first line (the command and options) and one entry per AWS call."""

    header: dict[str, Any]
    calls: list[dict[str, Any]]

    @classmethod
    def load(cls, path: Path) -> Trace:
        """Read a trace file written by --trace."""
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
        if not lines or lines[0].get("trace") != trace.FORMAT:
            raise ValueError(f"{path} is not an asyncgw trace (format {trace.FORMAT})")
        return cls(lines[0], lines[1:])


@dataclass
class Replayer:
    """Answers each AWS call from the next recorded entry; notes the first difference."""

    calls: list[dict[str, Any]]
    used: int = 0
    problems: list[str] = field(default_factory=list)

    def attach(self, session: boto3.Session) -> None:
        """Answer every call of the clients `session` makes from now on."""
        session.events.register("provide-client-params", self._asked,
                                unique_id="asyncgw-replay-ask")
        session.events.register("before-call", self._answer, unique_id="asyncgw-replay-answer")

    def unused(self) -> list[dict[str, Any]]:
        """The recorded calls the CLI has not made (yet)."""
        return self.calls[self.used:]

    def _asked(self, params: Mapping[str, Any], model: Any, context: dict[str, Any],
               **_: Any) -> None:
        if self.problems:
            raise ReplayMismatch(self.problems[0])
        sent = {"service": model.service_model.service_name, "operation": model.name,
                "params": trace.sanitized(dict(params))}
        number = self.used + 1
        if self.used >= len(self.calls):
            self._fail(f"call {number}: the CLI called {_name(sent)} with {sent['params']}, "
                       f"but the trace ends after {len(self.calls)} calls")
        recorded = self.calls[self.used]
        if (sent["service"], sent["operation"]) != (recorded["service"],
                                                    recorded["operation"]):
            self._fail(f"call {number}: the CLI called {_name(sent)} where the trace holds "
                       f"{_name(recorded)}")
        differs = difference(recorded["params"], sent["params"], "")
        if differs is not None:
            self._fail(f"call {number} ({_name(sent)}): {differs}")
        self.used += 1
        context["asyncgw_replay"] = recorded

    def _answer(self, model: Any, context: dict[str, Any], **_: Any) -> Any:
        recorded = context.pop("asyncgw_replay", None)
        if recorded is None:
            return None
        if recorded.get("exception"):
            raise _exception(recorded["exception"])
        status = int(recorded["status"])
        parsed = rebuilt(recorded["response"], model.output_shape if status < 300 else None,
                         _streamed(model) if status < 300 else None)
        headers = parsed.get("ResponseMetadata", {}).get("HTTPHeaders", {})
        return AWSResponse("https://replay.invalid/", status, headers, None), parsed

    def _fail(self, problem: str) -> None:
        self.problems.append(problem)
        raise ReplayMismatch(problem)


@dataclass(frozen=True)
class Replayed:
    """What the CLI did against the trace: its exit code, output, and every difference."""

    code: int | None
    out: str
    err: str
    problems: list[str]


def replay(path: Path, args: Sequence[str]) -> Replayed:
    """Run `asyncgw ARGS` in this process with every AWS call answered from the trace."""
    recorded = Trace.load(path)
    replayer = Replayer(recorded.calls)
    out, err = io.StringIO(), io.StringIO()
    runtime = Runtime(out=_console(out), err=_console(err), interactive=lambda: False)
    code: int | None
    with environment(FAKE_ENVIRONMENT), trace.observing(replayer.attach):
        try:
            # A trace holds its calls in the order they were made: one at a time, as recorded.
            code = run([*args, "--max-in-flight", "1"], runtime)
        except ReplayMismatch:
            code = None
    problems = list(replayer.problems)
    left = replayer.unused()
    if not problems and left:
        problems.append(f"the CLI made {replayer.used} calls; the trace holds {len(left)} "
                        f"more, the first of them {_name(left[0])} with {left[0]['params']}")
    return Replayed(code, out.getvalue(), err.getvalue(), problems)


def _console(stream: io.StringIO) -> Console:
    return Console(file=stream, width=120, color_system=None, soft_wrap=True)


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """os.environ with these values set and the other AWS_ variables unset, inside the block."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    for key in saved:
        del os.environ[key]
    os.environ.update(values)
    try:
        yield
    finally:
        for key in [k for k in os.environ if k.startswith("AWS_")]:
            del os.environ[key]
        os.environ.update(saved)


def difference(recorded: Any, sent: Any, path: str) -> str | None:
    """The first place where what the CLI sent differs from the trace, in words; else None."""
    if isinstance(recorded, dict) and isinstance(sent, dict):
        return _dict_difference(recorded, sent, path)
    if isinstance(recorded, list) and isinstance(sent, list):
        for index, (want, got) in enumerate(zip(recorded, sent, strict=False)):
            found = difference(want, got, f"{path}[{index}]")
            if found is not None:
                return found
        if len(recorded) != len(sent):
            return (f"{path or 'the parameters'}: the trace has {len(recorded)} items, the CLI "
                    f"sent {len(sent)}: {sent!r}")
        return None
    if recorded != sent:
        return f"{path or 'the parameters'}: the trace has {recorded!r}, the CLI sent {sent!r}"
    return None


def _dict_difference(recorded: dict[str, Any], sent: dict[str, Any], path: str) -> str | None:
    for key in [*recorded, *(k for k in sent if k not in recorded)]:
        if key not in sent:
            return f"{path}.{key}: the trace has {recorded[key]!r}, the CLI sent none"
        if key not in recorded:
            return f"{path}.{key}: the CLI sent {sent[key]!r}, the trace has none"
        found = difference(recorded[key], sent[key], f"{path}.{key}")
        if found is not None:
            return found
    return None


def rebuilt(value: Any, shape: Any, streamed: str | None = None) -> Any:
    """A recorded answer as botocore parses it: datetimes, bytes and streamed bodies back."""
    if isinstance(value, dict) and len(value) == 1 and ("$text" in value or "$base64" in value):
        data = (value["$text"].encode("utf-8") if "$text" in value
                else base64.b64decode(value["$base64"]))
        return data
    kind = getattr(shape, "type_name", None)
    if kind == "string" and shape.name == "policyDocumentType" and isinstance(value, dict):
        # The trace holds IAM's policy documents as botocore's after-call.iam handler decoded
        # them; that handler runs again on the replayed answer and wants them as sent.
        return quote(json.dumps(value))
    if isinstance(value, dict):
        members = getattr(shape, "members", {}) if kind == "structure" else {}
        answer = {}
        for key, item in value.items():
            member = members.get(key) if kind == "structure" else (
                shape.value if kind == "map" else None)
            answer[key] = rebuilt(item, member)
            if key == streamed and isinstance(answer[key], bytes):
                answer[key] = StreamingBody(io.BytesIO(answer[key]), len(answer[key]))
        return answer
    if isinstance(value, list):
        return [rebuilt(item, shape.member if kind == "list" else None) for item in value]
    if kind == "timestamp" and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def _streamed(model: Any) -> str | None:
    """The output member botocore hands over as a stream (GetExport's body), if any."""
    if not model.has_streaming_output or model.output_shape is None:
        return None
    payload = model.output_shape.serialization.get("payload")
    return str(payload) if payload else None


def _exception(recorded: Mapping[str, Any]) -> BaseException:
    """The botocore exception a call recorded as failing before AWS answered."""
    kind = getattr(botocore.exceptions, str(recorded["type"]), None)
    if isinstance(kind, type) and issubclass(kind, botocore.exceptions.BotoCoreError):
        try:
            return kind(**recorded.get("kwargs", {}))
        except (KeyError, TypeError):
            pass
    return ReplayMismatch(f"the trace holds an exception the replay cannot rebuild: "
                          f"{recorded['type']}: {recorded['message']}")


def _name(call: Mapping[str, Any]) -> str:
    return f"{call['service']} {call['operation']}"
